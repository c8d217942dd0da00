"""Catalogue endpoints (/api/v1/catalog/...): items, versions, implementation lists with check points,
guidelines, provisions, rules (public and staff), plans and plan rows, 审管衔接 notices, verification tasks."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.models import Department, User

from . import selectors, services, versioning
from .basis import parse_basis
from .models import CheckPoint, ItemBasis

router = Router(tags=["监管事项 catalog"])


# --- schemas ------------------------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    display_name: str
    is_active: bool


class ProvisionOut(Schema):
    id: int
    law_name: str
    article: str
    status: str
    status_changed_on: dt.date | None


class ItemOut(Schema):
    id: int
    code: str
    name: str
    department_id: int
    department_name: str
    level: str
    field: str
    supervision_object: str
    scope: str
    method: str
    category: str
    random_check: bool
    approval_to_filing: bool
    status: str
    version: int
    effective_from: dt.date
    needs_review: bool
    review_note: str
    responsible_leader: PersonOut | None
    handling_unit_id: int | None
    handling_unit_name: str | None
    handling_staff: list[PersonOut]
    legal_basis: list[ProvisionOut]
    has_gap: bool

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_handling_unit_name(obj) -> str | None:
        return obj.handling_unit.name if obj.handling_unit_id else None

    @staticmethod
    def resolve_handling_staff(obj) -> list:
        return list(obj.handling_staff.all())

    @staticmethod
    def resolve_legal_basis(obj) -> list:
        return [b.provision for b in obj.bases.all()]

    @staticmethod
    def resolve_has_gap(obj) -> bool:
        staff = [u for u in obj.handling_staff.all() if u.is_active]
        leader_ok = obj.responsible_leader_id is not None and obj.responsible_leader.is_active
        return not (leader_ok and obj.handling_unit_id and staff)


class VersionOut(Schema):
    number: int
    effective_from: dt.date
    reason: str
    reason_note: str
    snapshot: dict
    created_at: dt.datetime


class DiffRowOut(Schema):
    key: str
    label: str
    old: str
    new: str
    changed: bool


class CheckPointOut(Schema):
    seq: int
    content: str
    basis: str


class ImplOut(Schema):
    id: int
    code: str
    name: str
    item_code: str
    agency_id: int
    agency_name: str
    check_object: str
    method: str
    frequency: str
    basis: str
    result_handling: str
    status: str
    version: int
    effective_from: dt.date
    check_points: list[CheckPointOut]

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_check_points(obj) -> list:
        return list(obj.check_points.all())


class GuidelineOut(Schema):
    item_code: str
    item_name: str
    department_name: str
    content: str
    method: str
    basis: str
    result_handling: str
    status: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class RuleOut(Schema):
    id: int
    kind: str
    level: str
    field: str
    title: str
    number: str
    issuing_body: str
    issued_on: dt.date | None
    effective_on: dt.date | None
    summary: str
    mandatory: bool
    department_name: str
    status: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class RuleStaffOut(RuleOut):
    cleanup_status: str
    cleanup_reason: str
    cleanup_note: str
    cleanup_due: dt.date | None


class PlanOut(Schema):
    id: int
    year: int
    department_id: int
    department_name: str
    status: str
    row_count: int = 0
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.county_plan.year

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class PlanRowOut(Schema):
    id: int
    year: int
    plan_id: int
    plan_status: str
    department_id: int
    item_code: str
    item_name: str
    object_scope: str
    category: str
    ratio: Decimal
    frequency: int
    period_start: dt.date
    period_end: dt.date
    method: str
    cooperating_department_ids: list[int]

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.plan.county_plan.year

    @staticmethod
    def resolve_plan_status(obj) -> str:
        return obj.plan.status

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_cooperating_department_ids(obj) -> list[int]:
        return [d.pk for d in obj.cooperating_departments.all()]


class NoticeOut(Schema):
    id: int
    licence_id: int
    entity_name: str
    entity_uscc: str
    document_no: str
    certificate_name: str
    approval_department_id: int
    supervising_department_id: int
    item_code: str | None
    issued_on: dt.date
    due_on: dt.date
    status: str
    overdue: bool
    signed_at: dt.datetime | None
    signed_late: bool
    result: str
    result_label: str
    result_note: str
    result_at: dt.datetime | None

    @staticmethod
    def resolve_entity_name(obj) -> str:
        return obj.licence.entity.name

    @staticmethod
    def resolve_entity_uscc(obj) -> str:
        return obj.licence.entity.uscc

    @staticmethod
    def resolve_document_no(obj) -> str:
        return obj.licence.document_no

    @staticmethod
    def resolve_certificate_name(obj) -> str:
        return obj.licence.certificate_name

    @staticmethod
    def resolve_item_code(obj) -> str | None:
        return obj.item.code if obj.item_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        from django.utils import timezone

        return obj.status == "pending" and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_result_label(obj) -> str:
        return str(obj.get_result_display()) if obj.result else ""


class VerificationOut(Schema):
    id: int
    kind: str
    matter_name: str
    department_id: int
    entity_name: str
    entity_uscc: str
    filing_no: str | None
    issued_on: dt.date
    due_on: dt.date
    status: str
    result_note: str

    @staticmethod
    def resolve_matter_name(obj) -> str:
        return obj.matter.name

    @staticmethod
    def resolve_entity_name(obj) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_entity_uscc(obj) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_filing_no(obj) -> str | None:
        return obj.filing.filing_no if obj.filing_id else None


class UnfiledOut(Schema):
    id: int
    name: str
    uscc: str
    industry_code: str
    by_industry: bool
    by_licence: bool
    has_open_task: bool


# --- items ---------------------------------------------------------------------------------------------------------


def _item_qs(qs):
    return qs.prefetch_related("handling_staff", Prefetch("bases", queryset=ItemBasis.objects.select_related("provision")))


@router.get("/items", response=list[ItemOut], summary="监管事项目录清单（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def item_list(request, q: str = "", department_id: int | None = None, field: str = "", level: str = "",
              gaps: bool = False, review: bool = False, random_check: bool | None = None):
    return _item_qs(selectors.item_list(user=request.auth, q=q, department_id=department_id, field=field, level=level,
                                        gaps=gaps, review=review, random_check=random_check))


@router.get("/items/{code}", response={200: ItemOut, **ERRORS}, summary="监管事项详情")
def item_detail(request, code: str):
    return selectors.item_get(user=request.auth, code=code)


@router.get("/items/{code}/versions", response={200: list[VersionOut], **ERRORS}, summary="监管事项版本历史")
def item_versions(request, code: str):
    item = selectors.item_get(user=request.auth, code=code)
    return list(selectors.item_versions(user=request.auth, item=item))


@router.get("/items/{code}/diff", response={200: list[DiffRowOut], **ERRORS}, summary="两个版本的逐项对比")
def item_diff(request, code: str, a: int, b: int):
    item = selectors.item_get(user=request.auth, code=code)
    versions = {v.number: v for v in selectors.item_versions(user=request.auth, item=item).filter(number__in=[a, b])}
    if a not in versions or b not in versions:
        raise NotFound()
    return [r.__dict__ for r in versioning.diff(versioning.ITEM_FIELDS, versions[a].snapshot, versions[b].snapshot)]


@router.get("/items/{code}/implementation-lists", response={200: list[ImplOut], **ERRORS}, summary="事项的检查实施清单")
def item_impl_lists(request, code: str):
    item = selectors.item_get(user=request.auth, code=code)
    return list(selectors.impl_list_list(user=request.auth, item=item).prefetch_related(
        Prefetch("check_points", queryset=CheckPoint.objects.order_by("seq"))))


@router.get("/items/{code}/guideline", response={200: GuidelineOut, **ERRORS}, summary="事项的监管工作指引")
def item_guideline(request, code: str):
    item = selectors.item_get(user=request.auth, code=code)
    guideline = selectors.guideline_for_item(user=request.auth, item=item)
    if guideline is None:
        raise NotFound()
    return guideline


class ItemIn(Schema):
    department_id: int
    code: str = Field(..., max_length=14)
    name: str = Field(..., min_length=1, max_length=200)
    supervision_object: str = Field(..., min_length=1, max_length=300)
    level: str = "county"
    field: str = "other"
    scope: str = ""
    method: str = Field("", max_length=200)
    category: str = "general"
    random_check: bool = False
    approval_to_filing: bool = False
    legal_basis: str = Field("", max_length=2000, description="《法律法规名称》第X条；……")
    responsible_leader_id: int | None = None
    handling_unit_id: int | None = None
    handling_staff_ids: list[int] = []
    effective_from: dt.date


class ItemChangeIn(Schema):
    effective_from: dt.date
    reason: str
    reason_note: str = Field("", max_length=500)
    name: str | None = Field(None, max_length=200)
    supervision_object: str | None = Field(None, max_length=300)
    scope: str | None = None
    method: str | None = Field(None, max_length=200)
    level: str | None = None
    field: str | None = None
    category: str | None = None
    random_check: bool | None = None
    approval_to_filing: bool | None = None
    status: str | None = None
    legal_basis: str | None = Field(None, max_length=2000)
    responsible_leader_id: int | None = None
    handling_unit_id: int | None = None
    handling_staff_ids: list[int] | None = None


def _department(pk: int | None, field: str) -> Department | None:
    if pk is None:
        return None
    dept = Department.objects.filter(pk=pk, is_active=True).first()
    if dept is None:
        raise DomainError(f"部门 {pk} 不存在或已停用", field=field)
    return dept


def _users(ids: list[int], field: str) -> list[User]:
    users = list(User.objects.filter(pk__in=ids))
    if len(users) != len(set(ids)):
        raise DomainError("人员不存在", field=field)
    return users


def _provisions(actor, text: str):
    pairs = parse_basis(text)
    if text.strip() and not pairs:
        raise DomainError("监管依据应写作《法律法规名称》第X条，多条用分号分隔", field="legal_basis")
    return services.provisions_resolve(actor=actor, pairs=pairs)


@router.post("/items", response={201: ItemOut, **ERRORS}, summary="新增监管事项（第1版）")
def item_create(request, payload: ItemIn):
    data = payload.dict()
    department = _department(data.pop("department_id"), "department_id")
    leader = _users([data.pop("responsible_leader_id")], "responsible_leader_id")[0] if payload.responsible_leader_id else None
    data.pop("responsible_leader_id", None)
    unit = _department(data.pop("handling_unit_id"), "handling_unit_id")
    staff = _users(data.pop("handling_staff_ids"), "handling_staff_ids")
    provisions = _provisions(request.auth, data.pop("legal_basis"))
    item = services.item_create(actor=request.auth, department=department, code=data.pop("code"), name=data.pop("name"),
                                supervision_object=data.pop("supervision_object"), effective_from=data.pop("effective_from"),
                                provisions=provisions, handling_staff=staff, responsible_leader=leader, handling_unit=unit, **data)
    return Status(201, selectors.item_get(user=request.auth, pk=item.pk))


@router.post("/items/{code}/versions", response={200: ItemOut, **ERRORS}, summary="调整监管事项（形成新版本）")
def item_change(request, code: str, payload: ItemChangeIn):
    item = selectors.item_get(user=request.auth, code=code)
    data = payload.dict(exclude_unset=True)
    effective, reason, note = data.pop("effective_from"), data.pop("reason"), data.pop("reason_note", "")
    if "responsible_leader_id" in data:
        pk = data.pop("responsible_leader_id")
        data["responsible_leader"] = _users([pk], "responsible_leader_id")[0] if pk else None
    if "handling_unit_id" in data:
        data["handling_unit"] = _department(data.pop("handling_unit_id"), "handling_unit_id")
    if "handling_staff_ids" in data:
        data["handling_staff"] = _users(data.pop("handling_staff_ids") or [], "handling_staff_ids")
    if "legal_basis" in data:
        data["provisions"] = _provisions(request.auth, data.pop("legal_basis") or "")
    data = {k: v for k, v in data.items() if v is not None or k in ("responsible_leader", "handling_unit")}
    services.item_update(actor=request.auth, item=item, data=data, effective_from=effective, reason=reason, reason_note=note)
    return selectors.item_get(user=request.auth, pk=item.pk)


@router.get("/implementation-lists/{code}", response={200: ImplOut, **ERRORS}, summary="检查实施清单及检查要点")
def impl_detail(request, code: str):
    return selectors.impl_list_get(user=request.auth, code=code)


@router.get("/provisions", response=list[ProvisionOut], summary="法律法规条款")
@paginate(PageNumberPagination, page_size=100)
def provision_list(request, q: str = "", status: str = ""):
    return selectors.provision_list(user=request.auth, q=q, status=status)


# --- rules and guidelines -------------------------------------------------------------------------------------------


@router.get("/public/rules", auth=None, response=list[RuleOut], summary="已公开的监管规则和标准（无需登录）")
@paginate(PageNumberPagination, page_size=50)
def public_rules(request, q: str = "", field: str = "", kind: str = "", level: str = ""):
    return selectors.public_rule_list(q=q, field=field, kind=kind, level=level)


@router.get("/public/guidelines", auth=None, response=list[GuidelineOut], summary="已公开的监管工作指引（无需登录）")
@paginate(PageNumberPagination, page_size=50)
def public_guidelines(request, q: str = "", field: str = ""):
    return selectors.public_guideline_list(q=q, field=field)


@router.get("/rules", response=list[RuleStaffOut], summary="监管规则和标准（含本部门草稿与清理状态）")
@paginate(PageNumberPagination, page_size=50)
def rule_list(request, q: str = "", field: str = "", kind: str = "", level: str = "", status: str = "", cleanup: str = ""):
    return selectors.rule_list(user=request.auth, q=q, field=field, kind=kind, level=level, status=status, cleanup=cleanup)


@router.get("/guidelines", response=list[GuidelineOut], summary="监管工作指引（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def guideline_list(request, q: str = ""):
    return selectors.guideline_list(user=request.auth, q=q)


# --- plans --------------------------------------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="部门年度监管计划（按权限范围）")
def plan_list(request, year: int | None = None, status: str = ""):
    return list(selectors.department_plan_list(user=request.auth, year=year, status=status))


@router.get("/plan-rows", response=list[PlanRowOut], summary="计划事项；in_force=true 只列已批准且期间覆盖 on 的（供双随机抽查）")
@paginate(PageNumberPagination, page_size=100)
def plan_row_list(request, year: int | None = None, in_force: bool = False, on: dt.date | None = None):
    if in_force:
        return selectors.plan_rows_in_force(user=request.auth, on=on)
    return selectors.plan_rows(user=request.auth, year=year)


# --- 审管衔接 --------------------------------------------------------------------------------------------------------------


@router.get("/notices", response=list[NoticeOut], summary="监管告知（审批、监管双方可见）")
@paginate(PageNumberPagination, page_size=50)
def notice_list(request, side: str = "", status: str = "", overdue: bool = False, q: str = ""):
    return selectors.notice_list(user=request.auth, side=side, status=status, overdue=overdue, q=q)


@router.get("/notices/{int:pk}", response={200: NoticeOut, **ERRORS}, summary="监管告知详情")
def notice_detail(request, pk: int):
    return selectors.notice_get(user=request.auth, pk=pk)


@router.post("/notices/{int:pk}/sign", response={200: NoticeOut, **ERRORS}, summary="签收监管告知（仅监管部门）")
def notice_sign(request, pk: int):
    notice = selectors.notice_get(user=request.auth, pk=pk)
    services.notice_sign(actor=request.auth, notice=notice)
    return selectors.notice_get(user=request.auth, pk=pk)


class FeedbackIn(Schema):
    result: str
    note: str = Field("", max_length=5000)


@router.post("/notices/{int:pk}/feedback", response={200: NoticeOut, **ERRORS}, summary="反馈监管结果（回传审批部门）")
def notice_feedback(request, pk: int, payload: FeedbackIn):
    notice = selectors.notice_get(user=request.auth, pk=pk)
    services.notice_feedback(actor=request.auth, notice=notice, result=payload.result, note=payload.note)
    return selectors.notice_get(user=request.auth, pk=pk)


@router.get("/licences/{int:licence_id}/supervision", response={200: list[NoticeOut], **ERRORS},
            summary="许可的监管告知与监管结果（审批部门与被告知的监管部门可见）")
def licence_supervision(request, licence_id: int):
    _licence, notices = selectors.licence_supervision(user=request.auth, licence_id=licence_id)
    return list(notices)


@router.get("/verifications", response=list[VerificationOut], summary="核查任务（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def verification_list(request, status: str = "", kind: str = "", overdue: bool = False):
    return selectors.verification_list(user=request.auth, status=status, kind=kind, overdue=overdue)


@router.get("/filing-matters/{int:pk}/unfiled", response={200: list[UnfiledOut], **ERRORS}, summary="疑似未备案经营的主体")
@paginate(PageNumberPagination, page_size=100)
def unfiled(request, pk: int):
    matter = selectors.filing_matter_get(user=request.auth, pk=pk)
    return selectors.unfiled_entities(user=request.auth, matter=matter)
