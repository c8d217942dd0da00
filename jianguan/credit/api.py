"""Credit endpoints under /api/v1/credit: 逢办必查 and 逢查必报, credit records and classes, lists, objections, repair,
commitments, annual reports, the measure catalogue, regimes, grading, and the public lookup and report check."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError, NotFound

from . import checks, disclosure, selectors, services
from .choices import (AbnormalGround, CheckAction, CommitmentKind, Grade, ItemType, ObjectionOutcome, Scenario, SeriousGround,
                      Severity)

router = Router(tags=["信用监管 credit"])


# --- 逢办必查 ---------------------------------------------------------------------------------------------------------------


class GradeOut(Schema):
    code: str
    label: str
    risk: str
    computed: str | None
    adjusted: bool
    ungraded: bool


class ListOut(Schema):
    type: str
    id: int
    label: str
    ground: str
    listed_on: dt.date | None
    expires_on: dt.date | None
    department: str


class RelatedOut(Schema):
    listing_id: int
    entity_name: str
    uscc: str
    person_name: str
    role: str
    expires_on: dt.date | None


class MeasureOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    trigger: str
    trigger_label: str
    content: str
    legal_basis: str
    implementer: str


class SubjectOut(Schema):
    type: str
    uscc: str = ""
    name: str = ""
    id_masked: str = ""


class CheckOut(Schema):
    check_id: int
    checked_at: dt.datetime
    scenario: str
    scenario_label: str
    found: bool
    subject: SubjectOut
    grade: GradeOut | None
    lists: list[ListOut]
    related: list[RelatedOut]
    triggers: list[str]
    measures: list[MeasureOut]
    outcome: str
    message: str


@router.get("/credit/check", response={200: CheckOut, **ERRORS}, summary="逢办必查：按统一社会信用代码或身份证号查询信用状况及适用的奖惩措施")
def credit_check(request, scenario: str, uscc: str = "", id_number: str = ""):
    """Give `uscc` for a market entity, or `id_number` for a natural person (matched through the persons behind
    listed entities by a keyed hash). Every check is logged; report what you did with POST /credit/checks/{id}/report."""
    if bool(uscc) == bool(id_number):
        raise DomainError("请提供统一社会信用代码（uscc）或身份证号（id_number）之一", field="uscc")
    if uscc:
        return checks.check_entity(user=request.auth, uscc=uscc[:40], scenario=scenario[:40])
    return checks.check_person(user=request.auth, id_number=id_number[:40], scenario=scenario[:40])


class CheckReportIn(Schema):
    action: CheckAction
    note: str = Field("", max_length=500)


class CheckReportOut(Schema):
    id: int
    check_id: int
    action: str
    note: str
    created_at: dt.datetime


@router.post("/credit/checks/{int:check_id}/report", response={201: CheckReportOut, **ERRORS}, summary="逢查必报：报告查询后的处理情况")
def credit_check_report(request, check_id: int, payload: CheckReportIn):
    row = services.check_report(actor=request.auth, check_id=check_id, action=payload.action.value, note=payload.note)
    return Status(201, row)


class CheckLogOut(Schema):
    id: int
    created_at: dt.datetime
    user_id: int
    department_id: int | None
    scenario: str
    subject: str
    uscc: str
    grade: str
    lists: str
    measures: str
    outcome: str


@router.get("/credit/checks", response=list[CheckLogOut], summary="逢办必查记录（本部门）")
@paginate(PageNumberPagination, page_size=50)
def credit_check_log(request):
    return selectors.check_log(user=request.auth)


@router.get("/credit/scenarios", response=list[dict], summary="业务场景")
def credit_scenarios(request):
    return [{"code": c, "label": str(label)} for c, label in Scenario.choices]


# --- credit record and class -------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    type: str
    id: int
    category: str
    title: str
    date: dt.date
    department: str
    source: str
    negative: bool
    summary: str
    amount: decimal.Decimal | None
    severity: str
    regime: str
    min_until: dt.date | None
    published_until: dt.date | None
    in_window: bool
    disclosure: str
    withdrawn: bool
    repaired: bool
    restricted: bool
    repairable: bool


def _item_out(item, user) -> dict:
    restricted = item.restricted
    return {"type": item.type, "id": item.id, "category": item.category, "title": item.title, "date": item.date,
            "department": item.department, "source": "" if restricted else item.source, "negative": item.negative,
            "summary": "" if restricted else item.summary, "amount": None if restricted else item.amount,
            "severity": item.severity, "regime": item.period.regime_name if item.period else "",
            "min_until": item.period.min_until if item.period else None, "published_until": item.published_until,
            "in_window": item.in_window, "disclosure": item.disclosure_label, "withdrawn": item.withdrawn,
            "repaired": item.repaired, "restricted": restricted, "repairable": item.repairable}


class ExplanationRowOut(Schema):
    code: str
    name: str
    source: str
    unit: str
    value: decimal.Decimal
    points: decimal.Decimal
    weight: decimal.Decimal | None
    weighted: decimal.Decimal | None
    rule: str
    forced: bool


class ClassOut(Schema):
    grade: str
    label: str
    risk: str
    computed: str | None
    score: decimal.Decimal | None
    ungraded: bool
    as_of: dt.date | None
    indicator_set: str | None
    rows: list[ExplanationRowOut]
    adjustment: dict | None
    cutoffs: dict | None


class RecordOut(Schema):
    uscc: str
    name: str
    credit_class: ClassOut
    items: list[ItemOut]


def _class_out(exp: dict) -> dict:
    view = exp["grade"]
    staff = exp["staff"]
    return {"grade": view.grade, "label": view.label, "risk": view.risk, "computed": view.computed, "score": view.score,
            "ungraded": view.ungraded, "as_of": exp["as_of"],
            "indicator_set": view.run.indicator_set.version if view.run else None,
            "rows": [{**r.__dict__, "weight": r.weight if staff else None, "weighted": r.weighted if staff else None} for r in exp["rows"]],
            "adjustment": {k: (str(v) if v is not None else None) for k, v in exp["adjustment"].items()} if exp["adjustment"] else None,
            "cutoffs": {k: str(v) for k, v in exp["cutoffs"].items()} if exp["cutoffs"] else None}


@router.get("/credit/entities/{uscc}", response={200: RecordOut, **ERRORS}, summary="信用记录与信用风险分类（含计分说明）")
def credit_record(request, uscc: str):
    entity = selectors.entity_for(user=request.auth, uscc=uscc)
    exp = selectors.explanation(user=request.auth, entity=entity)
    return {"uscc": entity.uscc, "name": entity.name, "credit_class": _class_out(exp),
            "items": [_item_out(i, request.auth) for i in selectors.credit_record(user=request.auth, entity=entity)]}


class HistoryOut(Schema):
    as_of: dt.date
    grade: str
    score: decimal.Decimal


@router.get("/credit/entities/{uscc}/history", response={200: list[HistoryOut], **ERRORS}, summary="信用风险分类历史")
def credit_history(request, uscc: str):
    entity = selectors.entity_for(user=request.auth, uscc=uscc)
    return selectors.grade_history(entity=entity)


class AdjustmentIn(Schema):
    uscc: str = Field(..., max_length=18)
    to_grade: Grade
    reason: str = Field("", max_length=2000)


class AdjustmentOut(Schema):
    id: int
    uscc: str
    from_grade: str
    to_grade: str
    reason: str
    status: str
    valid_until: dt.date | None


@router.post("/credit/adjustments", response={201: AdjustmentOut, **ERRORS}, summary="申请人工调整信用风险分类")
def adjustment_create(request, payload: AdjustmentIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    return Status(201, services.adjustment_request(actor=request.auth, entity=entity, to_grade=payload.to_grade.value,
                                                   reason=payload.reason))


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


@router.post("/credit/adjustments/{int:pk}/decide", response={200: AdjustmentOut, **ERRORS}, summary="部门负责人审批人工调整")
def adjustment_decide(request, pk: int, payload: DecideIn):
    row = selectors.adjustment_get(user=request.auth, pk=pk)
    return services.adjustment_decide(actor=request.auth, adjustment=row, approve=payload.approve, note=payload.note)


# --- lists ------------------------------------------------------------------------------------------------------------------


class AbnormalOut(Schema):
    id: int
    uscc: str
    entity_name: str
    ground: str
    mode: str
    report_year: int | None
    listed_on: dt.date
    status: str
    removed_on: dt.date | None
    removal_reason: str

    @staticmethod
    def resolve_entity_name(obj) -> str:
        return obj.entity.name


@router.get("/credit/abnormal", response=list[AbnormalOut], summary="经营异常名录")
@paginate(PageNumberPagination, page_size=50)
def abnormal_list(request, status: str = "listed", q: str = ""):
    return selectors.abnormal_list(user=request.auth, status=status if status in ("listed", "removed", "") else "listed", q=q[:50])


class AbnormalIn(Schema):
    uscc: str = Field(..., max_length=18)
    ground: AbnormalGround
    facts: str = Field(..., max_length=4000)
    decision_no: str = Field("", max_length=100)


@router.post("/credit/abnormal", response={201: AbnormalOut, **ERRORS}, summary="决定列入经营异常名录")
def abnormal_create(request, payload: AbnormalIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    return Status(201, services.abnormal_list(actor=request.auth, entity=entity, ground=payload.ground.value, facts=payload.facts,
                                              decision_no=payload.decision_no))


class ReasonIn(Schema):
    reason: str = Field(..., max_length=300)


@router.post("/credit/abnormal/{int:pk}/remove", response={200: AbnormalOut, **ERRORS}, summary="移出经营异常名录")
def abnormal_remove(request, pk: int, payload: ReasonIn):
    return services.abnormal_remove(actor=request.auth, listing=selectors.abnormal_get(user=request.auth, pk=pk), reason=payload.reason)


class SeriousOut(Schema):
    id: int
    uscc: str
    entity_name: str
    ground: str
    facts: str
    basis: str
    status: str
    consent_required: bool
    consent_document: str
    decision_no: str
    listed_on: dt.date | None
    expires_on: dt.date | None
    removable_from: dt.date | None
    removed_on: dt.date | None
    people: list[dict]

    @staticmethod
    def resolve_entity_name(obj) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_people(obj) -> list[dict]:
        from jianguan.core.pii import mask_name

        return [{"name": mask_name(p.name), "role": p.role} for p in obj.people.all()]


@router.get("/credit/serious", response=list[SeriousOut], summary="严重违法失信名单（含提请）")
@paginate(PageNumberPagination, page_size=50)
def serious_list(request, status: str = ""):
    return selectors.serious_list(user=request.auth, status=status[:10]).prefetch_related("people")


class SeriousIn(Schema):
    uscc: str = Field(..., max_length=18)
    ground: SeriousGround
    facts: str = Field(..., max_length=4000)
    basis: str = Field(..., max_length=500)
    record_id: int | None = None


@router.post("/credit/serious", response={201: SeriousOut, **ERRORS}, summary="提请列入严重违法失信名单")
def serious_create(request, payload: SeriousIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    record = None
    if payload.record_id:
        from jianguan.records.selectors import record_get

        try:
            record = record_get(user=request.auth, pk=payload.record_id)
        except NotFound:
            raise DomainError("所依据的行政处罚记录不存在或您无权查看", field="record_id") from None
    return Status(201, services.serious_propose(actor=request.auth, entity=entity, ground=payload.ground.value, facts=payload.facts,
                                                basis=payload.basis, record=record))


class ConsentIn(Schema):
    document: str = Field(..., max_length=100)
    consent_on: dt.date


@router.post("/credit/serious/{int:pk}/approve", response={200: SeriousOut, **ERRORS}, summary="部门负责人批准列入")
def serious_approve(request, pk: int):
    return services.serious_approve(actor=request.auth, listing=selectors.serious_get(user=request.auth, pk=pk))


@router.post("/credit/serious/{int:pk}/consent", response={200: SeriousOut, **ERRORS}, summary="登记上一级部门同意并列入")
def serious_consent(request, pk: int, payload: ConsentIn):
    return services.serious_consent(actor=request.auth, listing=selectors.serious_get(user=request.auth, pk=pk),
                                    document=payload.document, consent_on=payload.consent_on)


@router.post("/credit/serious/{int:pk}/reject", response={200: SeriousOut, **ERRORS}, summary="不予列入")
def serious_reject(request, pk: int, payload: ReasonIn):
    return services.serious_reject(actor=request.auth, listing=selectors.serious_get(user=request.auth, pk=pk), reason=payload.reason)


# --- objections and repair ----------------------------------------------------------------------------------------------------


class ObjectionIn(Schema):
    uscc: str = Field(..., max_length=18)
    item_type: ItemType
    item_id: int
    reason: str = Field(..., max_length=4000)
    contact: str = Field("", max_length=100)


class ObjectionOut(Schema):
    id: int
    uscc: str
    item_type: str
    item_id: int
    item_title: str
    status: str
    outcome: str
    filed_on: dt.date
    due_on: dt.date
    decision_note: str


@router.post("/credit/objections", response={201: ObjectionOut, **ERRORS}, summary="对信用信息提出异议")
def objection_create(request, payload: ObjectionIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    return Status(201, services.objection_file(actor=request.auth, entity=entity, item_type=payload.item_type.value,
                                               item_id=payload.item_id, reason=payload.reason, contact=payload.contact))


@router.get("/credit/objections", response=list[ObjectionOut], summary="异议（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def objection_list(request, status: str = ""):
    return selectors.objections(user=request.auth, status=status[:10])


class ObjectionDecideIn(Schema):
    outcome: ObjectionOutcome
    note: str = Field(..., max_length=4000)


@router.post("/credit/objections/{int:pk}/decide", response={200: ObjectionOut, **ERRORS}, summary="异议处理决定")
def objection_decide(request, pk: int, payload: ObjectionDecideIn):
    return services.objection_decide(actor=request.auth, objection=selectors.objection_get(user=request.auth, pk=pk),
                                     outcome=payload.outcome.value, note=payload.note)


class RepairIn(Schema):
    uscc: str = Field(..., max_length=18)
    item_type: ItemType
    item_id: int
    reason: str = Field(..., max_length=4000)
    materials: str = Field(..., max_length=4000)
    pledge: str = Field(..., max_length=4000)


class RepairOut(Schema):
    id: int
    uscc: str
    item_type: str
    item_id: int
    item_title: str
    status: str
    filed_on: dt.date
    min_until: dt.date
    due_on: dt.date
    decision_note: str


@router.post("/credit/repairs", response={201: RepairOut, **ERRORS}, summary="申请信用修复")
def repair_create(request, payload: RepairIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    return Status(201, services.repair_apply(actor=request.auth, entity=entity, item_type=payload.item_type.value,
                                             item_id=payload.item_id, reason=payload.reason, materials=payload.materials,
                                             pledge=payload.pledge))


@router.get("/credit/repairs", response=list[RepairOut], summary="信用修复申请（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def repair_list(request, status: str = ""):
    return selectors.repairs(user=request.auth, status=status[:10])


@router.post("/credit/repairs/{int:pk}/decide", response={200: RepairOut, **ERRORS}, summary="信用修复决定")
def repair_decide(request, pk: int, payload: DecideIn):
    return services.repair_decide(actor=request.auth, application=selectors.repair_get(user=request.auth, pk=pk),
                                  approve=payload.approve, note=payload.note)


# --- commitments and annual reports --------------------------------------------------------------------------------------------


class CommitmentIn(Schema):
    uscc: str = Field(..., max_length=18)
    kind: CommitmentKind
    matter: str = Field(..., max_length=200)
    text: str = Field(..., max_length=4000)
    term_end: dt.date


class CommitmentOut(Schema):
    id: int
    uscc: str
    kind: str
    matter: str
    text: str
    made_on: dt.date
    term_end: dt.date
    status: str
    broken_on: dt.date | None


@router.post("/credit/commitments", response={201: CommitmentOut, **ERRORS}, summary="作出信用承诺")
def commitment_create(request, payload: CommitmentIn):
    entity = selectors.entity_for(user=request.auth, uscc=payload.uscc)
    return Status(201, services.commitment_make(actor=request.auth, entity=entity, kind=payload.kind.value, matter=payload.matter,
                                                text=payload.text, term_end=payload.term_end))


@router.get("/credit/commitments", response=list[CommitmentOut], summary="信用承诺")
@paginate(PageNumberPagination, page_size=50)
def commitment_list(request, uscc: str = ""):
    entity = selectors.entity_for(user=request.auth, uscc=uscc) if uscc else None
    return selectors.commitments(user=request.auth, entity=entity)


class AnnualReportIn(Schema):
    uscc: str = Field(..., max_length=18)
    year: int = Field(..., ge=2000, le=2100)
    operating: bool = True
    employees: int | None = Field(None, ge=0)
    revenue: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    total_assets: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    tax_paid: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    address: str = Field(..., max_length=300)
    phone: str = Field(..., max_length=30)
    email: str = Field("", max_length=100)
    website: str = Field("", max_length=200)
    publish_financials: bool = False


class AnnualReportOut(Schema):
    id: int
    uscc: str
    year: int
    filed_at: dt.datetime
    late: bool


@router.post("/credit/annual-reports", response={201: AnnualReportOut, **ERRORS}, summary="报送年度报告")
def annual_report_create(request, payload: AnnualReportIn):
    data = payload.dict()
    entity = selectors.entity_for(user=request.auth, uscc=data.pop("uscc"))
    year = data.pop("year")
    return Status(201, services.annual_report_file(actor=request.auth, entity=entity, year=year, data=data))


@router.get("/credit/annual-reports", response=list[AnnualReportOut], summary="年度报告")
@paginate(PageNumberPagination, page_size=50)
def annual_report_list(request, uscc: str = ""):
    entity = selectors.entity_for(user=request.auth, uscc=uscc) if uscc else None
    return selectors.annual_reports(user=request.auth, entity=entity)


# --- catalogue, regimes, grading ---------------------------------------------------------------------------------------------------


class MeasureRowOut(Schema):
    code: str
    name: str
    kind: str
    trigger: str
    scenario: str
    content: str
    legal_basis: str
    implementer: str
    is_active: bool
    effective_from: dt.date


@router.get("/credit/measures", response=list[MeasureRowOut], summary="联合奖惩措施清单")
def measure_list(request, scenario: str = "", trigger: str = ""):
    return list(selectors.measures(scenario=scenario[:20], trigger=trigger[:20]))


class MeasureIn(Schema):
    code: str = Field(..., max_length=30)
    name: str = Field(..., max_length=200)
    kind: Literal["restriction", "incentive"]
    trigger: str = Field(..., max_length=20)
    scenario: str = Field(..., max_length=20)
    content: str = Field(..., max_length=4000)
    legal_basis: str = Field(..., max_length=500)
    implementer: str = Field("", max_length=200)
    is_active: bool = True
    effective_from: dt.date


@router.post("/credit/measures", response={200: MeasureRowOut, **ERRORS}, summary="新增或修改联合奖惩措施（平台管理员）")
def measure_save(request, payload: MeasureIn):
    data = payload.dict()
    return services.measure_save(actor=request.auth, code=data.pop("code"), data=data)


class PeriodOut(Schema):
    regime: str
    regime_name: str
    citation: str
    severity: str
    published: bool
    min_until: dt.date
    max_until: dt.date
    early_removal: bool


@router.get("/credit/disclosure-period", response={200: PeriodOut, **ERRORS}, summary="按决定日期计算公示期（所适用的制度）")
def disclosure_period(request, decided_on: dt.date, severity: Severity, department_id: int | None = None, safety: bool = False):
    p = disclosure.period_for(decided_on=decided_on, severity=severity.value, department_id=department_id,
                              domain="safety" if safety else "")
    return {"regime": p.regime_code, "regime_name": p.regime_name, "citation": p.citation, "severity": p.severity,
            "published": p.published, "min_until": p.min_until, "max_until": p.max_until, "early_removal": p.early_removal}


class RunOut(Schema):
    id: int
    as_of: dt.date
    status: str
    entity_count: int
    counts: dict
    duration_ms: int


class RunIn(Schema):
    as_of: dt.date | None = None


@router.post("/credit/grade-runs", response={201: RunOut, **ERRORS}, summary="立即重算全部主体的信用风险分类（平台管理员）")
def grade_run(request, payload: RunIn):
    return Status(201, services.grade_run(actor=request.auth, as_of=payload.as_of))


@router.get("/credit/grade-runs", response=list[RunOut], summary="分类计算批次")
def grade_runs(request):
    return selectors.grade_runs()


# --- public --------------------------------------------------------------------------------------------------------------------------


class PublicItemOut(Schema):
    category: str
    title: str
    date: dt.date
    department: str
    until: dt.date | None
    negative: bool


class PublicOut(Schema):
    uscc: str
    name: str
    kind: str
    status: str
    legal_representative: str
    items: list[PublicItemOut]


@router.get("/credit/public/{uscc}", auth=None, response={200: PublicOut, **ERRORS}, summary="公众信用查询（仅公示期内信息，已脱敏）")
def public_record(request, uscc: str):
    return selectors.public_record(entity=selectors.public_entity(uscc=uscc[:40]))


class VerifyOut(Schema):
    code: str
    uscc: str
    entity_name: str
    generated_at: dt.datetime
    digest: str
    items: list[dict]


@router.get("/credit/public/reports/{code}", auth=None, response={200: VerifyOut, **ERRORS}, summary="信用报告验证")
def report_verify(request, code: str):
    return selectors.report_verify(code[:20])


# --- indicator system (platform owner) ------------------------------------------------------------------------------------------


class IndicatorIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=100)
    source: str = Field(..., max_length=40)
    window_months: int = Field(36, ge=1, le=120)
    rule: Literal["per_unit", "threshold"] = "per_unit"
    threshold: decimal.Decimal = Field(decimal.Decimal(1), ge=0, max_digits=14, decimal_places=2)
    points: decimal.Decimal = Field(..., ge=0, max_digits=7, decimal_places=2)
    cap: decimal.Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2)
    weight: decimal.Decimal = Field(decimal.Decimal(1), ge=0, max_digits=5, decimal_places=2)
    forces_grade: Literal["", "A", "B", "C", "D"] = ""


class IndicatorSetIn(Schema):
    version: str = Field(..., max_length=30)
    name: str = Field(..., max_length=200)
    effective_from: dt.date
    a_below: decimal.Decimal = Field(..., ge=0, max_digits=7, decimal_places=2)
    b_below: decimal.Decimal = Field(..., ge=0, max_digits=7, decimal_places=2)
    c_below: decimal.Decimal = Field(..., ge=0, max_digits=7, decimal_places=2)
    note: str = Field("", max_length=2000)
    indicators: list[IndicatorIn] = Field(..., min_length=1, max_length=50)


class IndicatorOut(Schema):
    code: str
    name: str
    source: str
    window_months: int
    rule: str
    threshold: decimal.Decimal
    points: decimal.Decimal
    cap: decimal.Decimal | None
    weight: decimal.Decimal
    forces_grade: str


class IndicatorSetOut(Schema):
    id: int
    version: str
    name: str
    effective_from: dt.date
    status: str
    a_below: decimal.Decimal
    b_below: decimal.Decimal
    c_below: decimal.Decimal
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


@router.get("/credit/indicator-sets", response=list[IndicatorSetOut], summary="信用风险指标体系（各版本）")
def indicator_sets(request):
    return list(selectors.indicator_sets())


@router.get("/credit/indicator-sources", response=list[dict], summary="指标可用的数据来源")
def indicator_sources(request):
    from .grading import SOURCES

    return [{"code": s.code, "label": str(s.label), "unit": str(s.unit), "kind": s.kind} for s in SOURCES.values()]


@router.post("/credit/indicator-sets", response={201: IndicatorSetOut, **ERRORS}, summary="新建指标体系版本（平台管理员，草稿）")
def indicator_set_create(request, payload: IndicatorSetIn):
    data = payload.dict()
    indicators = data.pop("indicators")
    return Status(201, services.indicator_set_create(actor=request.auth, indicators=indicators, **data))


@router.post("/credit/indicator-sets/{int:pk}/activate", response={200: IndicatorSetOut, **ERRORS}, summary="启用指标体系版本（平台管理员）")
def indicator_set_activate(request, pk: int):
    row = selectors.indicator_sets().filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return services.indicator_set_activate(actor=request.auth, indicator_set=row)
