"""审管衔接 pages: notices on both sides, routes, filing matters with the unfiled report, verification tasks."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError
from jianguan.core.exports import xlsx_response
from jianguan.core.navigation import ALL_STAFF
from jianguan.core.pagination import paginate
from jianguan.core.scope import own_department_ids
from jianguan.core.views import apply_form_error, role_required

from .. import selectors, services
from ..choices import NoticeStatus, VerificationKind, VerificationStatus
from ..forms import FeedbackForm, FilingMatterForm, RouteForm, VerificationForm
from ..services._common import is_editor_of


@role_required(*ALL_STAFF)
def notice_list(request):
    today = timezone.localdate()
    side = request.GET.get("side", "")
    side = side if side in ("supervising", "approval") else ""
    status = request.GET.get("status", "")
    status = status if status in NoticeStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.notice_list(user=request.user, side=side, status=status, overdue=overdue, q=q, on=today)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("监管告知.xlsx"), _("监管告知"),
                             [_("市场主体"), _("统一社会信用代码"), _("许可文书号"), _("许可证书"), _("审批部门"), _("监管部门"), _("告知日期"),
                              _("签收期限"), _("状态"), _("逾期"), _("签收时间"), _("监管结果"), _("结果说明"), _("反馈时间")],
                             ((n.licence.entity.name, n.licence.entity.uscc, n.licence.document_no, n.licence.certificate_name,
                               n.approval_department.name, n.supervising_department.name, n.issued_on, n.due_on, n.get_status_display(),
                               _("是") if (n.status == NoticeStatus.PENDING and n.due_on < today) or n.signed_late else "",
                               n.signed_at, n.get_result_display(), n.result_note, n.result_at) for n in qs.iterator()))
    return render(request, "catalog/notice_list.html", {
        "page": paginate(request, qs), "side": side, "status": status, "overdue": overdue, "q": q, "today": today,
        "statuses": NoticeStatus.choices, "counts": selectors.notice_counts(user=request.user, on=today),
        "own_ids": own_department_ids(request.user)})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    notice = selectors.notice_get(user=request.user, pk=pk)
    mine = notice.supervising_department_id in own_department_ids(request.user)
    form = FeedbackForm(request.POST if request.POST.get("action") == "feedback" else None,
                        initial={"result": notice.result, "note": notice.result_note}) if mine and notice.status != NoticeStatus.PENDING else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "sign":
                services.notice_sign(actor=request.user, notice=notice)
                messages.success(request, _("已签收"))
                return redirect("catalog:notice_detail", pk=notice.pk)
            if action == "feedback" and form is not None and form.is_valid():
                services.notice_feedback(actor=request.user, notice=notice, result=form.cleaned_data["result"], note=form.cleaned_data["note"])
                messages.success(request, _("监管结果已反馈至审批部门"))
                return redirect("catalog:notice_detail", pk=notice.pk)
        except DomainError as exc:
            if form is not None and action == "feedback":
                apply_form_error(form, exc)
            else:
                messages.error(request, exc.message)
    today = timezone.localdate()
    return render(request, "catalog/notice_detail.html", {
        "notice": notice, "mine": mine, "form": form, "today": today,
        "overdue": notice.status == NoticeStatus.PENDING and notice.due_on < today})


@role_required(*ALL_STAFF)
def licence_supervision(request, licence_pk: int):
    """What flowed back to a licence's record: the notices about it and the supervising departments' results."""
    licence, notices = selectors.licence_supervision(user=request.user, licence_id=licence_pk)
    return render(request, "catalog/licence_supervision.html", {"licence": licence, "notices": notices})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def route_list(request):
    form = RouteForm(request.POST or None) if request.user.is_owner else None
    if request.method == "POST":
        if form is None:
            raise Http404()
        action = request.POST.get("action", "create")
        try:
            if action == "toggle":
                route = selectors.route_get(user=request.user, pk=int(request.POST.get("route") or 0))
                services.route_update(actor=request.user, route=route, data={"is_active": not route.is_active})
                messages.success(request, _("已更新"))
                return redirect("catalog:route_list")
            if action == "sync":
                created = services.notices_create(actor=request.user)
                messages.success(request, _("已为 %(n)d 件许可补发监管告知") % {"n": created})
                return redirect("catalog:route_list")
            if form.is_valid():
                data = dict(form.cleaned_data)
                services.route_create(actor=request.user, matter=data.pop("matter"), keyword=data.pop("keyword"),
                                      supervising_department=data.pop("supervising_department"), **data)
                messages.success(request, _("路由已添加；新录入的许可将按此推送，存量许可可点“补发监管告知”"))
                return redirect("catalog:route_list")
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                apply_form_error(form, exc)
    unrouted = selectors.unrouted_licences(user=request.user)
    return render(request, "catalog/route_list.html", {
        "routes": selectors.route_list(user=request.user), "form": form,
        "unrouted": unrouted[:50], "unrouted_count": unrouted.count()})


# --- 审批改备案 ------------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def filing_matter_list(request):
    department = None
    if request.user.department_id and request.user.role in (Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER):
        from jianguan.core.models import Department

        from ..services._common import bureau_id_of

        department = Department.objects.get(pk=bureau_id_of(request.user.department_id))
    form = FilingMatterForm(request.POST or None, department=department) if department is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            matter = services.filing_matter_create(actor=request.user, department=department, name=data.pop("name"),
                                                   keyword=data.pop("keyword"), **data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("审批改备案事项已登记"))
            return redirect("catalog:filing_matter_detail", pk=matter.pk)
    return render(request, "catalog/filing_matter_list.html", {"matters": selectors.filing_matter_list(user=request.user),
                                                               "form": form, "department": department})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def filing_matter_detail(request, pk: int):
    matter = selectors.filing_matter_get(user=request.user, pk=pk)
    can_edit = is_editor_of(request.user, matter.department_id)
    if request.method == "POST":
        if not can_edit:
            raise Http404()
        try:
            ids = [int(x) for x in request.POST.getlist("entity")] or None
            created = services.unfiled_tasks_create(actor=request.user, matter=matter, entity_ids=ids)
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("已生成 %(n)d 件未备案经营核查任务") % {"n": created})
        return redirect("catalog:filing_matter_detail", pk=matter.pk)
    entities = selectors.unfiled_entities(user=request.user, matter=matter)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("疑似未备案经营主体.xlsx"), _("未备案"), [_("名称"), _("统一社会信用代码"), _("行业代码"), _("依据"), _("已有核查任务")],
                             ((e.name, e.uscc, e.industry_code,
                               "、".join(x for x in (_("行业代码") if e.by_industry else "", _("持有相关许可") if e.by_licence else "") if x),
                               _("是") if e.has_open_task else "") for e in entities.iterator()))
    return render(request, "catalog/filing_matter_detail.html", {"matter": matter, "page": paginate(request, entities), "can_edit": can_edit})


@role_required(*ALL_STAFF)
def verification_list(request):
    today = timezone.localdate()
    status = request.GET.get("status", VerificationStatus.PENDING)
    status = status if status in VerificationStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in VerificationKind.values else ""
    qs = selectors.verification_list(user=request.user, status=status, kind=kind, overdue=request.GET.get("overdue") == "1", on=today)
    return render(request, "catalog/verification_list.html", {
        "page": paginate(request, qs), "status": status, "kind": kind, "statuses": VerificationStatus.choices,
        "kinds": VerificationKind.choices, "today": today, "form": VerificationForm(), "own_ids": own_department_ids(request.user)})


@role_required(*ALL_STAFF)
@require_POST
def verification_complete(request, pk: int):
    task = selectors.verification_get(user=request.user, pk=pk)
    form = VerificationForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请选择核查结论并填写核查情况"), field="note")
        services.verification_complete(actor=request.user, task=task, status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        messages.success(request, _("核查任务已办结"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:verification_list")

