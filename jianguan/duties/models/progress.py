"""Progress reports per measure per period, their attachments, and 督办 issued by 协调办."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.scope import ScopedQuerySet

from ..choices import ProgressStatus, UrgeStatus


class ProgressReport(models.Model):
    """A department's report on one measure for one period (quarter, “2026-Q3”). One per measure, department
    and period; a second report for the same period replaces the text (the audit chain keeps the old one)."""

    measure = models.ForeignKey("duties.Measure", verbose_name=_lazy("任务措施"), on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("部门"), on_delete=models.PROTECT, related_name="duty_reports")
    period = models.CharField(_lazy("报告期"), max_length=7, help_text=_lazy("季度，如 2026-Q3"))
    status = models.CharField(_lazy("进展状态"), max_length=12, choices=ProgressStatus.choices)
    text = models.TextField(_lazy("进展情况"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_lazy("报告人"), on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_lazy("报告时间"))

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("进展报告")
        verbose_name_plural = _lazy("进展报告")
        ordering = ["-period", "measure__target__no", "measure__no"]
        constraints = [models.UniqueConstraint(fields=["measure", "department", "period"], name="duties_report_unique")]
        indexes = [models.Index(fields=["period", "department"], name="duties_report_period_dept")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.department} {self.period}"


def attachment_path(instance: "ProgressAttachment", filename: str) -> str:
    return f"duties/{instance.stored_name}"


class ProgressAttachment(models.Model):
    """A file supporting a progress report, stored under MEDIA_ROOT/duties/ and served only through a view that
    checks the reader's scope (never directly by the web server)."""

    report = models.ForeignKey(ProgressReport, verbose_name=_lazy("进展报告"), on_delete=models.CASCADE, related_name="attachments")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_lazy("文件"), upload_to=attachment_path, max_length=200)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_lazy("文件名"), max_length=200)
    content_type = models.CharField(_lazy("类型"), max_length=100)
    size = models.PositiveIntegerField(_lazy("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_lazy("上传时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("进展附件")
        verbose_name_plural = _lazy("进展附件")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Urge(models.Model):
    """督办: 协调办 presses a department on a measure, with a deadline; the department answers; 协调办 closes it."""

    measure = models.ForeignKey("duties.Measure", verbose_name=_lazy("任务措施"), on_delete=models.PROTECT, related_name="urges")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("督办对象"), on_delete=models.PROTECT, related_name="duty_urges")
    content = models.TextField(_lazy("督办事项"))
    deadline = models.DateField(_lazy("办理期限"))
    status = models.CharField(_lazy("状态"), max_length=10, choices=UrgeStatus.choices, default=UrgeStatus.OPEN, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_lazy("督办人"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_lazy("督办时间"), auto_now_add=True)
    response = models.TextField(_lazy("办理情况"), blank=True)
    responded_at = models.DateTimeField(_lazy("反馈时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_lazy("办结时间"), null=True, blank=True)
    close_note = models.CharField(_lazy("办结意见"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("督办")
        verbose_name_plural = _lazy("督办")
        ordering = ["status", "deadline", "-id"]

    def __str__(self) -> str:
        return f"{self.measure.code} → {self.department}"
