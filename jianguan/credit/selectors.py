"""Every read of the credit app that a view or the API uses, already scoped to the user.

Credit information is county-wide and shareable (seed 三(二)1): every active staff member reads every entity's
credit record, class and list memberships; lines that come from another department's records show only what is
disclosed anyway. An enterprise reads its own record (personal information masked, indicator rules hidden).
Anonymous visitors read only what is in its disclosure window now, masked.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import params
from jianguan.core.errors import NotFound
from jianguan.core.pii import mask_name
from jianguan.core.scope import visible_department_ids
from jianguan.entities import selectors as entity_selectors
from jianguan.entities.selectors import TimelineItem, TimelinePart, is_staff_reader

from . import grading, items
from .grading import plain
from .choices import (GRADE_SHORT, ApprovalStatus, Grade, ListingStatus, ObjectionStatus, RunStatus, SeriousStatus)
from .models import (AbnormalListing, AnnualReport, CheckReport, Commitment, CreditCheck, CreditNotice, CreditReport,
                     DisclosureRegime, GradeAdjustment, GradeResult, GradeRun, IndicatorSet, Measure, Objection,
                     RepairApplication, SeriousListing)


def _is_enterprise(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_enterprise)


def entity_for(*, user, uscc: str):
    """The entity whose credit the user may read: staff any, an enterprise its own (NotFound otherwise)."""
    return entity_selectors.entity_get(user=user, uscc=uscc)


# --- class and its explanation --------------------------------------------------------------------------------------------


@dataclass
class GradeView:
    grade: str
    computed: str | None
    score: decimal.Decimal | None
    run: GradeRun | None
    adjustment: GradeAdjustment | None
    forced: list[str] = field(default_factory=list)
    ungraded: bool = False

    @property
    def label(self) -> str:
        return str(Grade(self.grade).label)

    @property
    def risk(self) -> str:
        return str(GRADE_SHORT[self.grade])


def latest_run() -> GradeRun | None:
    return GradeRun.objects.filter(status=RunStatus.DONE).select_related("indicator_set").order_by("-pk").first()


def _active_adjustment(entity, today: dt.date):
    return (GradeAdjustment.objects.filter(entity=entity, status=ApprovalStatus.APPROVED)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).order_by("-decided_at").first())


def grade_of(entity, *, run: GradeRun | None = None, today: dt.date | None = None) -> GradeView:
    today = today or timezone.localdate()
    run = run or latest_run()
    result = GradeResult.objects.filter(run=run, entity=entity).first() if run else None
    adjustment = _active_adjustment(entity, today)
    computed = result.grade if result else None
    grade = adjustment.to_grade if adjustment else (computed or params.get("credit.default_grade"))
    return GradeView(grade=grade, computed=computed, score=result.score if result else None, run=run if result else None,
                     adjustment=adjustment, forced=[c for c in (result.forced.split(",") if result else []) if c],
                     ungraded=result is None)


@dataclass
class ExplanationRow:
    code: str
    name: str
    source: str
    unit: str
    value: decimal.Decimal
    points: decimal.Decimal
    weight: decimal.Decimal
    weighted: decimal.Decimal
    rule: str
    forced: bool


def _rule_text(ind) -> str:
    if ind.rule == "threshold":
        text = _("≥%(t)s 计 %(p)s 分") % {"t": plain(ind.threshold), "p": plain(ind.points)}
    else:
        text = _("每单位 %(p)s 分") % {"p": plain(ind.points)}
        if ind.cap is not None:
            text += _("，上限 %(c)s 分") % {"c": plain(ind.cap)}
    if ind.forces_grade:
        text += _("；达到 %(t)s 直接判定为%(g)s类") % {"t": plain(ind.threshold), "g": ind.forces_grade}
    if grading.SOURCES[ind.source].kind == "record" or ind.source in ("commitment_broken_count", "new_entity"):
        text += _("（统计近%(m)d个月）") % {"m": ind.window_months}
    return text


def explanation(*, user, entity, run: GradeRun | None = None) -> dict:
    """The class with every indicator's value, points and weight. Staff see the rules; the entity sees its own
    values and points without the internal rules (thresholds, weights, forced classes)."""
    view = grade_of(entity, run=run)
    staff = is_staff_reader(user)
    rows: list[ExplanationRow] = []
    if view.run is not None:
        result = GradeResult.objects.get(run=view.run, entity=entity)
        indicators = list(view.run.indicator_set.indicators.order_by("order", "pk"))
        values = result.values.split(",")
        for ind, v in zip(indicators, values):
            value = decimal.Decimal(v or "0")
            pts = grading.points_of(ind, value)
            rows.append(ExplanationRow(code=ind.code, name=ind.name, source=str(grading.SOURCES[ind.source].label),
                                       unit=str(grading.SOURCES[ind.source].unit), value=plain(value), points=plain(pts),
                                       weight=plain(ind.weight), weighted=(pts * ind.weight).quantize(decimal.Decimal("0.01")),
                                       rule=_rule_text(ind) if staff else "", forced=ind.code in view.forced))
    cutoffs = None
    if view.run is not None and staff:
        s = view.run.indicator_set
        cutoffs = {"A": s.a_below, "B": s.b_below, "C": s.c_below, "version": s.version, "name": s.name}
    adjustment = None
    if view.adjustment is not None:
        adj = view.adjustment
        adjustment = {"from": adj.from_grade, "to": adj.to_grade, "reason": adj.reason if staff else _("经部门负责人批准的人工调整"),
                      "decided_at": adj.decided_at, "valid_until": adj.valid_until,
                      "decided_by": str(adj.decided_by.display_name) if staff and adj.decided_by else ""}
    return {"grade": view, "rows": rows, "cutoffs": cutoffs, "adjustment": adjustment, "staff": staff,
            "as_of": view.run.as_of if view.run else None}


def grade_history(*, entity, limit: int = 24) -> list[dict]:
    runs = list(GradeRun.objects.filter(status=RunStatus.DONE).order_by("-pk")[:limit])
    by_run = {r.run_id: r for r in GradeResult.objects.filter(run_id__in=[r.pk for r in runs], entity=entity)}
    return [{"run": r, "as_of": r.as_of, "grade": by_run[r.pk].grade, "score": by_run[r.pk].score} for r in runs if r.pk in by_run]


# --- the credit record ------------------------------------------------------------------------------------------------------


def credit_record(*, user, entity) -> list[items.CreditItem]:
    """Every credit item of the entity for staff (other departments' record lines restricted) or the entity itself."""
    if is_staff_reader(user):
        return items.assemble(entity, visible_departments=visible_department_ids(user), include_proposals=True)
    if _is_enterprise(user) and user.uscc == entity.uscc:
        return items.assemble(entity)
    raise NotFound()


def public_record(*, entity, today: dt.date | None = None) -> dict:
    """What anyone may see: items in their disclosure window now, masked (no personal data, no internal fields)."""
    today = today or timezone.localdate()
    rows = []
    for item in items.assemble(entity, today=today):
        if not item.in_window:
            continue
        rows.append({"category": item.category, "title": item.title, "date": item.date, "department": item.department,
                     "summary": item.summary if item.type != items.ItemType.RECORD or item.negative else "",
                     "amount": item.amount, "until": item.published_until, "negative": item.negative, "status": item.status,
                     "basis": item.period.label if item.period else "", "type": item.type})
    return {"entity": entity, "uscc": entity.uscc, "name": entity.name, "legal_representative": mask_name(entity.legal_representative),
            "kind": entity.get_kind_display(), "status": entity.get_status_display(), "established_on": entity.established_on,
            "address": entity.registered_address, "items": rows, "as_of": today,
            "abnormal": any(r["type"] == items.ItemType.ABNORMAL for r in rows),
            "serious": any(r["type"] == items.ItemType.SERIOUS for r in rows)}


def public_entity(*, uscc: str):
    from jianguan.core.identifiers import normalize_uscc

    found = entity_selectors.public_lookup(normalize_uscc(uscc))
    if not found:
        raise NotFound()
    return found[0]


def public_search(q: str) -> list:
    return entity_selectors.public_lookup(q)


def report_verify(code: str) -> CreditReport:
    row = CreditReport.objects.filter(code=(code or "").strip().upper()[:20]).first()
    if row is None:
        raise NotFound(_("验证码无效：没有这份信用报告"))
    return row


# --- lists -------------------------------------------------------------------------------------------------------------------


def _staff_or_none(user, qs):
    return qs if is_staff_reader(user) else qs.none()


def abnormal_list(*, user, status: str = "listed", q: str = "") -> QuerySet[AbnormalListing]:
    qs = _staff_or_none(user, AbnormalListing.objects.select_related("entity", "department"))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(uscc=q.strip().upper()) | Q(entity__name__contains=q.strip()))
    return qs.order_by("-listed_on", "-pk")


def serious_list(*, user, status: str = "") -> QuerySet[SeriousListing]:
    qs = _staff_or_none(user, SeriousListing.objects.select_related("entity", "department", "proposed_by", "approved_by"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_at", "-pk")


def serious_get(*, user, pk: int) -> SeriousListing:
    row = serious_list(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def abnormal_get(*, user, pk: int) -> AbnormalListing:
    row = abnormal_list(user=user, status="").filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


# --- facts of an enterprise ------------------------------------------------------------------------------------------------


def commitments(*, user, entity=None) -> QuerySet[Commitment]:
    qs = Commitment.objects.select_related("entity", "department")
    if _is_enterprise(user):
        qs = qs.filter(uscc=user.uscc)
    elif not is_staff_reader(user):
        return qs.none()
    if entity is not None:
        qs = qs.filter(entity=entity)
    return qs.order_by("-made_on", "-pk")


def annual_reports(*, user, entity=None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.select_related("entity")
    if _is_enterprise(user):
        qs = qs.filter(uscc=user.uscc)
    elif not is_staff_reader(user):
        return qs.none()
    if entity is not None:
        qs = qs.filter(entity=entity)
    return qs.order_by("-year")


def notices(*, user) -> QuerySet[CreditNotice]:
    if not _is_enterprise(user):
        return CreditNotice.objects.none()
    return CreditNotice.objects.filter(uscc=user.uscc).order_by("-pk")


def objections(*, user, status: str = "") -> QuerySet[Objection]:
    qs = Objection.objects.visible_to(user).select_related("entity", "department", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "-pk")


def objection_get(*, user, pk: int) -> Objection:
    row = objections(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def repairs(*, user, status: str = "") -> QuerySet[RepairApplication]:
    qs = RepairApplication.objects.visible_to(user).select_related("entity", "department", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "-pk")


def repair_get(*, user, pk: int) -> RepairApplication:
    row = repairs(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def adjustments(*, user, status: str = "") -> QuerySet[GradeAdjustment]:
    qs = GradeAdjustment.objects.visible_to(user).select_related("entity", "department", "requested_by", "decided_by")
    if _is_enterprise(user):
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-pk")


def adjustment_get(*, user, pk: int) -> GradeAdjustment:
    row = adjustments(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


# --- catalogue, regimes, indicator sets, runs, check log --------------------------------------------------------------------


def measures(*, scenario: str = "", trigger: str = "") -> QuerySet[Measure]:
    qs = Measure.objects.all()
    if scenario:
        qs = qs.filter(scenario=scenario)
    if trigger:
        qs = qs.filter(trigger=trigger)
    return qs.order_by("scenario", "order", "code")


def regimes() -> QuerySet[DisclosureRegime]:
    return DisclosureRegime.objects.prefetch_related("rules", "departments").order_by("family", "effective_from")


def indicator_sets() -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.prefetch_related("indicators").order_by("-effective_from", "-pk")


def grade_runs(limit: int = 24) -> list[GradeRun]:
    return list(GradeRun.objects.select_related("indicator_set").order_by("-pk")[:limit])


def grade_counts() -> dict:
    run = latest_run()
    return {"run": run, "counts": (run.counts if run else {})}


def check_log(*, user) -> QuerySet[CreditCheck]:
    """Checks of the user's departments (the owner: all); a staff member without a department sees their own."""
    if not is_staff_reader(user):
        return CreditCheck.objects.none()
    qs = CreditCheck.objects.all()
    ids = visible_department_ids(user)
    if ids is not None:
        qs = qs.filter(Q(department_id__in=ids) | Q(user_id=user.pk))
    return qs.order_by("-pk")


def reports_for_checks(check_ids: list[int]) -> dict[int, CheckReport]:
    out: dict[int, CheckReport] = {}
    for row in CheckReport.objects.filter(check_id__in=check_ids).order_by("pk"):
        out[row.check_id] = row  # the latest report wins
    return out


def pending_counts(*, user) -> dict:
    if not is_staff_reader(user):
        return {}
    return {"objections": objections(user=user, status=ObjectionStatus.SUBMITTED).count(),
            "repairs": repairs(user=user, status=ApprovalStatus.PENDING).count(),
            "adjustments": adjustments(user=user, status=ApprovalStatus.PENDING).count(),
            "serious": serious_list(user=user).filter(status__in=[SeriousStatus.PROPOSED, SeriousStatus.APPROVED]).count()}


# --- the 一户一档 timeline ---------------------------------------------------------------------------------------------------


def timeline(*, user, entity, kind: str = "", department_id: int | None = None, limit: int = 2000,
             offset: int = 0) -> TimelinePart:
    """List memberships and broken commitments on the entity's 一户一档 timeline (kind “credit”)."""
    part = TimelinePart()
    if kind and kind != "credit":
        return part
    if not (is_staff_reader(user) or (_is_enterprise(user) and user.uscc == entity.uscc)):
        return part
    label = _("信用")
    rows = []
    for a in AbnormalListing.objects.filter(entity=entity).select_related("department"):
        rows.append(TimelineItem(date=a.listed_on, kind="credit", kind_label=label, department_id=a.department_id,
                                 department=a.department.display_name, title=f"{a.get_mode_display()}：{a.get_ground_display()}",
                                 status=a.get_status_display()))
    for s in SeriousListing.objects.filter(entity=entity, status__in=[SeriousStatus.LISTED, SeriousStatus.REMOVED]).select_related("department"):
        rows.append(TimelineItem(date=s.listed_on, kind="credit", kind_label=label, department_id=s.department_id,
                                 department=s.department.display_name, title=_("列入严重违法失信名单"), summary=s.facts[:200],
                                 status=s.get_status_display()))
    for c in Commitment.objects.filter(entity=entity, status="broken"):
        rows.append(TimelineItem(date=c.broken_on, kind="credit", kind_label=label, department_id=c.department_id,
                                 department="", title=_("违背信用承诺：%(m)s") % {"m": c.matter}))
    rows = [r for r in rows if not department_id or r.department_id == department_id]
    if rows:
        part.kinds["credit"] = (label, len(rows))
        for r in rows:
            if r.department_id:
                part.departments[r.department_id] = r.department
    rows.sort(key=lambda r: r.date, reverse=True)
    part.items = rows[offset:offset + limit]
    part.total = len(rows)
    return part


# --- for the inspections module (set-based reads of every entity's class) ------------------------------------------------


def latest_grades() -> QuerySet:
    """(entity_id, grade) of every entity in the latest finished run, for sizing random inspections set-based (join or
    sub-query on entity_id). Approved manual adjustments are in `adjusted_grades()`; entities with no row are not yet
    graded and count as the `credit.default_grade` parameter."""
    run = latest_run()
    if run is None:
        return GradeResult.objects.none().values("entity_id", "grade")
    return GradeResult.objects.filter(run=run).values("entity_id", "grade")


def adjusted_grades(*, today: dt.date | None = None) -> dict[int, str]:
    """entity_id → class for approved manual adjustments in force (a handful of rows; the newest decision wins)."""
    today = today or timezone.localdate()
    out: dict[int, str] = {}
    for entity_id, grade in (GradeAdjustment.objects.filter(status=ApprovalStatus.APPROVED)
                             .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                             .order_by("decided_at").values_list("entity_id", "to_grade")):
        out[entity_id] = grade
    return out


def inspection_ratio(grade: str, at=None) -> tuple:
    """(min %, max %) of entities of class `grade` a random inspection draws (runtime parameters)."""
    from . import rules

    return rules.inspection_ratio(grade, at=at)


def grade_source() -> tuple[str, int | None]:
    """(table, run id) of the latest finished grading run's per-entity classes, for set-based joins in SQL by upper
    apps (the random-inspection candidate list): `LEFT JOIN table ON run_id = <id> AND entity_id = …`."""
    run = latest_run()
    return GradeResult._meta.db_table, (run.pk if run is not None else None)
