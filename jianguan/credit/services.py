"""Every write of the credit app: `<noun>_<verb>(*, actor, ...)`, one transaction, one audit event inside it.

Who may do what (enforced here; views and the API only translate):
- the platform owner configures indicator systems, the measure catalogue and regime bindings, and may run grading;
- department staff request class adjustments, propose serious listings, list/remove abnormal listings of their own
  department (leaders and administrators), and decide objections and repairs about their department's items;
- a department leader approves adjustments and serious listings of the department (never their own request);
- an enterprise files its annual report, makes commitments, objects to and applies to repair items of its own record.
Set-based batches (grading, the abnormal-list sweep, commitment checks) write one audit event per run with counts.
"""
from __future__ import annotations

import datetime as dt
import decimal
import secrets

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit, params, workdays
from jianguan.core.choices import Role
from jianguan.core.crypto import sm3_hex
from jianguan.core.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from jianguan.core.models import Department
from jianguan.core.scope import own_department_ids
from jianguan.entities import selectors as entity_selectors
from jianguan.entities.choices import EntityKind, EntityStatus
from jianguan.records import selectors as record_selectors

from . import checks, disclosure, grading, items
from .choices import (AbnormalGround, AbnormalMode, ApprovalStatus, CheckAction, CommitmentKind, CommitmentStatus, Grade,
                      IndicatorRule, IndicatorSetStatus, ItemType, ListingStatus, MeasureKind, ObjectionOutcome,
                      ObjectionStatus, Scenario, SeriousGround, SeriousStatus, Trigger)
from .models import (AbnormalListing, AnnualReport, CheckDigest, CheckReport, Commitment, CreditCheck, CreditNotice,
                     CreditReport, DisclosureRegime, GradeAdjustment, Indicator, IndicatorSet, ListingPerson, Measure, Objection,
                     RepairApplication, SeriousListing)

DECIDERS = {Role.DEPT_ADMIN, Role.DEPT_LEADER}


# --- helpers ---------------------------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_owner(actor) -> None:
    if actor is not None and not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以执行此操作"))


def _require_staff(actor) -> None:
    if actor is not None and not entity_selectors.is_staff_reader(actor):
        raise PermissionDeniedError(_("只有部门工作人员可以执行此操作"))


def _bureau(actor) -> Department:
    dept = actor.department
    if dept is None:
        raise DomainError(_("您的账号未分配部门"), field="department")
    return dept.parent if dept.parent_id else dept


def _require_decider(actor, department, *, leader_only: bool = False) -> None:
    """A leader (or administrator) of the department that owns the item, or the owner."""
    if actor is None or actor.is_owner:
        return
    roles = {Role.DEPT_LEADER} if leader_only else DECIDERS
    if actor.role not in roles:
        raise PermissionDeniedError(_("只有部门负责人可以审批") if leader_only else _("只有部门负责人或部门管理员可以作出决定"))
    if department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能处理本部门（含内设机构）的信用事项"))


def _require_own_entity(actor, entity) -> None:
    """An enterprise acts only for its own entity; staff may act on behalf of any (e.g. a paper application)."""
    if actor is None or entity_selectors.is_staff_reader(actor):
        return
    if not (actor.is_authenticated and actor.is_active and actor.is_enterprise and actor.uscc == entity.uscc):
        raise PermissionDeniedError(_("只能为本企业办理信用事项，不能对其他主体的信用信息提出申请"))


def _text(value: str, field: str, label: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写%(l)s") % {"l": label}, field=field)
    if max_length and len(value) > max_length:
        raise DomainError(_("%(l)s不能超过%(n)d字") % {"l": label, "n": max_length}, field=field)
    return value


def _notify(entity, title: str, body: str) -> CreditNotice:
    return CreditNotice.objects.create(entity=entity, uscc=entity.uscc, title=title[:200], body=body)


def registration_department() -> Department | None:
    """The department that lists entities for missing annual reports (登记机关), by the name keyword parameter."""
    keyword = params.get("credit.registration_department")
    return Department.objects.filter(parent__isnull=True, is_active=True, name__contains=keyword).order_by("sort_order", "pk").first()


# --- indicator system, grading, adjustments -----------------------------------------------------------------------------


@transaction.atomic
def indicator_set_create(*, actor, version: str, name: str, effective_from: dt.date, a_below, b_below, c_below,
                         indicators: list[dict], note: str = "") -> IndicatorSet:
    """A new version of the indicator system (draft). Each indicator: code, name, source, window_months, rule, threshold,
    points, cap, weight, forces_grade. Sources are the fixed data sources of grading.SOURCES."""
    _require_owner(actor)
    version = _text(version, "version", _("版本"), 30)
    if IndicatorSet.objects.filter(version=version).exists():
        raise Conflict(_("版本“%(v)s”已存在") % {"v": version}, field="version")
    cut = [decimal.Decimal(str(x)) for x in (a_below, b_below, c_below)]
    if not cut[0] <= cut[1] <= cut[2]:
        raise DomainError(_("分类分数线应满足 A ≤ B ≤ C"), field="b_below")
    if not indicators:
        raise DomainError(_("指标体系至少要有一个指标"), field="indicators")
    row = IndicatorSet.objects.create(version=version, name=_text(name, "name", _("名称"), 200), effective_from=effective_from,
                                      a_below=cut[0], b_below=cut[1], c_below=cut[2], note=note or "", created_by=actor)
    seen = set()
    for n, spec in enumerate(indicators, start=1):
        field = f"indicators.{n}"
        code = (spec.get("code") or "").strip()
        if not code or code in seen:
            raise DomainError(_("第%(n)d个指标的编码为空或重复") % {"n": n}, field=field)
        seen.add(code)
        if spec.get("source") not in grading.SOURCES:
            raise DomainError(_("第%(n)d个指标的数据来源“%(s)s”未知，可选：%(all)s")
                              % {"n": n, "s": spec.get("source"), "all": "、".join(grading.SOURCES)}, field=field)
        rule = spec.get("rule", IndicatorRule.PER_UNIT)
        if rule not in IndicatorRule.values:
            raise DomainError(_("第%(n)d个指标的计分规则未知") % {"n": n}, field=field)
        forces = spec.get("forces_grade") or ""
        if forces and forces not in Grade.values:
            raise DomainError(_("第%(n)d个指标的直接判定类别应为A、B、C或D") % {"n": n}, field=field)
        try:
            ind = Indicator(indicator_set=row, code=code, name=_text(spec.get("name"), field, _("指标名称"), 100), source=spec["source"],
                            window_months=int(spec.get("window_months", 36)), rule=rule,
                            threshold=decimal.Decimal(str(spec.get("threshold", 1))), points=decimal.Decimal(str(spec.get("points", 0))),
                            cap=decimal.Decimal(str(spec["cap"])) if spec.get("cap") not in (None, "") else None,
                            weight=decimal.Decimal(str(spec.get("weight", 1))), forces_grade=forces, order=n * 10)
            ind.full_clean(exclude=["indicator_set"])
        except (ValueError, decimal.InvalidOperation, ValidationError):
            raise DomainError(_("第%(n)d个指标的数值项无效") % {"n": n}, field=field) from None
        ind.save()
    audit.record(actor=actor, action="credit.indicator_set.create", obj=row, department_id=None,
                 after={"version": version, "indicators": [i.get("code") for i in indicators],
                        "cutoffs": [str(c) for c in cut], "effective_from": effective_from.isoformat()})
    return row


@transaction.atomic
def indicator_set_activate(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    """Put a version in force from its effective date; the versions it supersedes stay for history."""
    _require_owner(actor)
    row = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    if row.status == IndicatorSetStatus.ACTIVE:
        return row
    row.status, row.activated_at = IndicatorSetStatus.ACTIVE, timezone.now()
    row.save(update_fields=["status", "activated_at"])
    audit.record(actor=actor, action="credit.indicator_set.activate", obj=row, department_id=None, after={"version": row.version})
    return row


def grade_run(*, actor, as_of: dt.date | None = None):
    """The monthly batch (`jianguan credit_grade`): every entity, set-based, history kept."""
    _require_owner(actor)
    return grading.grade_all(actor=actor, as_of=as_of)


@transaction.atomic
def adjustment_request(*, actor, entity, to_grade: str, reason: str) -> GradeAdjustment:
    """Ask for a manual class change. Needs a reason; takes effect only when a department leader approves it."""
    from . import selectors

    _require_staff(actor)
    if actor is None:
        raise PermissionDeniedError(_("须由工作人员提出"))
    if to_grade not in Grade.values:
        raise DomainError(_("类别应为A、B、C或D"), field="to_grade")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("请填写调整理由（至少4个字），人工调整须说明依据"), field="reason")
    current = selectors.grade_of(entity)
    if current.grade == to_grade:
        raise DomainError(_("该主体当前已是%(g)s类") % {"g": to_grade}, field="to_grade")
    row = GradeAdjustment.objects.create(entity=entity, uscc=entity.uscc, department=_bureau(actor), from_grade=current.grade,
                                         to_grade=to_grade, reason=reason, requested_by=actor)
    audit.record(actor=actor, action="credit.adjustment.request", obj=row, after={"uscc": entity.uscc, "from": current.grade,
                                                                                 "to": to_grade}, note=reason)
    return row


@transaction.atomic
def adjustment_decide(*, actor, adjustment: GradeAdjustment, approve: bool, note: str = "") -> GradeAdjustment:
    row = GradeAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    _require_decider(actor, row.department, leader_only=True)
    if row.status != ApprovalStatus.PENDING:
        raise Conflict(_("该调整申请已审批"), field="status")
    if actor is not None and actor.pk == row.requested_by_id:
        raise PermissionDeniedError(_("不能审批本人提出的调整申请"))
    if not approve and not (note or "").strip():
        raise DomainError(_("不予批准须说明理由"), field="note")
    row.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    row.decided_by, row.decided_at, row.decision_note = actor, timezone.now(), (note or "").strip()
    if approve:
        row.valid_until = disclosure.add_months(_today(), params.get("credit.adjustment_months"))
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "valid_until"])
    audit.record(actor=actor, action="credit.adjustment.approve" if approve else "credit.adjustment.reject", obj=row,
                 before={"status": ApprovalStatus.PENDING}, after={"status": row.status, "to": row.to_grade,
                                                                   "valid_until": row.valid_until.isoformat() if row.valid_until else None},
                 note=row.decision_note)
    return row


# --- annual reports and commitments -------------------------------------------------------------------------------------

ANNUAL_REPORT_FIELDS = ["operating", "employees", "revenue", "total_assets", "tax_paid", "address", "phone", "email", "website",
                        "publish_financials"]


def annual_report_obliged(entity, year: int) -> bool:
    """Enterprises, 个体工商户 and cooperatives report each year from the year after they were registered."""
    if entity.kind not in (EntityKind.ENTERPRISE, EntityKind.INDIVIDUAL, EntityKind.COOPERATIVE):
        return False
    return entity.established_on is None or entity.established_on.year <= year


@transaction.atomic
def annual_report_file(*, actor, entity, year: int, data: dict, today: dt.date | None = None) -> AnnualReport:
    """File the annual report for `year` (企业信息公示暂行条例 第八条: 1 January – 30 June of the next year). A late
    report is accepted and marked; it corrects an abnormal listing for that year, which is removed."""
    _require_own_entity(actor, entity)
    today = today or _today()
    if year >= today.year:
        raise DomainError(_("只能报送上一年度及以前年度的年度报告"), field="year")
    if not annual_report_obliged(entity, year):
        raise DomainError(_("该主体%(y)s年度无需报送年度报告（当年设立的主体自下一年起报送）") % {"y": year}, field="year")
    if AnnualReport.objects.filter(entity=entity, year=year).exists():
        raise Conflict(_("%(y)s年度报告已报送") % {"y": year}, field="year")
    unknown = set(data) - set(ANNUAL_REPORT_FIELDS)
    if unknown:
        raise DomainError(_("不允许的字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    deadline = dt.date(year + 1, params.get("credit.annual_report_deadline_month", at=today),
                       params.get("credit.annual_report_deadline_day", at=today))
    filed_at = timezone.now() if today == _today() else timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    report = AnnualReport(entity=entity, uscc=entity.uscc, year=year, filed_at=filed_at,
                          filed_by=actor if actor is not None and actor.is_authenticated else None, late=today > deadline, **data)
    report.address = _text(report.address, "address", _("通信地址"), 300)
    report.phone = _text(report.phone, "phone", _("联系电话"), 30)
    try:
        report.full_clean(exclude=["entity", "filed_by"])
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from None
    report.save()
    removed = []
    for listing in AbnormalListing.objects.select_for_update().filter(entity=entity, ground=AbnormalGround.ANNUAL_REPORT,
                                                                       report_year=year, status=ListingStatus.LISTED):
        listing.status, listing.removed_on = ListingStatus.REMOVED, today
        listing.removal_reason = _("已补报%(y)s年度报告") % {"y": year}
        listing.save(update_fields=["status", "removed_on", "removal_reason"])
        removed.append(listing.pk)
    if removed:
        _notify(entity, _("移出经营异常名录"), _("您已补报%(y)s年度报告，已移出经营异常名录（或取消经营异常标记）。") % {"y": year})
    audit.record(actor=actor, action="credit.annual_report.file", obj=report, department_id=None,
                 after={"uscc": entity.uscc, "year": year, "late": report.late, "abnormal_removed": removed})
    return report


@transaction.atomic
def commitment_make(*, actor, entity, kind: str, matter: str, text: str, term_end: dt.date, department=None,
                    made_on: dt.date | None = None) -> Commitment:
    """Record a credit commitment (信用承诺). Its fulfilment is checked against later records by `commitments_check`."""
    _require_own_entity(actor, entity)
    if kind not in CommitmentKind.values:
        raise DomainError(_("未知的承诺类型“%(k)s”") % {"k": kind}, field="kind")
    made_on = made_on or _today()
    if term_end < made_on:
        raise DomainError(_("承诺期限不能早于承诺日期"), field="term_end")
    row = Commitment.objects.create(entity=entity, uscc=entity.uscc, kind=kind, department=department,
                                    matter=_text(matter, "matter", _("承诺事项"), 200), text=_text(text, "text", _("承诺内容"), 4000),
                                    made_on=made_on, term_end=term_end,
                                    created_by=actor if actor is not None and actor.is_authenticated else None)
    audit.record(actor=actor, action="credit.commitment.make", obj=row, department_id=department.pk if department else None,
                 after={"uscc": entity.uscc, "kind": kind, "matter": row.matter, "term_end": term_end.isoformat()})
    return row


BREACH_PROBLEMS = grading.PROBLEM_RESULTS
BREACH_SAMPLES = grading.FAILED_SAMPLES


@transaction.atomic
def commitments_check(*, actor=None, today: dt.date | None = None) -> dict:
    """Set-based fulfilment check: an active commitment is broken by a later penalty, a failed spot check or an
    inspection that found a problem within its term; one whose term has ended without such a record is fulfilled."""
    from django.db.models import Q

    today = today or _today()
    breach = (record_selectors.credit_facts(until=today)
              .filter(entity_id=OuterRef("entity_id"), occurred_on__gte=OuterRef("made_on"), occurred_on__lte=OuterRef("term_end"))
              .filter(Q(kind="penalty") | Q(kind="spot_check", payload__result__in=BREACH_SAMPLES)
                      | Q(kind="inspection", payload__result__in=BREACH_PROBLEMS))
              .order_by("occurred_on", "pk"))
    now = timezone.now()
    active = Commitment.objects.filter(status=CommitmentStatus.ACTIVE)
    broken = active.filter(Exists(breach)).update(
        status=CommitmentStatus.BROKEN, broken_on=Subquery(breach.values("occurred_on")[:1]),
        breach_record_id=Subquery(breach.values("pk")[:1]), breach_note=_("承诺期内有违法违规记录"), checked_at=now)
    fulfilled = Commitment.objects.filter(status=CommitmentStatus.ACTIVE, term_end__lt=today).update(
        status=CommitmentStatus.FULFILLED, checked_at=now)
    Commitment.objects.filter(status=CommitmentStatus.ACTIVE).update(checked_at=now)
    audit.record(actor=actor, action="credit.commitments.check", object_type="credit.commitment", object_id="",
                 object_repr=_("信用承诺履行核查"), department_id=None,
                 after={"date": today.isoformat(), "broken": broken, "fulfilled": fulfilled})
    return {"broken": broken, "fulfilled": fulfilled}


# --- 经营异常名录 -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def abnormal_sweep(*, actor=None, today: dt.date | None = None) -> dict:
    """After 30 June: list (个体工商户: mark) every obliged entity without last year's annual report; raise a serious-
    list proposal for listings unremedied for three years. Set-based INSERT … SELECT; idempotent."""
    today = today or _today()
    year = grading.report_due_year(today)
    dept = registration_department()
    listed = proposed = 0
    if dept is None:
        raise DomainError(_("找不到登记机关：请设置参数“credit.registration_department”"), field="department")
    registry_sql, registry_params = entity_selectors.registry_queryset().values("id", "uscc", "kind", "status", "established_on").query.sql_with_params()
    q = connection.ops.quote_name
    now = timezone.now()
    if year == today.year - 1:  # the window for last year's report has closed
        reports_sql, reports_params = AnnualReport.objects.filter(year=year).order_by().values("entity_id").query.sql_with_params()
        open_sql, open_params = (AbnormalListing.objects.filter(ground=AbnormalGround.ANNUAL_REPORT, report_year=year,
                                                                status=ListingStatus.LISTED).order_by().values("entity_id").query.sql_with_params())
        cols = ["entity_id", "uscc", "department_id", "ground", "mode", "report_year", "decision_no", "facts", "listed_on", "status",
                "removal_reason", "escalated", "created_at"]
        facts = _("未在%(m)d月%(d)d日前报送%(y)d年度报告（企业信息公示暂行条例 第八条、第十七条）") % {
            "m": params.get("credit.annual_report_deadline_month", at=today), "d": params.get("credit.annual_report_deadline_day", at=today), "y": year}
        sql = (f"INSERT INTO {q(AbnormalListing._meta.db_table)} ({', '.join(q(c) for c in cols)}) "
               f"SELECT e.id, e.uscc, %s, %s, CASE WHEN e.kind = %s THEN %s ELSE %s END, %s, '', %s, %s, %s, '', %s, %s "
               f"FROM ({registry_sql}) e WHERE e.kind IN (%s, %s, %s) AND e.status IN (%s, %s) "
               f"AND (e.established_on IS NULL OR e.established_on <= %s) "
               f"AND e.id NOT IN ({reports_sql}) AND e.id NOT IN ({open_sql})")
        with connection.cursor() as cur:
            cur.execute(sql, [dept.pk, AbnormalGround.ANNUAL_REPORT, EntityKind.INDIVIDUAL, AbnormalMode.MARK, AbnormalMode.LIST, year,
                              facts, today, ListingStatus.LISTED, False, now, *registry_params,
                              EntityKind.ENTERPRISE, EntityKind.INDIVIDUAL, EntityKind.COOPERATIVE, EntityStatus.EXISTING,
                              EntityStatus.OPERATING, dt.date(year, 12, 31), *reports_params, *open_params])
            listed = cur.rowcount
    # Three years listed without correction → proposal for the serious list (企业信息公示暂行条例 第十七条).
    cutoff = disclosure.add_months(today, -12 * params.get("credit.abnormal_to_serious_years", at=today))
    due = AbnormalListing.objects.filter(status=ListingStatus.LISTED, mode=AbnormalMode.LIST, escalated=False, listed_on__lte=cutoff)
    due_sql, due_params = due.order_by().values("id", "entity_id", "uscc", "department_id", "listed_on").query.sql_with_params()
    cols = ["entity_id", "uscc", "department_id", "ground", "facts", "basis", "abnormal_id", "status", "proposed_at", "consent_required",
            "consent_document", "decision_no", "removal_reason"]
    sql = (f"INSERT INTO {q(SeriousListing._meta.db_table)} ({', '.join(q(c) for c in cols)}) "
           f"SELECT a.entity_id, a.uscc, a.department_id, %s, %s, %s, a.id, %s, %s, %s, '', '', '' FROM ({due_sql}) a")
    with connection.cursor() as cur:
        cur.execute(sql, [SeriousGround.ABNORMAL_3Y, _("列入经营异常名录届满3年仍未履行相关义务"), _("企业信息公示暂行条例 第十七条"),
                          SeriousStatus.PROPOSED, now, params.get("credit.serious_list_upper_consent", at=today), *due_params])
        proposed = cur.rowcount
    if proposed:
        due.update(escalated=True)
    audit.record(actor=actor, action="credit.abnormal.sweep", object_type="credit.abnormallisting", object_id="",
                 object_repr=_("年报经营异常名录自动列入"), department_id=dept.pk,
                 after={"date": today.isoformat(), "report_year": year, "listed": listed, "serious_proposed": proposed})
    return {"report_year": year, "listed": listed, "serious_proposed": proposed}


@transaction.atomic
def abnormal_list(*, actor, entity, ground: str, facts: str, decision_no: str = "", listed_on: dt.date | None = None,
                  department=None) -> AbnormalListing:
    """List an entity for a ground other than the automatic one, by a department's decision (个体工商户 are marked)."""
    if ground not in AbnormalGround.values:
        raise DomainError(_("未知的列入事由"), field="ground")
    department = department or (_bureau(actor) if actor is not None else registration_department())
    _require_decider(actor, department)
    if AbnormalListing.objects.filter(entity=entity, ground=ground, report_year__isnull=True, status=ListingStatus.LISTED).exists():
        raise Conflict(_("该主体已因同一事由列入经营异常名录"), field="ground")
    row = AbnormalListing.objects.create(
        entity=entity, uscc=entity.uscc, department=department, ground=ground,
        mode=AbnormalMode.MARK if entity.kind == EntityKind.INDIVIDUAL else AbnormalMode.LIST,
        decision_no=(decision_no or "").strip()[:100], facts=_text(facts, "facts", _("事实"), 4000), listed_on=listed_on or _today(),
        created_by=actor)
    _notify(entity, _("列入经营异常名录"), _("因“%(g)s”，%(d)s 决定将您列入经营异常名录（个体工商户为标记经营异常状态）。改正后可申请移出。")
            % {"g": row.get_ground_display(), "d": department.name})
    audit.record(actor=actor, action="credit.abnormal.list", obj=row, after=audit.snapshot(row, ["uscc", "ground", "mode", "listed_on", "decision_no"]))
    return row


@transaction.atomic
def abnormal_remove(*, actor, listing: AbnormalListing, reason: str, on: dt.date | None = None) -> AbnormalListing:
    """Remove on correction (移出经营异常名录)."""
    row = AbnormalListing.objects.select_for_update().get(pk=listing.pk)
    _require_decider(actor, row.department)
    if row.status != ListingStatus.LISTED:
        raise Conflict(_("该主体已移出经营异常名录"), field="status")
    row.status, row.removed_on, row.removal_reason = ListingStatus.REMOVED, on or _today(), _text(reason, "reason", _("移出原因"), 300)
    row.save(update_fields=["status", "removed_on", "removal_reason"])
    _notify(row.entity, _("移出经营异常名录"), _("已将您移出经营异常名录：%(r)s") % {"r": row.removal_reason})
    audit.record(actor=actor, action="credit.abnormal.remove", obj=row, before={"status": ListingStatus.LISTED},
                 after={"status": row.status, "removed_on": row.removed_on.isoformat()}, note=row.removal_reason)
    return row


# --- 严重违法失信名单 -----------------------------------------------------------------------------------------------------


@transaction.atomic
def serious_propose(*, actor, entity, ground: str, facts: str, basis: str, record=None) -> SeriousListing:
    """提请列入: by a staff member of the department that imposed the penalty (SAMR Order 44)."""
    _require_staff(actor)
    if ground not in SeriousGround.values:
        raise DomainError(_("未知的列入事由"), field="ground")
    department = _bureau(actor) if actor is not None else registration_department()
    if record is not None and record.entity_id != entity.pk:
        raise DomainError(_("所依据的行政处罚不是该主体的记录"), field="record")
    if SeriousListing.objects.filter(entity=entity, status__in=[SeriousStatus.PROPOSED, SeriousStatus.APPROVED]).exists():
        raise Conflict(_("该主体已有待审批的列入提请"), field="entity")
    row = SeriousListing.objects.create(entity=entity, uscc=entity.uscc, department=department, ground=ground,
                                        facts=_text(facts, "facts", _("违法失信事实"), 4000), basis=_text(basis, "basis", _("依据"), 500),
                                        record=record, proposed_by=actor, proposed_at=timezone.now(),
                                        consent_required=params.get("credit.serious_list_upper_consent"))
    audit.record(actor=actor, action="credit.serious.propose", obj=row, after=audit.snapshot(row, ["uscc", "ground", "basis", "record"]))
    return row


def _serious_activate(row: SeriousListing, on: dt.date) -> None:
    row.status, row.listed_on = SeriousStatus.LISTED, on
    row.expires_on = disclosure.add_months(on, 12 * params.get("credit.serious_list_years", at=on))
    row.removable_from = disclosure.add_months(on, 12 * params.get("credit.serious_list_min_years", at=on))
    if not row.decision_no:
        row.decision_no = f"{row.department.short_name or row.department.name}失信〔{on.year}〕{row.pk}号"
    people = entity_selectors.people_of(row.entity, checks.RESPONSIBLE_ROLES)
    ListingPerson.objects.bulk_create([ListingPerson(listing=row, person_id=p.person_id, role=p.role, name=p.person.name) for p in people],
                                      ignore_conflicts=True)
    _notify(row.entity, _("列入严重违法失信名单"),
            _("%(d)s 决定将您列入严重违法失信名单（%(no)s），公示至 %(until)s；列入满 %(min)s 后，已履行义务、消除不良影响的，可申请提前移出。")
            % {"d": row.department.name, "no": row.decision_no, "until": row.expires_on, "min": row.removable_from})


@transaction.atomic
def serious_approve(*, actor, listing: SeriousListing, on: dt.date | None = None) -> SeriousListing:
    """部门负责人批准. When the upper level must consent (parameter), the listing waits for it; otherwise it is listed."""
    row = SeriousListing.objects.select_for_update().select_related("department", "entity").get(pk=listing.pk)
    _require_decider(actor, row.department, leader_only=True)
    if row.status != SeriousStatus.PROPOSED:
        raise Conflict(_("该提请不在待审批状态"), field="status")
    row.approved_by, row.approved_at = actor, timezone.now()
    row.consent_required = params.get("credit.serious_list_upper_consent", at=on or _today())
    if row.consent_required:
        row.status = SeriousStatus.APPROVED
    else:
        _serious_activate(row, on or _today())
    row.save()
    audit.record(actor=actor, action="credit.serious.approve", obj=row, before={"status": SeriousStatus.PROPOSED},
                 after={"status": row.status, "consent_required": row.consent_required,
                        "people": list(row.people.values_list("person_id", flat=True))})
    return row


@transaction.atomic
def serious_consent(*, actor, listing: SeriousListing, document: str, consent_on: dt.date) -> SeriousListing:
    """Record the upper level's consent (上一级市场监管部门同意) and list the entity from that day."""
    row = SeriousListing.objects.select_for_update().select_related("department", "entity").get(pk=listing.pk)
    _require_decider(actor, row.department)
    if row.status != SeriousStatus.APPROVED:
        raise Conflict(_("该提请尚未经部门批准，或已处理"), field="status")
    row.consent_document, row.consent_on = _text(document, "document", _("上级同意文号"), 100), consent_on
    _serious_activate(row, consent_on)
    row.save()
    audit.record(actor=actor, action="credit.serious.consent", obj=row, before={"status": SeriousStatus.APPROVED},
                 after={"status": row.status, "consent_document": row.consent_document, "listed_on": row.listed_on.isoformat(),
                        "expires_on": row.expires_on.isoformat()})
    return row


@transaction.atomic
def serious_reject(*, actor, listing: SeriousListing, reason: str) -> SeriousListing:
    row = SeriousListing.objects.select_for_update().get(pk=listing.pk)
    _require_decider(actor, row.department, leader_only=True)
    if row.status not in (SeriousStatus.PROPOSED, SeriousStatus.APPROVED):
        raise Conflict(_("该提请不在待审批状态"), field="status")
    before = row.status
    row.status, row.removal_reason = SeriousStatus.REJECTED, _text(reason, "reason", _("理由"), 300)
    row.save(update_fields=["status", "removal_reason"])
    audit.record(actor=actor, action="credit.serious.reject", obj=row, before={"status": before}, after={"status": row.status},
                 note=row.removal_reason)
    return row


def _serious_remove(row: SeriousListing, on: dt.date, reason: str) -> None:
    row.status, row.removed_on, row.removal_reason = SeriousStatus.REMOVED, on, reason[:300]
    row.save(update_fields=["status", "removed_on", "removal_reason"])


# --- objections and repair -------------------------------------------------------------------------------------------------


def _item_department(item: items.CreditItem) -> Department:
    if item.department_id:
        return Department.objects.get(pk=item.department_id)
    dept = registration_department()
    if dept is None:
        raise DomainError(_("找不到受理部门"), field="item")
    return dept


def _find_item(entity, item_type: str, item_id, today: dt.date) -> items.CreditItem:
    if item_type not in ItemType.values:
        raise DomainError(_("未知的信息类别“%(t)s”") % {"t": item_type}, field="item_type")
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise DomainError(_("信息ID无效"), field="item_id") from None
    item = items.find_item(entity, item_type, item_id, today=today)
    if item is None:
        raise NotFound(_("该主体的信用记录中没有这条信息"))
    return item


@transaction.atomic
def objection_file(*, actor, entity, item_type: str, item_id: int, reason: str, contact: str = "", applicant_name: str = "",
                   today: dt.date | None = None) -> Objection:
    """异议: the party disputes an item of its own credit record; due in working days (deadline.credit_objection)."""
    _require_own_entity(actor, entity)
    today = today or _today()
    item = _find_item(entity, item_type, item_id, today)
    if item.objection_open:
        raise Conflict(_("该信息已有正在处理的异议"), field="item_id")
    if item.withdrawn:
        raise Conflict(_("该信息已因异议成立而更正"), field="item_id")
    due = workdays.deadline("deadline.credit_objection", today)
    row = Objection.objects.create(entity=entity, uscc=entity.uscc, item_type=item.type, item_id=item.id,
                                   item_title=f"{item.category}：{item.title}"[:300], department=_item_department(item),
                                   applicant=actor if actor is not None and actor.is_authenticated else None,
                                   applicant_name=(applicant_name or (actor.display_name if actor is not None else "") or entity.name)[:100],
                                   contact=(contact or "").strip()[:100], reason=_text(reason, "reason", _("异议理由"), 4000),
                                   filed_on=today, due_on=due.due)
    audit.record(actor=actor, action="credit.objection.file", obj=row,
                 after={"uscc": entity.uscc, "item": item.key, "due_on": due.due.isoformat()}, note=due.description)
    return row


@transaction.atomic
def objection_decide(*, actor, objection: Objection, outcome: str, note: str) -> Objection:
    """Decide: corrected (the item leaves the record; a listing is removed, a broken commitment restored) or upheld.
    The applicant is told either way."""
    row = Objection.objects.select_for_update().select_related("entity", "department").get(pk=objection.pk)
    _require_decider(actor, row.department)
    if row.status != ObjectionStatus.SUBMITTED:
        raise Conflict(_("该异议已办结"), field="status")
    if outcome not in ObjectionOutcome.values:
        raise DomainError(_("处理结果应为“更正”或“维持”"), field="outcome")
    note = _text(note, "note", _("处理意见"), 4000)
    today = _today()
    if outcome == ObjectionOutcome.CORRECTED:
        if row.item_type == ItemType.ABNORMAL:
            AbnormalListing.objects.filter(pk=row.item_id, status=ListingStatus.LISTED).update(
                status=ListingStatus.REMOVED, removed_on=today, removal_reason=_("异议成立，予以更正"))
        elif row.item_type == ItemType.SERIOUS:
            listing = SeriousListing.objects.filter(pk=row.item_id).first()
            if listing is not None and listing.status == SeriousStatus.LISTED:
                _serious_remove(listing, today, _("异议成立，予以更正"))
        elif row.item_type == ItemType.COMMITMENT:
            Commitment.objects.filter(pk=row.item_id, status=CommitmentStatus.BROKEN).update(
                status=CommitmentStatus.ACTIVE, broken_on=None, breach_record=None, breach_note=_("异议成立，违诺认定已更正"))
    row.status, row.outcome, row.decision_note = ObjectionStatus.DECIDED, outcome, note
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save(update_fields=["status", "outcome", "decision_note", "decided_by", "decided_at"])
    _notify(row.entity, _("信用信息异议处理结果"), _("您对“%(item)s”提出的异议已办结：%(outcome)s。%(note)s")
            % {"item": row.item_title, "outcome": ObjectionOutcome(outcome).label, "note": note})
    audit.record(actor=actor, action="credit.objection.decide", obj=row, before={"status": ObjectionStatus.SUBMITTED},
                 after={"status": row.status, "outcome": outcome, "item": f"{row.item_type}:{row.item_id}"}, note=note)
    return row


REPAIRABLE = {ItemType.RECORD, ItemType.COMMITMENT, ItemType.SERIOUS}


@transaction.atomic
def repair_apply(*, actor, entity, item_type: str, item_id: int, reason: str, materials: str, pledge: str, attachment=None,
                 applicant_name: str = "", today: dt.date | None = None) -> RepairApplication:
    """信用修复: allowed after the item's minimum disclosure period (regime in force at the decision date), while it is
    still published, for a kind that may be removed early, and (for penalties) not while on a list."""
    _require_own_entity(actor, entity)
    today = today or _today()
    item = _find_item(entity, item_type, item_id, today)
    if item.type not in REPAIRABLE or not item.negative:
        raise DomainError(_("该信息不属于可申请信用修复的失信信息"), field="item_type")
    if item.repair_open:
        raise Conflict(_("该信息已有正在办理的修复申请"), field="item_id")
    if not item.in_window:
        raise DomainError(_("该信息已不在公示期内，无需修复"), field="item_id")
    if item.period is not None and not item.period.early_removal:
        raise DomainError(_("依照%(r)s，%(k)s的处罚信息不得提前停止公示") % {
            "r": item.period.regime_name, "k": "、".join(item.extra.get("penalty_kinds", []))}, field="item_id")
    if item.repair_from is None or today < item.repair_from:
        raise DomainError(_("尚未届满最短公示期：%(d)s 之后方可申请信用修复（%(basis)s）") % {
            "d": item.repair_from, "basis": item.period.label if item.period else _("严重违法失信名单列入满最短期限")},
            field="item_id", code="repair_too_early")
    if item.extra.get("repair_blocked"):
        raise DomainError(item.extra["repair_blocked"], field="item_id")
    due = workdays.deadline("deadline.credit_repair", today)
    row = RepairApplication(entity=entity, uscc=entity.uscc, item_type=item.type, item_id=item.id,
                            item_title=f"{item.category}：{item.title}"[:300], department=_item_department(item),
                            applicant=actor if actor is not None and actor.is_authenticated else None,
                            applicant_name=(applicant_name or (actor.display_name if actor is not None else "") or entity.name)[:100],
                            reason=_text(reason, "reason", _("纠正失信行为情况"), 4000),
                            materials=_text(materials, "materials", _("证明材料"), 4000), pledge=_text(pledge, "pledge", _("信用修复承诺"), 4000),
                            filed_on=today, min_until=item.repair_from, due_on=due.due)
    if attachment is not None:
        row.attachment = attachment
    row.save()
    audit.record(actor=actor, action="credit.repair.apply", obj=row,
                 after={"uscc": entity.uscc, "item": item.key, "min_until": item.repair_from.isoformat(), "due_on": due.due.isoformat()})
    return row


@transaction.atomic
def repair_decide(*, actor, application: RepairApplication, approve: bool, note: str) -> RepairApplication:
    """Approve (publication stops now; a serious listing is removed early; the pledge becomes a 信用修复型 commitment) or
    refuse with reasons. The applicant is told either way."""
    row = RepairApplication.objects.select_for_update().select_related("entity", "department").get(pk=application.pk)
    _require_decider(actor, row.department)
    if row.status != ApprovalStatus.PENDING:
        raise Conflict(_("该修复申请已办结"), field="status")
    note = _text(note, "note", _("审核意见"), 4000)
    today = _today()
    row.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    row.decision_note, row.decided_by, row.decided_at = note, actor, timezone.now()
    row.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    if approve:
        if row.item_type == ItemType.SERIOUS:
            listing = SeriousListing.objects.select_for_update().get(pk=row.item_id)
            if listing.status == SeriousStatus.LISTED:
                _serious_remove(listing, today, _("信用修复，提前移出"))
        Commitment.objects.create(entity=row.entity, uscc=row.uscc, kind=CommitmentKind.REPAIR, department=row.department,
                                  matter=_("信用修复承诺：%(t)s") % {"t": row.item_title[:150]}, text=row.pledge, made_on=today,
                                  term_end=disclosure.add_months(today, 12), created_by=row.applicant)
    _notify(row.entity, _("信用修复申请办理结果"), _("您就“%(item)s”提出的信用修复申请%(result)s。%(note)s")
            % {"item": row.item_title, "result": _("已获批准，相关信息停止公示") if approve else _("未获批准"), "note": note})
    audit.record(actor=actor, action="credit.repair.approve" if approve else "credit.repair.reject", obj=row,
                 before={"status": ApprovalStatus.PENDING}, after={"status": row.status, "item": f"{row.item_type}:{row.item_id}"},
                 note=note)
    return row


@transaction.atomic
def notice_read(*, actor, notice: CreditNotice) -> None:
    if actor is None or not actor.is_enterprise or actor.uscc != notice.uscc:
        raise NotFound()
    if notice.read_at is None:
        CreditNotice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
        audit.record(actor=actor, action="credit.notice.read", obj=notice, department_id=None)


# --- joint punishment catalogue and regimes -------------------------------------------------------------------------------

MEASURE_FIELDS = ["name", "kind", "trigger", "scenario", "content", "legal_basis", "implementer", "is_active", "effective_from", "order"]


@transaction.atomic
def measure_save(*, actor, code: str, data: dict) -> Measure:
    """Create or change a catalogue entry (联合奖惩措施清单); the cache of the check is refreshed after commit."""
    _require_owner(actor)
    code = _text(code, "code", _("编码"), 30)
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise DomainError(_("不允许的字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    for key, choices in (("kind", MeasureKind), ("trigger", Trigger), ("scenario", Scenario)):
        if key in data and data[key] not in choices.values:
            raise DomainError(_("“%(v)s”不是有效的取值") % {"v": data[key]}, field=key)
    row = Measure.objects.select_for_update().filter(code=code).first()
    before = audit.snapshot(row) if row else None
    if row is None:
        row = Measure(code=code, effective_from=data.get("effective_from") or _today())
    for key, value in data.items():
        setattr(row, key, value)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from None
    row.save()
    transaction.on_commit(checks.invalidate)
    audit.record(actor=actor, action="credit.measure.save", obj=row, department_id=None, before=before, after=audit.snapshot(row))
    return row


@transaction.atomic
def regime_bind_departments(*, actor, regime: DisclosureRegime, departments: list) -> DisclosureRegime:
    """Say which departments' penalties a departmental regime (SAMR Order 45) governs."""
    _require_owner(actor)
    before = sorted(regime.departments.values_list("pk", flat=True))
    regime.departments.set(departments)
    transaction.on_commit(disclosure.invalidate)
    audit.record(actor=actor, action="credit.regime.bind", obj=regime, department_id=None, before={"departments": before},
                 after={"departments": sorted(d.pk for d in departments)})
    return regime


# --- 逢办必查 reports and the check-log digest ------------------------------------------------------------------------------


def check_report(*, actor, check_id: int, action: str, note: str = "") -> CheckReport:
    """逢查必报: what the department did after a check. Only the checking department (or the owner) reports on it."""
    if action not in CheckAction.values:
        raise DomainError(_("未知的处理情况“%(a)s”") % {"a": action}, field="action")
    check = CreditCheck.objects.filter(pk=check_id).only("pk", "department_id", "user_id").first()
    if check is None or actor is None or not entity_selectors.is_staff_reader(actor):
        raise NotFound()
    if not actor.is_owner and check.user_id != actor.pk and check.department_id not in own_department_ids(actor):
        raise NotFound()
    if action in (CheckAction.EXEMPTED, CheckAction.REFERRED) and not (note or "").strip():
        raise DomainError(_("请说明理由或移送去向"), field="note")
    return CheckReport.objects.create(check_id=check.pk, action=action, note=(note or "").strip()[:500], user_id=actor.pk,
                                      department_id=actor.department_id)


def _canonical_check(row) -> str:
    return "|".join(str(v) for v in (row.pk, row.created_at.astimezone(dt.timezone.utc).isoformat(), row.user_id, row.department_id,
                                      row.scenario, row.subject, row.uscc, row.person_hash, row.entity_id, row.grade, row.lists,
                                      row.measures, row.outcome))


def _canonical_report(row) -> str:
    return "|".join(str(v) for v in (row.pk, row.check_id, row.action, row.note, row.created_at.astimezone(dt.timezone.utc).isoformat(),
                                      row.user_id, row.department_id))


DIGEST_SOURCES = {"check": (CreditCheck, _canonical_check), "report": (CheckReport, _canonical_report)}


def digest_of(kind: str, first_id: int, last_id: int, prev: str) -> tuple[str, int]:
    """Keyed SM3 chained over the rows of a range, in id order (streamed)."""
    from django.conf import settings

    from jianguan.core.crypto import hmac_sm3_hex

    model, canon = DIGEST_SOURCES[kind]
    acc, count = prev, 0
    for row in model.objects.filter(pk__gte=first_id, pk__lte=last_id).order_by("pk").iterator(chunk_size=5000):
        acc = hmac_sm3_hex(settings.JIANGUAN_AUDIT_KEY, acc + "\n" + canon(row))
        count += 1
    return acc, count


@transaction.atomic
def check_digest(*, actor=None) -> list[CheckDigest]:
    """Fold every check and report logged since the last digest into one chained digest each, recorded in the audit chain."""
    out = []
    for kind, (model, _canon) in DIGEST_SOURCES.items():
        last = CheckDigest.objects.select_for_update().filter(kind=kind).order_by("-last_id").first()
        start = (last.last_id + 1) if last else 1
        end = model.objects.filter(pk__gte=start).order_by("-pk").values_list("pk", flat=True).first()
        if end is None:
            continue
        prev = last.digest if last else "0" * 64
        digest, count = digest_of(kind, start, end, prev)
        row = CheckDigest.objects.create(kind=kind, first_id=start, last_id=end, count=count, digest=digest, prev_digest=prev)
        audit.record(actor=actor, action="credit.check_log.digest", obj=row, department_id=None,
                     after={"kind": kind, "first_id": start, "last_id": end, "count": count, "digest": digest})
        out.append(row)
    return out


def check_digest_verify() -> list[str]:
    """Recompute every digest; returns the problems found (empty when the log is intact)."""
    problems = []
    for kind in DIGEST_SOURCES:
        prev = "0" * 64
        for row in CheckDigest.objects.filter(kind=kind).order_by("last_id"):
            digest, count = digest_of(kind, row.first_id, row.last_id, prev)
            if row.prev_digest != prev or digest != row.digest or count != row.count:
                problems.append(_("%(k)s 第%(a)d–%(b)d条与摘要不符（记录被改动、删除或插入）") % {"k": kind, "a": row.first_id, "b": row.last_id})
            prev = row.digest
    return problems


# --- credit report ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def report_generate(*, actor, entity) -> tuple[CreditReport, bytes]:
    """The public credit report (.docx) of what is in the disclosure window now, with a verification code."""
    from . import report as report_doc
    from . import selectors

    public = selectors.public_record(entity=entity)
    code = "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(12))
    now = timezone.now()
    content = report_doc.render(public=public, code=code, generated_at=now)
    row = CreditReport.objects.create(code=code, entity=entity, uscc=entity.uscc, entity_name=entity.name, generated_at=now,
                                      requested_by=actor if actor is not None and actor.is_authenticated else None,
                                      items=[{"category": i["category"], "title": i["title"], "date": i["date"].isoformat(),
                                              "department": i["department"], "until": i["until"].isoformat() if i["until"] else None}
                                             for i in public["items"]],
                                      digest=sm3_hex(content))
    audit.record(actor=actor if actor is not None and actor.is_authenticated else None, action="credit.report.generate", obj=row,
                 department_id=None, after={"uscc": entity.uscc, "code": code, "items": len(row.items), "digest": row.digest})
    return row, content
