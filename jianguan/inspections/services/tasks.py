"""Tasks, verifiable draws, inspector assignment, recusal re-draws and joint visits.

The lifecycle: task_create (draft) → draw_commit (candidate list built set-based and written to a published file,
seed sealed, SM3 commitment and list hash published) → draw_run (seed revealed, JG-DRAW-1 selection, JG-ASSIGN-1
inspectors, joint visits merged; one transaction: not enough inspectors refuses the whole draw) → results
(services/results.py). A second draw is draw_redo: a new numbered, reasoned, audited Draw; the old one stays
published as superseded.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.catalog import selectors as catalog_selectors
from jianguan.catalog.choices import CountyPlanStatus, PlanMethod, PlanStatus
from jianguan.core import audit, bulk, params
from jianguan.core.crypto import sm3_hex, sm4_decrypt, sm4_encrypt
from jianguan.core.errors import Conflict, DomainError
from jianguan.credit import selectors as credit_selectors
from jianguan.entities import selectors as entity_selectors

from .. import candidates as candidate_builder
from .. import draw as drawlib
from ..choices import ConflictKind, DrawStatus, ObjectStatus, TaskStatus, VisitStatus
from ..models import Assignment, Draw, InspectionTask, Inspector, InspectorConflict, TaskObject, Visit
from ._common import require_manager, text, today

TASK_FIELDS = ["code", "name", "targeted", "filters", "ratios", "exclude_days", "method", "period_start", "period_end",
               "status"]


# --- tasks ------------------------------------------------------------------------------------------------------------


def validate_ratios(ratios: dict) -> dict[str, str]:
    """Per credit class A–D, a percentage 0–100 with at most two decimals; the error names the class and the rule."""
    if not isinstance(ratios, dict):
        raise DomainError(_("抽查比例应按信用风险类别 A、B、C、D 分别填写"), field="ratios")
    out = {}
    for grade in drawlib.GRADES:
        raw = ratios.get(grade)
        if raw in (None, ""):
            raise DomainError(_("请填写%(g)s类主体的抽查比例") % {"g": grade}, field=f"ratio_{grade}")
        try:
            bp = drawlib.ratio_basis_points(raw)
        except drawlib.DrawInputError:
            raise DomainError(_("%(g)s类主体的抽查比例“%(v)s”不正确：应为0至100之间、最多两位小数的百分比")
                              % {"g": grade, "v": raw}, field=f"ratio_{grade}") from None
        out[grade] = str(Decimal(bp) / 100)
    unknown = set(ratios) - set(drawlib.GRADES)
    if unknown:
        raise DomainError(_("未知的信用风险类别：%(v)s") % {"v": "、".join(sorted(unknown))}, field="ratios")
    return out


def default_ratios(plan_ratio) -> dict[str, str]:
    """The plan row's ratio moved into each class's range (credit.inspection_ratio_min/max_X runtime parameters)."""
    out = {}
    for grade in drawlib.GRADES:
        low, high = credit_selectors.inspection_ratio(grade)
        value = min(max(Decimal(str(plan_ratio)), Decimal(str(low))), Decimal(str(high)))
        out[grade] = format(value.normalize(), "f")  # 30.00 → "30", 5.50 → "5.5"
    return out


def _next_code(year: int) -> str:
    prefix = f"SJ{year}"
    last = (InspectionTask.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first())
    n = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{n:04d}"


def _check_plan_rows(actor, department, participants, rows, on: dt.date) -> None:
    if not rows:
        raise DomainError(_("请至少选择一项年度计划事项"), field="plan_rows")
    allowed = {department.pk, *(p.pk for p in participants)}
    from jianguan.core.scope import bureau_id

    for row in rows:
        label = f"{row.item.code} {row.item.name}"
        if bureau_id(row.department_id) not in {bureau_id(d) for d in allowed}:
            raise DomainError(_("计划事项“%(r)s”不属于发起部门或配合部门") % {"r": label}, field="plan_rows")
        if row.plan.status != PlanStatus.APPROVED:
            raise DomainError(_("计划事项“%(r)s”所在的部门计划尚未批准") % {"r": label}, field="plan_rows")
        if row.plan.county_plan.status == CountyPlanStatus.CLOSED:
            raise DomainError(_("计划事项“%(r)s”所属的%(y)d年度计划已关闭") % {"r": label, "y": row.plan.county_plan.year},
                              field="plan_rows")
        if row.period_end < on:
            raise DomainError(_("计划事项“%(r)s”的检查期间已于%(d)s结束，不能再据此发起抽查") % {"r": label, "d": row.period_end},
                              field="plan_rows")
        if not row.item.random_check:
            raise DomainError(_("监管事项“%(r)s”未纳入随机抽查事项清单") % {"r": label}, field="plan_rows")


@transaction.atomic
def task_create(*, actor, department, name: str, plan_rows: list, participants: list | None = None,
                ratios: dict | None = None, targeted: bool = False, filters: dict | None = None,
                exclude_days: int | None = None, period_start: dt.date | None = None, period_end: dt.date | None = None,
                method: str | None = None, note: str = "") -> InspectionTask:
    """A single-department (no participants) or joint task from approved plan rows of the departments involved."""
    require_manager(actor, department)
    name = text(name, "name", _("任务名称"), 200)
    participants = [p for p in (participants or []) if p.pk != department.pk]
    plan_rows = catalog_selectors.plan_rows_by_ids(r.pk for r in plan_rows or [])
    on = today()
    _check_plan_rows(actor, department, participants, plan_rows, on)
    ratios = validate_ratios(ratios if ratios is not None else default_ratios(max(r.ratio for r in plan_rows)))
    period_start = period_start or max(min(r.period_start for r in plan_rows), on)
    period_end = period_end or max(r.period_end for r in plan_rows)
    if period_end < period_start:
        raise DomainError(_("检查结束日期不能早于开始日期"), field="period_end")
    if period_start < min(r.period_start for r in plan_rows) or period_end > max(r.period_end for r in plan_rows):
        raise DomainError(_("检查期间应在年度计划事项的期间之内"), field="period_start")
    if exclude_days is None:
        exclude_days = int(params.get("inspections.exclude_days", at=on))
    if not 0 <= int(exclude_days) <= 3650:
        raise DomainError(_("近期已检查排除期应在0至3650天之间"), field="exclude_days")
    method = method or plan_rows[0].method
    if method not in PlanMethod.values:
        raise DomainError(_("检查方式不正确"), field="method")
    filters = filters or {}
    if targeted and not any(filters.get(k) for k in ("kinds", "industry_prefixes", "division_prefixes", "capital_min",
                                                     "capital_max")):
        raise DomainError(_("定向抽查须至少设定一个条件（主体类型、行业、乡镇或规模）"), field="filters")
    task = InspectionTask.objects.create(
        code=_next_code(period_start.year), name=name, department=department, targeted=bool(targeted),
        filters=filters if targeted else {}, ratios=ratios, exclude_days=int(exclude_days), method=method,
        period_start=period_start, period_end=period_end, note=note or "", created_by=actor)
    task.participants.set(participants)
    task.plan_rows.set(plan_rows)
    task.items.set({r.item_id for r in plan_rows})
    audit.record(actor=actor, action="inspections.task_create", obj=task, after={
        **audit.snapshot(task, TASK_FIELDS), "participants": [p.name for p in participants],
        "items": sorted(r.item.code for r in plan_rows)})
    return task


@transaction.atomic
def task_cancel(*, actor, task: InspectionTask, reason: str) -> InspectionTask:
    require_manager(actor, task.department)
    reason = text(reason, "reason", _("撤销原因"))
    if task.status not in (TaskStatus.DRAFT, TaskStatus.COMMITTED):
        raise Conflict(_("任务已抽取，不能撤销；如需重新抽取请说明原因后重新抽取"))
    task.status = TaskStatus.CANCELLED
    task.save(update_fields=["status"])
    Draw.objects.filter(task=task, status=DrawStatus.COMMITTED).update(status=DrawStatus.SUPERSEDED)
    audit.record(actor=actor, action="inspections.task_cancel", obj=task, note=reason)
    return task


# --- inspectors for a task ----------------------------------------------------------------------------------------------


def _task_departments(task) -> list[int]:
    from jianguan.core.scope import bureau_tree_ids

    ids: set[int] = set()
    for dept_id in [task.department_id, *task.participants.values_list("id", flat=True)]:
        ids |= bureau_tree_ids(dept_id)
    return sorted(ids)


def inspector_pool(task) -> list[Inspector]:
    """Available directory entries of the task's departments whose fields cover one of the task's items (or any)."""
    fields = set(task.items.values_list("field", flat=True))
    pool = []
    for entry in (Inspector.objects.filter(department_id__in=_task_departments(task), available=True, user__is_active=True)
                  .select_related("user").order_by("code")):
        if not entry.fields or fields & set(entry.fields):
            pool.append(entry)
    return pool


def _conflicts(entity_ids, on: dt.date) -> dict[int, set[str]]:
    """entity id → inspector codes that must not check it: declared conflicts, and prior involvement (an inspector who
    checked the entity within `inspections.rotation_days`). `entity_ids` is a list or a values() sub-query (a whole
    draw's objects: two joined queries however many there are)."""
    out: dict[int, set[str]] = {}
    queries = [InspectorConflict.objects.filter(entity_id__in=entity_ids, active=True)
               .values_list("entity_id", "inspector__code")]
    rotation = int(params.get("inspections.rotation_days", at=on))
    if rotation:
        queries.append(Assignment.objects.filter(active=True, task_object__entity_id__in=entity_ids,
                                                 task_object__result__checked_on__gte=on - dt.timedelta(days=rotation))
                       .values_list("task_object__entity_id", "inspector__code"))
    for query in queries:
        for entity_id, code in query:
            out.setdefault(entity_id, set()).add(code)
    return out


def _open_load(codes: list[str]) -> dict[str, int]:
    return dict(Assignment.objects.filter(inspector__code__in=codes, active=True, task_object__status=ObjectStatus.ASSIGNED)
                .values("inspector__code").annotate(n=Count("id")).values_list("inspector__code", "n"))


# --- draws ------------------------------------------------------------------------------------------------------------


def _draw_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "draws"
    path.mkdir(parents=True, exist_ok=True)
    return path


def candidates_path(draw: Draw) -> Path:
    return Path(settings.MEDIA_ROOT) / draw.candidates_file


def read_candidates(draw: Draw) -> tuple[bytes, list[drawlib.Candidate]]:
    """The published candidate file's bytes and its parsed rows."""
    data = candidates_path(draw).read_bytes()
    return data, drawlib.parse_lines(data)


@transaction.atomic
def draw_commit(*, actor, task: InspectionTask, reason: str = "") -> Draw:
    """Build the candidate list, seal a fresh seed and publish SM3(seed) and the list's hash: after this, the
    selection is fixed but unknown to everyone until draw_run reveals the seed."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    require_manager(actor, task.department)
    if task.status != TaskStatus.DRAFT:
        raise Conflict(_("任务当前状态为“%(s)s”，不能公布承诺值") % {"s": task.get_status_display()})
    on = today()
    per_object = int(params.get("inspections.inspectors_per_object", at=on))
    pool = inspector_pool(task)
    if len(pool) < per_object:
        raise DomainError(_("可参加本任务的执法人员只有%(n)d名，每个检查对象至少需要%(m)d名：请先在执法检查人员名录库中补充")
                          % {"n": len(pool), "m": per_object}, field="inspectors")
    with bulk.collector_paused():
        rows, counts = candidate_builder.build_rows(task, on)
        if not rows:
            raise DomainError(_("按本任务的事项、范围和排除条件，没有符合条件的检查对象"), field="filters")
        data = candidate_builder.candidate_bytes(rows)
        n_rows = len(rows)
        del rows
    strata = {g: {**c, "quota": drawlib.quota(c["candidates"] - c["key"], task.ratios.get(g, 0))} for g, c in counts.items()}
    number = (task.draws.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    seed = drawlib.new_seed()
    digest = sm3_hex(data)
    relative = f"draws/{task.code}-{number}-{digest[:12]}.csv"
    (_draw_dir() / Path(relative).name).write_bytes(data)
    draw = Draw.objects.create(
        task=task, number=number, reason=reason, algorithm=drawlib.ALGORITHM, commitment=drawlib.commitment(seed),
        seed_sealed=sm4_encrypt(seed), candidates_hash=digest, candidate_count=n_rows, candidates_file=relative,
        ratios=task.ratios, strata=strata, committed_at=timezone.now(),
        committed_by=actor)
    task.status = TaskStatus.COMMITTED
    task.save(update_fields=["status"])
    audit.record(actor=actor, action="inspections.draw_commit", obj=draw, department_id=task.department_id,
                 after={"task": task.code, "number": number, "commitment": draw.commitment, "candidates_hash": digest,
                        "candidate_count": n_rows, "ratios": task.ratios, "reason": reason})
    return draw


@transaction.atomic
def draw_run(*, actor, task: InspectionTask) -> Draw:
    """Reveal the seed, select the objects (JG-DRAW-1), assign inspectors (JG-ASSIGN-1) and merge joint visits.
    All or nothing: if some object cannot get enough eligible inspectors, nothing is drawn and the seed stays sealed."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    require_manager(actor, task.department)
    draw = task.current_draw()
    if task.status != TaskStatus.COMMITTED or draw is None or draw.status != DrawStatus.COMMITTED:
        raise Conflict(_("任务须先公布承诺值才能抽取"))
    data = candidates_path(draw).read_bytes()
    if sm3_hex(data) != draw.candidates_hash:
        raise DomainError(_("候选名单文件与公布的哈希值不一致，已停止抽取：请检查文件是否被改动"), field="candidates")
    seed = sm4_decrypt(draw.seed_sealed)
    if drawlib.commitment(seed) != draw.commitment:
        raise DomainError(_("随机种子与公布的承诺值不一致，已停止抽取"), field="seed")
    with bulk.collector_paused():
        chosen = drawlib.draw_lines(data, seed, draw.ratios)
        del data
        selected = [c.uscc for c in chosen]
        ids = entity_selectors.entity_ids_by_uscc(selected)
        missing = [u for u in selected if u not in ids]
        if missing:
            raise DomainError(_("候选主体 %(u)s 已不在主体库中，请重新抽取") % {"u": missing[0]}, field="candidates")
        visits, merged = _visits_for(task, draw, [ids[u] for u in selected])
        now = timezone.now()
        bulk.insert_rows(TaskObject, ["task", "draw", "department", "entity", "uscc", "grade", "is_key", "visit", "status"],
                         ((task.pk, draw.pk, task.department_id, ids[c.uscc], c.uscc, c.grade, c.key, visits[ids[c.uscc]],
                           ObjectStatus.ASSIGNED) for c in chosen))
        objects = list(TaskObject.objects.filter(draw=draw).values_list("id", "uscc", "entity_id"))
        _assign(task, draw, seed, objects, now)
    draw.seed = seed
    draw.status = DrawStatus.REVEALED
    draw.selected_count = len(selected)
    draw.selected_hash = sm3_hex("".join(f"{u}\n" for u in selected))
    draw.drawn_at = timezone.now()
    draw.drawn_by = actor
    draw.save(update_fields=["seed", "status", "selected_count", "selected_hash", "drawn_at", "drawn_by"])
    task.status = TaskStatus.DRAWN
    task.save(update_fields=["status"])
    audit.record(actor=actor, action="inspections.draw_run", obj=draw, department_id=task.department_id,
                 after={"task": task.code, "number": draw.number, "seed": seed, "selected": len(selected),
                        "selected_hash": draw.selected_hash, "joint_visits": merged})
    return draw


def _assign(task, draw, seed: str, objects: list[tuple[int, str, int]], now) -> None:
    """JG-ASSIGN-1 over the draw's objects [(object id, USCC, entity id)], written set-based."""
    on = today()
    per_object = int(params.get("inspections.inspectors_per_object", at=on))
    pool = inspector_pool(task)
    by_code = {e.code: e.pk for e in pool}
    codes = list(by_code)
    by_entity = _conflicts(TaskObject.objects.filter(draw=draw).values("entity_id"), on)
    conflicts = {uscc: by_entity[entity_id] for _pk, uscc, entity_id in objects if entity_id in by_entity}
    try:
        chosen = drawlib.assign([uscc for _pk, uscc, _e in objects], codes, seed, per_object=per_object,
                                conflicts=conflicts, load=_open_load(codes))
    except drawlib.NotEnoughInspectors as exc:
        raise DomainError(_("检查对象 %(u)s 可分派的执法人员只有%(n)d名（需%(m)d名，已排除回避人员）：请补充执法人员后再抽取")
                          % {"u": exc.uscc, "n": exc.available, "m": exc.needed}, field="inspectors") from None
    bulk.insert_rows(Assignment, ["task_object", "inspector", "attempt", "active", "ended_reason", "created_at"],
                     ((pk, by_code[c], 0, True, "", now) for pk, uscc, _e in objects for c in chosen[uscc]))


def _visits_for(task, draw, entity_ids: list[int]) -> tuple[dict[int, int], int]:
    """The visit of each drawn entity: the open visit of the entity whose period overlaps the task's (another
    department's task drew it too: 进一次门、查多项事), or a new one. Returns (entity id → visit id, how many joined
    one)."""
    wanted = set(entity_ids)
    existing: dict[int, int] = {}
    # One query over the open visits of the period (a county has few; a province some thousands) beats 900-id chunks.
    for entity_id, pk in (Visit.objects.filter(status=VisitStatus.OPEN, period_start__lte=task.period_end,
                                               period_end__gte=task.period_start)
                          .order_by("-pk").values_list("entity_id", "pk").iterator(chunk_size=20000)):
        if entity_id in wanted:
            existing[entity_id] = pk  # the oldest open visit wins
    prefix = f"{task.code}-{draw.number}-"
    now = timezone.now()
    bulk.insert_rows(Visit, ["code", "entity", "period_start", "period_end", "status", "created_at"],
                     ((f"{prefix}{n:05d}", pk, task.period_start, task.period_end, VisitStatus.OPEN, now)
                      for n, pk in enumerate(entity_ids, 1) if pk not in existing))
    created = dict(Visit.objects.filter(code__startswith=prefix).values_list("entity_id", "pk"))
    return {**created, **existing}, len(existing)


@transaction.atomic
def draw_redo(*, actor, task: InspectionTask, reason: str) -> Draw:
    """A second draw is never silent: a leader states the reason; the current draw is superseded (its seed and list
    stay published) and a new draw is committed. Refused once any result has been entered."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    require_manager(actor, task.department, leader_only=True)
    reason = text(reason, "reason", _("重新抽取原因"))
    draw = task.current_draw()
    if draw is None or task.status not in (TaskStatus.COMMITTED, TaskStatus.DRAWN):
        raise Conflict(_("任务尚未抽取，无需重新抽取"))
    if TaskObject.objects.filter(draw=draw).exclude(status=ObjectStatus.ASSIGNED).exists():
        raise Conflict(_("已有检查结果录入，不能重新抽取"))
    removed = TaskObject.objects.filter(draw=draw).count()
    visit_ids = set(TaskObject.objects.filter(draw=draw).values_list("visit_id", flat=True))
    Assignment.objects.filter(task_object__draw=draw).delete()
    TaskObject.objects.filter(draw=draw).delete()
    Visit.objects.filter(pk__in=visit_ids, task_objects__isnull=True).delete()
    if draw.status == DrawStatus.COMMITTED:
        draw.seed = sm4_decrypt(draw.seed_sealed)  # a superseded commitment is opened, so nobody can doubt it later
    draw.status = DrawStatus.SUPERSEDED
    draw.save(update_fields=["status", "seed"])
    task.status = TaskStatus.DRAFT
    task.save(update_fields=["status"])
    audit.record(actor=actor, action="inspections.draw_redo", obj=draw, department_id=task.department_id, note=reason,
                 after={"task": task.code, "superseded": draw.number, "objects_removed": removed})
    return draw_commit(actor=actor, task=task, reason=reason)


@transaction.atomic
def assignment_recuse(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """回避 after assignment: the inspector (or a manager) ends it; the replacement is re-drawn (JG-ASSIGN-1 tag
    R‹attempt›) and recorded; the conflict is kept so later draws respect it."""
    assignment = Assignment.objects.select_for_update().select_related("task_object__task", "inspector").get(pk=assignment.pk)
    obj = assignment.task_object
    task = obj.task
    if actor is not None and actor.pk != assignment.inspector.user_id:
        require_manager(actor, task.department)
    reason = text(reason, "reason", _("回避事由"))
    if not assignment.active:
        raise Conflict(_("该分派已结束"))
    if obj.status != ObjectStatus.ASSIGNED:
        raise Conflict(_("该对象已录入检查结果，不能再申请回避"))
    draw = obj.draw
    assignment.active = False
    assignment.ended_reason = reason
    assignment.save(update_fields=["active", "ended_reason"])
    if not InspectorConflict.objects.filter(inspector=assignment.inspector, entity_id=obj.entity_id, active=True).exists():
        InspectorConflict.objects.create(inspector=assignment.inspector, entity_id=obj.entity_id,
                                         department_id=assignment.inspector.department_id, kind=ConflictKind.RECUSAL,
                                         reason=reason, created_by=actor)
    pool = inspector_pool(task)
    codes = [e.code for e in pool]
    others = set(obj.assignments.values_list("inspector__code", flat=True))  # current and ended ones
    exclude = others | _conflicts([obj.entity_id], today()).get(obj.entity_id, set())
    attempt = obj.assignments.filter(active=False).count()
    try:
        code = drawlib.replacement(obj.uscc, codes, draw.seed, attempt, exclude=exclude, load=_open_load(codes))
    except drawlib.NotEnoughInspectors:
        raise DomainError(_("没有其他可分派的执法人员，无法回避：请先补充执法人员"), field="inspectors") from None
    new = Assignment.objects.create(task_object=obj, inspector=next(e for e in pool if e.code == code), attempt=attempt)
    audit.record(actor=actor, action="inspections.recuse", obj=obj, department_id=task.department_id, note=reason,
                 object_repr=f"{task.code} {obj.uscc}",
                 after={"recused": assignment.inspector.code, "replacement": code, "attempt": attempt})
    return new
