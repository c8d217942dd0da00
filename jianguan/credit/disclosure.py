"""Disclosure periods (公示期) from the regime in force at the decision date.

Regimes are rows (DisclosureRegime + DisclosureRule), never if-chains: SAMR Order 45 governs the penalties of
the departments bound to it (the market-supervision bureau); the NDRC regimes (2019, 2023 Order 58, 2026-04-01)
govern everything else. For an item decided on day D the newest regime of its family with effective_from ≤ D
applies; its rule for the item's severity (and domain, e.g. 安全生产) gives the minimum period (after which
repair may be applied for) and the maximum (publication stops by itself).
"""
from __future__ import annotations

import calendar
import datetime as dt
import decimal
import re
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jianguan.core import params

from .choices import RegimeFamily, RuleDomain, Severity

#: 行政处罚法 第九条 kinds that make a penalty serious for disclosure purposes.
SERIOUS_KINDS = {"吊销许可证件", "责令停产停业", "责令关闭", "限制从业", "限制开展生产经营活动", "降低资质等级", "行政拘留"}
MINOR_KINDS = {"警告", "通报批评"}
SAFETY_RE = re.compile("特种设备|安全生产|消防|危险化学品|煤矿")

_CACHE_TTL = 30.0
_cache: dict = {}
_lock = threading.Lock()


def invalidate() -> None:
    with _lock:
        _cache.clear()


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def classify_penalty(kinds: list[str] | tuple, amount, at: dt.date | None = None) -> str:
    """轻微 / 一般 / 严重 for a penalty, from its kinds (行政处罚法 第九条) and fine (thresholds are parameters)."""
    kinds = set(kinds or ())
    amount = decimal.Decimal(str(amount)) if amount not in (None, "") else decimal.Decimal(0)
    if kinds & SERIOUS_KINDS or amount >= params.get("credit.serious_fine_threshold", at=at):
        return Severity.SERIOUS
    if kinds and kinds <= MINOR_KINDS | {"罚款"} and ("罚款" not in kinds or amount < params.get("credit.minor_fine_threshold", at=at)):
        return Severity.MINOR
    return Severity.GENERAL


def domain_of(*texts: str) -> str:
    """特种设备、安全生产、消防 items have a longer minimum under NDRC Order 58."""
    return RuleDomain.SAFETY if any(SAFETY_RE.search(t or "") for t in texts) else RuleDomain.ANY


@dataclass(frozen=True)
class RegimeRow:
    id: int
    code: str
    name: str
    family: str
    effective_from: dt.date
    citation: str
    department_ids: frozenset
    no_early_removal: tuple
    rules: dict  # (severity, domain) -> (published, min_months, max_months)


def _regimes() -> list[RegimeRow]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get("regimes")
        if hit and now - hit[0] < _CACHE_TTL:
            return hit[1]
    from .models import DisclosureRegime

    rows = []
    for regime in DisclosureRegime.objects.prefetch_related("rules", "departments").order_by("effective_from", "pk"):
        rows.append(RegimeRow(regime.pk, regime.code, regime.name, regime.family, regime.effective_from, regime.citation,
                              frozenset(d.pk for d in regime.departments.all()), tuple(regime.no_early_removal),
                              {(r.severity, r.domain): (r.published, r.min_months, r.max_months) for r in regime.rules.all()}))
    with _lock:
        _cache["regimes"] = (now, rows)
    return rows


def regime_for(decided_on: dt.date, department_id: int | None = None) -> RegimeRow | None:
    """The regime governing an item decided on `decided_on` by `department_id`."""
    rows = _regimes()
    if department_id is not None:
        bound = [r for r in rows if r.family == RegimeFamily.SAMR and department_id in r.department_ids and r.effective_from <= decided_on]
        if bound:
            return bound[-1]
    general = [r for r in rows if r.family == RegimeFamily.NDRC]
    in_force = [r for r in general if r.effective_from <= decided_on]
    if in_force:
        return in_force[-1]
    return general[0] if general else None  # before every regime: the oldest one, the closest rule we have


@dataclass(frozen=True)
class Period:
    regime_code: str
    regime_name: str
    citation: str
    severity: str
    domain: str
    published: bool
    start: dt.date
    min_until: dt.date
    max_until: dt.date
    early_removal: bool  # False when the penalty kind may never be removed early (e.g. 吊销许可证件 under SAMR Order 45)

    @property
    def label(self) -> str:
        return _("%(regime)s：%(sev)s失信，最短公示至 %(min)s，最长公示至 %(max)s") % {
            "regime": self.regime_name, "sev": Severity(self.severity).label, "min": self.min_until, "max": self.max_until}

    def in_window(self, today: dt.date) -> bool:
        return self.published and self.start <= today <= self.max_until


def period_for(*, decided_on: dt.date, severity: str, department_id: int | None = None, domain: str = "",
               penalty_kinds: tuple | list = ()) -> Period:
    """The disclosure period of an item: minimum (repair may be applied for after it) and maximum (publication stops)."""
    if severity not in Severity.values:
        raise ValueError(severity)
    regime = regime_for(decided_on, department_id)
    if regime is None:
        raise LookupError("no disclosure regime configured")
    rule = regime.rules.get((severity, domain)) or regime.rules.get((severity, RuleDomain.ANY))
    if rule is None:
        rule = regime.rules.get((Severity.GENERAL, RuleDomain.ANY), (True, 3, 36))
    published, min_months, max_months = rule
    early = not (set(penalty_kinds or ()) & set(regime.no_early_removal))
    return Period(regime.code, regime.name, regime.citation, severity, domain, published, decided_on,
                  add_months(decided_on, min_months), add_months(decided_on, max_months), early)
