"""The working-day calendar: the one place legal deadlines are computed.

A day is a working day unless the administrator's holiday table says otherwise, or — for the years
it covers — the official calendar package (chinesecalendar) does, or it is a Saturday or Sunday.
Years beyond both sources fall back to weekends only and are reported as `assumed`, so a deadline
never silently ignores a holiday nobody entered.

Counting rules:
- working days (行政处罚法 第八十五条: 二日、三日、五日、七日 are 工作日): the n-th working day after the start;
- natural days: start + n; when the last day is a rest day the period ends on the next working day
  (民法典 第二百零三条).
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext as _

from . import params
from .choices import HolidayKind

_PACKAGE_YEARS = range(2004, 2027)  # chinesecalendar 1.11: 2004–2026
_CACHE_TTL = 60.0
_cache: dict[int, tuple[float, dict[dt.date, str]]] = {}
_lock = threading.Lock()


def invalidate() -> None:
    with _lock:
        _cache.clear()


def _table_for(year: int) -> dict[dt.date, str]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(year)
        if hit and now - hit[0] < _CACHE_TTL:
            return hit[1]
    from .models import Holiday

    table = dict(Holiday.objects.filter(date__year=year).values_list("date", "kind"))
    with _lock:
        _cache[year] = (now, table)
    return table


def year_source(year: int) -> str:
    """'table' (administrator's entries), 'package' (official calendar package) or 'assumed' (weekends only)."""
    if _table_for(year):
        return "table"
    if year in _PACKAGE_YEARS:
        return "package"
    return "assumed"


def is_working_day(day: dt.date) -> bool:
    override = _table_for(day.year).get(day)
    if override is not None:
        return override == HolidayKind.WORKDAY
    if day.year in _PACKAGE_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_natural_days(start: dt.date, days: int) -> dt.date:
    day = start + dt.timedelta(days=days)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class DeadlineRule:
    key: str  # the runtime parameter that holds the number of days
    unit: str  # "working" | "natural"


DEADLINE_RULES: dict[str, DeadlineRule] = {
    "deadline.penalty_publicity": DeadlineRule("deadline.penalty_publicity", "working"),
    "deadline.penalty_withdrawal": DeadlineRule("deadline.penalty_withdrawal", "working"),
    "deadline.inspection_result_publicity": DeadlineRule("deadline.inspection_result_publicity", "working"),
    "deadline.decision_service": DeadlineRule("deadline.decision_service", "working"),
    "deadline.complaint_acceptance": DeadlineRule("deadline.complaint_acceptance", "working"),
    "deadline.penalty_decision": DeadlineRule("deadline.penalty_decision", "natural"),
}


def register_deadline(key: str, unit: str) -> None:
    if unit not in ("working", "natural"):
        raise ValueError(unit)
    DEADLINE_RULES[key] = DeadlineRule(key, unit)


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    due: dt.date
    days: int
    unit: str
    label: str
    citation: str
    assumed: bool  # True when a year in the span has no holiday data (weekends only were used)

    @property
    def description(self) -> str:
        unit = _("个工作日") if self.unit == "working" else _("日")
        return _("%(label)s：自 %(start)s 起 %(days)d%(unit)s，至 %(due)s（依据：%(citation)s）") % {
            "label": self.label, "start": self.start, "days": self.days, "unit": unit, "due": self.due,
            "citation": self.citation,
        }


def deadline(rule_key: str, start: dt.date) -> Deadline:
    """The due date of a legal deadline, with the rule's citation; the number of days is read at `start`."""
    rule = DEADLINE_RULES.get(rule_key)
    if rule is None:
        raise ValueError(f"unknown deadline rule {rule_key}")
    spec = params.spec_for(rule.key)
    days = int(params.get(rule.key, at=start))
    due = add_working_days(start, days) if rule.unit == "working" else add_natural_days(start, days)
    assumed = any(year_source(y) == "assumed" for y in range(start.year, due.year + 1))
    return Deadline(start, due, days, rule.unit, str(spec.label), str(spec.citation), assumed)
