from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    SOCIAL_ORG = "social_org", _("社会组织")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    OTHER = "other", _("其他")


class EntityStatus(models.TextChoices):
    EXISTING = "existing", _("存续")
    OPERATING = "operating", _("在业")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


#: Which status changes the registry accepts (吊销/注销/迁出 are final; 吊销 may still be 注销 afterwards).
STATUS_TRANSITIONS = {
    EntityStatus.EXISTING: {EntityStatus.OPERATING, EntityStatus.REVOKED, EntityStatus.CANCELLED, EntityStatus.MOVED_OUT},
    EntityStatus.OPERATING: {EntityStatus.EXISTING, EntityStatus.REVOKED, EntityStatus.CANCELLED, EntityStatus.MOVED_OUT},
    EntityStatus.REVOKED: {EntityStatus.CANCELLED},
    EntityStatus.CANCELLED: set(),
    EntityStatus.MOVED_OUT: set(),
}


class PersonRole(models.TextChoices):
    """A natural person's role in an entity (企业信用与自然人信用挂钩)."""

    LEGAL_REPRESENTATIVE = "legal_rep", _("法定代表人")
    PRINCIPAL = "principal", _("负责人")
    OPERATOR = "operator", _("经营者")
    SHAREHOLDER = "shareholder", _("股东")
    DIRECTOR = "director", _("董事")
    SUPERVISOR = "supervisor", _("监事")
    MANAGER = "manager", _("经理")
    PARTNER = "partner", _("执行事务合伙人")


class LicenceCategory(models.TextChoices):
    """双公示 行政许可 许可类别."""

    ORDINARY = "ordinary", _("普通")
    FRANCHISE = "franchise", _("特许")
    RECOGNITION = "recognition", _("认可")
    APPROVAL = "approval", _("核准")
    REGISTRATION = "registration", _("登记")
    OTHER = "other", _("其他")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销/吊销")
    CANCELLED = "cancelled", _("已注销")
