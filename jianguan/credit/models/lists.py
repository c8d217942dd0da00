from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import AbnormalGround, AbnormalMode, ListingStatus, SeriousGround, SeriousStatus


class AbnormalListing(models.Model):
    """经营异常名录: a listing (or, for 个体工商户, a marking) with its ground, decision and removal.

    Missing annual reports are listed automatically after the deadline (set-based sweep); other grounds by a
    department's decision. Removal on correction. Credit information is county-wide: every staff member reads
    it; the deciding department writes it.
    """

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    department = models.ForeignKey("core.Department", verbose_name=_("作出决定机关"), on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("列入事由"), max_length=20, choices=AbnormalGround.choices)
    mode = models.CharField(_("方式"), max_length=5, choices=AbnormalMode.choices, default=AbnormalMode.LIST)
    report_year = models.PositiveSmallIntegerField(_("年报年度"), null=True, blank=True)
    decision_no = models.CharField(_("决定书文号"), max_length=100, blank=True)
    facts = models.TextField(_("事实"), blank=True)
    listed_on = models.DateField(_("列入日期"))
    status = models.CharField(_("状态"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.LISTED)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=300, blank=True)
    escalated = models.BooleanField(_("已提请列入严重违法失信名单"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    @classmethod
    def scope_public_q(cls):
        return models.Q(status=ListingStatus.LISTED)

    class Meta:
        verbose_name = _("经营异常名录")
        verbose_name_plural = _("经营异常名录")
        ordering = ["-listed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["entity", "ground", "report_year"], condition=models.Q(status="listed"),
                                               name="credit_abnormal_one_open")]
        indexes = [models.Index(fields=["entity", "status"], name="credit_abnormal_entity"),
                   models.Index(fields=["status", "listed_on"], name="credit_abnormal_status")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.get_ground_display()}"


class SeriousListing(models.Model):
    """严重违法失信名单: proposal → department approval → upper-level consent (when required) → listed for 3 years;
    early removal may be applied for after the minimum term (SAMR Order 44)."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    department = models.ForeignKey("core.Department", verbose_name=_("作出决定机关"), on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("列入事由"), max_length=20, choices=SeriousGround.choices)
    facts = models.TextField(_("违法失信事实"))
    basis = models.CharField(_("依据"), max_length=500)
    record = models.ForeignKey("records.Record", verbose_name=_("所依据的行政处罚"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    abnormal = models.ForeignKey(AbnormalListing, verbose_name=_("所依据的经营异常名录"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=SeriousStatus.choices, default=SeriousStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提请时间"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("部门批准时间"), null=True, blank=True)
    consent_required = models.BooleanField(_("须经上一级部门同意"), default=True)
    consent_document = models.CharField(_("上级同意文号"), max_length=100, blank=True)
    consent_on = models.DateField(_("上级同意日期"), null=True, blank=True)
    decision_no = models.CharField(_("列入决定书文号"), max_length=100, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    expires_on = models.DateField(_("期满日期"), null=True, blank=True)
    removable_from = models.DateField(_("可申请提前移出日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出/不予列入原因"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["entity", "status"], name="credit_serious_entity")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.get_status_display()}"


class ListingPerson(models.Model):
    """A natural person behind a serious listing (法定代表人、负责人 at the time of listing): 企业信用与自然人信用挂钩."""

    listing = models.ForeignKey(SeriousListing, verbose_name=_("名单"), on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("entities.Person", verbose_name=_("自然人"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职务/身份"), max_length=15)
    name = models.CharField(_("姓名"), max_length=50)

    class Meta:
        verbose_name = _("名单关联自然人")
        verbose_name_plural = _("名单关联自然人")
        constraints = [models.UniqueConstraint(fields=["listing", "person", "role"], name="credit_listing_person_unique")]
        indexes = [models.Index(fields=["person", "listing"], name="credit_listing_person")]
