"""Annual supervision plans: department plans and their rows, the county plan 协调办 approves."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.errors import DomainError
from jianguan.core.navigation import MANAGERS
from jianguan.core.views import apply_form_error, role_required

from .. import excel, selectors, services
from ..choices import CountyPlanStatus, PlanStatus
from ..forms import DepartmentPlanForm, PlanRowForm, ReasonForm
from ..models import PlanRow
from ..services._common import is_editor_of
from ._shared import xlsx_bytes_response


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_list(request):
    form = DepartmentPlanForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.department_plan_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("已新建年度计划，请添加计划事项"))
            return redirect("catalog:plan_detail", pk=plan.pk)
    return render(request, "catalog/plan_list.html", {
        "county_plans": selectors.county_plan_list(user=request.user), "plans": selectors.department_plan_list(user=request.user),
        "form": form})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    plan = selectors.department_plan_get(user=request.user, pk=pk)
    can_edit = is_editor_of(request.user, plan.department_id) and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) \
        and plan.county_plan.status != CountyPlanStatus.CLOSED
    form = PlanRowForm(request.POST if request.POST.get("action") == "add" else None, plan=plan) if can_edit else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add" and form is not None and form.is_valid():
                data = dict(form.cleaned_data)
                services.plan_row_add(actor=request.user, plan=plan, item=data.pop("item"),
                                      cooperating_departments=list(data.pop("cooperating_departments")), **data)
                messages.success(request, _("已加入计划"))
                return redirect("catalog:plan_detail", pk=plan.pk)
            if action == "delete":
                row = PlanRow.objects.filter(plan=plan, pk=request.POST.get("row") or 0).first()
                if row is None:
                    raise Http404()
                services.plan_row_delete(actor=request.user, row=row)
                messages.success(request, _("已从计划中移除"))
                return redirect("catalog:plan_detail", pk=plan.pk)
            if action == "submit":
                services.department_plan_submit(actor=request.user, plan=plan)
                messages.success(request, _("计划已报送协调办"))
                return redirect("catalog:plan_detail", pk=plan.pk)
            if action in ("approve", "return"):
                note = ReasonForm(request.POST)
                note.is_valid()
                services.department_plan_decide(actor=request.user, plan=plan, approve=action == "approve",
                                                note=note.cleaned_data.get("note", ""))
                messages.success(request, _("计划已批准") if action == "approve" else _("计划已退回"))
                return redirect("catalog:plan_detail", pk=plan.pk)
        except DomainError as exc:
            if form is not None and action == "add":
                apply_form_error(form, exc)
            else:
                messages.error(request, exc.message)
    rows = selectors.plan_rows(user=request.user, plan=plan)
    if request.GET.get("export") == "xlsx":
        return xlsx_bytes_response(_("%(d)s%(y)d年度监管计划.xlsx") % {"d": plan.department.display_name, "y": plan.year},
                                   excel.workbook("plans", excel.plan_rows(rows)))
    return render(request, "catalog/plan_detail.html", {"plan": plan, "rows": rows, "form": form, "can_edit": can_edit,
                                                        "reason_form": ReasonForm()})


@role_required(*MANAGERS)
def county_plan(request, year: int):
    county = selectors.county_plan_get(user=request.user, year=year)
    rows = selectors.county_plan_rows(user=request.user, county_plan=county)
    if request.GET.get("export") == "xlsx":
        return xlsx_bytes_response(_("%(t)s.xlsx") % {"t": county.title}, excel.workbook("plans", excel.plan_rows(rows)))
    return render(request, "catalog/county_plan.html", {
        "county": county, "plans": selectors.department_plan_list(user=request.user, year=year), "rows": rows,
        "reason_form": ReasonForm()})


@role_required(*MANAGERS)
@require_POST
def county_plan_action(request, year: int, action: str):
    county = selectors.county_plan_get(user=request.user, year=year)
    form = ReasonForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if action == "approve":
            n = services.county_plan_approve(actor=request.user, county_plan=county, note=note)
            messages.success(request, _("全县计划已批准，同时批准部门计划 %(n)d 份") % {"n": n})
        elif action == "close":
            services.county_plan_close(actor=request.user, county_plan=county, note=note)
            messages.success(request, _("年度计划已关闭"))
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:county_plan", year=year)
