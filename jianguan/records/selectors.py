"""Every read of the records app that a view or the API uses, already scoped to the user.

Records are departmental (visible to their department, to those it shares with, and to the owner). On the
一户一档 timeline every staff member sees every line about the entity, but lines outside their scope carry
only kind, department, date and title — the rest is the owning department's.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from jianguan.core.scope import get_visible_or_404, visible_department_ids
from jianguan.entities.selectors import TimelineItem, TimelinePart, is_staff_reader

from .choices import MatchStatus, RecordKind, RecordStatus
from .models import ImportJob, PendingLicence, Record


def record_list(*, user, kind: str = "", department_id: int | None = None, q: str = "", date_from: dt.date | None = None,
                date_to: dt.date | None = None, match_status: str = "", status: str = "", entity_id: int | None = None) -> QuerySet[Record]:
    qs = Record.objects.visible_to(user).select_related("department", "entity")
    if kind:
        qs = qs.filter(kind=kind)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if q:
        q = q.strip()
        qs = qs.filter(uscc=q.upper()) if len(q) == 18 and q.isalnum() else qs.filter(Q(party_name__contains=q) | Q(title__contains=q))
    if date_from:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_on__lte=date_to)
    if match_status:
        qs = qs.filter(match_status=match_status)
    if status:
        qs = qs.filter(status=status)
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    return qs.order_by("-occurred_on", "-pk")


def record_get(*, user, pk: int) -> Record:
    return get_visible_or_404(Record.objects.select_related("department", "entity"), user, pk=pk)


def pending_records(*, user) -> QuerySet[Record]:
    return (Record.objects.visible_to(user).filter(entity__isnull=True, match_status=MatchStatus.PENDING)
            .select_related("department").order_by("uscc", "-occurred_on"))


def pending_licences(*, user) -> QuerySet[PendingLicence]:
    return PendingLicence.objects.visible_to(user).select_related("department").order_by("uscc", "-created_at")


def pending_count(*, user) -> int:
    return pending_records(user=user).count() + pending_licences(user=user).count()


def job_list(*, user) -> QuerySet[ImportJob]:
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    return (ImportJob.objects.visible_to(user) | ImportJob.objects.filter(created_by=user)).select_related(
        "department", "created_by").order_by("-created_at").distinct()


def job_get(*, user, pk: int) -> ImportJob:
    from jianguan.core.errors import NotFound

    job = job_list(user=user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job


# --- the 一户一档 timeline --------------------------------------------------------------------------------------------


def timeline(*, user, entity, kind: str = "", department_id: int | None = None, limit: int = 200, offset: int = 0) -> TimelinePart:
    """Every record about the entity from every department, newest first: one aggregate and one page query whatever the
    number of records (the page is bounded; filters and paging reach the rest)."""
    staff = is_staff_reader(user)
    base = Record.objects.filter(entity=entity)
    if not staff:
        base = base.visible_to(user)
    part = TimelinePart()
    names: dict[int, str] = {}
    for row in base.values("kind", "department_id", "department__short_name", "department__name").annotate(n=Count("id")):
        label = str(RecordKind(row["kind"]).label)
        part.kinds[row["kind"]] = (label, part.kinds.get(row["kind"], (label, 0))[1] + row["n"])
        names[row["department_id"]] = row["department__short_name"] or row["department__name"]
        if (not kind or row["kind"] == kind) and (not department_id or row["department_id"] == department_id):
            part.total += row["n"]
    part.departments = names
    qs = base
    if kind:
        qs = qs.filter(kind=kind)
    if department_id:
        qs = qs.filter(department_id=department_id)
    visible = visible_department_ids(user) if staff else None
    detail = reverse("records:record_detail", args=[0]).rsplit("0/", 1)[0]
    labels = {k: str(v) for k, v in RecordKind.choices}
    voided = str(RecordStatus.VOIDED.label)
    rows = qs.order_by("-occurred_on", "-pk").values_list("pk", "kind", "occurred_on", "title", "summary", "amount", "status",
                                                        "source_system", "department_id")[offset:offset + limit]
    for pk, kind_, day, title, summary, amount, status, source, dept in rows:
        restricted = staff and visible is not None and dept not in visible
        part.items.append(TimelineItem(
            date=day, kind=kind_, kind_label=labels[kind_], department_id=dept, department=names.get(dept, ""), title=title,
            summary="" if restricted else summary, restricted=restricted, url=f"{detail}{pk}/",
            source="" if restricted else source, amount=None if restricted else amount,
            status=voided if status == RecordStatus.VOIDED else ""))
    return part


# --- for set-based batches of upper apps (credit grading, commitment checks) ----------------------------------------


def credit_facts(*, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Record]:
    """Active records attached to an entity, unscoped: the facts a county-wide batch (credit grading) aggregates.

    Never for display: views and the API read through the scoped selectors above."""
    qs = Record.objects.filter(status=RecordStatus.ACTIVE, entity__isnull=False).order_by()
    if since is not None:
        qs = qs.filter(occurred_on__gte=since)
    if until is not None:
        qs = qs.filter(occurred_on__lte=until)
    return qs


def repeated_inspections(*, date_from: dt.date, date_to: dt.date, min_departments: int = 2,
                         department_ids=None) -> QuerySet:
    """Entities inspected (行政检查 records, void ones excluded) by at least `min_departments` departments in the period:
    (entity_id, uscc, party_name, departments, inspections), most departments first. County-wide reading for the
    减少重复检查 report; `department_ids` limits it to entities one of those departments inspected."""
    from django.db.models import Exists, OuterRef

    qs = (Record.objects.filter(kind=RecordKind.INSPECTION, occurred_on__gte=date_from, occurred_on__lte=date_to)
          .exclude(status=RecordStatus.VOIDED))
    if department_ids is not None:
        mine = Record.objects.filter(kind=RecordKind.INSPECTION, uscc=OuterRef("uscc"), department_id__in=list(department_ids),
                                     occurred_on__gte=date_from, occurred_on__lte=date_to)
        qs = qs.filter(Exists(mine))
    return (qs.values("uscc").annotate(departments=Count("department", distinct=True), inspections=Count("id"))
            .filter(departments__gte=min_departments).order_by("-departments", "-inspections", "uscc"))


def inspections_of(*, usccs: list[str], date_from: dt.date, date_to: dt.date) -> QuerySet[Record]:
    """The 行政检查 records of these entities in the period (for the repeated-inspection report's detail)."""
    return (Record.objects.filter(kind=RecordKind.INSPECTION, uscc__in=usccs, occurred_on__gte=date_from, occurred_on__lte=date_to)
            .exclude(status=RecordStatus.VOIDED).select_related("department").order_by("uscc", "occurred_on"))
