"""Every read of the task division that a view or the API uses, scoped to the user.

The division itself (targets, measures, who leads and who is responsible) and the status matrix are the
county's work plan, open to all staff. Report texts and attachments are the reporting department's data,
also visible to the lead departments of the measure and to 协调办. 督办 are visible to the department urged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jianguan.core.errors import NotFound
from jianguan.core.models import Department
from jianguan.core.scope import get_visible_or_404, visible_department_ids

from .choices import AssignmentRole, ProgressStatus, UrgeStatus
from .models import Assignment, Measure, ProgressAttachment, ProgressReport, Target, Urge
from .services import period_of


def _staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_department_staff


def target_list(*, user) -> QuerySet[Target]:
    if not _staff(user):
        return Target.objects.none()
    assignments = Assignment.objects.select_related("department").order_by("role", "department__sort_order")
    return Target.objects.prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("no").prefetch_related(Prefetch("assignments", queryset=assignments)))
    ).order_by("no")


def measure_list(*, user, department_id: int | None = None) -> QuerySet[Measure]:
    if not _staff(user):
        return Measure.objects.none()
    qs = Measure.objects.select_related("target").order_by("target__no", "no")
    if department_id:
        qs = qs.filter(assignments__department_id=department_id)
    return qs


def measure_get(*, user, pk: int) -> Measure:
    try:
        return measure_list(user=user).get(pk=pk)
    except (Measure.DoesNotExist, ValueError):
        raise NotFound() from None


def measure_assignments(*, measure: Measure) -> QuerySet[Assignment]:
    return measure.assignments.select_related("department").order_by("role", "department__sort_order")


def my_assignments(*, user) -> QuerySet[Assignment]:
    """The measures the user's bureau leads or is responsible for."""
    if not _staff(user) or user.department_id is None:
        return Assignment.objects.none()
    from jianguan.core.scope import _department_tree, bureau_of

    parent_of, _children = _department_tree()
    return Assignment.objects.filter(department_id=bureau_of(user.department_id, parent_of)).select_related(
        "measure__target", "department").order_by("measure__target__no", "measure__no")


def report_list(*, user, measure: Measure | None = None, period: str = "", department_id: int | None = None) -> QuerySet[ProgressReport]:
    """Reports of the user's departments, and reports on measures one of the user's departments leads."""
    if not _staff(user):
        return ProgressReport.objects.none()
    ids = visible_department_ids(user)
    qs = ProgressReport.objects.all()
    if ids is not None:
        led = Assignment.objects.filter(department_id__in=ids, role=AssignmentRole.LEAD).values("measure_id")
        qs = qs.filter(Q(department_id__in=ids) | Q(measure_id__in=led))
    qs = qs.select_related("measure__target", "department", "reported_by").annotate(attachment_count=Count("attachments"))
    if measure is not None:
        qs = qs.filter(measure=measure)
    if period:
        qs = qs.filter(period=period)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("-period", "measure__target__no", "measure__no", "department__sort_order")


def report_get(*, user, pk: int) -> ProgressReport:
    try:
        return report_list(user=user).get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError):
        raise NotFound() from None


def attachment_get(*, user, pk: int) -> ProgressAttachment:
    try:
        row = ProgressAttachment.objects.select_related("report").get(pk=pk)
    except (ProgressAttachment.DoesNotExist, ValueError):
        raise NotFound() from None
    report_get(user=user, pk=row.report_id)  # the same rule as the report it belongs to
    return row


def urge_list(*, user, status: str = "", overdue: bool = False, on: dt.date | None = None) -> QuerySet[Urge]:
    on = on or timezone.localdate()
    qs = Urge.objects.visible_to(user).select_related("measure__target", "department", "issued_by", "responded_by")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=UrgeStatus.OPEN, deadline__lt=on)
    return qs.order_by("status", "deadline", "-id")


def urge_get(*, user, pk: int) -> Urge:
    return get_visible_or_404(Urge.objects.select_related("measure__target", "department"), user, pk=pk)


# --- the matrix -------------------------------------------------------------------------------------------------------

@dataclass
class Cell:
    role: str = ""  # "" = not assigned
    status: str = ""  # "" = assigned but nothing reported for the period
    report_id: int | None = None

    @property
    def label(self) -> str:
        return str(ProgressStatus(self.status).label) if self.status else ""


@dataclass
class MatrixRow:
    measure: Measure
    cells: list[Cell] = field(default_factory=list)
    done: int = 0
    assigned: int = 0


@dataclass
class Matrix:
    period: str
    departments: list[Department]
    rows: list[MatrixRow]
    totals: dict[int, dict[str, int]]


def matrix(*, user, period: str | None = None, target_no: int | None = None) -> Matrix:
    """Departments × measures for one period: each cell the department's role and its reported status.

    Three queries whatever the size: measures, assignments, reports of the period.
    """
    if not _staff(user):
        raise NotFound()
    period = period or period_of(timezone.localdate())
    measures = list(Measure.objects.select_related("target").order_by("target__no", "no"))
    if target_no:
        measures = [m for m in measures if m.target.no == target_no]
    measure_ids = {m.pk for m in measures}
    roles: dict[tuple[int, int], str] = {}
    dept_ids: set[int] = set()
    for measure_id, dept_id, role in Assignment.objects.filter(measure_id__in=measure_ids).values_list("measure_id", "department_id", "role"):
        roles[(measure_id, dept_id)] = role
        dept_ids.add(dept_id)
    statuses = {(m, d): (s, pk) for pk, m, d, s in ProgressReport.objects.filter(period=period, measure_id__in=measure_ids)
                .values_list("pk", "measure_id", "department_id", "status")}
    departments = list(Department.objects.filter(pk__in=dept_ids).order_by("sort_order", "pk"))
    totals = {d.pk: {"assigned": 0, "reported": 0, "done": 0} for d in departments}
    rows = []
    for m in measures:
        row = MatrixRow(measure=m)
        for d in departments:
            role = roles.get((m.pk, d.pk), "")
            status, report_id = statuses.get((m.pk, d.pk), ("", None))
            row.cells.append(Cell(role=role, status=status if role else "", report_id=report_id if role else None))
            if role:
                row.assigned += 1
                totals[d.pk]["assigned"] += 1
                if status:
                    totals[d.pk]["reported"] += 1
                if status == ProgressStatus.DONE:
                    row.done += 1
                    totals[d.pk]["done"] += 1
        rows.append(row)
    return Matrix(period=period, departments=departments, rows=rows, totals=totals)


def unreported_count(*, user, period: str | None = None) -> tuple[int, int]:
    """(measures assigned to the user's bureau, of which not yet reported for the period)."""
    period = period or period_of(timezone.localdate())
    mine = my_assignments(user=user)
    total = mine.count()
    if not total:
        return 0, 0
    dept_id = mine.first().department_id
    reported = ProgressReport.objects.filter(department_id=dept_id, period=period).count()
    return total, max(total - reported, 0)
