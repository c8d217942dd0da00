"""Random-inspection endpoints under /api/v1/inspections: tasks, the commit–reveal draw, drawn objects, results and
their publication, the inspector's visits; and the anonymous /api/v1/inspections/public/tasks/{code} that anyone uses
to recompute a draw."""
from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jianguan.catalog import selectors as catalog_selectors
from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError
from jianguan.core.models import Department

from . import selectors, services

router = Router(tags=["双随机一公开 inspections"])


class DrawOut(Schema):
    number: int
    status: str
    reason: str
    algorithm: str
    commitment: str
    candidates_hash: str
    candidate_count: int
    ratios: dict
    strata: dict
    seed: str = Field("", description="抽取后公开")
    selected_count: int
    selected_hash: str
    committed_at: dt.datetime
    drawn_at: dt.datetime | None


class TaskOut(Schema):
    code: str
    name: str
    department: str = Field(..., alias="department.name")
    status: str
    targeted: bool
    filters: dict
    ratios: dict
    exclude_days: int
    method: str
    period_start: dt.date
    period_end: dt.date
    items: list[str]
    participants: list[str]
    draws: list[DrawOut]

    @staticmethod
    def resolve_items(obj):
        return [i.code for i in obj.items.order_by("code")]

    @staticmethod
    def resolve_participants(obj):
        return [d.name for d in obj.participants.all()]

    @staticmethod
    def resolve_draws(obj):
        return list(obj.draws.order_by("number"))


class TaskRowOut(Schema):
    code: str
    name: str
    status: str
    period_start: dt.date
    period_end: dt.date


class TaskIn(Schema):
    name: str = Field(..., max_length=200)
    plan_rows: list[int] = Field(..., description="年度计划事项 ID")
    participants: list[int] = Field(default_factory=list, description="配合部门 ID（联合抽查）")
    ratios: dict[str, str] | None = Field(None, description='各信用风险类别的抽查比例（%），如 {"A": "3", "B": "5", "C": "20", "D": "60"}；缺省按计划比例和类别区间')
    targeted: bool = False
    filters: dict = Field(default_factory=dict, description="定向条件：kinds, industry_prefixes, division_prefixes, capital_min, capital_max")
    exclude_days: int | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    method: str | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(..., max_length=300)


class AssigneeOut(Schema):
    name: str
    cert_no: str


class ObjectOut(Schema):
    uscc: str
    name: str
    grade: str
    is_key: bool
    status: str
    visit: str | None
    inspectors: list[AssigneeOut]

    @staticmethod
    def resolve_name(obj):
        return obj.entity.name

    @staticmethod
    def resolve_visit(obj):
        return obj.visit.code if obj.visit_id else None

    @staticmethod
    def resolve_inspectors(obj):
        return [{"name": a.inspector.user.display_name, "cert_no": a.inspector.code} for a in obj.active_assignments]


class AnswerIn(Schema):
    answer: str = Field(..., description="conform 符合 / nonconform 不符合 / na 不涉及")
    note: str = ""


class ResultIn(Schema):
    uscc: str = Field(..., max_length=18)
    checked_on: dt.date
    result_code: str = Field(..., max_length=2, description="国家“互联网+监管”检查结果代码，如 1、A、E")
    answers: dict[str, AnswerIn] = Field(default_factory=dict, description="检查要点 ID → 结论")
    summary: str = ""
    follow_up: str = "none"
    correct_by: dt.date | None = None
    follow_up_note: str = ""


class ResultOut(Schema):
    uscc: str
    checked_on: dt.date
    result_code: str
    answers: list
    follow_up: str
    correct_by: dt.date | None
    publish_due: dt.date
    published_at: dt.datetime | None
    record_id: int | None


class VisitOut(Schema):
    code: str
    uscc: str = Field(..., alias="entity.uscc")
    name: str = Field(..., alias="entity.name")
    period_start: dt.date
    period_end: dt.date
    items: int
    departments: int


@router.get("/inspections/tasks", response={200: list[TaskRowOut], **ERRORS}, summary="抽查任务列表")
@paginate(PageNumberPagination, page_size=50)
def task_list(request, q: str = "", status: str = ""):
    return selectors.task_list(user=request.auth, q=q, status=status)


@router.post("/inspections/tasks", response={201: TaskOut, **ERRORS}, summary="依据年度计划事项新建抽查任务（单部门或联合）")
def task_create(request, payload: TaskIn):
    user = request.auth
    rows = catalog_selectors.plan_rows_by_ids(payload.plan_rows)
    if len(rows) != len(set(payload.plan_rows)):
        raise DomainError("计划事项不存在", field="plan_rows")
    if not user.is_owner and user.department_id is None:
        raise DomainError("您的账号未分配部门", field="department")
    department = rows[0].department if user.is_owner and rows else (user.department.parent or user.department)
    participants = list(Department.objects.filter(pk__in=payload.participants, parent__isnull=True))
    if len(participants) != len(set(payload.participants)):
        raise DomainError("配合部门不存在", field="participants")
    task = services.task_create(actor=user, department=department, name=payload.name, plan_rows=rows, participants=participants,
                                ratios=payload.ratios, targeted=payload.targeted, filters=payload.filters,
                                exclude_days=payload.exclude_days, period_start=payload.period_start,
                                period_end=payload.period_end, method=payload.method, note=payload.note)
    return Status(201, task)


@router.get("/inspections/tasks/{code}", response={200: TaskOut, **ERRORS}, summary="抽查任务详情（含各次抽取）")
def task_detail(request, code: str):
    return selectors.task_get(user=request.auth, code=code)


@router.post("/inspections/tasks/{code}/commit", response={200: TaskOut, **ERRORS}, summary="公布承诺值和候选名单哈希")
def task_commit(request, code: str):
    task = selectors.task_get(user=request.auth, code=code)
    services.draw_commit(actor=request.auth, task=task)
    return selectors.task_get(user=request.auth, code=code)


@router.post("/inspections/tasks/{code}/draw", response={200: TaskOut, **ERRORS}, summary="抽取：公开种子、抽取对象、分派检查人员")
def task_draw(request, code: str):
    task = selectors.task_get(user=request.auth, code=code)
    services.draw_run(actor=request.auth, task=task)
    return selectors.task_get(user=request.auth, code=code)


@router.post("/inspections/tasks/{code}/redraw", response={200: TaskOut, **ERRORS}, summary="重新抽取（部门负责人，须说明原因）")
def task_redraw(request, code: str, payload: ReasonIn):
    task = selectors.task_get(user=request.auth, code=code)
    services.draw_redo(actor=request.auth, task=task, reason=payload.reason)
    return selectors.task_get(user=request.auth, code=code)


@router.get("/inspections/tasks/{code}/objects", response={200: list[ObjectOut], **ERRORS}, summary="抽中的检查对象")
@paginate(PageNumberPagination, page_size=100)
def task_objects(request, code: str, status: str = ""):
    task = selectors.task_get(user=request.auth, code=code)
    return selectors.task_objects(task=task, status=status)


def _result_out(result) -> dict:
    return {"uscc": result.uscc, "checked_on": result.checked_on, "result_code": result.result_code, "answers": result.answers,
            "follow_up": result.follow_up, "correct_by": result.correct_by, "publish_due": result.publish_due,
            "published_at": result.published_at, "record_id": result.record_id}


@router.post("/inspections/tasks/{code}/results", response={201: ResultOut, **ERRORS}, summary="录入检查结果")
def result_create(request, code: str, payload: ResultIn):
    task = selectors.task_get(user=request.auth, code=code)
    obj = services.object_in_task(task, payload.uscc)
    data = payload.dict()
    data["answers"] = {k: v for k, v in data["answers"].items()}
    result = services.result_save(actor=request.auth, task_object=obj, data=data)
    return Status(201, _result_out(result))


@router.post("/inspections/tasks/{code}/results/{uscc}/publish", response={200: ResultOut, **ERRORS}, summary="公示检查结果")
def result_publish(request, code: str, uscc: str):
    from .services.results import result_for

    task = selectors.task_get(user=request.auth, code=code)
    result = services.result_publish(actor=request.auth, result=result_for(task, uscc))
    return _result_out(result)


@router.get("/inspections/visits", response={200: list[VisitOut], **ERRORS}, summary="我的入户检查（合并后的检查清单）")
@paginate(PageNumberPagination, page_size=50)
def my_visits(request, status: str = "open"):
    return selectors.my_visits(user=request.auth, status=status)


class PublicResultOut(Schema):
    uscc: str
    name: str
    checked_on: dt.date
    result_code: str
    published_at: dt.datetime


class PublicTaskOut(Schema):
    code: str
    name: str
    department: str
    period_start: dt.date
    period_end: dt.date
    ratios: dict
    draws: list[DrawOut]
    selected: list[str]
    results: list[PublicResultOut]


@router.get("/inspections/public/tasks/{code}", auth=None, response={200: PublicTaskOut, **ERRORS},
            summary="公示：抽取的承诺值、候选名单哈希、种子、抽中名单和检查结果")
def public_task(request, code: str):
    task = selectors.public_task(code=code)
    current = task.current_draw()
    selected = list(selectors.public_selected(draw=current).values_list("uscc", flat=True)) if current and current.seed else []
    results = [{"uscc": r.uscc, "name": r.task_object.entity.name, "checked_on": r.checked_on, "result_code": r.result_code,
                "published_at": r.published_at} for r in selectors.public_results(task=task)]
    return {"code": task.code, "name": task.name, "department": task.department.name, "period_start": task.period_start,
            "period_end": task.period_end, "ratios": task.ratios, "draws": selectors.draws(task), "selected": selected,
            "results": results}
