"""Thin HTML views of the task division: the division, a measure with its reports, the matrix, 督办."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exports import xlsx_response
from jianguan.core.navigation import ALL_STAFF
from jianguan.core.scope import own_department_ids
from jianguan.core.views import apply_form_error, role_required

from . import selectors, services
from .choices import AssignmentRole, ProgressStatus, UrgeStatus
from .forms import ProgressForm, UrgeCloseForm, UrgeForm, UrgeResponseForm, recent_periods


@role_required(*ALL_STAFF)
def target_list(request):
    mine = request.GET.get("mine") == "1"
    targets = list(selectors.target_list(user=request.user))
    my_ids = set(selectors.my_assignments(user=request.user).values_list("measure_id", flat=True)) if mine else None
    sections: list[dict] = []
    for t in targets:
        measures = [m for m in t.measures.all() if my_ids is None or m.pk in my_ids]
        if not measures:
            continue
        if not sections or sections[-1]["no"] != t.section_no:
            sections.append({"no": t.section_no, "title": t.section_title, "targets": []})
        first = measures[0]
        assignments = list(first.assignments.all())
        sections[-1]["targets"].append({
            "target": t, "measures": measures,
            "lead": [a.department for a in assignments if a.role == AssignmentRole.LEAD],
            "named": [a.department for a in assignments if a.role == AssignmentRole.RESPONSIBLE and a.source == "named"],
        })
    return render(request, "duties/target_list.html", {"sections": sections, "mine": mine})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def measure_detail(request, pk: int):
    measure = selectors.measure_get(user=request.user, pk=pk)
    assignments = list(selectors.measure_assignments(measure=measure))
    own = own_department_ids(request.user)
    mine = next((a for a in assignments if a.department_id in own), None)
    can_report = mine is not None and request.user.role in (Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER)
    form = ProgressForm(request.POST or None, request.FILES or None) if can_report else None
    urge_form = None
    if request.user.is_owner:
        urge_form = UrgeForm(request.POST if request.POST.get("action") == "urge" else None,
                             departments=[a.department for a in assignments])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "report" and form is not None and form.is_valid():
            try:
                report, _created = services.progress_report(actor=request.user, measure=measure, period=form.cleaned_data["period"],
                                                            status=form.cleaned_data["status"], text=form.cleaned_data["text"])
                if form.cleaned_data.get("file"):
                    services.attachment_add(actor=request.user, report=report, uploaded=form.cleaned_data["file"])
            except DomainError as exc:
                apply_form_error(form, exc)
            else:
                messages.success(request, _("进展已报送"))
                return redirect("duties:measure_detail", pk=measure.pk)
        elif action == "urge" and urge_form is not None and urge_form.is_valid():
            department = next((a.department for a in assignments if str(a.department_id) == urge_form.cleaned_data["department"]), None)
            try:
                if department is None:
                    raise DomainError(_("请选择督办对象"), field="department")
                services.urge_issue(actor=request.user, measure=measure, department=department,
                                    content=urge_form.cleaned_data["content"], deadline=urge_form.cleaned_data["deadline"])
            except DomainError as exc:
                apply_form_error(urge_form, exc)
            else:
                messages.success(request, _("已督办"))
                return redirect("duties:measure_detail", pk=measure.pk)
    reports = selectors.report_list(user=request.user, measure=measure).prefetch_related("attachments")
    return render(request, "duties/measure_detail.html", {
        "measure": measure, "assignments": assignments, "mine": mine, "form": form, "urge_form": urge_form,
        "reports": reports, "urges": selectors.urge_list(user=request.user).filter(measure=measure),
    })


@role_required(*ALL_STAFF)
def matrix_view(request):
    periods = recent_periods(8)
    period = request.GET.get("period") or periods[0]
    if period not in periods:
        try:
            services.period_bounds(period)
        except DomainError:
            period = periods[0]
    try:
        target_no = int(request.GET.get("target") or 0) or None
    except ValueError:
        target_no = None
    mx = selectors.matrix(user=request.user, period=period, target_no=target_no)
    if request.GET.get("export") == "xlsx":
        headers = [_("编号"), _("目标任务"), _("主要内容")] + [d.display_name for d in mx.departments]
        lead = _("牵头")

        def cell_text(cell):
            if not cell.role:
                return ""
            status = cell.label or _("未报送")
            return f"{lead}·{status}" if cell.role == AssignmentRole.LEAD else status

        rows = ([r.measure.code, r.measure.target.title, r.measure.text] + [cell_text(c) for c in r.cells] for r in mx.rows)
        return xlsx_response(_("任务分工进展矩阵-%(p)s.xlsx") % {"p": period}, period, headers, rows)
    targets = selectors.target_list(user=request.user).only("no", "title", "section_no")
    columns = [{"dept": d, "totals": mx.totals[d.pk]} for d in mx.departments]
    return render(request, "duties/matrix.html", {
        "mx": mx, "columns": columns, "periods": periods, "period": period, "targets": targets, "target_no": target_no,
        "statuses": ProgressStatus.choices,
    })


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def urge_list(request):
    status = request.GET.get("status", "")
    status = status if status in UrgeStatus.values else ""
    urges = selectors.urge_list(user=request.user, status=status)
    return render(request, "duties/urge_list.html", {
        "urges": urges, "status": status, "statuses": UrgeStatus.choices, "today": timezone.localdate(),
        "own_ids": own_department_ids(request.user), "response_form": UrgeResponseForm(), "close_form": UrgeCloseForm()})


@role_required(*ALL_STAFF)
@require_POST
def urge_action(request, pk: int, action: str):
    urge = selectors.urge_get(user=request.user, pk=pk)
    try:
        if action == "respond":
            form = UrgeResponseForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写办理情况"), field="response")
            services.urge_respond(actor=request.user, urge=urge, response=form.cleaned_data["response"])
            messages.success(request, _("办理情况已反馈"))
        elif action == "close":
            form = UrgeCloseForm(request.POST)
            form.is_valid()
            services.urge_close(actor=request.user, urge=urge, note=form.cleaned_data.get("note", ""))
            messages.success(request, _("督办已办结"))
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("duties:urge_list")


@role_required(*ALL_STAFF)
def attachment_download(request, pk: int):
    try:
        row = selectors.attachment_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404(_("未找到该对象，或您无权查看")) from None
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件已丢失，请联系管理员")) from None
    return FileResponse(handle, as_attachment=True, filename=row.original_name, content_type=row.content_type)
