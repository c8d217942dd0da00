"""Back-office views of random inspections, read-only: every change goes through the services (draws, audit)."""
from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import CheckResult, Draw, InspectionTask, Inspector, InspectorConflict, KeyEntry, TaskObject, Visit


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "department", "status", "period_start", "period_end")
    list_filter = ("status",)
    search_fields = ("code", "name")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("task", "number", "status", "candidate_count", "selected_count", "committed_at", "drawn_at")
    list_filter = ("status",)


@admin.register(TaskObject)
class TaskObjectAdmin(ReadOnlyAdmin):
    list_display = ("task", "uscc", "grade", "is_key", "status", "visit")
    list_filter = ("status", "grade")
    search_fields = ("uscc",)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("code", "entity", "period_start", "period_end", "status")
    search_fields = ("code",)


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    list_display = ("task_object", "checked_on", "result_code", "follow_up", "publish_due", "published_at")
    list_filter = ("result_code", "follow_up")


@admin.register(Inspector)
class InspectorAdmin(ReadOnlyAdmin):
    list_display = ("code", "user", "department", "available")
    search_fields = ("code", "user__display_name")


@admin.register(InspectorConflict)
class InspectorConflictAdmin(ReadOnlyAdmin):
    list_display = ("inspector", "entity", "kind", "active", "created_at")


@admin.register(KeyEntry)
class KeyEntryAdmin(ReadOnlyAdmin):
    list_display = ("entity", "department", "item", "valid_from", "valid_to")
