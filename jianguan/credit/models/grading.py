from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import ApprovalStatus, Grade, IndicatorRule, IndicatorSetStatus, RunStatus


class IndicatorSet(models.Model):
    """A version of the credit-risk indicator system. One is active; a change is a new version with an effective date.

    Score = Σ weight × points of each indicator (higher = riskier). Class by score: below `a_below` → A,
    below `b_below` → B, below `c_below` → C, else D; an indicator may force a class (一票否决).
    """

    version = models.CharField(_("版本"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    status = models.CharField(_("状态"), max_length=10, choices=IndicatorSetStatus.choices, default=IndicatorSetStatus.DRAFT)
    a_below = models.DecimalField(_("A类：总分低于"), max_digits=7, decimal_places=2)
    b_below = models.DecimalField(_("B类：总分低于"), max_digits=7, decimal_places=2)
    c_below = models.DecimalField(_("C类：总分低于"), max_digits=7, decimal_places=2)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用风险指标体系")
        verbose_name_plural = _("信用风险指标体系")
        ordering = ["-effective_from", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(a_below__lte=models.F("b_below"), b_below__lte=models.F("c_below")),
                                              name="credit_set_cutoffs_ordered")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class Indicator(models.Model):
    """One indicator: which data source, how its value becomes points, and its weight."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("编码"), max_length=40)
    name = models.CharField(_("指标"), max_length=100)
    source = models.CharField(_("数据来源"), max_length=40)
    window_months = models.PositiveSmallIntegerField(_("统计期（月）"), default=36)
    rule = models.CharField(_("计分规则"), max_length=10, choices=IndicatorRule.choices, default=IndicatorRule.PER_UNIT)
    threshold = models.DecimalField(_("阈值"), max_digits=14, decimal_places=2, default=1)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(_("上限"), max_digits=7, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=1)
    forces_grade = models.CharField(_("直接判定类别"), max_length=1, choices=Grade.choices, blank=True,
                                    help_text=_("取值达到阈值时直接判定为该类别（一票否决）"))
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("信用风险指标")
        verbose_name_plural = _("信用风险指标")
        ordering = ["indicator_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="credit_indicator_code_unique")]

    def __str__(self) -> str:
        return self.name


class GradeRun(models.Model):
    """One batch computation of every entity's class (the monthly `jianguan credit_grade`)."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="runs")
    as_of = models.DateField(_("基准日"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration_ms = models.IntegerField(_("耗时（毫秒）"), default=0)
    entity_count = models.IntegerField(_("主体数"), default=0)
    counts = models.JSONField(_("各类数量"), default=dict)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("分类计算批次")
        verbose_name_plural = _("分类计算批次")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.as_of}"


class GradeResult(models.Model):
    """One entity's class in one run. The indicator values are stored in indicator order (comma-separated); points
    are a pure function of a value and the run's (immutable) indicator set, so the explanation of any past class is
    shown exactly as computed, with no per-indicator rows and no redundant bytes written by the batch."""

    pk = models.CompositePrimaryKey("run", "entity")
    run = models.ForeignKey(GradeRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    entity = models.ForeignKey("entities.Entity", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    score = models.DecimalField(_("总分"), max_digits=9, decimal_places=2)
    grade = models.CharField(_("类别"), max_length=1, choices=Grade.choices)
    forced = models.CharField(_("直接判定"), max_length=40, blank=True)
    values = models.TextField(_("指标取值"), db_column="vals")

    class Meta:
        verbose_name = _("分类结果")
        verbose_name_plural = _("分类结果")


class GradeAdjustment(models.Model):
    """A manual change of an entity's class: requested with a reason, approved by a department leader, audited."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    department = models.ForeignKey("core.Department", verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="+")
    from_grade = models.CharField(_("原类别"), max_length=1, blank=True)
    to_grade = models.CharField(_("调整为"), max_length=1, choices=Grade.choices)
    reason = models.TextField(_("调整理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("信用等级人工调整")
        verbose_name_plural = _("信用等级人工调整")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["entity", "status"], name="credit_adjust_entity")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.from_grade}→{self.to_grade}"
