"""Thin HTML views of random inspections: tasks and draws, the inspector's phone pages, directories, the
repeated-inspection report, and the public (一公开) pages."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.catalog.choices import SupervisionField
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exports import xlsx_response
from jianguan.core.models import Department
from jianguan.core.navigation import ALL_STAFF, MANAGERS
from jianguan.core.pagination import paginate
from jianguan.core.views import apply_form_error, role_required
from jianguan.entities import selectors as entity_selectors

from . import draw as drawlib
from . import selectors, services
from .choices import RESULT_CODES, AdjustmentAction, ObjectStatus, TaskStatus
from .forms import AdjustForm, ConflictForm, InspectorForm, KeyForm, PeriodForm, ReasonForm, ResultForm, RuleForm, TaskForm
from .services.tasks import candidates_path, default_ratios


def _entity(user, uscc: str):
    try:
        return entity_selectors.entity_get(user=user, uscc=(uscc or "").strip().upper())
    except NotFound:
        raise DomainError(_("主体库中没有统一社会信用代码为 %(u)s 的主体") % {"u": uscc}, field="uscc") from None


def _error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _reason(request, missing: str) -> str:
    """The `reason` of a POSTed ReasonForm, or a DomainError with `missing` as its message."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(missing, field="reason")
    return form.cleaned_data["reason"]


def _points(obj) -> list:
    """The check points an inspector answers for a drawn object, in checklist order."""
    return [p for impl in selectors.object_checklist(obj) for p in impl.check_points.all()]


def _result_initial(result) -> dict:
    """A saved result as ResultForm initial data (answers included)."""
    initial = {"checked_on": result.checked_on, "result_code": result.result_code, "summary": result.summary,
               "follow_up": result.follow_up, "correct_by": result.correct_by, "follow_up_note": result.follow_up_note}
    for a in result.answers:
        initial[f"point_{a['point']}"] = a["answer"]
        initial[f"note_{a['point']}"] = a["note"]
    return initial


# --- tasks ------------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def task_list(request):
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.task_list(user=request.user, q=q, status=status))
    return render(request, "inspections/task_list.html", {
        "page": page, "q": q, "status": status, "statuses": TaskStatus.choices,
        "can_create": request.user.is_owner or request.user.role in MANAGERS})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def task_create(request):
    user = request.user
    rows = selectors.plan_rows_for_new_task(user=user)
    departments = Department.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order")
    initial = {"method": "onsite", "exclude_days": 365,
               **{f"ratio_{g}": v for g, v in default_ratios(rows[0].ratio if rows else 5).items()}}
    form = TaskForm(request.POST or None, plan_rows=rows, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = [r for r in rows if str(r.pk) in d["plan_rows"]]
        participants = [dep for dep in departments if str(dep.pk) in d["participants"]]
        own = (user.department.parent or user.department) if user.department_id else None
        department = chosen[0].department if user.is_owner and chosen else own
        try:
            if department is None:
                raise DomainError(_("请选择计划事项"), field="plan_rows")
            task = services.task_create(
                actor=user, department=department, name=d["name"], plan_rows=chosen, participants=participants,
                ratios={g: str(d[f"ratio_{g}"]) for g in drawlib.GRADES}, targeted=d["targeted"],
                filters={"kinds": d["kinds"], "industry_prefixes": [p.strip() for p in d["industry_prefixes"].replace("，", ",").split(",") if p.strip()],
                         "division_prefixes": [p.strip() for p in d["division_prefixes"].replace("，", ",").split(",") if p.strip()]},
                exclude_days=d["exclude_days"], period_start=d["period_start"], period_end=d["period_end"], method=d["method"],
                note=d["note"])
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, _("已创建抽查任务 %(c)s。下一步：公布承诺值（随机种子的 SM3 值和候选名单哈希）。") % {"c": task.code})
            return redirect("inspections:task_detail", code=task.code)
    return render(request, "inspections/task_form.html", {"form": form, "has_rows": bool(rows)})


@role_required(*ALL_STAFF)
def task_detail(request, code: str):
    task = selectors.task_get(user=request.user, code=code)
    status = request.GET.get("status", "")
    status = status if status in ObjectStatus.values else ""
    page = paginate(request, selectors.task_objects(task=task, status=status, q=request.GET.get("q", "")))
    return render(request, "inspections/task_detail.html", {
        "task": task, "draws": selectors.draws(task), "current": task.current_draw(), "page": page,
        "progress": selectors.task_progress(task), "can_manage": selectors.can_manage(request.user, task),
        "status": status, "statuses": ObjectStatus.choices, "reason_form": ReasonForm(), "items": task.items.all(),
        "participants": task.participants.all(), "results": RESULT_CODES})


@role_required(*MANAGERS)
@require_POST
def task_action(request, code: str, action: str):
    task = selectors.task_get(user=request.user, code=code)
    try:
        if action == "commit":
            services.draw_commit(actor=request.user, task=task)
            messages.success(request, _("已公布承诺值和候选名单。抽取时将公开随机种子，任何人都可据此复核。"))
        elif action == "run":
            draw = services.draw_run(actor=request.user, task=task)
            messages.success(request, _("已抽取 %(n)d 户并分派检查人员，随机种子已公开。") % {"n": draw.selected_count})
        elif action in ("redo", "cancel"):
            reason = _reason(request, _("请填写原因"))
            if action == "redo":
                services.draw_redo(actor=request.user, task=task, reason=reason)
                messages.success(request, _("原抽取已作废并保留公示；已公布新的承诺值，请重新抽取。"))
            else:
                services.task_cancel(actor=request.user, task=task, reason=reason)
                messages.success(request, _("任务已撤销"))
        else:
            raise Http404()
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:task_detail", code=task.code)


@role_required(*ALL_STAFF)
def task_export(request, code: str):
    task = selectors.task_get(user=request.user, code=code)
    rows = []
    for o in selectors.task_objects(task=task).select_related("result"):
        result = getattr(o, "result", None)
        rows.append([o.uscc, o.entity.name, o.grade, _("是") if o.is_key else "", o.get_status_display(),
                     "、".join(f"{a.inspector.user.display_name}（{a.inspector.code}）" for a in o.active_assignments),
                     o.visit.code if o.visit else "", result.checked_on if result else "",
                     f"{result.result_code} {RESULT_CODES[result.result_code]}" if result else "",
                     result.publish_due if result else "", timezone.localtime(result.published_at).date() if result and result.published_at else ""])
    return xlsx_response(f"{task.code}.xlsx", task.code, [
        _("统一社会信用代码"), _("名称"), _("信用风险类别"), _("重点监管"), _("状态"), _("检查人员"), _("入户检查编号"),
        _("检查日期"), _("检查结果"), _("公示截止日期"), _("公示日期")], rows)


def candidates_download(request, code: str, number: int):
    """The published candidate list of a draw, byte for byte what its hash covers (anyone may download)."""
    try:
        task = selectors.public_task(code=code)
    except NotFound:
        raise Http404() from None
    draw = task.draws.filter(number=number).first()
    if draw is None or not draw.candidates_file:
        raise Http404()
    path = candidates_path(draw)
    if not path.exists():
        raise Http404()
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{task.code}-{number}-candidates.csv",
                        content_type="text/csv; charset=utf-8")


# --- the inspector's phone ---------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def my_visits(request):
    status = request.GET.get("status", "open")
    visits = selectors.my_visits(user=request.user, status=status if status in ("open", "done") else "open")
    return render(request, "inspections/my_visits.html", {
        "page": paginate(request, visits), "status": status, "entry": selectors.inspector_entry(request.user)})


@role_required(*ALL_STAFF)
def visit_detail(request, code: str):
    visit = selectors.visit_get(user=request.user, code=code)
    entry = selectors.inspector_entry(request.user)
    blocks = []
    for obj in selectors.visit_objects(visit):
        result = selectors.result_of(obj)
        initial = _result_initial(result) if result else {"checked_on": timezone.localdate(), "follow_up": "none"}
        mine = [a for a in obj.active_assignments if entry is not None and a.inspector_id == entry.pk]
        blocks.append({"obj": obj, "result": result, "form": ResultForm(initial=initial, points=_points(obj), prefix=f"o{obj.pk}"),
                       "mine": mine[0] if mine else None, "can_enter": bool(mine) or selectors.can_manage(request.user, obj.task)})
    return render(request, "inspections/visit_detail.html", {"visit": visit, "blocks": blocks, "reason_form": ReasonForm(),
                                                             "results": RESULT_CODES})


@role_required(*ALL_STAFF)
@require_POST
def result_save(request, pk: int):
    obj = selectors.task_object_get(user=request.user, pk=pk)
    form = ResultForm(request.POST, request.FILES, points=_points(obj), prefix=f"o{obj.pk}")
    back = reverse("inspections:visit_detail", args=[obj.visit.code]) + f"#o{obj.pk}"
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(back)
    try:
        result = services.result_save(actor=request.user, task_object=obj, data=form.service_data())
        if form.cleaned_data.get("photo"):
            services.photo_add(actor=request.user, result=result, upload=form.cleaned_data["photo"])
        messages.success(request, _("已保存 %(n)s 的检查结果，请在 %(d)s 前公示") % {"n": obj.entity.name, "d": result.publish_due})
    except DomainError as exc:
        _error(request, exc)
    return redirect(back)


@role_required(*ALL_STAFF)
@require_POST
def result_publish(request, pk: int):
    obj = selectors.task_object_get(user=request.user, pk=pk)
    result = selectors.result_of(obj)
    try:
        if result is None:
            raise DomainError(_("请先录入检查结果"))
        services.result_publish(actor=request.user, result=result)
        messages.success(request, _("检查结果已公示，并已归集到该主体的一户一档"))
    except DomainError as exc:
        _error(request, exc)
    return redirect(request.POST.get("next") or reverse("inspections:visit_detail", args=[obj.visit.code]))


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def result_correct(request, pk: int):
    obj = selectors.task_object_get(user=request.user, pk=pk)
    result = selectors.result_of(obj)
    if result is None or result.published_at is None:
        raise Http404()
    form = ResultForm(request.POST or None, points=_points(obj), initial=_result_initial(result))
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        try:
            services.result_correct(actor=request.user, result=result, data=form.service_data(),
                                    reason=reason_form.cleaned_data["reason"])
            messages.success(request, _("已更正检查结果：原公示记录已作废，更正后的结果已重新公示"))
            return redirect("inspections:task_detail", code=obj.task.code)
        except DomainError as exc:
            apply_form_error(form, exc)
    return render(request, "inspections/result_correct.html", {"obj": obj, "result": result, "form": form,
                                                               "reason_form": reason_form})


@role_required(*ALL_STAFF)
@require_POST
def recuse(request, pk: int):
    from .models import Assignment

    assignment = Assignment.objects.select_related("task_object__visit", "task_object__task").filter(pk=pk).first()
    if assignment is None:
        raise Http404()
    obj = selectors.task_object_get(user=request.user, pk=assignment.task_object_id)
    try:
        new = services.assignment_recuse(actor=request.user, assignment=assignment, reason=_reason(request, _("请填写回避事由")))
        messages.success(request, _("已回避，系统已重新随机抽取 %(n)s 接替并留痕") % {"n": new.inspector.user.display_name})
    except DomainError as exc:
        _error(request, exc)
    if assignment.inspector.user_id == request.user.pk:
        return redirect("inspections:my_visits")
    return redirect("inspections:visit_detail", code=obj.visit.code)


# --- deadlines ---------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def publication(request):
    today = timezone.localdate()
    return render(request, "inspections/publication.html", {
        "overdue": selectors.overdue_results(user=request.user, on=today)[:200],
        "soon": selectors.due_soon_results(user=request.user, on=today)[:200],
        "unchecked": selectors.unchecked_after_period(user=request.user, on=today)[:200], "today": today,
        "results": RESULT_CODES})


# --- directories --------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def inspector_list(request):
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.inspector_list(user=request.user, q=q))
    return render(request, "inspections/inspector_list.html", {"page": page, "q": q,
                                                               "can_sync": request.user.is_owner or request.user.role in MANAGERS})


@role_required(*MANAGERS)
@require_POST
def inspector_sync(request):
    user = request.user
    try:
        dept = None if user.is_owner else (user.department.parent or user.department)
        counts = services.inspector_sync(actor=user, department=dept)
        messages.success(request, _("名录库已同步：新增 %(created)d 人，更新 %(updated)d 人，跳过 %(skipped)d 人（执法证号重复）") % counts)
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:inspector_list")


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def inspector_detail(request, pk: int):
    entry = selectors.inspector_get(user=request.user, pk=pk)
    form = InspectorForm(request.POST or None, initial={
        "fields_": "、".join(str(SupervisionField(f).label) for f in entry.fields if f in SupervisionField.values),
        "township_code": entry.township_code, "available": entry.available, "unavailable_note": entry.unavailable_note})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.inspector_update(actor=request.user, inspector=entry, fields=d["fields_"], township_code=d["township_code"],
                                      available=d["available"], unavailable_note=d["unavailable_note"])
            messages.success(request, _("已保存"))
            return redirect("inspections:inspector_detail", pk=entry.pk)
        except DomainError as exc:
            apply_form_error(form, exc)
    return render(request, "inspections/inspector_detail.html", {
        "entry": entry, "form": form, "conflict_form": ConflictForm(), "conflicts": selectors.conflicts_of(entry),
        "is_self": entry.user_id == request.user.pk, "reason_form": ReasonForm()})


@role_required(*ALL_STAFF)
@require_POST
def conflict_declare(request, pk: int):
    entry = selectors.inspector_get(user=request.user, pk=pk)
    form = ConflictForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写统一社会信用代码和回避事由"), field="uscc")
        entity = _entity(request.user, form.cleaned_data["uscc"])
        services.conflict_declare(actor=request.user, inspector=entry, entity=entity, reason=form.cleaned_data["reason"])
        messages.success(request, _("已申报回避：今后抽查不会再分派您检查 %(n)s") % {"n": entity.name})
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:inspector_detail", pk=entry.pk)


@role_required(*MANAGERS)
@require_POST
def conflict_withdraw(request, pk: int, conflict_pk: int):
    entry = selectors.inspector_get(user=request.user, pk=pk)
    conflict = entry.conflicts.filter(pk=conflict_pk).first()
    if conflict is None:
        raise Http404()
    try:
        services.conflict_withdraw(actor=request.user, conflict=conflict, reason=_reason(request, _("请填写撤销原因")))
        messages.success(request, _("已撤销该回避申报"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:inspector_detail", pk=entry.pk)


@role_required(*ALL_STAFF)
def item_list(request):
    items = list(selectors.random_items(user=request.user))
    for item in items:
        item.rule = selectors.object_rule(item)
    return render(request, "inspections/item_list.html", {"items": items})


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def item_directory(request, code: str):
    from jianguan.catalog import selectors as catalog_selectors

    item = catalog_selectors.item_get(user=request.user, code=code)
    rule = selectors.object_rule(item)
    can_manage = services._common.is_manager(request.user, item.department)
    rule_form = RuleForm(request.POST or None, initial={
        "kinds": rule.kinds if rule else [], "industry_prefixes": ", ".join(rule.industry_prefixes) if rule else "",
        "licence_keywords": ", ".join(rule.licence_keywords) if rule else "",
        "filing_keywords": ", ".join(rule.filing_keywords) if rule else "",
        "division_prefixes": ", ".join(rule.division_prefixes) if rule else "", "note": rule.note if rule else ""})
    if request.method == "POST" and rule_form.is_valid():
        try:
            services.object_rule_save(actor=request.user, item=item, data=rule_form.cleaned_data)
            messages.success(request, _("已保存检查对象名录规则"))
            return redirect("inspections:item_directory", code=item.code)
        except DomainError as exc:
            apply_form_error(rule_form, exc)
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.item_directory(item=item, q=q))
    return render(request, "inspections/item_directory.html", {
        "item": item, "rule": rule, "rule_form": rule_form, "adjust_form": AdjustForm(), "page": page, "q": q,
        "adjustments": selectors.adjustments(item=item)[:100], "can_manage": can_manage,
        "checklists": selectors.object_checklist_for_item(item)})


@role_required(*MANAGERS)
@require_POST
def item_adjust(request, code: str):
    from jianguan.catalog import selectors as catalog_selectors

    item = catalog_selectors.item_get(user=request.user, code=code)
    form = AdjustForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写统一社会信用代码、调整方式和原因"), field="uscc")
        entity = _entity(request.user, form.cleaned_data["uscc"])
        services.directory_adjust(actor=request.user, item=item, entity=entity, action=form.cleaned_data["action"],
                                  reason=form.cleaned_data["reason"])
        messages.success(request, _("已%(a)s %(n)s") % {"a": AdjustmentAction(form.cleaned_data["action"]).label, "n": entity.name})
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:item_directory", code=item.code)


@role_required(*ALL_STAFF)
@require_http_methods(["GET", "POST"])
def key_list(request):
    from jianguan.catalog import selectors as catalog_selectors

    user = request.user
    items = list(catalog_selectors.random_check_items(user=user).filter(department_id__in=services._common.own_department_ids(user))) \
        if not user.is_owner else list(catalog_selectors.random_check_items(user=user))
    form = KeyForm(request.POST or None, items=items)
    can_manage = user.is_owner or user.role in MANAGERS
    if request.method == "POST":
        if not can_manage:
            raise Http404()
        if form.is_valid():
            d = form.cleaned_data
            try:
                entity = _entity(user, d["uscc"])
                item = next((i for i in items if str(i.pk) == d["item"]), None)
                department = item.department if item else (user.department.parent or user.department if user.department else None)
                if department is None:
                    raise DomainError(_("请选择监管事项"), field="item")
                services.key_entry_add(actor=user, department=department, entity=entity, item=item, reason=d["reason"],
                                       valid_to=d["valid_to"])
                messages.success(request, _("已将 %(n)s 列入重点监管名单：本部门的抽查任务将全部包含该主体") % {"n": entity.name})
                return redirect("inspections:key_list")
            except DomainError as exc:
                apply_form_error(form, exc)
    page = paginate(request, selectors.key_list(user=user))
    return render(request, "inspections/key_list.html", {"page": page, "form": form, "can_manage": can_manage,
                                                         "reason_form": ReasonForm()})


@role_required(*MANAGERS)
@require_POST
def key_end(request, pk: int):
    entry = selectors.key_get(user=request.user, pk=pk)
    try:
        services.key_entry_end(actor=request.user, entry=entry, reason=_reason(request, _("请填写移出理由")))
        messages.success(request, _("已移出重点监管名单"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("inspections:key_list")


# --- 减少重复检查 ------------------------------------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def repeated(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"date_from": dt.date(today.year, 1, 1), "date_to": today, "min_departments": 2})
    rows, d = [], None
    if form.is_valid():
        d = form.cleaned_data
    elif not request.GET:
        d = {"date_from": dt.date(today.year, 1, 1), "date_to": today, "min_departments": 2}
    if d:
        if d["date_to"] < d["date_from"]:
            form.add_error("date_to", _("截止日期不能早于起始日期"))
        else:
            rows = selectors.repeated_inspections(user=request.user, **d)
    if d and request.GET.get("export") == "xlsx" and rows:
        out = [[r["uscc"], r["name"], r["departments"], r["inspections"],
                "；".join(f"{rec.occurred_on} {rec.department.short_name or rec.department.name} {rec.title}" for rec in r["records"])]
               for r in rows]
        return xlsx_response("repeated-inspections.xlsx", _("重复检查"), [
            _("统一社会信用代码"), _("名称"), _("检查部门数"), _("检查次数"), _("检查明细")], out)
    return render(request, "inspections/repeated.html", {"form": form, "rows": rows})


# --- public (一公开) ---------------------------------------------------------------------------------------------------


def public_index(request):
    q = request.GET.get("q", "").strip()
    tab = request.GET.get("tab", "tasks")
    ctx = {"q": q, "tab": tab}
    if tab == "items":
        ctx["items"] = selectors.public_items()
    elif tab == "inspectors":
        ctx["page"] = paginate(request, selectors.public_inspectors(q=q))
    else:
        ctx["page"] = paginate(request, selectors.public_tasks(q=q))
    return render(request, "inspections/public_index.html", ctx)


def public_task(request, code: str):
    try:
        task = selectors.public_task(code=code)
    except NotFound:
        raise Http404() from None
    current = task.current_draw()
    selected = paginate(request, selectors.public_selected(draw=current)) if current and current.seed else None
    return render(request, "inspections/public_task.html", {
        "task": task, "draws": selectors.draws(task), "current": current, "selected": selected,
        "results": selectors.public_results(task=task), "codes": RESULT_CODES, "items": task.items.all(),
        "participants": task.participants.all()})
