"""The monthly credit-risk classification: every entity recomputed in one set-based statement.

How (docs/credit.md, "Grading algorithm"):
1. One scan of the records (records.selectors.credit_facts, compiled by the ORM so the SQL is right on SQLite and
   PostgreSQL) computes every record-based indicator per entity with conditional aggregates, each over its own
   window; the credit app's own facts (lists, broken commitments, annual reports) are grouped the same way.
2. One INSERT … SELECT joins those aggregates to the registry, computes per entity the points of each indicator
   (per-unit with a cap, or a threshold), the weighted score and the class (with forced classes, 一票否决), and
   writes the values, score and class into credit_graderesult for this run (points are re-derived from the values
   for explanations, `points_of`). No Python loop touches an entity.
3. The run keeps its counts; older runs beyond `credit.grade_history_runs` are pruned with one DELETE.

A record an objection corrected, or a repair approved, does not count.
"""
from __future__ import annotations

import datetime as dt
import decimal
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models import DecimalField as DecimalOut
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import audit, params
from jianguan.entities import selectors as entity_selectors
from jianguan.records import selectors as record_selectors

from .choices import (AbnormalMode, ApprovalStatus, CommitmentStatus, Grade, IndicatorRule, ItemType, ListingStatus,
                      ObjectionOutcome, RunStatus, SeriousStatus)
from .disclosure import add_months

PROBLEM_RESULTS = ["发现问题待后续处理", "未按规定公示应当公示的信息", "公示信息隐瞒真实情况弄虚作假", "违反其他规定",
                   "发现问题经责令已改正", "违反其他部门规定", "不配合检查情节严重", "登记住所无法联系"]
FAILED_SAMPLES = ["不合格", "问题样品"]
ANNUAL_REPORT_KINDS = ("enterprise", "individual", "cooperative")


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    unit: str
    kind: str  # "record" | "own"
    record_filter: Q | None = None
    amount: bool = False


SOURCES: dict[str, Source] = {s.code: s for s in [
    Source("penalty_count", _lazy("行政处罚次数"), _lazy("次"), "record", Q(kind="penalty")),
    Source("penalty_amount", _lazy("罚没金额"), _lazy("元"), "record", Q(kind="penalty"), amount=True),
    Source("coercion_count", _lazy("行政强制次数"), _lazy("次"), "record", Q(kind="coercion")),
    Source("inspection_problem_count", _lazy("检查发现问题次数"), _lazy("次"), "record",
           Q(kind="inspection", payload__result__in=PROBLEM_RESULTS)),
    Source("spot_check_failed_count", _lazy("抽检不合格批次"), _lazy("批次"), "record",
           Q(kind="spot_check", payload__result__in=FAILED_SAMPLES)),
    Source("complaint_substantiated_count", _lazy("属实投诉举报件数"), _lazy("件"), "record",
           Q(kind="complaint", payload__substantiated=True)),
    Source("judgment_count", _lazy("司法判决次数"), _lazy("次"), "record", Q(kind="judgment")),
    Source("dishonest_count", _lazy("失信被执行人记录"), _lazy("条"), "record", Q(kind="dishonest", payload__removed_on__isnull=True)),
    Source("abnormal_listed", _lazy("在经营异常名录"), _lazy("项"), "own"),
    Source("serious_listed", _lazy("在严重违法失信名单"), _lazy("项"), "own"),
    Source("commitment_broken_count", _lazy("违背信用承诺次数"), _lazy("次"), "own"),
    Source("annual_report_missing", _lazy("未按期报送上一年度年报"), _lazy("是/否"), "own"),
    Source("new_entity", _lazy("新设立主体（统计期内成立）"), _lazy("是/否"), "own"),
]}


def source_choices() -> list[tuple[str, str]]:
    return [(s.code, str(s.label)) for s in SOURCES.values()]


def report_due_year(as_of: dt.date) -> int:
    """The latest report year whose filing window has closed on `as_of` (1 Jan–30 Jun of the next year)."""
    deadline = dt.date(as_of.year, params.get("credit.annual_report_deadline_month", at=as_of),
                       params.get("credit.annual_report_deadline_day", at=as_of))
    return as_of.year - 1 if as_of > deadline else as_of.year - 2


def _compiled(qs) -> tuple[str, list]:
    sql, sql_params = qs.query.sql_with_params()
    return sql, list(sql_params)


def plain(value) -> decimal.Decimal:
    """A Decimal without exponent or trailing zeros: 10.00 → 10, 2.50 → 2.5."""
    d = decimal.Decimal(value)
    return d.quantize(decimal.Decimal(1)) if d == d.to_integral_value() else d.normalize()


def points_of(indicator, value) -> decimal.Decimal:
    """The points of one indicator for a value: the same rule the SQL of build_statement applies (explanations use it,
    so only the values need storing)."""
    value = decimal.Decimal(value)
    if indicator.rule == IndicatorRule.THRESHOLD:
        return indicator.points if value >= indicator.threshold else decimal.Decimal(0)
    raw = value * indicator.points
    return min(raw, indicator.cap) if indicator.cap is not None else raw


def _num(value) -> str:
    return format(plain(value), "f") if value is not None else "NULL"


def build_statement(indicator_set, run_id: int, as_of: dt.date) -> tuple[str, list]:
    """The one INSERT … SELECT that grades every entity. Literals from configuration are numbers we format
    ourselves; everything else is bound."""
    from .models import AbnormalListing, AnnualReport, Commitment, Objection, RepairApplication, SeriousListing

    indicators = list(indicator_set.indicators.order_by("order", "pk"))
    if not indicators:
        raise ValueError("indicator set has no indicators")
    q = connection.ops.quote_name
    sql_params: list = []  # parameters of the joins, in text order
    value_params: list = []  # parameters of the value expressions (they come first in the text)
    joins: list[str] = []
    value_exprs: list[str] = []

    # 1. record-based indicators: one grouped scan with conditional aggregates.
    record_inds = [i for i in indicators if SOURCES[i.source].kind == "record"]
    if record_inds:
        oldest = min(add_months(as_of, -i.window_months) for i in record_inds)
        corrected = Objection.objects.filter(item_type=ItemType.RECORD, outcome=ObjectionOutcome.CORRECTED).values("item_id")
        repaired = RepairApplication.objects.filter(item_type=ItemType.RECORD, status=ApprovalStatus.APPROVED).values("item_id")
        facts = (record_selectors.credit_facts(since=oldest, until=as_of).exclude(pk__in=corrected).exclude(pk__in=repaired)
                 .values("entity_id"))
        aggregates = {}
        for n, ind in enumerate(record_inds):
            src = SOURCES[ind.source]
            cond = src.record_filter & Q(occurred_on__gte=add_months(as_of, -ind.window_months))
            if src.amount:
                aggregates[f"v{n}"] = Sum(Case(When(cond, then="amount"), default=Value(0), output_field=DecimalOut(max_digits=18, decimal_places=2)))
            else:
                aggregates[f"v{n}"] = Sum(Case(When(cond, then=Value(1)), default=Value(0), output_field=IntegerField()))
        agg_sql, agg_params = _compiled(facts.annotate(**aggregates).values("entity_id", *aggregates))
        if connection.vendor == "sqlite":
            # One sequential pass and a sort beats the planner's skip-scan of a date index with a row lookup per
            # record (measured: 9 s against 12 s for 3,000,000 records).
            agg_sql = agg_sql.replace('FROM "records_record"', 'FROM "records_record" NOT INDEXED', 1)
        joins.append(f"LEFT JOIN ({agg_sql}) rr ON rr.entity_id = e.id")
        sql_params += agg_params
        rec_alias = {ind.pk: f"v{n}" for n, ind in enumerate(record_inds)}
    own_needed = {i.source for i in indicators if SOURCES[i.source].kind == "own"}
    if "abnormal_listed" in own_needed:
        s, p = _compiled(AbnormalListing.objects.filter(status=ListingStatus.LISTED, listed_on__lte=as_of).order_by()
                         .values("entity_id").annotate(n=Count("id")).values("entity_id", "n"))
        joins.append(f"LEFT JOIN ({s}) ab ON ab.entity_id = e.id")
        sql_params += p
    if "serious_listed" in own_needed:
        s, p = _compiled(SeriousListing.objects.filter(status=SeriousStatus.LISTED, listed_on__lte=as_of, expires_on__gte=as_of)
                         .order_by().values("entity_id").annotate(n=Count("id")).values("entity_id", "n"))
        joins.append(f"LEFT JOIN ({s}) sl ON sl.entity_id = e.id")
        sql_params += p
    if "commitment_broken_count" in own_needed:
        window = max(i.window_months for i in indicators if i.source == "commitment_broken_count")
        s, p = _compiled(Commitment.objects.filter(status=CommitmentStatus.BROKEN, broken_on__gte=add_months(as_of, -window),
                                                   broken_on__lte=as_of).order_by().values("entity_id").annotate(n=Count("id"))
                         .values("entity_id", "n"))
        joins.append(f"LEFT JOIN ({s}) cb ON cb.entity_id = e.id")
        sql_params += p
    due_year = report_due_year(as_of)
    if "annual_report_missing" in own_needed:
        s, p = _compiled(AnnualReport.objects.filter(year=due_year).order_by().values("entity_id"))
        joins.append(f"LEFT JOIN ({s}) ar ON ar.entity_id = e.id")
        sql_params += p

    kinds_sql = ", ".join(f"'{k}'" for k in ANNUAL_REPORT_KINDS)
    for ind in indicators:
        src = SOURCES[ind.source]
        if src.kind == "record":
            expr = f"COALESCE(rr.{rec_alias[ind.pk]}, 0)"
        elif ind.source == "abnormal_listed":
            expr = "COALESCE(ab.n, 0)"
        elif ind.source == "serious_listed":
            expr = "COALESCE(sl.n, 0)"
        elif ind.source == "commitment_broken_count":
            expr = "COALESCE(cb.n, 0)"
        elif ind.source == "annual_report_missing":
            expr = (f"CASE WHEN ar.entity_id IS NULL AND e.kind IN ({kinds_sql}) AND e.status IN ('existing', 'operating') "
                    f"AND (e.established_on IS NULL OR e.established_on <= %s) THEN 1 ELSE 0 END")
            value_params.append(dt.date(due_year, 12, 31))
        elif ind.source == "new_entity":
            expr = "CASE WHEN e.established_on IS NOT NULL AND e.established_on > %s THEN 1 ELSE 0 END"
            value_params.append(add_months(as_of, -ind.window_months))
        else:  # pragma: no cover - SOURCES and this switch are kept together
            raise ValueError(ind.source)
        value_exprs.append(expr)

    # 2. points, score, forced classes, class.
    point_exprs, forced_parts = [], {"B": [], "C": [], "D": []}
    for n, ind in enumerate(indicators):
        v = f"v{n}"
        if ind.rule == IndicatorRule.THRESHOLD:
            pts = f"(CASE WHEN {v} >= {_num(ind.threshold)} THEN {_num(ind.points)} ELSE 0 END)"
        else:
            raw = f"({v} * {_num(ind.points)})"
            pts = f"(CASE WHEN {raw} > {_num(ind.cap)} THEN {_num(ind.cap)} ELSE {raw} END)" if ind.cap is not None else raw
        point_exprs.append(pts)
        if ind.forces_grade in forced_parts:
            forced_parts[ind.forces_grade].append((f"{v} >= {_num(ind.threshold)}", ind.code))
    inner_cols = ", ".join(f"{expr} AS v{n}" for n, expr in enumerate(value_exprs))
    reg_sql, reg_params = _compiled(entity_selectors.registry_queryset().values("id", "kind", "status", "established_on"))
    inner = f"SELECT e.id AS eid, {inner_cols} FROM ({reg_sql}) e {' '.join(joins)}"
    point_cols = ", ".join(f"{pts} AS p{n}" for n, pts in enumerate(point_exprs))
    score = " + ".join(f"p{n} * {_num(ind.weight)}" for n, ind in enumerate(indicators))
    as_text = lambda col: f"CAST({col} AS TEXT)"  # noqa: E731
    values_txt = " || ',' || ".join(as_text(f"v{n}") for n in range(len(indicators)))
    mid = f"SELECT eid, {', '.join(f'v{n}' for n in range(len(indicators)))}, {point_cols} FROM ({inner}) base"

    def any_of(grade: str) -> str:
        conds = [c for g in ("D", "C", "B")[: "DCB".index(grade) + 1] for c, _ in forced_parts[g]]
        return " OR ".join(conds) if conds else "1 = 0"

    forced_txt = " || ".join(f"(CASE WHEN {c} THEN '{code},' ELSE '' END)" for g in "DCB" for c, code in forced_parts[g]) or "''"
    a, b, c = _num(indicator_set.a_below), _num(indicator_set.b_below), _num(indicator_set.c_below)
    outer = (
        f"SELECT %s, eid, ROUND({score}, 2), "
        f"CASE WHEN ({any_of('D')}) OR ({score}) >= {c} THEN 'D' WHEN ({any_of('C')}) OR ({score}) >= {b} THEN 'C' "
        f"WHEN ({any_of('B')}) OR ({score}) >= {a} THEN 'B' ELSE 'A' END, {forced_txt}, {values_txt} FROM ({mid}) pts"
    )
    columns = ", ".join(q(c) for c in ("run_id", "entity_id", "score", "grade", "forced", "vals"))
    sql = f"INSERT INTO credit_graderesult ({columns}) {outer}"
    return sql, [run_id] + value_params + reg_params + sql_params


def active_indicator_set(at: dt.date):
    from .models import IndicatorSet
    from .choices import IndicatorSetStatus

    return (IndicatorSet.objects.filter(status=IndicatorSetStatus.ACTIVE, effective_from__lte=at)
            .order_by("-effective_from", "-pk").first())


def _batch_settings() -> None:
    """Memory for one big set-based statement: the grouped scan and the join stay in memory instead of spilling.
    SQLite: a larger page cache and in-memory temporary b-trees for this connection; PostgreSQL: work_mem for this
    transaction only."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            if connection.in_atomic_block:
                return  # connection settings cannot change inside a transaction (e.g. under tests); the defaults work
            cur.execute("PRAGMA cache_size = -262144")  # 256 MiB
            cur.execute("PRAGMA temp_store = MEMORY")
            cur.execute("PRAGMA mmap_size = 4294967296")  # read the file through the page cache of the OS
            cur.execute("PRAGMA threads = 2")  # the sorter of the GROUP BY may use a helper thread
        elif connection.vendor == "postgresql":
            cur.execute("SET LOCAL work_mem = '256MB'")


def grade_all(*, actor=None, as_of: dt.date | None = None, indicator_set=None):
    """Recompute every entity's class (one run). Returns the finished GradeRun."""
    from .models import GradeResult, GradeRun

    as_of = as_of or timezone.localdate()
    indicator_set = indicator_set or active_indicator_set(as_of)
    if indicator_set is None:
        from jianguan.core.errors import DomainError
        from django.utils.translation import gettext as _

        raise DomainError(_("没有在基准日生效的信用风险指标体系，请先启用一个指标体系"), field="indicator_set")
    started = time.monotonic()
    if connection.vendor == "sqlite":
        _batch_settings()  # connection settings: before the transaction
    with transaction.atomic():
        if connection.vendor != "sqlite":
            _batch_settings()  # transaction-local settings: inside it
        run = GradeRun.objects.create(indicator_set=indicator_set, as_of=as_of, started_at=timezone.now(), triggered_by=actor)
        sql, sql_params = build_statement(indicator_set, run.pk, as_of)
        with connection.cursor() as cur:
            cur.execute(sql, sql_params)
        counts = {g: 0 for g in Grade.values}
        for grade, n in GradeResult.objects.filter(run=run).values_list("grade").annotate(n=Count("entity")).order_by():
            counts[grade] = n
        keep = params.get("credit.grade_history_runs", at=as_of)
        old = list(GradeRun.objects.filter(status=RunStatus.DONE).order_by("-pk").values_list("pk", flat=True)[keep - 1:])
        if old:
            GradeResult.objects.filter(run_id__in=old).delete()
        run.status, run.finished_at = RunStatus.DONE, timezone.now()
        run.entity_count, run.counts = sum(counts.values()), counts
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["status", "finished_at", "entity_count", "counts", "duration_ms"])
        audit.record(actor=actor, action="credit.grade_run", obj=run, department_id=None,
                     after={"as_of": as_of.isoformat(), "indicator_set": indicator_set.version, "entities": run.entity_count,
                            "counts": counts, "pruned_runs": old})
    return run
