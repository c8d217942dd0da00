"""Catalogue pages: items, their history and diff, implementation lists, guidelines, legal provisions."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.errors import DomainError
from jianguan.core.models import Department
from jianguan.core.navigation import ALL_STAFF, MANAGERS
from jianguan.core.pagination import paginate
from jianguan.core.views import apply_form_error, role_required

from .. import excel, selectors, services, versioning
from ..basis import parse_basis
from ..choices import ItemLevel, ProvisionStatus, SupervisionField
from ..forms import GuidelineForm, ImplForm, ItemForm, ProvisionForm, ProvisionStatusForm, ReviewClearForm
from ..models import ItemBasis
from ..services._common import is_editor_of
from ._shared import xlsx_bytes_response


def _flag(request, name: str) -> bool:
    return request.GET.get(name) in ("1", "true", "on")


@role_required(*ALL_STAFF)
def item_list(request):
    q = request.GET.get("q", "").strip()[:50]
    field = request.GET.get("field", "")
    field = field if field in SupervisionField.values else ""
    level = request.GET.get("level", "")
    level = level if level in ItemLevel.values else ""
    try:
        department_id = int(request.GET.get("department") or 0) or None
    except ValueError:
        department_id = None
    qs = selectors.item_list(user=request.user, q=q, field=field, level=level, department_id=department_id,
                             gaps=_flag(request, "gaps"), review=_flag(request, "review"),
                             include_abolished=_flag(request, "all"))
    if request.GET.get("export") == "xlsx":
        items = qs.prefetch_related(Prefetch("bases", queryset=ItemBasis.objects.select_related("provision")), "handling_staff", "versions")
        return xlsx_bytes_response(_("监管事项目录清单.xlsx"), excel.workbook("items", excel.item_rows(items)))
    counts = selectors.item_gap_counts(user=request.user)
    departments = Department.objects.filter(pk__in=selectors.item_list(user=request.user).values("department_id")).order_by("sort_order")
    return render(request, "catalog/item_list.html", {
        "page": paginate(request, qs), "q": q, "field": field, "level": level, "department_id": department_id,
        "gaps": _flag(request, "gaps"), "review": _flag(request, "review"), "counts": counts,
        "fields": SupervisionField.choices, "levels": ItemLevel.choices,
        "departments": departments,
        "can_create": request.user.is_owner or request.user.role in ("dept_admin", "dept_leader"),
    })


def _cleaned_with_basis(form) -> dict:
    """The form's data with the legal-basis text parsed into (law, article) pairs under 'pairs'."""
    data = dict(form.cleaned_data)
    cited = data.pop("legal_basis", "")
    pairs = parse_basis(cited)
    if cited.strip() and not pairs:
        raise DomainError(_("监管依据应写作《法律法规名称》第X条，多条用分号分隔"), field="legal_basis")
    data["pairs"] = pairs
    return data


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def item_create(request):
    department = None
    if request.method == "POST":
        probe = ItemForm(request.POST, actor=request.user)
        department = probe.fields["department"].queryset.filter(pk=request.POST.get("department") or 0).first()
    form = ItemForm(request.POST or None, actor=request.user, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            data = _cleaned_with_basis(form)
            provisions = services.provisions_resolve(actor=request.user, pairs=data.pop("pairs"))
            item = services.item_create(
                actor=request.user, department=data.pop("department"), code=data.pop("code"), name=data.pop("name"),
                supervision_object=data.pop("supervision_object"), effective_from=data.pop("effective_from"),
                provisions=provisions, handling_staff=list(data.pop("handling_staff")), reason=data.pop("reason"),
                reason_note=data.pop("reason_note"), **data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("监管事项已创建（第1版）"))
            return redirect("catalog:item_detail", pk=item.pk)
    return render(request, "catalog/item_form.html", {"form": form, "title": _("新增监管事项")})


@role_required(*ALL_STAFF)
def item_detail(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    return render(request, "catalog/item_detail.html", {
        "item": item, "bases": [b.provision for b in item.bases.all()], "staff": list(item.handling_staff.all()),
        "impls": selectors.impl_list_list(user=request.user, item=item),
        "guideline": selectors.guideline_for_item(user=request.user, item=item),
        "versions": selectors.item_versions(user=request.user, item=item)[:5],
        "can_edit": is_editor_of(request.user, item.department_id),
        "review_form": ReviewClearForm() if item.needs_review else None,
        "gap": item.responsible_leader_id is None or item.handling_unit_id is None or not any(u.is_active for u in item.handling_staff.all())
        or (item.responsible_leader_id and not item.responsible_leader.is_active),
    })


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    if not is_editor_of(request.user, item.department_id):
        raise Http404()
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item), actor=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            data = _cleaned_with_basis(form)
            data["provisions"] = services.provisions_resolve(actor=request.user, pairs=data.pop("pairs"))
            data["handling_staff"] = list(data["handling_staff"])
            effective, reason, note = data.pop("effective_from"), data.pop("reason"), data.pop("reason_note")
            _item, changed = services.item_update(actor=request.user, item=item, data=data, effective_from=effective,
                                                  reason=reason, reason_note=note)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            if changed:
                messages.success(request, _("已保存为第%(n)d版") % {"n": _item.version})
            else:
                messages.info(request, _("未作任何修改，没有产生新版本"))
            return redirect("catalog:item_detail", pk=item.pk)
    return render(request, "catalog/item_form.html", {"form": form, "title": _("调整监管事项"), "item": item})


def _history(request, obj, versions, fields, template, extra):
    versions = list(versions)
    numbers = [v.number for v in versions]
    try:
        b = int(request.GET.get("b") or (numbers[0] if numbers else 0))
        a = int(request.GET.get("a") or (b - 1))
    except ValueError:
        a, b = (numbers[1] if len(numbers) > 1 else 0), (numbers[0] if numbers else 0)
    by_number = {v.number: v for v in versions}
    new, old = by_number.get(b), by_number.get(a)
    rows = versioning.diff(fields, old.snapshot if old else None, new.snapshot) if new else []
    return render(request, template, {"obj": obj, "versions": versions, "old": old, "new": new, "rows": rows,
                                      "changed": sum(1 for r in rows if r.changed), **extra})


@role_required(*ALL_STAFF)
def item_history(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    return _history(request, item, selectors.item_versions(user=request.user, item=item), versioning.ITEM_FIELDS,
                    "catalog/history.html", {"kind": "item", "back": ("catalog:item_detail", item.pk)})


@role_required(*MANAGERS)
@require_POST
def item_review_clear(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    form = ReviewClearForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写复核结论"), field="note")
        services.item_review_clear(actor=request.user, item=item, note=form.cleaned_data["note"])
        messages.success(request, _("已完成复核"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:item_detail", pk=item.pk)


# --- implementation lists ------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def impl_list(request):
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.impl_list_list(user=request.user, q=q)
    if request.GET.get("export") == "xlsx":
        rows = excel.impl_rows(qs.prefetch_related("check_points", "versions"))
        return xlsx_bytes_response(_("检查实施清单.xlsx"), excel.workbook("impl", rows))
    return render(request, "catalog/impl_list.html", {"page": paginate(request, qs), "q": q})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def impl_create(request, item_pk: int):
    item = selectors.item_get(user=request.user, pk=item_pk)
    if not is_editor_of(request.user, item.department_id):
        raise Http404()
    form = ImplForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            impl = services.impl_list_create(
                actor=request.user, item=item, code=data["code"], name=data["name"], check_object=data["check_object"],
                frequency=data["frequency"], effective_from=data["effective_from"], check_points=form.points(),
                agency=data["agency"], reason=data["reason"], reason_note=data["reason_note"], method=data["method"],
                basis=data["basis"], result_handling=data["result_handling"], status=data["status"])
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("检查实施清单已创建（第1版）"))
            return redirect("catalog:impl_detail", pk=impl.pk)
    return render(request, "catalog/item_form.html", {"form": form, "title": _("新增检查实施清单"), "item": item})


@role_required(*ALL_STAFF)
def impl_detail(request, pk: int):
    impl = selectors.impl_list_get(user=request.user, pk=pk)
    return render(request, "catalog/impl_detail.html", {
        "impl": impl, "points": list(impl.check_points.all()),
        "versions": selectors.impl_versions(user=request.user, impl=impl)[:5],
        "can_edit": is_editor_of(request.user, impl.department_id),
    })


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def impl_edit(request, pk: int):
    impl = selectors.impl_list_get(user=request.user, pk=pk)
    if not is_editor_of(request.user, impl.department_id):
        raise Http404()
    form = ImplForm(request.POST or None, initial=ImplForm.initial_for(impl), item=impl.item, impl=impl)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        effective, reason, note = data.pop("effective_from"), data.pop("reason"), data.pop("reason_note")
        data["check_points"] = form.points()
        try:
            impl, changed = services.impl_list_update(actor=request.user, impl=impl, data=data, effective_from=effective,
                                                      reason=reason, reason_note=note)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("已保存为第%(n)d版") % {"n": impl.version} if changed else _("未作任何修改，没有产生新版本"))
            return redirect("catalog:impl_detail", pk=impl.pk)
    return render(request, "catalog/item_form.html", {"form": form, "title": _("调整检查实施清单"), "item": impl.item, "impl": impl})


@role_required(*ALL_STAFF)
def impl_history(request, pk: int):
    impl = selectors.impl_list_get(user=request.user, pk=pk)
    return _history(request, impl, selectors.impl_versions(user=request.user, impl=impl), versioning.IMPL_FIELDS,
                    "catalog/history.html", {"kind": "impl", "back": ("catalog:impl_detail", impl.pk)})


# --- guidelines ---------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def guideline_list(request):
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.guideline_list(user=request.user, q=q)
    if request.GET.get("export") == "xlsx":
        return xlsx_bytes_response(_("监管工作指引.xlsx"), excel.workbook("guidelines", excel.guideline_rows(qs)))
    return render(request, "catalog/guideline_list.html", {"page": paginate(request, qs), "q": q})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def guideline_view(request, item_pk: int):
    """The guideline of an item: read on a phone, printed, and edited by the department."""
    item = selectors.item_get(user=request.user, pk=item_pk)
    guideline = selectors.guideline_for_item(user=request.user, item=item)
    can_edit = is_editor_of(request.user, item.department_id)
    editing = can_edit and (request.GET.get("edit") == "1" or guideline is None or request.method == "POST")
    form = None
    if editing:
        initial = {k: getattr(guideline, k) for k in ("content", "method", "basis", "result_handling")} if guideline else {}
        form = GuidelineForm(request.POST or None, initial=initial)
        if request.method == "POST":
            action = request.POST.get("action", "save")
            try:
                if action in ("publish", "withdraw") and guideline is not None:
                    services.guideline_set_published(actor=request.user, guideline=guideline, published=action == "publish")
                    messages.success(request, _("指引已公开") if action == "publish" else _("指引已撤回"))
                    return redirect("catalog:guideline", item_pk=item.pk)
                if form.is_valid():
                    services.guideline_save(actor=request.user, item=item, **form.cleaned_data)
                    messages.success(request, _("监管工作指引已保存"))
                    return redirect("catalog:guideline", item_pk=item.pk)
            except DomainError as exc:
                apply_form_error(form, exc)
    return render(request, "catalog/guideline.html", {
        "item": item, "guideline": guideline, "form": form, "can_edit": can_edit,
        "impls": selectors.impl_list_list(user=request.user, item=item).prefetch_related("check_points"),
        "bases": [b.provision for b in item.bases.all()],
    })


# --- legal provisions -----------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def provision_list(request):
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in ProvisionStatus.values else ""
    form = ProvisionForm(request.POST or None) if request.user.is_department_staff else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            row = services.provision_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("条款已登记"))
            return redirect("catalog:provision_detail", pk=row.pk)
    return render(request, "catalog/provision_list.html", {
        "page": paginate(request, selectors.provision_list(user=request.user, q=q, status=status)),
        "q": q, "status": status, "statuses": ProvisionStatus.choices, "form": form})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def provision_detail(request, pk: int):
    provision = selectors.provision_get(user=request.user, pk=pk)
    can_change = request.user.is_owner or request.user.role in ("dept_admin", "dept_leader")
    form = ProvisionStatusForm(request.POST or None, initial={"status": provision.status}) if can_change else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            flagged = services.provision_set_status(actor=request.user, provision=provision, status=form.cleaned_data["status"],
                                                    on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("效力状态已更新，%(n)d 个监管事项已标记待复核") % {"n": flagged})
            return redirect("catalog:provision_detail", pk=provision.pk)
    return render(request, "catalog/provision_detail.html", {
        "provision": provision, "items": selectors.provision_items(user=request.user, provision=provision), "form": form})
