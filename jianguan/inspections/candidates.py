"""The object directory (检查对象名录库) and a task's candidate list, built set-based in SQL.

An item's directory = entities matching its ObjectRule (kinds, industry prefixes, licences, filings, statuses,
township prefixes), plus active manual additions, minus active manual removals. A task's candidates = the union of
its items' directories, narrowed by the task's targeted filters, minus closed entities (注销/吊销/迁出), entities
checked for one of the task's items within the exclusion period and entities drawn by another open task for one of
those items; key-supervision entries (重点监管名单) are always included. Each candidate carries its credit class:
the latest grading run, an approved adjustment in force, or the `credit.default_grade` parameter.
"""
from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import itemgetter, or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jianguan.core import params
from jianguan.credit import selectors as credit_selectors
from jianguan.entities import selectors as entity_selectors
from jianguan.entities.choices import EntityStatus

from . import draw as drawlib
from .choices import AdjustmentAction, ObjectStatus, TaskStatus
from .models import CheckResult, DirectoryAdjustment, KeyEntry, ObjectRule, TaskObject

CLOSED = [EntityStatus.REVOKED, EntityStatus.CANCELLED, EntityStatus.MOVED_OUT]
DEFAULT_STATUSES = [EntityStatus.EXISTING, EntityStatus.OPERATING]


def _any_prefix(field: str, prefixes: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes if p), Q(pk__in=[])) if any(prefixes) else Q()


def rule_q(rule: ObjectRule | None) -> Q:
    """The registry condition of one item's directory (no rule: every entity in business)."""
    if rule is None:
        return Q(status__in=DEFAULT_STATUSES)
    q = Q(status__in=rule.statuses or DEFAULT_STATUSES)
    if rule.kinds:
        q &= Q(kind__in=rule.kinds)
    q &= _any_prefix("industry_code", rule.industry_prefixes or [])
    q &= _any_prefix("division_code", rule.division_prefixes or [])
    for keywords, exists in ((rule.licence_keywords, entity_selectors.licence_exists),
                             (rule.filing_keywords, entity_selectors.filing_exists)):
        if keywords:
            q &= reduce(or_, (Q(exists(OuterRef("pk"), kw)) for kw in keywords))
    return q


def item_directory_q(item) -> Q:
    rule = ObjectRule.objects.filter(item=item).first()
    adds = DirectoryAdjustment.objects.filter(item=item, active=True, action=AdjustmentAction.ADD).values("entity_id")
    removes = DirectoryAdjustment.objects.filter(item=item, active=True, action=AdjustmentAction.REMOVE).values("entity_id")
    return (rule_q(rule) & ~Q(pk__in=removes)) | Q(pk__in=adds, status__in=DEFAULT_STATUSES)


def item_directory(item) -> QuerySet:
    """The entities of one item's object directory (for its page, counts and export)."""
    return entity_selectors.registry_queryset().filter(item_directory_q(item))


def task_filters_q(filters: dict) -> Q:
    q = Q()
    if filters.get("kinds"):
        q &= Q(kind__in=filters["kinds"])
    q &= _any_prefix("industry_code", filters.get("industry_prefixes") or [])
    q &= _any_prefix("division_code", filters.get("division_prefixes") or [])
    if filters.get("capital_min") not in (None, ""):
        q &= Q(registered_capital__gte=filters["capital_min"])
    if filters.get("capital_max") not in (None, ""):
        q &= Q(registered_capital__lte=filters["capital_max"])
    return q


def key_entries(task, on: dt.date) -> QuerySet:
    departments = [task.department_id, *task.participants.values_list("id", flat=True)]
    return (KeyEntry.objects.filter(department_id__in=departments, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .filter(Q(item__isnull=True) | Q(item__in=task.items.all())))


def candidate_queryset(task, on: dt.date | None = None) -> QuerySet:
    """The entities that are candidates of the task (ids only, unordered): one SQL statement with EXISTS sub-queries."""
    on = on or timezone.localdate()
    items = list(task.items.all())
    keys = key_entries(task, on).values("entity_id")
    directory = reduce(or_, (item_directory_q(i) for i in items), Q(pk__in=[]))
    if task.targeted:
        directory &= task_filters_q(task.filters or {})
    other_open = TaskObject.objects.filter(entity=OuterRef("pk"), task__status=TaskStatus.DRAWN,
                                           status=ObjectStatus.ASSIGNED, task__items__in=items).exclude(task=task)
    eligible = directory & ~Exists(other_open)
    if task.exclude_days:  # 0 means no exclusion period at all
        since = on - dt.timedelta(days=task.exclude_days - 1)  # "within N days" counts today as the first
        recent = CheckResult.objects.filter(task_object__entity=OuterRef("pk"), checked_on__gte=since,
                                            task_object__task__items__in=items)
        eligible &= ~Exists(recent)
    return (entity_selectors.registry_queryset().exclude(status__in=CLOSED)
            .filter(eligible | Q(pk__in=keys)).values_list("id", "uscc"))


def build_rows(task, on: dt.date | None = None) -> tuple[list[tuple[int, str, str, bool]], dict[str, int]]:
    """Every candidate as (entity id, USCC, class, key), in canonical (USCC byte) order, and per-class counts.

    The class comes from a LEFT JOIN on the latest grading run's per-entity table (one index probe per candidate,
    no correlated sub-query), then approved adjustments in force, else the `credit.default_grade` parameter. Rows
    are read with a plain cursor: at a million candidates, model instances and per-row converters would cost more
    than the query."""
    on = on or timezone.localdate()
    default = str(params.get("credit.default_grade", at=on))
    adjusted = credit_selectors.adjusted_grades(today=on)
    keys = set(key_entries(task, on).values_list("entity_id", flat=True))
    inner_sql, inner_params = candidate_queryset(task, on).query.sql_with_params()
    table, run_id = credit_selectors.grade_source()
    q = connection.ops.quote_name
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    sql = (f"SELECT c.{q('id')}, c.{q('uscc')}, g.{q('grade')} FROM ({inner_sql}) c "
           f"LEFT JOIN {q(table)} g ON g.{q('run_id')} = %s AND g.{q('entity_id')} = c.{q('id')} "
           f"ORDER BY c.{q('uscc')}{collate}")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL jit = off")  # compiling this plan costs ~0.5 s and gains nothing
        cur.execute(sql, (*inner_params, run_id if run_id is not None else -1))
        fetched = cur.fetchall()
    rows = []
    counts = {g: {"candidates": 0, "key": 0} for g in drawlib.GRADES}
    for pk, uscc, grade in fetched:
        grade = adjusted.get(pk) or grade or default
        key = pk in keys
        rows.append((pk, uscc, grade, key))
        counts[grade]["candidates"] += 1
        if key:
            counts[grade]["key"] += 1
    rows.sort(key=itemgetter(1))  # already in order from SQL; Timsort confirms it in one pass
    return rows, counts


def candidate_bytes(rows) -> bytes:
    """The published candidate list (docs/draw.md §2.3) from build_rows' rows."""
    return drawlib.candidate_lines((uscc, grade, key) for _pk, uscc, grade, key in rows)


def build(task, on: dt.date | None = None) -> tuple[list[drawlib.Candidate], dict[str, int]]:
    """The canonical candidate list and USCC → entity id (for pages and tests; the draw itself uses build_rows)."""
    rows, _counts = build_rows(task, on)
    return drawlib.canonical(drawlib.Candidate(u, g, k) for _pk, u, g, k in rows), {u: pk for pk, u, _g, _k in rows}
