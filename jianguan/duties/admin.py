"""Back-office views of the task division, read-only: changes go through the services (audited)."""
from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import Assignment, Measure, ProgressReport, Target, Urge


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("no", "section_no", "title", "responsible_all")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("code", "short_text")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("measure", "department", "role", "source")
    list_filter = ("role", "source")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("measure", "department", "period", "status", "reported_at")
    list_filter = ("period", "status")


@admin.register(Urge)
class UrgeAdmin(ReadOnlyAdmin):
    list_display = ("measure", "department", "deadline", "status")
    list_filter = ("status",)
