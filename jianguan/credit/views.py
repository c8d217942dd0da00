"""Thin HTML views of the credit app: staff pages, the counter check, the enterprise's own credit, and public pages."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.navigation import ALL_STAFF, MANAGERS
from jianguan.core.pagination import paginate
from jianguan.core.views import apply_form_error, role_required
from jianguan.entities.selectors import is_staff_reader

from . import checks, grading, rules, selectors, services
from .choices import ApprovalStatus, ItemType, ObjectionStatus, Scenario, SeriousStatus
from .forms import (AbnormalForm, AdjustmentForm, AnnualReportForm, CheckForm, CheckReportForm, CommitmentForm, ConsentForm,
                    DecideForm, MeasureForm, ObjectionDecideForm, ObjectionForm, PublicSearchForm, ReasonForm, RepairForm,
                    SeriousProposeForm, VerifyForm)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def home_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_enterprise:
        unread = selectors.notices(user=user).filter(read_at__isnull=True).count()
        return {"title": _("本企业信用"), "items": [{"label": _("查看信用状况、年报、承诺、异议与修复"), "url": reverse("credit:my_credit")}]
                + ([{"label": _("未读信用告知 %(n)d 条") % {"n": unread}, "url": reverse("credit:my_credit")}] if unread else []),
                "empty": ""}
    counts = selectors.pending_counts(user=user)
    labels = {"objections": _("待处理异议 %(n)d 件"), "repairs": _("待办信用修复 %(n)d 件"), "adjustments": _("待审批分类调整 %(n)d 件"),
              "serious": _("待审批失信名单提请 %(n)d 件")}
    items = [{"label": labels[k] % {"n": n}, "url": reverse("credit:remedies") if k != "serious" else reverse("credit:serious_list")}
             for k, n in counts.items() if n]
    return {"title": _("信用监管"), "items": items, "empty": _("没有待办的信用事项。")}


def _back(request, default: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


# --- staff ------------------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def dashboard(request):
    return render(request, "credit/dashboard.html", {
        "counts": selectors.grade_counts(), "pending": selectors.pending_counts(user=request.user), "runs": selectors.grade_runs(6),
        "ratios": [(g, *rules.inspection_ratio(g)) for g in "ABCD"], "is_owner": request.user.is_owner,
    })


@role_required(Role.OWNER)
@require_POST
def grade_run(request):
    try:
        run = services.grade_run(actor=request.user)
        messages.success(request, _("已重算 %(n)d 个主体的信用风险分类") % {"n": run.entity_count})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:dashboard")


@role_required(*ALL_STAFF)
def entity_credit(request, uscc: str):
    entity = selectors.entity_for(user=request.user, uscc=uscc)
    return render(request, "credit/entity_credit.html", {
        "entity": entity, "exp": selectors.explanation(user=request.user, entity=entity),
        "items": selectors.credit_record(user=request.user, entity=entity), "history": selectors.grade_history(entity=entity),
        "adjust_form": AdjustmentForm(), "serious_form": SeriousProposeForm(), "abnormal_form": AbnormalForm(),
        "can_decide": request.user.is_owner or request.user.role in (Role.DEPT_ADMIN, Role.DEPT_LEADER),
        "adjustments": selectors.adjustments(user=request.user).filter(entity=entity)[:10],
    })


@role_required(*ALL_STAFF)
@require_POST
def entity_action(request, uscc: str, action: str):
    entity = selectors.entity_for(user=request.user, uscc=uscc)
    forms_by_action = {"adjust": AdjustmentForm, "serious": SeriousProposeForm, "abnormal": AbnormalForm}
    if action not in forms_by_action:
        raise Http404()
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写表单：%(e)s") % {"e": "；".join(str(e) for errs in form.errors.values() for e in errs)})
        return redirect("credit:entity", uscc=entity.uscc)
    data = form.cleaned_data
    try:
        if action == "adjust":
            services.adjustment_request(actor=request.user, entity=entity, to_grade=data["to_grade"], reason=data["reason"])
            messages.success(request, _("调整申请已提交，待部门负责人审批"))
        elif action == "serious":
            services.serious_propose(actor=request.user, entity=entity, ground=data["ground"], facts=data["facts"], basis=data["basis"])
            messages.success(request, _("已提请列入严重违法失信名单，待部门负责人审批"))
        else:
            services.abnormal_list(actor=request.user, entity=entity, ground=data["ground"], facts=data["facts"],
                                   decision_no=data["decision_no"])
            messages.success(request, _("已列入经营异常名录"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:entity", uscc=entity.uscc)


@role_required(*ALL_STAFF)
def check(request):
    """The counter page of 逢办必查: the same check as the API, logged, with the 逢查必报 form under the result."""
    form = CheckForm(request.GET if "scenario" in request.GET else None)
    result, error = None, ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if data["uscc"]:
                result = checks.check_entity(user=request.user, uscc=data["uscc"], scenario=data["scenario"])
            else:
                result = checks.check_person(user=request.user, id_number=data["id_number"], scenario=data["scenario"])
        except DomainError as exc:
            apply_form_error(form, exc)
    return render(request, "credit/check.html", {"form": form, "result": result, "error": error,
                                                 "report_form": CheckReportForm()})


@role_required(*ALL_STAFF)
@require_POST
def check_report(request, pk: int):
    form = CheckReportForm(request.POST)
    if form.is_valid():
        try:
            services.check_report(actor=request.user, check_id=pk, action=form.cleaned_data["action"], note=form.cleaned_data["note"])
            messages.success(request, _("处理情况已报告（逢查必报）"))
        except NotFound:
            raise Http404() from None
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择处理情况"))
    return _back(request, reverse("credit:check_log"))


@role_required(*ALL_STAFF)
def check_log(request):
    page = paginate(request, selectors.check_log(user=request.user))
    reports = selectors.reports_for_checks([c.pk for c in page])
    rows = [{"c": c, "report": reports.get(c.pk), "scenario": Scenario(c.scenario).label if c.scenario in Scenario.values else c.scenario}
            for c in page]
    return render(request, "credit/check_log.html", {"page": page, "rows": rows, "report_form": CheckReportForm()})


@role_required(*ALL_STAFF)
def abnormal_list(request):
    status = request.GET.get("status", "listed")
    status = status if status in ("listed", "removed", "") else "listed"
    q = request.GET.get("q", "").strip()[:50]
    page = paginate(request, selectors.abnormal_list(user=request.user, status=status, q=q))
    return render(request, "credit/abnormal_list.html", {"page": page, "status": status, "q": q, "reason_form": ReasonForm()})


@role_required(*ALL_STAFF)
@require_POST
def abnormal_remove(request, pk: int):
    listing = selectors.abnormal_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写移出原因"), field="reason")
        services.abnormal_remove(actor=request.user, listing=listing, reason=form.cleaned_data["reason"])
        messages.success(request, _("已移出经营异常名录"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:abnormal_list")


@role_required(*ALL_STAFF)
def serious_list(request):
    status = request.GET.get("status", "")
    status = status if status in SeriousStatus.values else ""
    page = paginate(request, selectors.serious_list(user=request.user, status=status).prefetch_related("people"))
    return render(request, "credit/serious_list.html", {"page": page, "status": status, "statuses": SeriousStatus.choices,
                                                        "consent_form": ConsentForm(), "reason_form": ReasonForm()})


@role_required(*MANAGERS)
@require_POST
def serious_action(request, pk: int, action: str):
    listing = selectors.serious_get(user=request.user, pk=pk)
    try:
        if action == "approve":
            services.serious_approve(actor=request.user, listing=listing)
            messages.success(request, _("已批准"))
        elif action == "consent":
            form = ConsentForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写上级同意文号和日期"), field="document")
            services.serious_consent(actor=request.user, listing=listing, **form.cleaned_data)
            messages.success(request, _("已登记上级同意，主体已列入严重违法失信名单"))
        elif action == "reject":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写理由"), field="reason")
            services.serious_reject(actor=request.user, listing=listing, reason=form.cleaned_data["reason"])
            messages.success(request, _("已决定不予列入"))
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:serious_list")


@role_required(*MANAGERS)
def remedies(request):
    user = request.user
    return render(request, "credit/remedies.html", {
        "objections": selectors.objections(user=user)[:100], "repairs": selectors.repairs(user=user)[:100],
        "adjustments": selectors.adjustments(user=user)[:100], "objection_form": ObjectionDecideForm(), "decide_form": DecideForm(),
        "pending": ObjectionStatus.SUBMITTED, "approval_pending": ApprovalStatus.PENDING,
    })


@role_required(*MANAGERS)
@require_POST
def remedy_decide(request, kind: str, pk: int):
    try:
        if kind == "objection":
            form = ObjectionDecideForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请选择处理结果并填写处理意见"), field="note")
            services.objection_decide(actor=request.user, objection=selectors.objection_get(user=request.user, pk=pk),
                                      outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
        elif kind in ("repair", "adjustment"):
            form = DecideForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请选择决定"), field="approve")
            if kind == "repair":
                services.repair_decide(actor=request.user, application=selectors.repair_get(user=request.user, pk=pk),
                                       approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])
            else:
                services.adjustment_decide(actor=request.user, adjustment=selectors.adjustment_get(user=request.user, pk=pk),
                                           approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])
        else:
            raise Http404()
        messages.success(request, _("已办结"))
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:remedies")


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def measures(request):
    form = MeasureForm(request.POST or None) if request.user.is_owner else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有平台管理员可以维护措施清单"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.measure_save(actor=request.user, code=data.pop("code"), data=data)
            except DomainError as exc:
                apply_form_error(form, exc)
            else:
                messages.success(request, _("措施已保存"))
                return redirect("credit:measures")
    scenario = request.GET.get("scenario", "")
    scenario = scenario if scenario in Scenario.values else ""
    return render(request, "credit/measures.html", {"measures": selectors.measures(scenario=scenario), "form": form,
                                                    "scenario": scenario, "scenarios": Scenario.choices})


@role_required(*ALL_STAFF)
def rules_page(request):
    return render(request, "credit/rules.html", {"regimes": selectors.regimes(), "sets": selectors.indicator_sets(),
                                                 "sources": grading.SOURCES})


# --- enterprise ----------------------------------------------------------------------------------------------------------------


def _own_entity(request):
    from jianguan.entities.selectors import entities_for

    entity = entities_for(request.user).first()
    if entity is None:
        raise Http404(_("主体库中没有本企业的登记信息，请联系登记机关"))
    return entity


@role_required(Role.ENTERPRISE)
def my_credit(request):
    if request.user.is_owner:
        return redirect("credit:dashboard")
    entity = _own_entity(request)
    return render(request, "credit/my_credit.html", {
        "entity": entity, "exp": selectors.explanation(user=request.user, entity=entity),
        "items": selectors.credit_record(user=request.user, entity=entity),
        "commitments": selectors.commitments(user=request.user), "reports": selectors.annual_reports(user=request.user),
        "notices": selectors.notices(user=request.user)[:20], "objections": selectors.objections(user=request.user)[:20],
        "repairs": selectors.repairs(user=request.user)[:20], "commitment_form": CommitmentForm(), "report_form": AnnualReportForm(),
        "objection_form": ObjectionForm(), "repair_form": RepairForm(),
    })


@role_required(Role.ENTERPRISE)
@require_POST
def my_action(request, action: str):
    entity = _own_entity(request)
    try:
        if action == "commitment":
            form = CommitmentForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请完整填写承诺"), field="text")
            services.commitment_make(actor=request.user, entity=entity, **form.cleaned_data)
            messages.success(request, _("信用承诺已作出并公示"))
        elif action == "annual_report":
            form = AnnualReportForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请完整填写年度报告：%(e)s") % {"e": "；".join(str(e) for errs in form.errors.values() for e in errs)},
                                  field="year")
            data = dict(form.cleaned_data)
            year = data.pop("year")
            services.annual_report_file(actor=request.user, entity=entity, year=year,
                                        data={k: v for k, v in data.items() if v is not None})
            messages.success(request, _("年度报告已报送"))
        elif action in ("objection", "repair"):
            item_type, item_id = request.POST.get("item_type", ""), request.POST.get("item_id", "")
            if action == "objection":
                form = ObjectionForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("请填写异议理由"), field="reason")
                services.objection_file(actor=request.user, entity=entity, item_type=item_type, item_id=item_id, **form.cleaned_data)
                messages.success(request, _("异议已提交，处理部门将在期限内答复"))
            else:
                form = RepairForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError(_("请完整填写修复申请"), field="reason")
                services.repair_apply(actor=request.user, entity=entity, item_type=item_type, item_id=item_id, **form.cleaned_data)
                messages.success(request, _("信用修复申请已提交"))
        elif action == "read":
            notice = selectors.notices(user=request.user).filter(pk=request.POST.get("notice", 0) or 0).first()
            if notice is not None:
                services.notice_read(actor=request.user, notice=notice)
        else:
            raise Http404()
    except NotFound:
        messages.error(request, _("该信息不在本企业的信用记录中"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credit:my_credit")


# --- public (anonymous) ---------------------------------------------------------------------------------------------------------


def public_search(request):
    form = PublicSearchForm(request.GET or None)
    results, error = None, ""
    if form.is_bound and form.is_valid():
        try:
            results = selectors.public_search(form.cleaned_data["q"])
        except DomainError as exc:
            error = exc.message
    return render(request, "credit/public_search.html", {"form": form, "results": results, "error": error})


def public_entity(request, uscc: str):
    try:
        entity = selectors.public_entity(uscc=uscc)
    except NotFound:
        raise Http404() from None
    return render(request, "credit/public_entity.html", {"p": selectors.public_record(entity=entity)})


@require_POST
def public_report(request, uscc: str):
    from . import report as report_doc

    try:
        entity = selectors.public_entity(uscc=uscc)
    except NotFound:
        raise Http404() from None
    row, content = services.report_generate(actor=request.user, entity=entity)
    if request.POST.get("format") == "pdf":
        pdf = report_doc.to_pdf(content)
        if pdf is not None:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('信用报告') + '-' + row.code + '.pdf')}"
            return response
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('信用报告') + '-' + row.code + '.docx')}"
    return response


def public_verify(request):
    form = VerifyForm(request.GET or None)
    row, error = None, ""
    if form.is_bound and form.is_valid():
        try:
            row = selectors.report_verify(form.cleaned_data["code"])
        except NotFound as exc:
            error = exc.message
    return render(request, "credit/public_verify.html", {"form": form, "row": row, "error": error})
