"""Rules and standards register (staff) and the public pages of published rules and guidelines."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exports import xlsx_response
from jianguan.core.navigation import ALL_STAFF, MANAGERS
from jianguan.core.pagination import paginate
from jianguan.core.views import apply_form_error, role_required

from .. import selectors, services
from ..choices import CleanupStatus, PublishStatus, RuleKind, StandardLevel, SupervisionField
from ..forms import RuleCleanupForm, RuleForm
from ..services._common import is_editor_of

RULE_FIELDS = ["kind", "level", "field", "title", "number", "issuing_body", "issued_on", "effective_on", "summary", "mandatory"]


def _filters(request) -> dict:
    def pick(name, enum):
        value = request.GET.get(name, "")
        return value if value in enum.values else ""

    return {"q": request.GET.get("q", "").strip()[:50], "field": pick("field", SupervisionField),
            "kind": pick("kind", RuleKind), "level": pick("level", StandardLevel)}


def _choices() -> dict:
    return {"fields": SupervisionField.choices, "kinds": RuleKind.choices, "levels": StandardLevel.choices}


@role_required(*ALL_STAFF)
def rule_list(request):
    filters = _filters(request)
    cleanup = request.GET.get("cleanup", "")
    cleanup = cleanup if cleanup in CleanupStatus.values else ""
    status = request.GET.get("status", "")
    status = status if status in PublishStatus.values else ""
    qs = selectors.rule_list(user=request.user, cleanup=cleanup, status=status, **filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("监管规则和标准.xlsx"), _("规则标准"),
                             [_("名称"), _("标准号/文号"), _("类型"), _("层级"), _("监管领域"), _("负责部门"), _("发布机关"), _("发布日期"),
                              _("实施日期"), _("强制性"), _("公开状态"), _("清理状态"), _("清理原因"), _("清理说明")],
                             ((r.title, r.number, r.get_kind_display(), r.get_level_display(), r.get_field_display(), r.department.name,
                               r.issuing_body, r.issued_on, r.effective_on, _("是") if r.mandatory else _("否"), r.get_status_display(),
                               r.get_cleanup_status_display(), r.get_cleanup_reason_display(), r.cleanup_note) for r in qs))
    return render(request, "catalog/rule_list.html", {
        "page": paginate(request, qs), "cleanup": cleanup, "status": status, "cleanups": CleanupStatus.choices,
        "statuses": PublishStatus.choices, "can_create": request.user.is_owner or request.user.role in ("dept_admin", "dept_leader"),
        **filters, **_choices()})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def rule_create(request):
    form = RuleForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            rule = services.rule_create(actor=request.user, department=data.pop("department"), title=data.pop("title"),
                                        field=data.pop("field"), **data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("已登记，尚未公开"))
            return redirect("catalog:rule_detail", pk=rule.pk)
    return render(request, "catalog/simple_form.html", {"form": form, "title": _("登记监管规则或标准")})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def rule_detail(request, pk: int):
    rule = selectors.rule_get(user=request.user, pk=pk)
    can_edit = is_editor_of(request.user, rule.department_id)
    form = cleanup_form = None
    if can_edit:
        action = request.POST.get("action", "")
        form = RuleForm(request.POST if action == "edit" else None, rule=rule, initial={k: getattr(rule, k) for k in RULE_FIELDS})
        cleanup_form = RuleCleanupForm(request.POST if action == "cleanup" else None,
                                       initial={"status": rule.cleanup_status, "reason": rule.cleanup_reason,
                                                "note": rule.cleanup_note, "due": rule.cleanup_due})
        if request.method == "POST":
            try:
                if action == "edit" and form.is_valid():
                    services.rule_update(actor=request.user, rule=rule, data=form.cleaned_data)
                    messages.success(request, _("已保存"))
                    return redirect("catalog:rule_detail", pk=rule.pk)
                if action == "cleanup" and cleanup_form.is_valid():
                    d = cleanup_form.cleaned_data
                    services.rule_cleanup(actor=request.user, rule=rule, status=d["status"], reason=d["reason"], note=d["note"], due=d["due"])
                    messages.success(request, _("清理状态已更新"))
                    return redirect("catalog:rule_detail", pk=rule.pk)
                if action in ("publish", "withdraw"):
                    services.rule_set_status(actor=request.user, rule=rule,
                                             status=PublishStatus.PUBLISHED if action == "publish" else PublishStatus.WITHDRAWN,
                                             note=request.POST.get("note", "")[:300])
                    messages.success(request, _("已向社会公开") if action == "publish" else _("已撤回"))
                    return redirect("catalog:rule_detail", pk=rule.pk)
            except DomainError as exc:
                target = cleanup_form if action == "cleanup" else form
                apply_form_error(target, exc)
                if action in ("publish", "withdraw"):
                    messages.error(request, exc.message)
    return render(request, "catalog/rule_detail.html", {"rule": rule, "can_edit": can_edit, "form": form, "cleanup_form": cleanup_form})


# --- public (anonymous) pages ----------------------------------------------------------------------------------------------


def public_rules(request):
    """监管规则和标准, as published to society (任务分工 二(一)1: 并向社会公开). No sign-in."""
    filters = _filters(request)
    qs = selectors.public_rule_list(**filters)
    return render(request, "catalog/public_rules.html", {"page": paginate(request, qs), "public": True, **filters, **_choices()})


def public_rule_detail(request, pk: int):
    try:
        rule = selectors.public_rule_get(pk=pk)
    except NotFound:
        raise Http404(_("未找到该对象，或您无权查看")) from None
    return render(request, "catalog/public_rule_detail.html", {"rule": rule, "public": True})


def public_guidelines(request):
    q = request.GET.get("q", "").strip()[:50]
    field = request.GET.get("field", "")
    field = field if field in SupervisionField.values else ""
    return render(request, "catalog/public_guidelines.html", {
        "page": paginate(request, selectors.public_guideline_list(q=q, field=field)), "q": q, "field": field,
        "fields": SupervisionField.choices, "public": True})


def public_guideline_detail(request, code: str):
    try:
        guideline = selectors.public_guideline_get(code=code)
    except NotFound:
        raise Http404(_("未找到该对象，或您无权查看")) from None
    return render(request, "catalog/guideline.html", {"item": guideline.item, "guideline": guideline, "public": True,
                                                      "impls": selectors.public_check_lists(guideline=guideline),
                                                      "bases": [b.provision for b in guideline.item.bases.select_related("provision")]})
