"""Thin HTML views of the core app: read through selectors, write through services, render templates."""
from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, selectors, services, workdays
from .choices import Role
from .errors import DomainError, NotFound
from .exports import xlsx_response
from .forms import (AccountForm, DeadlineForm, DepartmentForm, HolidayForm, LoginForm, ParameterForm, PasswordChangeForm, ReasonForm,
                    ShareForm, TokenForm)
from .models import ApiToken, AuditEvent, Department, User
from .navigation import ALL_STAFF, MANAGERS
from .pagination import paginate
from .pii import mask_id_number, mask_phone
from .scope import own_department_ids


def role_required(*roles):
    """Signed in, active, and one of `roles` (the owner passes every check)."""
    allowed = set(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('core:login')}?next={request.get_full_path()}")
            if not (user.is_owner or user.role in allowed):
                raise PermissionDenied(_("您的角色无权访问此页面"))
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404(_("未找到该对象，或您无权查看")) from None

        return wrapper

    return decorator


def apply_form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- sign-in ---------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            locked_until = getattr(request, "jianguan_locked_until", None)
            if locked_until:
                form.add_error(None, _("登录失败次数过多，账号已锁定至 %(t)s，请稍后再试或联系管理员解锁")
                               % {"t": timezone.localtime(locked_until).strftime("%H:%M")})
            else:
                form.add_error(None, _("用户名或密码不正确"))
        else:
            login(request, user)
            services.account_login_record(user=user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                target = reverse("core:home")
            if services.password_expired(user):
                messages.warning(request, _("请先修改密码：初始密码或已过期的密码不能继续使用"))
                return redirect("core:password_change")
            return redirect(target)
    return render(request, "core/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.account_logout_record(user=request.user)
    logout(request)
    messages.info(request, _("您已安全退出"))
    return redirect("core:login")


@require_http_methods(["GET", "POST"])
def password_change_view(request):
    if not request.user.is_authenticated:
        return redirect("core:login")
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(actor=request.user, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改"))
            return redirect("core:home")
    return render(request, "core/password_change.html", {"form": form})


# --- home ----------------------------------------------------------------------------------------------------------

HOME_SECTIONS: list = []  # later apps append callables (request) -> dict(title, items, url) for the home page


def home(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("core:login")
    context = {"role_label": Role(user.role).label if user.role else "", "sections": []}
    for section in HOME_SECTIONS:
        block = section(request)
        if block:
            context["sections"].append(block)
    if user.is_enterprise:
        context["enterprise"] = {"uscc": user.uscc}
    else:
        context["department"] = user.department
        context["colleagues"] = selectors.user_list(user=user, department_id=user.department_id, include_inactive=False).count() if user.department_id else 0
        context["my_events"] = AuditEvent.objects.filter(actor_id=user.pk).order_by("-seq")[:8]
        today = timezone.localdate()
        context["today"] = today
        context["today_working"] = workdays.is_working_day(today)
        context["deadline_example"] = workdays.deadline("deadline.penalty_publicity", today)
        if user.is_owner or user.role in (Role.DEPT_LEADER, Role.DEPT_ADMIN):
            context["dept_events"] = selectors.audit_events(user=user)[:8]
        if user.is_owner:
            context["owner_stats"] = {
                "departments": Department.objects.filter(is_active=True, parent__isnull=True).count(),
                "units": Department.objects.filter(is_active=True, parent__isnull=False).count(),
                "accounts": User.objects.filter(is_active=True).count(),
                "locked": User.objects.filter(locked_until__gt=timezone.now()).count(),
                "events": AuditEvent.objects.count(),
            }
        if user.role == Role.INSPECTOR:
            context["inspector"] = {"cert_no": user.cert_no, "fields": user.enforcement_fields, "qualifications": user.qualifications}
        if user.role == Role.REVIEWER:
            context["reviewer"] = {"qualified": user.has_legal_qualification}
    return render(request, "core/home.html", context)


# --- departments ---------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def department_list(request):
    departments = list(selectors.department_list(user=request.user))
    tops = [d for d in departments if d.parent_id is None]
    children: dict[int, list] = {}
    for d in departments:
        if d.parent_id:
            children.setdefault(d.parent_id, []).append(d)
    rows = [{"dept": d, "units": children.get(d.pk, [])} for d in tops]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("部门目录.xlsx"), _("部门"), [_("名称"), _("统一社会信用代码"), _("类型"), _("上级部门"), _("在岗人数")],
                             ((d.name, d.uscc or "", d.get_kind_display(), d.parent.name if d.parent else "", d.staff_count) for d in departments))
    return render(request, "core/department_list.html", {"rows": rows})


@role_required(*ALL_STAFF)
def department_detail(request, pk: int):
    dept = selectors.department_get(user=request.user, pk=pk)
    staff = selectors.user_list(user=request.user, department_id=dept.pk, include_inactive=False)
    shares = selectors.department_shares(user=request.user).filter(owner=dept) | selectors.department_shares(user=request.user).filter(grantee=dept)
    return render(request, "core/department_detail.html", {
        "dept": dept, "units": dept.children.filter(is_active=True), "staff": staff[:200], "shares": shares,
        "share_form": ShareForm() if request.user.is_owner and dept.parent_id is None else None,
    })


@role_required(Role.OWNER)
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int | None = None):
    """The owner creates and edits departments and units (a service call, so the change is audited)."""
    dept = selectors.department_get(user=request.user, pk=pk) if pk else None
    initial = {f: getattr(dept, f) for f in services.DEPARTMENT_FIELDS} if dept else {"region_code": settings.JIANGUAN_REGION_CODE}
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["uscc"] = data["uscc"] or None
        try:
            if dept is None:
                data.pop("is_active")
                dept = services.department_create(actor=request.user, **data)
            else:
                services.department_update(actor=request.user, department=dept, data=data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("部门信息已保存"))
            return redirect("core:department_detail", pk=dept.pk)
    return render(request, "core/department_form.html", {"form": form, "dept": dept})


@role_required(Role.OWNER)
@require_POST
def department_share(request, pk: int):
    dept = selectors.department_get(user=request.user, pk=pk)
    if request.POST.get("unshare"):
        share = selectors.department_shares(user=request.user).filter(pk=request.POST["unshare"], owner=dept).first()
        if share is None:
            raise Http404()
        services.department_share_delete(actor=request.user, share=share, reason=request.POST.get("reason", "")[:200])
        messages.success(request, _("已撤销数据共享"))
        return redirect("core:department_detail", pk=dept.pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.department_share_create(actor=request.user, owner=dept, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已建立数据共享"))
    else:
        messages.error(request, _("请完整填写共享对象、范围和依据"))
    return redirect("core:department_detail", pk=dept.pk)


# --- accounts ---------------------------------------------------------------------------------------------------------


@role_required(*MANAGERS)
def user_list(request):
    q = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    qs = selectors.user_list(user=request.user, q=q, role=role)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("人员账号.xlsx"), _("人员"), [_("用户名"), _("姓名"), _("角色"), _("部门"), _("执法证号"), _("执法领域"), _("状态")],
                             ((u.username, u.display_name, u.get_role_display(), u.department.name if u.department else "", u.cert_no,
                               u.enforcement_fields, _("启用") if u.is_active else _("停用")) for u in qs.iterator()))
    page = paginate(request, qs)
    return render(request, "core/user_list.html", {"page": page, "q": q, "role": role, "roles": Role.choices,
                                                   "can_create": request.user.is_owner or request.user.role == Role.DEPT_ADMIN})


@role_required(Role.DEPT_ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user, password = services.account_create(
                actor=request.user, username=data.pop("username"), display_name=data.pop("display_name"),
                role=data.pop("role"), department=data.pop("department"), **data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            return render(request, "core/user_created.html", {"account": user, "password": password})
    return render(request, "core/user_form.html", {"form": form, "title": _("新建账号")})


@role_required(*MANAGERS)
def user_detail(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    can_manage = request.user.is_owner or (request.user.role == Role.DEPT_ADMIN and account.role not in (Role.OWNER, Role.ENTERPRISE)
                                           and account.department_id in own_department_ids(request.user))
    tokens = ApiToken.objects.filter(user=account).order_by("-created_at") if can_manage else []
    return render(request, "core/user_detail.html", {
        "account": account, "phone_masked": mask_phone(account.phone), "id_masked": mask_id_number(account.id_number),
        "can_manage": can_manage, "locked": bool(account.locked_until and account.locked_until > timezone.now()),
        "tokens": tokens, "reason_form": ReasonForm(),
    })


@role_required(Role.DEPT_ADMIN)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    initial = {f: getattr(account, f) for f in ("username", "display_name", "role", "department", "cert_no", "enforcement_fields",
                                                "qualifications", "has_legal_qualification", "uscc", "phone", "id_number")}
    form = AccountForm(request.POST or None, initial=initial, actor=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("username", "role")}
        try:
            services.account_update(actor=request.user, user=account, data=data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("账号信息已保存"))
            return redirect("core:user_detail", pk=account.pk)
    return render(request, "core/user_form.html", {"form": form, "title": _("修改账号"), "account": account})


@role_required(Role.DEPT_ADMIN)
@require_POST
def user_action(request, pk: int, action: str):
    account = selectors.user_get(user=request.user, pk=pk)
    try:
        if action in ("disable", "enable"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写原因"), field="reason")
            services.account_set_active(actor=request.user, user=account, active=action == "enable", reason=form.cleaned_data["reason"])
            messages.success(request, _("账号已启用") if action == "enable" else _("账号已停用"))
        elif action == "reset_password":
            password = services.account_reset_password(actor=request.user, user=account)
            return render(request, "core/user_created.html", {"account": account, "password": password, "reset": True})
        elif action == "unlock":
            services.account_unlock(actor=request.user, user=account)
            messages.success(request, _("账号已解锁"))
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("core:user_detail", pk=account.pk)


@role_required(*MANAGERS)
@require_POST
def user_reveal(request, pk: int, field: str):
    """Show one personal-information field unmasked (an htmx fragment); the viewing is audited."""
    account = selectors.user_get(user=request.user, pk=pk)
    if field not in ("phone", "id_number"):
        raise Http404()
    try:
        value = services.pii_reveal(actor=request.user, obj=account, field=field, reason=request.POST.get("reason", "")[:200])
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return render(request, "core/_revealed.html", {"value": value})


# --- tokens ---------------------------------------------------------------------------------------------------------


@role_required(Role.DEPT_ADMIN)
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            target = selectors.user_list(user=request.user).get(username=form.cleaned_data["username"])
        except User.DoesNotExist:
            form.add_error("username", _("账号不存在，或不在您的管理范围内"))
        else:
            try:
                row, token = services.token_create(actor=request.user, user=target, name=form.cleaned_data["name"],
                                                   expires_days=form.cleaned_data["expires_days"])
            except DomainError as exc:
                apply_form_error(form, exc)
            else:
                created = {"row": row, "token": token}
                form = TokenForm()
    page = paginate(request, selectors.token_list(user=request.user))
    return render(request, "core/token_list.html", {"form": form, "page": page, "created": created})


@role_required(Role.DEPT_ADMIN)
@require_POST
def token_revoke(request, pk: int):
    row = selectors.token_list(user=request.user).filter(pk=pk).first()
    if row is None:
        raise Http404()
    services.token_revoke(actor=request.user, token=row)
    messages.success(request, _("令牌已吊销"))
    return redirect("core:token_list")


# --- audit ---------------------------------------------------------------------------------------------------------------


@role_required(*MANAGERS)
def audit_list(request):
    action = request.GET.get("action", "").strip()[:60]
    actor_q = request.GET.get("actor", "").strip()[:50]
    qs = selectors.audit_events(user=request.user, action=action, actor_q=actor_q)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("审计日志.xlsx"), _("审计"), [_("序号"), _("时间"), _("操作人"), _("操作"), _("对象"), _("说明"), _("请求ID"), _("哈希")],
                             ((e.seq, e.created_at, e.actor_label, e.action_label, e.object_repr, e.note, e.request_id, e.hash) for e in qs[:50000]))
    page = paginate(request, qs)
    return render(request, "core/audit_list.html", {"page": page, "action": action, "actor": actor_q})


@role_required(Role.OWNER)
@require_POST
def audit_verify(request):
    result = audit.verify()
    if result.ok:
        messages.success(request, _("审计链完整：已校验 %(n)d 个事件") % {"n": result.checked})
    else:
        messages.error(request, _("审计链在第 %(seq)s 号事件处断裂：%(reason)s") % {"seq": result.bad_seq, "reason": result.reason})
    return redirect("core:audit_list")


def object_history(request, object_type: str, object_id: str):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={request.get_full_path()}")
    try:
        obj, events = selectors.object_history(user=request.user, object_type=object_type, object_id=object_id)
    except NotFound:
        raise Http404(_("未找到该对象，或您无权查看")) from None
    page = paginate(request, events)
    return render(request, "core/object_history.html", {"obj": obj, "page": page})


# --- parameters and calendar ---------------------------------------------------------------------------------------------------


@role_required(Role.OWNER)
@require_http_methods(["GET", "POST"])
def param_list(request):
    form = ParameterForm(request.POST or None, initial={"effective_from": timezone.localdate() + dt.timedelta(days=1)})
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_set(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("参数新版本已保存"))
            return redirect("core:param_list")
    return render(request, "core/param_list.html", {"rows": selectors.parameter_overview(), "form": form})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def calendar_view(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = today.year
    holiday_form = HolidayForm(request.POST or None) if request.user.is_owner else None
    if request.method == "POST":
        if not request.user.is_owner:
            raise PermissionDenied(_("只有平台管理员可以维护节假日"))
        if request.POST.get("delete"):
            row = selectors.holiday_list().filter(pk=request.POST.get("delete")).first()
            if row:
                services.holiday_delete(actor=request.user, holiday=row)
                messages.success(request, _("已删除"))
            return redirect(f"{reverse('core:calendar')}?year={year}")
        if holiday_form.is_valid():
            try:
                services.holiday_set(actor=request.user, **holiday_form.cleaned_data)
            except DomainError as exc:
                apply_form_error(holiday_form, exc)
            else:
                messages.success(request, _("节假日安排已保存"))
                return redirect(f"{reverse('core:calendar')}?year={holiday_form.cleaned_data['date'].year}")
    deadline_form = DeadlineForm(request.GET if "rule" in request.GET else None, initial={"start": today})
    result = None
    if deadline_form.is_bound and deadline_form.is_valid():
        result = workdays.deadline(deadline_form.cleaned_data["rule"], deadline_form.cleaned_data["start"])
    return render(request, "core/calendar.html", {
        "year": year, "source": workdays.year_source(year), "holidays": selectors.holiday_list(year=year),
        "holiday_form": holiday_form, "deadline_form": deadline_form, "result": result,
        "prev_year": year - 1, "next_year": year + 1,
    })


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)

