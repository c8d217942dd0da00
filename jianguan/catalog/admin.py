"""Back-office views of the catalogue, read-only: every change goes through the services (versions, audit)."""
from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import (
    ApprovalRoute,
    FilingMatter,
    ImplementationList,
    LegalProvision,
    RuleStandard,
    SupervisionItem,
    SupervisionNotice,
    VerificationTask,
)


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "department", "level", "field", "category", "random_check", "version", "needs_review")
    list_filter = ("level", "field", "category", "status", "needs_review")
    search_fields = ("code", "name")


@admin.register(ImplementationList)
class ImplementationListAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "item", "agency", "method", "version")
    search_fields = ("code", "name")


@admin.register(LegalProvision)
class LegalProvisionAdmin(ReadOnlyAdmin):
    list_display = ("law_name", "article", "status", "status_changed_on")
    list_filter = ("status",)
    search_fields = ("law_name",)


@admin.register(RuleStandard)
class RuleStandardAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "kind", "level", "field", "status", "cleanup_status")
    list_filter = ("kind", "level", "field", "status", "cleanup_status")


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(ReadOnlyAdmin):
    list_display = ("matter", "keyword", "approval_department", "supervising_department", "is_active")


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ("licence", "supervising_department", "issued_on", "due_on", "status", "overdue_flagged_on", "result")
    list_filter = ("status",)


@admin.register(FilingMatter)
class FilingMatterAdmin(ReadOnlyAdmin):
    list_display = ("name", "keyword", "department", "industry_codes")


@admin.register(VerificationTask)
class VerificationTaskAdmin(ReadOnlyAdmin):
    list_display = ("kind", "matter", "entity", "department", "due_on", "status")
    list_filter = ("kind", "status")
