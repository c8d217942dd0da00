"""Every read of the core app that a view or the API uses, already scoped to the user."""
from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from . import params
from .choices import STAFF_ROLES, Role
from .errors import NotFound
from .models import ApiToken, AuditEvent, Department, DepartmentShare, Holiday, Parameter, User
from .scope import get_visible_or_404, visible_department_ids


def department_list(*, user, include_inactive: bool = False) -> QuerySet[Department]:
    """The department directory is open to every signed-in staff member (it is published anyway)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    qs = Department.objects.select_related("parent").annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def department_get(*, user, pk: int) -> Department:
    try:
        return department_list(user=user, include_inactive=True).get(pk=pk)
    except (Department.DoesNotExist, ValueError):
        raise NotFound() from None


def department_shares(*, user) -> QuerySet[DepartmentShare]:
    ids = visible_department_ids(user)
    qs = DepartmentShare.objects.select_related("owner", "grantee")
    if ids is None:
        return qs
    return qs.filter(Q(owner_id__in=ids) | Q(grantee_id__in=ids))


def user_list(*, user, q: str = "", role: str = "", department_id: int | None = None,
              include_inactive: bool = True) -> QuerySet[User]:
    """Staff accounts the user may see: their department tree and departments that share with it."""
    qs = User.objects.visible_to(user).select_related("department").order_by("department__sort_order", "username")
    if user.is_enterprise:
        qs = qs.filter(pk=user.pk)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(cert_no__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def user_get(*, user, pk: int) -> User:
    if user.is_enterprise and str(pk) != str(user.pk):
        raise NotFound()
    return get_visible_or_404(User.objects.select_related("department"), user, pk=pk)


def inspectors_of(*, user, department_id: int | None = None) -> QuerySet[User]:
    return user_list(user=user, role=Role.INSPECTOR, department_id=department_id, include_inactive=False)


def token_list(*, user) -> QuerySet[ApiToken]:
    visible_users = User.objects.visible_to(user)
    if not user.is_owner:
        visible_users = visible_users.filter(pk=user.pk) if user.role != Role.DEPT_ADMIN else visible_users
    return ApiToken.objects.filter(user__in=visible_users).select_related("user").order_by("-created_at")


# --- audit -----------------------------------------------------------------------------------------------


def audit_events(*, user, action: str = "", actor_q: str = "", department_id: int | None = None) -> QuerySet[AuditEvent]:
    """The owner sees the whole chain; department leaders and admins see their departments' events."""
    if user is None or not user.is_authenticated:
        return AuditEvent.objects.none()
    if user.is_owner:
        qs = AuditEvent.objects.all()
    elif user.role in (Role.DEPT_LEADER, Role.DEPT_ADMIN):
        qs = AuditEvent.objects.filter(department_id__in=visible_department_ids(user) or [])
    else:
        qs = AuditEvent.objects.filter(actor_id=user.pk)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_q:
        qs = qs.filter(actor_label__icontains=actor_q)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("-seq")


def resolve_object(*, user, object_type: str, object_id: str):
    """The object named by an audit event, if `user` may see it (scoped models), else NotFound."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise NotFound() from None
    qs = model._default_manager.all()
    if hasattr(qs, "visible_to"):
        return get_visible_or_404(qs, user, pk=object_id)
    if model is Department and user.is_authenticated and user.role in STAFF_ROLES:
        return department_get(user=user, pk=object_id)
    if user.is_authenticated and user.is_owner:
        try:
            return qs.get(pk=object_id)
        except (model.DoesNotExist, ValueError):
            raise NotFound() from None
    raise NotFound()


def object_history(*, user, object_type: str, object_id: str) -> tuple[object, QuerySet[AuditEvent]]:
    """An object's history page: only for someone who may see the object itself."""
    obj = resolve_object(user=user, object_type=object_type, object_id=object_id)
    events = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-seq")
    return obj, events


# --- parameters and calendar ---------------------------------------------------------------------------------


def parameter_overview() -> list[dict]:
    rows = []
    versions: dict[str, list[Parameter]] = {}
    for row in Parameter.objects.select_related("created_by").order_by("key", "-effective_from"):
        versions.setdefault(row.key, []).append(row)
    for key, spec in sorted(params.REGISTRY.items(), key=lambda kv: (str(kv[1].group), kv[0])):
        rows.append({"spec": spec, "current": params.get(key), "versions": versions.get(key, [])})
    return rows


def holiday_list(*, year: int | None = None) -> QuerySet[Holiday]:
    qs = Holiday.objects.all()
    if year:
        qs = qs.filter(date__year=year)
    return qs
