from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import ApprovalStatus, ItemType, ObjectionOutcome, ObjectionStatus


class Objection(models.Model):
    """异议: the party disputes one item of its credit record; the owning department decides within the deadline."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    item_type = models.CharField(_("信息类别"), max_length=15, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("信息ID"))
    item_title = models.CharField(_("异议信息"), max_length=300)
    department = models.ForeignKey("core.Department", verbose_name=_("处理部门"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(_("申请人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    reason = models.TextField(_("异议理由"))
    filed_on = models.DateField(_("申请日期"))
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.SUBMITTED)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("信用信息异议")
        verbose_name_plural = _("信用信息异议")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="credit_objection_item")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.item_title}"


class RepairApplication(models.Model):
    """信用修复: after the minimum disclosure period, with materials and a pledge; approval stops publication early."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    item_type = models.CharField(_("信息类别"), max_length=15, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("信息ID"))
    item_title = models.CharField(_("修复信息"), max_length=300)
    department = models.ForeignKey("core.Department", verbose_name=_("受理部门"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(_("申请人"), max_length=100)
    reason = models.TextField(_("纠正失信行为情况"))
    materials = models.TextField(_("证明材料"), help_text=_("履行处罚决定、消除不良影响的证明材料清单"))
    attachment = models.FileField(_("材料附件"), upload_to="credit/repairs/%Y/", blank=True)
    pledge = models.TextField(_("信用修复承诺"))
    filed_on = models.DateField(_("申请日期"))
    min_until = models.DateField(_("最短公示期届满"))
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decision_note = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="credit_repair_item")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.item_title}"


class CreditNotice(models.Model):
    """A notice to an enterprise (异议处理结果告知, 修复决定, 列入/移出名单)."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用告知")
        verbose_name_plural = _("信用告知")
        ordering = ["-pk"]


class CreditReport(models.Model):
    """A credit report (.docx) handed out, with the verification code printed on it and a digest of its content."""

    code = models.CharField(_("验证码"), max_length=20, unique=True)
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    entity_name = models.CharField(_("名称"), max_length=200)
    generated_at = models.DateTimeField(_("生成时间"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("报告所列信息"), default=list)
    digest = models.CharField(_("内容摘要（SM3）"), max_length=64)

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.entity_name}"
