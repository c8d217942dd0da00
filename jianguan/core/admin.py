"""Back-office admin: read-only. Changes go through the UI and API, whose services write the audit chain."""
from django.contrib import admin

from .models import ApiToken, AuditEvent, Department, DepartmentShare, Holiday, Parameter, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Back-office browsing only: every change goes through a service, which writes the audit chain."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "short_name", "kind", "parent", "uscc", "is_active", "sort_order")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "uscc")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "display_name", "role", "department", "cert_no", "is_active")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "display_name", "cert_no", "uscc")
    exclude = ("password", "id_number", "phone")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_label", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_repr", "request_id")


@admin.register(Parameter)
class ParameterAdmin(ReadOnlyAdmin):
    list_display = ("key", "value", "effective_from", "reason", "created_by")


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")


@admin.register(DepartmentShare)
class DepartmentShareAdmin(ReadOnlyAdmin):
    list_display = ("owner", "grantee", "scope", "reason")
