"""Benchmark: 双随机 — build the candidate list and draw a stratified 5% sample from N entities, then assign two
inspectors each from 500 inspectors with declared conflicts (draw_commit + draw_run, as the system: actor=None).

Target (issue): 1,000,000 entities in ≤ 5 s, on PostgreSQL and on SQLite. The raw limit measured in the same run is
the irreducible work of any draw: a bare SELECT of (id, uscc) of every entity and SM3(seed ‖ USCC) of each.

    python bench/bench_draw.py [--size 20000] [--db sqlite|postgresql|both] [--reuse] [--profile]

Set-up (not timed), in databases of its own, one per size (PostgreSQL jianguan_bench_draw_N, SQLite
bench/out/bench_draw_N.sqlite3; media and secrets under bench/out/draw-var), so neither the credit benchmarks' database
nor the slow-to-build 1,000,000 one is dropped by another run:
N entities with records and a credit grading run (credit_data; --reuse keeps a database of the same size), the
市场监管局 with its 执法队 and 协调办, one random-check food item (食品药品) whose object rule has no condition (every
existing/operating entity: credit_data writes no industry codes), an approved plan row for this year, 500 inspector
accounts (食品药品, certificate numbers) entered in the directory, 5,000 declared conflicts between random
inspectors and random entities, and a task with 5% for every class. A previous run's task is removed first.

Timed: (1) draw_commit: candidates (one SQL statement), canonical sort, candidate file, SM3, strata;
(2) draw_run: file re-read and hash check, JG-DRAW-1, TaskObjects, JG-ASSIGN-1 with conflicts, Assignments, visits.
`steps` splits the phases by the service functions they call (cheap wrappers, a dozen calls in all; nested names are
part of their parent) and adds the cyclic garbage collector's pauses. With --profile each phase also runs under cProfile
(which slows it) and every SQL statement is timed; the report goes to bench/out/.

Prints one JSON line: {"bench": "draw", "size": N, "sqlite": {...}, "postgresql": {...}, "target_s": 5, "met": bool}.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402
import credit_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_S = 5
INSPECTORS = 500
CONFLICTS = 5000
ITEM_CODE = "11140430099001"
TASK_NAME = "基准：食品经营者双随机抽查"
CONFLICT_REASON = "基准：亲属关系"
RATIOS = {"A": "5", "B": "5", "C": "5", "D": "5"}


# --- set-up (not timed) ---------------------------------------------------------------------------------------------


def use_own_databases(size: int) -> None:
    """credit_data's generator, pointed at databases (and a var directory) of this benchmark only, one per size: a quick
    `make bench` (20,000) does not drop the million-entity database that takes minutes to generate."""
    pg = os.environ.get("JIANGUAN_BENCH_DRAW_PG", _common.PG_ADMIN.rsplit("/", 1)[0] + f"/jianguan_bench_draw_{size}")
    os.environ["JIANGUAN_BENCH_PG"] = pg
    credit_data.SQLITE_BENCH = OUT / f"bench_draw_{size}.sqlite3"
    var = OUT / "draw-var"
    var.mkdir(parents=True, exist_ok=True)
    os.environ["JIANGUAN_VAR_DIR"] = str(var)
    os.environ.setdefault("JIANGUAN_LOG_LEVEL", "WARNING")


def prepare(log) -> dict:
    """Everything but the entities: departments, item, rule, approved plan row, inspectors, conflicts, a fresh task."""
    from django.db import connection
    from django.utils import timezone

    from jianguan.catalog import services as catalog
    from jianguan.catalog.choices import ItemCategory, PlanStatus, SupervisionField
    from jianguan.catalog.models import DepartmentPlan, PlanRow, SupervisionItem
    from jianguan.core.choices import DepartmentKind, Role
    from jianguan.core.models import Department, User
    from jianguan.credit import grading
    from jianguan.credit.choices import RunStatus
    from jianguan.credit.models import GradeRun
    from jianguan.inspections import services
    from jianguan.inspections.choices import ConflictKind
    from jianguan.inspections.models import Draw, InspectionTask, Inspector, InspectorConflict, ObjectRule
    from jianguan.inspections.services.tasks import candidates_path

    started = time.monotonic()
    if not GradeRun.objects.filter(status=RunStatus.DONE).exists():
        grading.grade_all()
        log(f"credit grading in {time.monotonic() - started:.1f}s")
    today = timezone.localdate()
    market = Department.objects.get(name="沁县市场监督管理局")  # credit_data's department
    unit, _ = Department.objects.get_or_create(name="沁县市场监督管理局综合行政执法队", defaults={
        "parent": market, "kind": DepartmentKind.UNIT, "region_code": "140430"})
    owner_dept, _ = Department.objects.get_or_create(name="沁县审批服务管理局", defaults={"region_code": "140430"})
    owner = User.objects.filter(username="bench_owner").first()
    if owner is None:
        owner = User(username="bench_owner", display_name="基准协调办", role=Role.OWNER, department=owner_dept, is_staff=True,
                     is_superuser=True)
        owner.set_unusable_password()
        owner.save()

    item = SupervisionItem.objects.filter(code=ITEM_CODE).first()
    if item is None:
        item = catalog.item_create(
            actor=owner, department=market, code=ITEM_CODE, name="食品经营者监督检查（基准）", supervision_object="辖区内市场主体",
            scope="辖区内存续、在业的市场主体", method="双随机抽查", field=SupervisionField.FOOD_DRUG, category=ItemCategory.KEY,
            random_check=True, effective_from=dt.date(today.year, 1, 1))
    if not ObjectRule.objects.filter(item=item).exists():
        services.object_rule_save(actor=owner, item=item, data={"note": "基准：不设条件，全部存续、在业主体"})

    row = (PlanRow.objects.filter(item=item, plan__county_plan__year=today.year, plan__status=PlanStatus.APPROVED,
                                  period_end__gte=today).first())
    if row is None:
        plan = DepartmentPlan.objects.filter(county_plan__year=today.year, department=market).first()
        if plan is None:
            plan = catalog.department_plan_create(actor=owner, department=market, year=today.year)
        row = PlanRow.objects.filter(plan=plan, item=item).first()
        if row is None:
            row = catalog.plan_row_add(actor=owner, plan=plan, item=item, object_scope="辖区内全部存续、在业主体", ratio="5",
                                       frequency=1, period_start=dt.date(today.year, 1, 1),
                                       period_end=dt.date(today.year, 12, 31), method="onsite")
        plan.refresh_from_db()
        if plan.status != PlanStatus.SUBMITTED:
            plan = catalog.department_plan_submit(actor=owner, plan=plan)
        catalog.department_plan_decide(actor=owner, plan=plan, approve=True, note="同意")

    have = set(User.objects.filter(username__startswith="bench_insp").values_list("username", flat=True))
    new = []
    for i in range(INSPECTORS):
        username = f"bench_insp{i:03d}"
        if username in have:
            continue
        user = User(username=username, display_name=f"基准执法{i:03d}", role=Role.INSPECTOR, department=unit if i % 4 else market,
                    cert_no=f"BD{i:04d}", enforcement_fields="食品药品", must_change_password=False)
        user.set_unusable_password()  # account_create would hash 500 passwords with Argon2: minutes, and beside the point
        new.append(user)
    User.objects.bulk_create(new, batch_size=500)
    if Inspector.objects.filter(code__startswith="BD").count() != INSPECTORS:
        services.inspector_sync(actor=None, department=market)
    inspectors = list(Inspector.objects.filter(code__startswith="BD").values_list("id", "department_id"))
    assert len(inspectors) == INSPECTORS, len(inspectors)

    if InspectorConflict.objects.filter(reason=CONFLICT_REASON, active=True).count() != CONFLICTS:
        import random

        InspectorConflict.objects.filter(reason=CONFLICT_REASON).delete()
        with connection.cursor() as cur:
            cur.execute("SELECT MIN(id), MAX(id) FROM entities_entity")
            lo, hi = cur.fetchone()
        rng, pairs = random.Random(7), set()
        while len(pairs) < CONFLICTS:
            pairs.add((rng.randrange(len(inspectors)), rng.randint(lo, hi)))
        InspectorConflict.objects.bulk_create(
            [InspectorConflict(inspector_id=inspectors[i][0], entity_id=e, department_id=inspectors[i][1],
                               kind=ConflictKind.DECLARED, reason=CONFLICT_REASON) for i, e in sorted(pairs)], batch_size=5000)

    log(f"directory set-up in {time.monotonic() - started:.1f}s")
    # A previous run's task would exclude its drawn objects (open elsewhere) and load its inspectors: start clean.
    old = InspectionTask.objects.filter(name=TASK_NAME)
    for draw in Draw.objects.filter(task__in=old):
        if draw.candidates_file:
            candidates_path(draw).unlink(missing_ok=True)
    task_ids = list(old.values_list("pk", flat=True))
    if task_ids:  # plain statements: the ORM's collector would load 50,000 objects, and PostgreSQL's statistics
        marks = ", ".join(["%s"] * len(task_ids))  # still describe the empty tables of the previous set-up
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("ANALYZE inspections_assignment, inspections_taskobject, inspections_visit")
            cur.execute(f"DELETE FROM inspections_assignment WHERE task_object_id IN "
                        f"(SELECT id FROM inspections_taskobject WHERE task_id IN ({marks}))", task_ids)
            cur.execute(f"DELETE FROM inspections_taskobject WHERE task_id IN ({marks})", task_ids)
            cur.execute("DELETE FROM inspections_visit WHERE NOT EXISTS "
                        "(SELECT 1 FROM inspections_taskobject o WHERE o.visit_id = inspections_visit.id)")
        Draw.objects.filter(task__in=old).delete()
        old.delete()
    log(f"previous task removed at {time.monotonic() - started:.1f}s")
    task = services.task_create(actor=None, department=market, name=TASK_NAME, plan_rows=[row], ratios=RATIOS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    log(f"set-up in {time.monotonic() - started:.1f}s")
    return {"task_id": task.pk}


# --- measurement ------------------------------------------------------------------------------------------------------


class Steps:
    """Seconds spent in named service functions, per phase: module attributes replaced by timing wrappers."""

    def __init__(self):
        self.phase = ""
        self._gc_started = 0.0
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._undo = []

    def wrap(self, owner, attr: str, label: str) -> None:
        original = getattr(owner, attr, None)
        if original is None:  # the services change; a step they no longer have is simply not reported
            return

        @functools.wraps(original)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                key = f"{self.phase}.{label}"
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - t
                self.calls[key] = self.calls.get(key, 0) + 1

        setattr(owner, attr, timed)
        self._undo.append((owner, attr, original))

    def install(self) -> None:
        from jianguan.core import audit
        from jianguan.entities import selectors as entity_selectors
        from jianguan.inspections import candidates, draw
        from jianguan.inspections.models import Assignment, TaskObject, Visit
        from jianguan.inspections.services import tasks

        self.wrap(tasks, "inspector_pool", "inspector_pool")
        self.wrap(candidates, "build", "candidates_build")  # the SQL statement, its rows as Candidates, canonical sort
        self.wrap(draw, "canonical", "candidates_build.canonical_sort")
        self.wrap(draw, "candidate_lines", "candidate_lines")
        self.wrap(tasks, "sm3_hex", "sm3_of_file")
        self.wrap(draw, "stratum_counts", "stratum_counts")
        self.wrap(audit, "record", "audit")
        self.wrap(tasks, "read_candidates", "read_parse_file")
        self.wrap(draw, "draw", "jg_draw_1")
        self.wrap(entity_selectors, "entities_by_uscc", "entities_by_uscc")
        self.wrap(TaskObject.objects, "bulk_create", "taskobjects_insert")
        self.wrap(tasks, "_assign", "assign")
        self.wrap(tasks, "_conflicts", "assign.conflicts_query")
        self.wrap(tasks, "_open_load", "assign.open_load")
        self.wrap(draw, "assign", "assign.jg_assign_1")
        self.wrap(Assignment.objects, "bulk_create", "assign.assignments_insert")
        self.wrap(tasks, "_merge_visits", "merge_visits")
        self.wrap(tasks, "_visits_for", "visits_for")
        self.wrap(Visit.objects, "bulk_create", "visits_insert")
        self.wrap(TaskObject.objects, "bulk_update", "merge_visits.taskobjects_set_visit")
        gc.callbacks.append(self._gc)

    def _gc(self, event: str, info: dict) -> None:
        """The cyclic garbage collector's pauses: with a million live objects, each full collection is long."""
        if event == "start":
            self._gc_started = time.perf_counter()
        elif self.phase:
            key = f"{self.phase}.gc_pauses"
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - self._gc_started

    def uninstall(self) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)
        self._undo = []
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)

    def report(self) -> dict:
        return {k: round(v, 3) for k, v in sorted(self.seconds.items())}


class SqlLog:
    """Every statement's duration (the execute only: a server-side cursor's fetches are outside it)."""

    def __init__(self, steps: Steps):
        self.steps, self.rows = steps, []

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            n = len(params) if many and params is not None and hasattr(params, "__len__") else 1
            self.rows.append((self.steps.phase, time.perf_counter() - t, n, " ".join(sql.split())))


def raw_limit(seed_hex: str) -> dict:
    """The irreducible work: every entity's (id, uscc) in one bare SELECT, and SM3(seed ‖ USCC) of each."""
    from django.db import connection

    base = hashlib.new("sm3", bytes.fromhex(seed_hex))
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT id, uscc FROM entities_entity")
        rows = cur.fetchall()
    t1 = time.perf_counter()
    digests = []
    for _pk, uscc in rows:
        h = base.copy()
        h.update(uscc.encode())
        digests.append(h.digest())
    t2 = time.perf_counter()
    return {"rows": len(digests), "select_s": t1 - t0, "hash_s": t2 - t1, "total_s": t2 - t0}


def child(db: str, size: int, reuse: bool, profile: bool, quiet: bool) -> dict:
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    use_own_databases(size)
    data = credit_data.ensure(size, db, reuse=reuse, log=log)
    prepared = prepare(log)

    from django.db import connection, connections

    from jianguan.inspections import services
    from jianguan.inspections.models import Assignment, InspectionTask, InspectorConflict, TaskObject

    connections.close_all()  # the timed work starts on a fresh connection, with none of the set-up's PRAGMAs/caches
    task = InspectionTask.objects.get(pk=prepared["task_id"])
    raw_limit("00" * 32)  # warm-up: the entity table read once, as ours finds it after the set-up

    steps = Steps()
    steps.install()
    sql = SqlLog(steps)
    profiles = {}
    phases = {}
    with connection.execute_wrapper(sql) if profile else contextlib.nullcontext():
        for phase, call in (("commit", lambda: services.draw_commit(actor=None, task=task)),
                            ("run", lambda: services.draw_run(actor=None, task=task))):
            steps.phase = phase
            prof = None
            if profile:
                import cProfile

                prof = cProfile.Profile()
                prof.enable()
            t = time.perf_counter()
            result = call()
            phases[phase] = time.perf_counter() - t
            if prof is not None:
                prof.disable()
                profiles[phase] = prof
            if phase == "commit":
                draw = result
    steps.phase = ""
    steps.uninstall()
    draw.refresh_from_db()
    raw = raw_limit(draw.seed)

    if connection.vendor == "postgresql":  # the checks below join tables whose statistics still say "empty"
        with connection.cursor() as cur:
            cur.execute("ANALYZE inspections_assignment, inspections_taskobject, inspections_visit")
    objects = TaskObject.objects.filter(draw=draw)
    assignments = Assignment.objects.filter(task_object__draw=draw, active=True)
    with connection.cursor() as cur:  # no assigned inspector may have declared a conflict with the object's entity
        cur.execute("SELECT COUNT(*) FROM inspections_assignment a JOIN inspections_taskobject o ON o.id = a.task_object_id "
                    "JOIN inspections_inspectorconflict c ON c.inspector_id = a.inspector_id AND c.entity_id = o.entity_id "
                    "WHERE o.draw_id = %s AND a.active AND c.active", [draw.pk])
        violations = cur.fetchone()[0]
    conflicted = objects.filter(entity_id__in=InspectorConflict.objects.filter(active=True).values("entity_id")).count()
    total = phases["commit"] + phases["run"]
    out = {
        "db": connection.vendor, "entities": data.get("entities"), "reused": bool(data.get("reused")),
        "candidates": draw.candidate_count, "selected": draw.selected_count, "strata": draw.strata,
        "assignments": assignments.count(), "visits": objects.exclude(visit=None).values("visit").distinct().count(),
        "objects_with_conflicts": conflicted, "conflict_violations": violations,
        "commit_s": round(phases["commit"], 3), "run_s": round(phases["run"], 3), "total_s": round(total, 3),
        "raw_select_s": round(raw["select_s"], 3), "raw_hash_s": round(raw["hash_s"], 3), "raw_s": round(raw["total_s"], 3),
        "ratio": round(total / raw["total_s"], 2) if raw["total_s"] else None, "ok": total <= TARGET_S,
        "steps": steps.report(),
    }
    if profile:
        out["profile"] = write_profile(db, size, profiles, sql.rows)
    return out


def write_profile(db: str, size: int, profiles: dict, statements: list) -> str:
    import io
    import pstats

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"draw-profile-{db}-{size}.txt"
    buf = io.StringIO()
    for phase, prof in profiles.items():
        prof.dump_stats(str(OUT / f"draw-{db}-{size}-{phase}.prof"))
        for order in ("tottime", "cumulative"):
            buf.write(f"==== {phase}: top 30 by {order} ====\n")
            stats = pstats.Stats(prof, stream=buf)
            stats.sort_stats(order).print_stats(30)
    for phase in ("commit", "run"):
        mine = [s for s in statements if s[0] == phase]
        groups: dict[str, list] = {}
        for _p, seconds, n, text in mine:
            key = text[:140]
            g = groups.setdefault(key, [0, 0.0, 0])
            g[0] += 1
            g[1] += seconds
            g[2] += n
        buf.write(f"==== {phase}: SQL, {len(mine)} statements, {sum(s[1] for s in mine):.3f}s in execute ====\n")
        for key, (count, seconds, n) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:25]:
            buf.write(f"{seconds:8.3f}s {count:6d}x rows/params {n:8d}  {key}\n")
    path.write_text(buf.getvalue())
    return str(path.relative_to(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--reuse", action="store_true", help="reuse a benchmark database of the same size")
    parser.add_argument("--profile", action="store_true", help="cProfile and SQL timings per phase, into bench/out/")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size, args.reuse, args.profile, args.quiet), ensure_ascii=False))
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    passed = ["--size", str(args.size)] + (["--reuse"] if args.reuse else []) + (["--profile"] if args.profile else [])
    results = _common.run_children(str(Path(__file__).resolve()), passed, dbs)
    met = all(isinstance(r, dict) and r.get("ok") is True for r in results.values())
    print(json.dumps({"bench": "draw", "size": args.size, **results, "target_s": TARGET_S, "met": met}, ensure_ascii=False))


if __name__ == "__main__":
    main()
