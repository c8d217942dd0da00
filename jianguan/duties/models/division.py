"""The seed's task division as data: 19 target tasks (目标任务), their numbered measures, and who leads and who
is responsible for each (牵头单位, 责任单位). Loaded from jianguan/duties/data/task_division.json."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _lazy

from ..choices import AssignmentRole, AssignmentSource


class Target(models.Model):
    """目标任务, e.g. 一、夯实监管责任 / 明确监管职责."""

    no = models.PositiveSmallIntegerField(_lazy("序号"), unique=True)
    section_no = models.CharField(_lazy("部分"), max_length=4)
    section_title = models.CharField(_lazy("部分标题"), max_length=100)
    title = models.CharField(_lazy("目标任务"), max_length=100)
    seed_title = models.CharField(_lazy("原文标题"), max_length=100, blank=True, help_text=_lazy("原文有误时保留原文"))
    responsible_all = models.BooleanField(_lazy("县直各部门负责"), default=False)

    class Meta:
        verbose_name = _lazy("目标任务")
        verbose_name_plural = _lazy("目标任务")
        ordering = ["no"]

    def __str__(self) -> str:
        return f"{self.section_no}、{self.title}"


class Measure(models.Model):
    """One numbered measure (主要内容) under a target."""

    target = models.ForeignKey(Target, verbose_name=_lazy("目标任务"), on_delete=models.CASCADE, related_name="measures")
    no = models.PositiveSmallIntegerField(_lazy("序号"))
    text = models.TextField(_lazy("主要内容"))

    class Meta:
        verbose_name = _lazy("任务措施")
        verbose_name_plural = _lazy("任务措施")
        ordering = ["target__no", "no"]
        constraints = [models.UniqueConstraint(fields=["target", "no"], name="duties_measure_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.short_text}"

    @property
    def code(self) -> str:
        return f"{self.target.no}.{self.no}"

    @property
    def short_text(self) -> str:
        return self.text if len(self.text) <= 40 else self.text[:38] + "…"


class Assignment(models.Model):
    """A department's part in a measure: lead (牵头) or responsible (责任)."""

    measure = models.ForeignKey(Measure, verbose_name=_lazy("任务措施"), on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("部门"), on_delete=models.PROTECT, related_name="duty_assignments")
    role = models.CharField(_lazy("分工"), max_length=12, choices=AssignmentRole.choices)
    source = models.CharField(_lazy("来源"), max_length=8, choices=AssignmentSource.choices, default=AssignmentSource.NAMED)

    class Meta:
        verbose_name = _lazy("任务分工")
        verbose_name_plural = _lazy("任务分工")
        constraints = [models.UniqueConstraint(fields=["measure", "department"], name="duties_assignment_unique")]
        indexes = [models.Index(fields=["department", "role"], name="duties_assignment_dept_role")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.department} {self.get_role_display()}"
