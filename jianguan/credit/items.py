"""The credit record of one entity, assembled at read time from the aggregated records and the credit app's own facts.

Every item carries its source, date and disclosure status; the status is computed now from the regime in force at
the item's decision date, never stored (so it cannot go stale): an item leaves the public record by itself at its
maximum period, when a repair is approved, or when an objection corrects it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.records import selectors as record_selectors
from jianguan.records.choices import RecordKind

from . import disclosure
from .choices import (ApprovalStatus, CommitmentStatus, ItemType, ListingStatus, ObjectionOutcome, ObjectionStatus,
                      SeriousStatus, Severity)

#: Record kinds that belong on a credit record (complaints do not: they are not credit information, and reporters
#: are protected).
CREDIT_RECORD_KINDS = [RecordKind.PENALTY, RecordKind.COERCION, RecordKind.DISHONEST, RecordKind.JUDGMENT,
                       RecordKind.SPOT_CHECK, RecordKind.INSPECTION]
NEGATIVE_KINDS = {RecordKind.PENALTY, RecordKind.COERCION, RecordKind.DISHONEST}


@dataclass
class CreditItem:
    type: str
    id: int
    category: str  # label of the kind of item
    title: str
    date: dt.date
    department_id: int | None
    department: str
    source: str
    negative: bool
    summary: str = ""
    amount: object = None
    severity: str = ""
    period: disclosure.Period | None = None
    published_until: dt.date | None = None
    in_window: bool = False
    status: str = ""
    withdrawn: bool = False  # an objection corrected it
    repaired: bool = False  # a repair application was approved
    objection_open: bool = False
    repair_open: bool = False
    restricted: bool = False  # staff outside the owning department's scope see only the line
    repairable: bool = False  # the repair rules would accept an application today
    repair_from: dt.date | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.type}:{self.id}"

    @property
    def disclosure_label(self) -> str:
        if self.withdrawn:
            return _("已更正（异议成立）")
        if self.repaired:
            return _("已修复，停止公示")
        if self.in_window:
            return _("公示中，至 %(d)s") % {"d": self.published_until} if self.published_until else _("公示中")
        if self.period is not None and not self.period.published:
            return _("依规不予公示")
        return _("不在公示期")


def _department_names() -> dict[int, str]:
    from jianguan.core.models import Department

    return {pk: short or name for pk, short, name in Department.objects.values_list("pk", "short_name", "name")}


def assemble(entity, *, today: dt.date | None = None, visible_departments=None, include_proposals: bool = False) -> list[CreditItem]:
    """All credit items of `entity`, newest first. `visible_departments` (None = all) marks records of other
    departments as restricted lines."""
    from .models import AbnormalListing, AnnualReport, Commitment, Objection, RepairApplication, SeriousListing

    today = today or timezone.localdate()
    depts = _department_names()
    corrected, open_objections = set(), set()
    for item_type, item_id, status, outcome in Objection.objects.filter(entity=entity).values_list("item_type", "item_id", "status", "outcome"):
        if outcome == ObjectionOutcome.CORRECTED:
            corrected.add((item_type, item_id))
        if status == ObjectionStatus.SUBMITTED:
            open_objections.add((item_type, item_id))
    repaired, open_repairs = set(), set()
    for item_type, item_id, status in RepairApplication.objects.filter(entity=entity).values_list("item_type", "item_id", "status"):
        if status == ApprovalStatus.APPROVED:
            repaired.add((item_type, item_id))
        elif status == ApprovalStatus.PENDING:
            open_repairs.add((item_type, item_id))
    has_listing = (AbnormalListing.objects.filter(entity=entity, status=ListingStatus.LISTED).exists()
                   or SeriousListing.objects.filter(entity=entity, status=SeriousStatus.LISTED, expires_on__gte=today).exists())
    items: list[CreditItem] = []

    for r in record_selectors.credit_facts().filter(entity=entity, kind__in=CREDIT_RECORD_KINDS).order_by("-occurred_on", "-pk"):
        key = (ItemType.RECORD, r.pk)
        item = CreditItem(type=ItemType.RECORD, id=r.pk, category=str(RecordKind(r.kind).label), title=r.title, date=r.occurred_on,
                          department_id=r.department_id, department=depts.get(r.department_id, ""), source=r.source_system,
                          negative=r.kind in NEGATIVE_KINDS, summary=r.summary, amount=r.amount,
                          withdrawn=key in corrected, repaired=key in repaired, objection_open=key in open_objections,
                          repair_open=key in open_repairs,
                          restricted=visible_departments is not None and r.department_id not in visible_departments)
        if r.kind == RecordKind.PENALTY:
            kinds = r.payload.get("penalty_kinds") or []
            item.severity = disclosure.classify_penalty(kinds, r.amount, r.occurred_on)
            item.period = disclosure.period_for(decided_on=r.occurred_on, severity=item.severity, department_id=r.department_id,
                                                domain=disclosure.domain_of(r.title, str(r.payload.get("basis", ""))),
                                                penalty_kinds=kinds)
            until = item.period.max_until
            if r.disclose_until and r.disclose_until < until:
                until = r.disclose_until
            item.published_until = until
            item.in_window = r.disclose and item.period.published and r.occurred_on <= today <= until
            item.repair_from = item.period.min_until
            item.repairable = (item.in_window and item.period.early_removal and today >= item.period.min_until)
            item.extra["penalty_kinds"] = kinds
        else:
            item.published_until = r.disclose_until
            item.in_window = r.disclose and (r.disclose_until is None or r.disclose_until >= today)
        items.append(item)

    for a in AbnormalListing.objects.filter(entity=entity).order_by("-listed_on", "-pk"):
        key = (ItemType.ABNORMAL, a.pk)
        items.append(CreditItem(
            type=ItemType.ABNORMAL, id=a.pk, category=str(a.get_mode_display()), title=a.get_ground_display(), date=a.listed_on,
            department_id=a.department_id, department=depts.get(a.department_id, ""), source=_("经营异常名录"), negative=True,
            summary=(_("%(y)s年度报告") % {"y": a.report_year}) if a.report_year else a.facts[:200],
            in_window=a.status == ListingStatus.LISTED, status=a.get_status_display(),
            published_until=a.removed_on, withdrawn=key in corrected, objection_open=key in open_objections,
            extra={"removal_reason": a.removal_reason, "decision_no": a.decision_no}))

    serious_qs = SeriousListing.objects.filter(entity=entity)
    if not include_proposals:
        serious_qs = serious_qs.filter(status__in=[SeriousStatus.LISTED, SeriousStatus.REMOVED])
    for s in serious_qs.order_by("-proposed_at", "-pk"):
        key = (ItemType.SERIOUS, s.pk)
        listed = s.status == SeriousStatus.LISTED and s.expires_on is not None and s.expires_on >= today
        items.append(CreditItem(
            type=ItemType.SERIOUS, id=s.pk, category=_("严重违法失信名单"), title=s.get_ground_display(),
            date=s.listed_on or s.proposed_at.date(), department_id=s.department_id, department=depts.get(s.department_id, ""),
            source=_("严重违法失信名单"), negative=True, summary=s.facts[:300], in_window=listed,
            status=s.get_status_display() if s.status != SeriousStatus.LISTED or listed else _("期满移出"),
            published_until=s.expires_on, withdrawn=key in corrected, repaired=key in repaired,
            objection_open=key in open_objections, repair_open=key in open_repairs, repair_from=s.removable_from,
            repairable=listed and s.removable_from is not None and today >= s.removable_from,
            extra={"decision_no": s.decision_no, "basis": s.basis}))

    for c in Commitment.objects.filter(entity=entity).order_by("-made_on", "-pk"):
        key = (ItemType.COMMITMENT, c.pk)
        item = CreditItem(
            type=ItemType.COMMITMENT, id=c.pk, category=_("信用承诺·%(k)s") % {"k": c.get_kind_display()}, title=c.matter,
            date=c.broken_on or c.made_on, department_id=c.department_id, department=depts.get(c.department_id, "") if c.department_id else "",
            source=_("信用承诺"), negative=c.status == CommitmentStatus.BROKEN, summary=c.text[:300], status=c.get_status_display(),
            withdrawn=key in corrected, repaired=key in repaired, objection_open=key in open_objections, repair_open=key in open_repairs,
            extra={"term_end": c.term_end, "breach_note": c.breach_note})
        if c.status == CommitmentStatus.BROKEN and c.broken_on:
            item.severity = Severity.GENERAL
            item.period = disclosure.period_for(decided_on=c.broken_on, severity=Severity.GENERAL)
            item.published_until = item.period.max_until
            item.in_window = item.period.in_window(today)
            item.repair_from = item.period.min_until
            item.repairable = item.in_window and today >= item.period.min_until
        else:
            item.in_window = True
        items.append(item)

    for rep in AnnualReport.objects.filter(entity=entity).order_by("-year"):
        items.append(CreditItem(
            type=ItemType.ANNUAL_REPORT, id=rep.pk, category=_("年度报告"), title=_("%(y)s年度报告") % {"y": rep.year},
            date=timezone.localdate(rep.filed_at), department_id=None, department="", source=_("企业自行报送"), negative=False,
            summary=_("逾期补报") if rep.late else _("按期报送"), in_window=True, status=_("已公示")))

    for item in items:
        if item.withdrawn or item.repaired:
            item.in_window = False
            item.repairable = False
        if item.repairable and (has_listing and item.type == ItemType.RECORD):
            # SAMR Order 45: no early removal while on the abnormal or serious list.
            item.repairable = False
            item.extra["repair_blocked"] = _("在经营异常名录或严重违法失信名单期间不得提前停止公示")
    items.sort(key=lambda i: (i.date, i.type, i.id), reverse=True)
    return items


def find_item(entity, item_type: str, item_id: int, *, today: dt.date | None = None) -> CreditItem | None:
    for item in assemble(entity, today=today, include_proposals=False):
        if item.type == item_type and item.id == int(item_id):
            return item
    return None
