"""Core endpoints: health, me, departments, accounts, audit, identifiers, calendar, parameters."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db import connection
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jianguan import __version__

from . import audit, params, selectors, services, workdays
from .choices import Role
from .errors import DomainError
from .identifiers import validate_division_code, validate_id_number, validate_uscc
from .models import Department, User
from .pii import mask_id_number, mask_phone

router = Router(tags=["基础 core"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] = []


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- health -------------------------------------------------------------------------------------------------


class HealthOut(Schema):
    status: str
    version: str
    database: str


@router.get("/health", auth=None, response=HealthOut, summary="健康检查")
def health(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return {"status": "ok", "version": __version__, "database": connection.vendor}


# --- departments --------------------------------------------------------------------------------------------


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str | None
    kind: str
    parent_id: int | None
    region_code: str
    is_active: bool
    staff_count: int = 0


@router.get("/departments", response=list[DepartmentOut], summary="部门目录")
def department_list(request):
    return list(selectors.department_list(user=request.auth))


@router.get("/departments/{int:pk}", response={200: DepartmentOut, **ERRORS}, summary="部门详情")
def department_detail(request, pk: int):
    return selectors.department_get(user=request.auth, pk=pk)


# --- accounts -----------------------------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    department_id: int | None
    department_name: str | None
    cert_no: str
    enforcement_fields: str
    has_legal_qualification: bool
    uscc: str
    phone_masked: str
    id_number_masked: str
    is_active: bool

    @staticmethod
    def resolve_role_label(obj: User) -> str:
        return str(Role(obj.role).label)

    @staticmethod
    def resolve_department_name(obj: User) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_phone_masked(obj: User) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number_masked(obj: User) -> str:
        return mask_id_number(obj.id_number)


@router.get("/me", response=UserOut, summary="当前用户")
def me(request):
    return request.auth


@router.get("/users", response=list[UserOut], summary="账号列表（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def user_list(request, q: str = "", role: str = "", department_id: int | None = None):
    return selectors.user_list(user=request.auth, q=q, role=role, department_id=department_id)


@router.get("/users/{int:pk}", response={200: UserOut, **ERRORS}, summary="账号详情")
def user_detail(request, pk: int):
    return selectors.user_get(user=request.auth, pk=pk)


class UserIn(Schema):
    username: str = Field(..., min_length=3, max_length=150, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(..., min_length=1, max_length=50)
    role: Literal["enterprise", "inspector", "reviewer", "dept_admin", "dept_leader", "owner"]
    department_id: int | None = None
    password: str | None = Field(None, max_length=128)
    cert_no: str = Field("", max_length=30)
    enforcement_fields: str = Field("", max_length=200)
    qualifications: str = Field("", max_length=200)
    has_legal_qualification: bool = False
    uscc: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)


class UserCreatedOut(Schema):
    user: UserOut
    initial_password: str


def _department_or_error(pk: int | None) -> Department | None:
    if pk is None:
        return None
    dept = Department.objects.filter(pk=pk, is_active=True).first()
    if dept is None:
        raise DomainError("所属部门不存在或已停用", field="department_id")
    return dept


@router.post("/users", response={201: UserCreatedOut, **ERRORS}, summary="创建账号")
def user_create(request, payload: UserIn):
    data = payload.dict()
    department = _department_or_error(data.pop("department_id"))
    user, password = services.account_create(
        actor=request.auth, department=department, username=data.pop("username"), display_name=data.pop("display_name"),
        role=data.pop("role"), password=data.pop("password"), **data,
    )
    return Status(201, {"user": user, "initial_password": password})


class UserPatch(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=50)
    department_id: int | None = None
    cert_no: str | None = Field(None, max_length=30)
    enforcement_fields: str | None = Field(None, max_length=200)
    qualifications: str | None = Field(None, max_length=200)
    has_legal_qualification: bool | None = None
    phone: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=18)


@router.patch("/users/{int:pk}", response={200: UserOut, **ERRORS}, summary="修改账号")
def user_update(request, pk: int, payload: UserPatch):
    target = selectors.user_get(user=request.auth, pk=pk)
    data = payload.dict(exclude_unset=True)
    if "department_id" in data:
        data["department"] = _department_or_error(data.pop("department_id"))
    return services.account_update(actor=request.auth, user=target, data=data)


class RevealIn(Schema):
    field: Literal["phone", "id_number"]
    reason: str = Field("", max_length=200)


class RevealOut(Schema):
    field: str
    value: str


@router.post("/users/{int:pk}/reveal", response={200: RevealOut, **ERRORS}, summary="查看完整个人信息（记入审计）")
def user_reveal(request, pk: int, payload: RevealIn):
    target = selectors.user_get(user=request.auth, pk=pk)
    value = services.pii_reveal(actor=request.auth, obj=target, field=payload.field, reason=payload.reason)
    return {"field": payload.field, "value": value}


# --- audit ------------------------------------------------------------------------------------------------------


class AuditEventOut(Schema):
    seq: int
    created_at: dt.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    note: str
    request_id: str
    hash: str


@router.get("/audit/events", response=list[AuditEventOut], summary="审计事件（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def audit_events(request, object_type: str = "", object_id: str = "", action: str = ""):
    if object_type and object_id:
        _, events = selectors.object_history(user=request.auth, object_type=object_type, object_id=object_id)
        return events
    return selectors.audit_events(user=request.auth, action=action)


class VerifyOut(Schema):
    ok: bool
    checked: int
    bad_seq: int | None
    reason: str


@router.get("/audit/verify", response={200: VerifyOut, **ERRORS}, summary="校验审计链（平台管理员）")
def audit_verify(request):
    services.require_owner(request.auth)
    result = audit.verify()
    return {"ok": result.ok, "checked": result.checked, "bad_seq": result.bad_seq, "reason": result.reason}


# --- identifiers --------------------------------------------------------------------------------------------------


class IdentifierIn(Schema):
    kind: Literal["uscc", "id_number", "division"]
    value: str = Field(..., max_length=40)


class IdentifierOut(Schema):
    kind: str
    valid: bool
    message: str


@router.post("/identifiers/validate", response=IdentifierOut, summary="校验统一社会信用代码/身份证号/行政区划代码")
def identifier_validate(request, payload: IdentifierIn):
    from django.core.exceptions import ValidationError

    check = {"uscc": validate_uscc, "id_number": validate_id_number, "division": validate_division_code}[payload.kind]
    try:
        check(payload.value)
    except ValidationError as exc:
        return {"kind": payload.kind, "valid": False, "message": " ".join(exc.messages)}
    return {"kind": payload.kind, "valid": True, "message": "校验通过"}


# --- calendar -----------------------------------------------------------------------------------------------------


class DeadlineOut(Schema):
    rule: str
    start: dt.date
    due: dt.date
    days: int
    unit: str
    label: str
    citation: str
    assumed: bool
    description: str


@router.get("/calendar/deadline", response={200: DeadlineOut, **ERRORS}, summary="按规则计算法定期限")
def calendar_deadline(request, rule: str, start: dt.date):
    if rule not in workdays.DEADLINE_RULES:
        raise DomainError(f"未知的期限规则“{rule}”，可选：{'、'.join(sorted(workdays.DEADLINE_RULES))}", field="rule")
    d = workdays.deadline(rule, start)
    return {"rule": rule, "start": d.start, "due": d.due, "days": d.days, "unit": d.unit, "label": d.label,
            "citation": d.citation, "assumed": d.assumed, "description": d.description}


class DayOut(Schema):
    date: dt.date
    working: bool
    source: str


@router.get("/calendar/days", response={200: list[DayOut], **ERRORS}, summary="工作日历")
def calendar_days(request, start: dt.date, end: dt.date):
    if end < start:
        raise DomainError("结束日期不能早于开始日期", field="end")
    if (end - start).days > 366:
        raise DomainError("一次最多查询366天", field="end")
    out, day = [], start
    while day <= end:
        out.append({"date": day, "working": workdays.is_working_day(day), "source": workdays.year_source(day.year)})
        day += dt.timedelta(days=1)
    return out


# --- runtime parameters ---------------------------------------------------------------------------------------------


class ParamOut(Schema):
    key: str
    label: str
    kind: str
    unit: str
    citation: str
    value: str | int | bool


@router.get("/params", response=list[ParamOut], summary="运行参数（当前值）")
def param_list(request, at: dt.date | None = None):
    return [
        {"key": key, "label": str(spec.label), "kind": spec.kind, "unit": str(spec.unit), "citation": str(spec.citation),
         "value": params.get(key, at=at) if spec.kind != "decimal" else str(params.get(key, at=at))}
        for key, spec in sorted(params.REGISTRY.items())
    ]


class ParamIn(Schema):
    key: str = Field(..., max_length=80)
    value: str | int | bool
    effective_from: dt.date
    reason: str = Field(..., min_length=1, max_length=300)
    citation: str = Field("", max_length=300)


class ParamVersionOut(Schema):
    key: str
    value: str | int | bool
    effective_from: dt.date
    reason: str


@router.post("/params", response={201: ParamVersionOut, **ERRORS}, summary="新增参数版本（平台管理员）")
def param_set(request, payload: ParamIn):
    row = services.parameter_set(actor=request.auth, key=payload.key, value=payload.value,
                                 effective_from=payload.effective_from, reason=payload.reason, citation=payload.citation)
    return Status(201, row)

