"""Annual supervision plans: each department's plan rows, compiled into the county plan that 协调办 approves.

任务分工 一(三)1: the coordination group drafts the county-wide supervision plan. The approved rows are what the
random-inspection module draws from (RULES.md, 双随机: 抽查领域, 事项, 对象范围, 类别, 比例及频次, 时间, 方式, 发起/配合部门).
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.scope import ScopedQuerySet

from ..choices import CountyPlanStatus, ItemCategory, PlanMethod, PlanStatus


class CountyPlan(models.Model):
    """The county's annual supervision plan (全县年度监管计划), one per year."""

    year = models.PositiveSmallIntegerField(_lazy("年度"), unique=True)
    title = models.CharField(_lazy("名称"), max_length=200)
    status = models.CharField(_lazy("状态"), max_length=10, choices=CountyPlanStatus.choices, default=CountyPlanStatus.OPEN)
    approved_at = models.DateTimeField(_lazy("批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approval_note = models.CharField(_lazy("批准意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _lazy("全县年度监管计划")
        verbose_name_plural = _lazy("全县年度监管计划")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class DepartmentPlan(models.Model):
    """One department's annual plan: drafted, submitted, approved (or returned) by 协调办."""

    county_plan = models.ForeignKey(CountyPlan, verbose_name=_lazy("全县计划"), on_delete=models.PROTECT, related_name="department_plans")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("部门"), on_delete=models.PROTECT, related_name="supervision_plans")
    status = models.CharField(_lazy("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.TextField(_lazy("说明"), blank=True)
    submitted_at = models.DateTimeField(_lazy("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_lazy("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_lazy("审批意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("部门年度监管计划")
        verbose_name_plural = _lazy("部门年度监管计划")
        ordering = ["-county_plan__year", "department__sort_order"]
        constraints = [models.UniqueConstraint(fields=["county_plan", "department"], name="catalog_dept_plan_unique")]

    def __str__(self) -> str:
        return f"{self.department} {self.county_plan.year}"

    @property
    def year(self) -> int:
        return self.county_plan.year


class PlanRow(models.Model):
    """One row of a department plan: which item, which objects, what share, how often, when and how."""

    plan = models.ForeignKey(DepartmentPlan, verbose_name=_lazy("部门计划"), on_delete=models.CASCADE, related_name="rows")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("发起部门"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_lazy("监管事项"), on_delete=models.PROTECT, related_name="plan_rows")
    object_scope = models.CharField(_lazy("检查对象范围"), max_length=300)
    category = models.CharField(_lazy("事项类别"), max_length=10, choices=ItemCategory.choices, default=ItemCategory.GENERAL)
    ratio = models.DecimalField(_lazy("抽查比例（%）"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    frequency = models.PositiveSmallIntegerField(_lazy("抽查频次（次）"), default=1, validators=[MinValueValidator(1)])
    period_start = models.DateField(_lazy("开始日期"))
    period_end = models.DateField(_lazy("结束日期"))
    method = models.CharField(_lazy("检查方式"), max_length=10, choices=PlanMethod.choices, default=PlanMethod.ONSITE)
    cooperating_departments = models.ManyToManyField("core.Department", verbose_name=_lazy("配合部门"), blank=True, related_name="cooperating_plan_rows")
    note = models.CharField(_lazy("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("计划事项")
        verbose_name_plural = _lazy("计划事项")
        ordering = ["plan", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="catalog_plan_row_item_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="catalog_plan_row_period"),
            models.CheckConstraint(condition=Q(ratio__gte=0) & Q(ratio__lte=100), name="catalog_plan_row_ratio"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.item.name}"
