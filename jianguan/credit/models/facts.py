from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CommitmentKind, CommitmentStatus


class AnnualReport(models.Model):
    """企业年度报告: filed by the enterprise for the previous year, 1 January – 30 June (企业信息公示暂行条例 第八条)."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    year = models.PositiveSmallIntegerField(_("报告年度"))
    filed_at = models.DateTimeField(_("报送时间"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField(_("逾期补报"), default=False)
    operating = models.BooleanField(_("是否开展经营活动"), default=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    revenue = models.DecimalField(_("营业总收入（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    total_assets = models.DecimalField(_("资产总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    tax_paid = models.DecimalField(_("纳税总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    address = models.CharField(_("通信地址"), max_length=300)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.CharField(_("电子邮箱"), max_length=100, blank=True)
    website = models.CharField(_("网站或网店网址"), max_length=200, blank=True)
    publish_financials = models.BooleanField(_("公示资产状况信息"), default=False)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="credit_annual_report_once")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.year}"


class Commitment(models.Model):
    """信用承诺: its kind, text and term; fulfilment is checked against later records, and a broken one is a credit item."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    kind = models.CharField(_("承诺类型"), max_length=20, choices=CommitmentKind.choices)
    department = models.ForeignKey("core.Department", verbose_name=_("承诺受理部门"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    matter = models.CharField(_("承诺事项"), max_length=200)
    text = models.TextField(_("承诺内容"))
    made_on = models.DateField(_("承诺日期"))
    term_end = models.DateField(_("承诺期限至"))
    status = models.CharField(_("履行状态"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.ACTIVE)
    broken_on = models.DateField(_("失信日期"), null=True, blank=True)
    breach_record = models.ForeignKey("records.Record", verbose_name=_("违诺依据记录"), null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    breach_note = models.CharField(_("违诺说明"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("最近核查"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["status", "term_end"], name="credit_commitment_status"),
                   models.Index(fields=["entity", "status"], name="credit_commitment_entity")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.matter}"
