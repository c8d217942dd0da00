"""Task-division endpoints (/api/v1/duties/...): targets and measures with their departments, the status
matrix, progress reports, 督办."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError
from jianguan.core.models import Department

from . import selectors, services

router = Router(tags=["任务分工 duties"])


class AssignmentOut(Schema):
    department_id: int
    department_name: str
    role: str
    source: str

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class MeasureOut(Schema):
    id: int
    code: str
    no: int
    text: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj) -> list:
        return list(obj.assignments.all())


class TargetOut(Schema):
    no: int
    section_no: str
    section_title: str
    title: str
    responsible_all: bool
    measures: list[MeasureOut]

    @staticmethod
    def resolve_measures(obj) -> list:
        return list(obj.measures.all())


class ReportOut(Schema):
    id: int
    measure_code: str
    department_id: int
    department_name: str
    period: str
    status: str
    text: str
    reported_at: dt.datetime
    attachment_count: int = 0

    @staticmethod
    def resolve_measure_code(obj) -> str:
        return obj.measure.code

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class UrgeOut(Schema):
    id: int
    measure_code: str
    department_id: int
    content: str
    deadline: dt.date
    status: str
    response: str

    @staticmethod
    def resolve_measure_code(obj) -> str:
        return obj.measure.code


class MatrixDepartmentOut(Schema):
    id: int
    name: str
    assigned: int
    reported: int
    done: int


class MatrixRowOut(Schema):
    measure_id: int
    code: str
    cells: list[dict]


class MatrixOut(Schema):
    period: str
    departments: list[MatrixDepartmentOut]
    rows: list[MatrixRowOut]


@router.get("/targets", response=list[TargetOut], summary="目标任务、措施及牵头/责任单位")
def target_list(request):
    return list(selectors.target_list(user=request.auth))


@router.get("/measures/{int:pk}", response={200: MeasureOut, **ERRORS}, summary="任务措施")
def measure_detail(request, pk: int):
    return selectors.measure_get(user=request.auth, pk=pk)


@router.get("/matrix", response={200: MatrixOut, **ERRORS}, summary="部门×措施进展矩阵（一个报告期）")
def matrix(request, period: str = "", target: int | None = None):
    if period:
        services.period_bounds(period)
    mx = selectors.matrix(user=request.auth, period=period or None, target_no=target)
    return {
        "period": mx.period,
        "departments": [{"id": d.pk, "name": d.name, **mx.totals[d.pk]} for d in mx.departments],
        "rows": [{"measure_id": r.measure.pk, "code": r.measure.code,
                  "cells": [{"department_id": d.pk, "role": c.role, "status": c.status}
                            for d, c in zip(mx.departments, r.cells) if c.role]} for r in mx.rows],
    }


@router.get("/reports", response=list[ReportOut], summary="进展报告（本部门、牵头部门与协调办可见）")
@paginate(PageNumberPagination, page_size=100)
def report_list(request, period: str = "", measure_id: int | None = None, department_id: int | None = None):
    measure = selectors.measure_get(user=request.auth, pk=measure_id) if measure_id else None
    return selectors.report_list(user=request.auth, period=period, measure=measure, department_id=department_id)


class ReportIn(Schema):
    period: str = Field(..., pattern=r"^\d{4}-Q[1-4]$")
    status: str
    text: str = Field(..., min_length=1, max_length=5000)


@router.post("/measures/{int:pk}/reports", response={201: ReportOut, 200: ReportOut, **ERRORS}, summary="报送本部门进展")
def report_create(request, pk: int, payload: ReportIn):
    measure = selectors.measure_get(user=request.auth, pk=pk)
    report, created = services.progress_report(actor=request.auth, measure=measure, period=payload.period,
                                               status=payload.status, text=payload.text)
    report = selectors.report_get(user=request.auth, pk=report.pk)
    return Status(201 if created else 200, report)


@router.get("/urges", response=list[UrgeOut], summary="督办（督办对象与协调办可见）")
def urge_list(request, status: str = "", overdue: bool = False):
    return list(selectors.urge_list(user=request.auth, status=status, overdue=overdue))


class UrgeIn(Schema):
    measure_id: int
    department_id: int
    content: str = Field(..., min_length=1, max_length=2000)
    deadline: dt.date


@router.post("/urges", response={201: UrgeOut, **ERRORS}, summary="督办（协调办）")
def urge_create(request, payload: UrgeIn):
    measure = selectors.measure_get(user=request.auth, pk=payload.measure_id)
    department = Department.objects.filter(pk=payload.department_id).first()
    if department is None:
        raise DomainError("督办对象部门不存在", field="department_id")
    return Status(201, services.urge_issue(actor=request.auth, measure=measure, department=department,
                                           content=payload.content, deadline=payload.deadline))


class UrgeResponseIn(Schema):
    response: str = Field(..., min_length=1, max_length=5000)


@router.post("/urges/{int:pk}/respond", response={200: UrgeOut, **ERRORS}, summary="反馈督办办理情况")
def urge_respond(request, pk: int, payload: UrgeResponseIn):
    urge = selectors.urge_get(user=request.auth, pk=pk)
    return services.urge_respond(actor=request.auth, urge=urge, response=payload.response)
