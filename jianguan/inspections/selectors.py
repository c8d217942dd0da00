"""Every read of random inspections that a view or the API uses, already scoped to the user.

A task is visible to its initiating department, its participating departments (and those they share with) and the
county owner; an inspector sees the visits they are assigned to. Anonymous visitors see the published lists, tasks
from the commitment on, and published results only.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from jianguan.catalog import selectors as catalog_selectors
from jianguan.core.errors import NotFound
from jianguan.core.scope import own_department_ids, visible_department_ids
from jianguan.records import selectors as record_selectors

from . import candidates
from .choices import ObjectStatus, TaskStatus, VisitStatus
from .models import (Assignment, CheckResult, DirectoryAdjustment, Draw, InspectionTask, Inspector, InspectorConflict, KeyEntry,
                     ObjectRule, TaskObject, Visit)
from .services._common import is_manager


def _staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and not user.is_enterprise


# --- tasks ------------------------------------------------------------------------------------------------------------


def tasks_for(user) -> QuerySet[InspectionTask]:
    if not _staff(user):
        return InspectionTask.objects.none()
    ids = visible_department_ids(user)
    qs = InspectionTask.objects.all()
    if ids is not None:
        qs = qs.filter(Q(department_id__in=ids) | Q(participants__in=ids)).distinct()
    return qs


def task_list(*, user, q: str = "", status: str = "", year: int | None = None) -> QuerySet[InspectionTask]:
    qs = tasks_for(user).select_related("department").annotate(
        drawn=Count("objects_drawn", distinct=True),
        published=Count("objects_drawn", filter=Q(objects_drawn__status=ObjectStatus.PUBLISHED), distinct=True))
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(name__contains=q.strip()))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(period_start__year=year)
    return qs.order_by("-created_at", "-pk")


def task_get(*, user, code: str) -> InspectionTask:
    task = tasks_for(user).select_related("department").filter(code=code).first()
    if task is None:
        raise NotFound()
    return task


def can_manage(user, task: InspectionTask) -> bool:
    return _staff(user) and is_manager(user, task.department)


def draws(task: InspectionTask) -> list[Draw]:
    return list(task.draws.order_by("number"))


def task_objects(*, task: InspectionTask, status: str = "", q: str = "") -> QuerySet[TaskObject]:
    draw = task.current_draw()
    qs = (TaskObject.objects.filter(task=task, draw=draw).select_related("entity", "visit")
          .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.filter(active=True).select_related("inspector__user"),
                                     to_attr="active_assignments")))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(uscc=q.strip().upper()) | Q(entity__name__contains=q.strip()))
    return qs.order_by("uscc")


def task_progress(task: InspectionTask) -> dict:
    draw = task.current_draw()
    rows = dict(TaskObject.objects.filter(task=task, draw=draw).values("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"total": sum(rows.values()), **{s: rows.get(s, 0) for s in ObjectStatus.values}}


def plan_rows_for_new_task(*, user) -> list:
    """Approved plan rows of random-check items whose period has not ended, of departments the user may manage."""
    today = timezone.localdate()
    rows = catalog_selectors.plan_rows_in_force(user=user, on=today)
    own = own_department_ids(user)
    return [r for r in rows if r.item.random_check and (user.is_owner or r.department_id in own)]


# --- the inspector's phone ---------------------------------------------------------------------------------------------


def inspector_entry(user) -> Inspector | None:
    if not _staff(user):
        return None
    return Inspector.objects.filter(user=user).select_related("department").first()


def my_visits(*, user, status: str = VisitStatus.OPEN) -> QuerySet[Visit]:
    """The merged visits (进一次门、查多项事) the user is assigned to: what an inspector sees."""
    entry = inspector_entry(user)
    if entry is None:
        return Visit.objects.none()
    mine = Assignment.objects.filter(inspector=entry, active=True, task_object__visit=OuterRef("pk"))
    qs = Visit.objects.filter(Exists(mine)).select_related("entity").annotate(
        items=Count("task_objects", distinct=True),
        departments=Count("task_objects__department", distinct=True),
        done=Count("task_objects", filter=~Q(task_objects__status=ObjectStatus.ASSIGNED), distinct=True))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("period_end", "code")


def visit_get(*, user, code: str) -> Visit:
    """A visit the user is assigned to, or one of whose objects belongs to a department the user manages."""
    visit = Visit.objects.select_related("entity").filter(code=code).first()
    if visit is None or not _staff(user):
        raise NotFound()
    objs = list(visit_objects(visit))
    entry = inspector_entry(user)
    assigned = entry is not None and any(a.inspector_id == entry.pk for o in objs for a in o.active_assignments)
    visible = visible_department_ids(user)
    if not assigned and not (visible is None or any(o.department_id in visible for o in objs)):
        raise NotFound()
    return visit


def visit_objects(visit: Visit) -> QuerySet[TaskObject]:
    return (visit.task_objects.select_related("task__department", "entity").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(active=True).select_related("inspector__user"),
                 to_attr="active_assignments")).order_by("task__department__sort_order", "task__code"))


def object_checklist(task_object: TaskObject) -> list:
    return catalog_selectors.checklists_for_items(task_object.task.items.values_list("id", flat=True))


def result_of(task_object: TaskObject) -> CheckResult | None:
    return CheckResult.objects.filter(task_object=task_object).prefetch_related("photos", "corrections").first()


def task_object_get(*, user, pk: int) -> TaskObject:
    obj = TaskObject.objects.select_related("task__department", "entity", "visit").filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    visit_get(user=user, code=obj.visit.code) if obj.visit_id else task_get(user=user, code=obj.task.code)
    return obj


# --- deadlines ---------------------------------------------------------------------------------------------------------


def overdue_results(*, user, on: dt.date | None = None) -> QuerySet[CheckResult]:
    """Results not published by their 20-working-day deadline, in the user's scope."""
    on = on or timezone.localdate()
    return (CheckResult.objects.visible_to(user).filter(published_at__isnull=True, publish_due__lt=on)
            .select_related("task_object__task", "task_object__entity").order_by("publish_due"))


def due_soon_results(*, user, on: dt.date | None = None, days: int = 5) -> QuerySet[CheckResult]:
    on = on or timezone.localdate()
    return (CheckResult.objects.visible_to(user).filter(published_at__isnull=True, publish_due__gte=on,
                                                        publish_due__lte=on + dt.timedelta(days=days))
            .select_related("task_object__task", "task_object__entity").order_by("publish_due"))


def unchecked_after_period(*, user, on: dt.date | None = None) -> QuerySet[TaskObject]:
    on = on or timezone.localdate()
    return (TaskObject.objects.visible_to(user).filter(status=ObjectStatus.ASSIGNED, task__period_end__lt=on,
                                                        task__status=TaskStatus.DRAWN)
            .select_related("task", "entity").order_by("task__period_end"))


# --- directories --------------------------------------------------------------------------------------------------------


def inspector_list(*, user, q: str = "", department_id: int | None = None) -> QuerySet[Inspector]:
    qs = Inspector.objects.visible_to(user).select_related("user", "department").annotate(
        open_assignments=Count("assignments", filter=Q(assignments__active=True, assignments__task_object__status=ObjectStatus.ASSIGNED)))
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(user__display_name__contains=q.strip()))
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("department__sort_order", "code")


def inspector_get(*, user, pk: int) -> Inspector:
    obj = Inspector.objects.visible_to(user).select_related("user", "department").filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def conflicts_of(inspector: Inspector) -> QuerySet[InspectorConflict]:
    return inspector.conflicts.select_related("entity").order_by("-active", "-created_at")


def random_items(*, user) -> QuerySet:
    return catalog_selectors.random_check_items(user=user)


def object_rule(item) -> ObjectRule | None:
    return ObjectRule.objects.filter(item=item).first()


def item_directory(*, item, q: str = "") -> QuerySet:
    qs = candidates.item_directory(item)
    if q:
        qs = qs.filter(Q(uscc=q.strip().upper()) | Q(name__contains=q.strip()))
    return qs.order_by("uscc")


def adjustments(*, item) -> QuerySet[DirectoryAdjustment]:
    return DirectoryAdjustment.objects.filter(item=item).select_related("entity", "created_by").order_by("-active", "-created_at")


def key_list(*, user, department_id: int | None = None, current: bool = True) -> QuerySet[KeyEntry]:
    qs = KeyEntry.objects.visible_to(user).select_related("department", "item", "entity")
    if current:
        today = timezone.localdate()
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("department__sort_order", "-created_at")


def key_get(*, user, pk: int) -> KeyEntry:
    obj = KeyEntry.objects.visible_to(user).select_related("department", "entity").filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


# --- 减少重复检查 ------------------------------------------------------------------------------------------------------


def repeated_inspections(*, user, date_from: dt.date, date_to: dt.date, min_departments: int = 2) -> list[dict]:
    """Entities inspected by several departments in the period, with each inspection (department, date, title):
    the county owner sees all; a department sees those it inspected itself."""
    if not _staff(user):
        return []
    visible = visible_department_ids(user)
    rows = list(record_selectors.repeated_inspections(date_from=date_from, date_to=date_to, min_departments=min_departments,
                                                      department_ids=None if visible is None else visible)[:500])
    detail: dict[str, list] = {}
    for rec in record_selectors.inspections_of(usccs=[r["uscc"] for r in rows], date_from=date_from, date_to=date_to):
        detail.setdefault(rec.uscc, []).append(rec)
    for r in rows:
        recs = detail.get(r["uscc"], [])
        r["name"] = recs[0].party_name if recs else ""
        r["records"] = recs
    return rows


# --- public (一公开) ---------------------------------------------------------------------------------------------------


def public_tasks(*, q: str = "") -> QuerySet[InspectionTask]:
    qs = InspectionTask.objects.visible_to(None).select_related("department")
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(name__contains=q.strip()) | Q(department__name__contains=q.strip()))
    return qs.order_by("-created_at")


def public_task(*, code: str) -> InspectionTask:
    task = InspectionTask.objects.visible_to(None).select_related("department").filter(code=code).first()
    if task is None:
        raise NotFound()
    return task


def public_results(*, task: InspectionTask) -> QuerySet[CheckResult]:
    return (CheckResult.objects.filter(task_object__task=task, published_at__isnull=False)
            .select_related("task_object__entity").order_by("task_object__uscc"))


def public_selected(*, draw: Draw) -> QuerySet[TaskObject]:
    return TaskObject.objects.filter(draw=draw).select_related("entity").order_by("uscc")


def public_inspectors(*, q: str = "") -> QuerySet[Inspector]:
    qs = Inspector.objects.visible_to(None).select_related("user", "department")
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(user__display_name__contains=q.strip()) | Q(department__name__contains=q.strip()))
    return qs.order_by("department__sort_order", "code")


def public_items() -> QuerySet:
    return catalog_selectors.public_random_items()


def object_checklist_for_item(item) -> list:
    return catalog_selectors.checklists_for_items([item.pk])
