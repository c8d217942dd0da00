"""Thin HTML views of the entity registry: search, 一户一档 profile (and its printable version), edits."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError
from jianguan.core.exports import xlsx_response
from jianguan.core.navigation import ALL_STAFF
from jianguan.core.views import apply_form_error, role_required

from . import selectors, services
from .forms import EntityForm, EntitySearchForm, PersonLinkForm, StatusForm
from .reference import industry_label, township_label

WRITERS = (Role.DEPT_ADMIN, Role.DEPT_LEADER)


def _can_write(user) -> bool:
    return user.is_owner or user.role in WRITERS


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10000))
    except ValueError:
        return 1


@role_required(*ALL_STAFF)
def entity_list(request):
    form = EntitySearchForm(request.GET or None)
    params = {k: "" for k in ("q", "rep", "kind", "industry", "division", "status")}
    if form.is_bound and form.is_valid():
        params.update({k: v or "" for k, v in form.cleaned_data.items()})
    if request.GET.get("export") == "xlsx":
        rows = ((e.uscc, e.name, e.get_kind_display(), e.legal_representative, e.registered_capital, e.established_on,
                 e.division_code, township_label(e.division_code), e.industry_code, industry_label(e.industry_code),
                 e.get_status_display(), e.registered_address, e.registration_authority)
                for e in selectors.entity_export_rows(user=request.user, **params))
        return xlsx_response(_("市场主体.xlsx"), _("市场主体"),
                             [_("统一社会信用代码"), _("名称"), _("主体类型"), _("法定代表人/负责人"), _("注册资本（元）"), _("成立日期"),
                              _("行政区划代码"), _("乡镇"), _("行业代码"), _("行业"), _("登记状态"), _("住所"), _("登记机关")], rows)
    result, error = None, ""
    try:
        result = selectors.entity_search(user=request.user, page=_page_number(request), page_size=50, **params)
    except DomainError as exc:
        error = exc.message
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "entities/entity_list.html", {
        "form": form, "result": result, "error": error, "query": query.urlencode(), "can_write": _can_write(request.user),
    })


@role_required(*ALL_STAFF, Role.ENTERPRISE)
def entity_detail(request, uscc: str, printable: bool = False):
    kind = request.GET.get("kind", "")[:30]
    try:
        department_id = int(request.GET["department"]) if request.GET.get("department") else None
    except ValueError:
        department_id = None
    try:
        offset = max(0, min(int(request.GET.get("offset", 0)), 1_000_000))
    except ValueError:
        offset = 0
    limit = 2000 if printable else selectors.TIMELINE_PAGE
    profile = selectors.entity_profile(user=request.user, uscc=uscc, kind=kind, department_id=department_id, offset=offset,
                                       limit=limit)
    query = request.GET.copy()
    query.pop("offset", None)
    entity = profile.entity
    context = {
        "p": profile, "entity": entity, "kind": kind, "department_id": department_id,
        "industry": industry_label(entity.industry_code), "township": township_label(entity.division_code),
        "can_write": _can_write(request.user), "status_form": StatusForm(initial={"status": entity.status}),
        "person_form": PersonLinkForm(), "query": query.urlencode(),
    }
    return render(request, "entities/entity_print.html" if printable else "entities/entity_detail.html", context)


def entity_print(request, uscc: str):
    return entity_detail(request, uscc, printable=True)


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def entity_create(request):
    form = EntityForm(request.POST or None, initial={"uscc": request.GET.get("uscc", "")[:18], "name": request.GET.get("name", "")[:200],
                                                    "division_code": request.GET.get("division", "140430")[:12]})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            entity = services.entity_create(actor=request.user, uscc=data.pop("uscc"), name=data.pop("name"),
                                            division_code=data.pop("division_code"), **data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("已新增市场主体“%(n)s”") % {"n": entity.name})
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else
                            reverse("entities:entity_detail", args=[entity.uscc]))
    return render(request, "entities/entity_form.html", {"form": form, "title": _("新增市场主体")})


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def entity_edit(request, uscc: str):
    entity = selectors.entity_get(user=request.user, uscc=uscc)
    fields = [f for f in EntityForm.base_fields if f != "uscc"]
    form = EntityForm(request.POST or None, editing=True, initial={f: getattr(entity, f) for f in ["uscc"] + fields})
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] if form.cleaned_data[f] is not None else (None if f in ("registered_capital", "established_on") else "")
                for f in fields}
        try:
            services.entity_update(actor=request.user, entity=entity, data=data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("主体信息已保存"))
            return redirect("entities:entity_detail", uscc=entity.uscc)
    return render(request, "entities/entity_form.html", {"form": form, "title": _("修改市场主体"), "entity": entity})


@role_required(*WRITERS)
@require_POST
def entity_status(request, uscc: str):
    entity = selectors.entity_get(user=request.user, uscc=uscc)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新状态和依据"))
    else:
        try:
            services.entity_set_status(actor=request.user, entity=entity, status=form.cleaned_data["status"],
                                       reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])
            messages.success(request, _("登记状态已变更"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("entities:entity_detail", uscc=entity.uscc)


@role_required(*WRITERS)
@require_POST
def person_link(request, uscc: str):
    entity = selectors.entity_get(user=request.user, uscc=uscc)
    form = PersonLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写姓名和职务/身份"))
    else:
        try:
            services.person_link(actor=request.user, entity=entity, **form.cleaned_data)
            messages.success(request, _("已关联自然人"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("entities:entity_detail", uscc=entity.uscc)


@role_required(*ALL_STAFF)
def person_detail(request, pk: int):
    person, links = selectors.person_entities(user=request.user, person_id=pk)
    from jianguan.core.pii import mask_id_number

    return render(request, "entities/person_detail.html", {"person": person, "links": links,
                                                            "id_masked": mask_id_number(person.id_number)})
