"""Synthetic data for the credit benchmarks: N entities, ~3 records each, annual reports, some listings.

Written straight into the tables with COPY (PostgreSQL) or executemany (SQLite): this is a generator for benchmarks,
not a code path of the platform. Everything is synthetic; USCCs are unique and pass their checks.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_BENCH = "postgres://postgres@127.0.0.1:5432/jianguan_bench5"
SQLITE_BENCH = ROOT / "var" / "bench5.sqlite3"

KIND_MIX = [("inspection", 50), ("penalty", 15), ("spot_check", 15), ("complaint", 15), ("coercion", 5)]
RESULTS = ["未发现问题"] * 6 + ["发现问题待后续处理", "发现问题经责令已改正", "违反其他规定"]


def setup_django(db: str, *, fresh: bool) -> None:
    """Point Django at the benchmark database (recreated when `fresh`) and migrate it."""
    if db == "postgresql":
        url = os.environ.get("JIANGUAN_BENCH_PG", PG_BENCH)
        if fresh:
            import psycopg

            base, name = url.rsplit("/", 1)
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        os.environ["JIANGUAN_DATABASE_URL"] = url
    else:
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(str(SQLITE_BENCH) + suffix).unlink(missing_ok=True)
        SQLITE_BENCH.parent.mkdir(parents=True, exist_ok=True)
        os.environ["JIANGUAN_DATABASE_URL"] = f"sqlite:///{SQLITE_BENCH}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _uscc(n: int) -> str:
    """A unique valid USCC for entity number n (GB 32100 and GB 11714 checks pass)."""
    from jianguan.core.identifiers import _org_code_check, uscc_check_char

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body, x = "", n
    for _ in range(8):
        body = alphabet[x % 31] + body
        x //= 31
    first17 = f"91140430{body}{_org_code_check(body)}"
    return first17 + uscc_check_char(first17)


def existing_size() -> int:
    from jianguan.entities.models import Entity

    return Entity.objects.count()


def generate(size: int, *, seed: int = 5, records_per_entity: float = 3.0, log=print) -> dict:
    """Fill an empty benchmark database. Returns counts and the seconds it took."""
    from django.db import connection, transaction

    from jianguan.core import bulk
    from jianguan.core.models import Department
    from jianguan.credit.models import AbnormalListing, AnnualReport
    from jianguan.entities.models import Entity
    from jianguan.records.models import Record

    rng = random.Random(seed)
    started = time.monotonic()
    dept, _ = Department.objects.get_or_create(name="沁县市场监督管理局", defaults={"short_name": "市场监管局", "region_code": "140430"})
    today = dt.date.today()
    now = dt.datetime.now(dt.timezone.utc)
    with transaction.atomic():
        cols = ["uscc", "name", "kind", "legal_representative", "established_on", "registered_address", "business_address",
                "division_code", "industry_code", "business_scope", "status", "registration_authority", "search_text", "created_at",
                "updated_at"]

        def entities():
            for n in range(size):
                kind = "individual" if n % 5 == 0 else "enterprise"
                est = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000))
                name = f"沁县第{n}号{'商店' if kind == 'individual' else '商贸有限公司'}"
                yield (_uscc(n), name, kind, "", est, "", "", "140430100", "", "", "existing", "", name,
                       now, now)

        n_ent = bulk.insert_rows(Entity, cols, entities())
        log(f"entities {n_ent} in {time.monotonic() - started:.1f}s")
        with connection.cursor() as cur:
            cur.execute("SELECT MIN(id), MAX(id) FROM entities_entity")
            lo, hi = cur.fetchone()
        kinds = [k for k, w in KIND_MIX for _ in range(w)]
        rcols = ["kind", "entity_id", "uscc", "party_name", "department_id", "occurred_on", "title", "summary", "amount", "source_system",
                 "source_id", "payload", "row_hash", "status", "match_status", "disclose", "disclose_until", "party_id_number",
                 "party_id_hash", "rep_id_number", "created_at", "updated_at"]
        total = int(size * records_per_entity)

        def records():
            for i in range(total):
                eid = rng.randint(lo, hi)
                kind = rng.choice(kinds)
                day = today - dt.timedelta(days=rng.randrange(0, 1500))
                amount = None
                if kind == "inspection":
                    payload = {"result": rng.choice(RESULTS)}
                elif kind == "penalty":
                    amount = rng.choice([500, 2000, 5000, 20000, 150000])
                    payload = {"penalty_kinds": ["罚款"], "decided_on": day.isoformat()}
                elif kind == "spot_check":
                    payload = {"result": "不合格" if rng.random() < 0.1 else "合格"}
                elif kind == "complaint":
                    payload = {"substantiated": rng.random() < 0.3}
                else:
                    payload = {"measure": "扣押财物"}
                yield (kind, eid, "", "", dept.pk, day, "bench", "", amount, "bench", str(i),
                       json.dumps(payload, ensure_ascii=False), "", "active", "matched", True, None, "", "", "", now, now)

        n_rec = bulk.insert_rows(Record, rcols, records())
        log(f"records {n_rec} in {time.monotonic() - started:.1f}s")
        due = today.year - 1 if today > dt.date(today.year, 6, 30) else today.year - 2
        acols = ["entity_id", "uscc", "year", "filed_at", "late", "operating", "address", "phone", "email", "website", "publish_financials"]

        def reports():
            for eid in range(lo, hi + 1):
                if rng.random() < 0.85:
                    yield (eid, "", due, now, False, True, "沁县", "0", "", "", False)

        n_rep = bulk.insert_rows(AnnualReport, acols, reports())
        lcols = ["entity_id", "uscc", "department_id", "ground", "mode", "decision_no", "facts", "listed_on", "status", "removal_reason",
                 "escalated", "created_at"]
        listed = rng.sample(range(lo, hi + 1), max(1, size // 50))

        def listings():
            for eid in listed:
                yield (eid, "", dept.pk, "unreachable", "list", "", "", today, "listed", "", False, now)

        n_ab = bulk.insert_rows(AbnormalListing, lcols, listings())
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    seconds = time.monotonic() - started
    log(f"generated in {seconds:.1f}s")
    return {"entities": n_ent, "records": n_rec, "annual_reports": n_rep, "abnormal": n_ab, "seconds": round(seconds, 1)}


def ensure(size: int, db: str, *, reuse: bool, log=print) -> dict:
    """A benchmark database holding exactly `size` entities (regenerated unless `reuse` finds it already there)."""
    if reuse:
        setup_django(db, fresh=False)
        if existing_size() == size:
            from jianguan.records.models import Record

            return {"entities": size, "records": Record.objects.count(), "reused": True}
        from django.db import connections

        connections.close_all()
        raise SystemExit(f"--reuse: the {db} benchmark database does not hold {size} entities; run without --reuse")
    setup_django(db, fresh=True)
    return generate(size, log=log)
