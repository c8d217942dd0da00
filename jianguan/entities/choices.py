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
