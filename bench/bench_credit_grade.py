"""Benchmark: recompute the credit-risk class of every entity (the monthly `jianguan credit_grade`).

Target (issue 5): 1,000,000 entities with their records in ≤ 30 s, on PostgreSQL and on SQLite.
The raw limit measured in the same run is one bare INSERT … SELECT that writes a constant class per entity joined
to a plain per-entity record count: the least any set-based grading must do. Prints one JSON line.

    python bench/bench_credit_grade.py --size 1000000 --db postgresql
    python bench/bench_credit_grade.py --size 1000000 --db sqlite [--reuse]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import credit_data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="reuse a benchmark database of the same size")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    data = credit_data.ensure(args.size, args.db, reuse=args.reuse, log=log)

    from django.db import connection, transaction

    from jianguan.credit import grading

    grading.grade_all()  # warm the caches the way a monthly run finds them (the previous run)
    started = time.monotonic()
    run = grading.grade_all()
    ours = time.monotonic() - started
    if connection.vendor == "sqlite":
        grading._batch_settings()  # the same memory settings as the run, so the comparison is fair
    with transaction.atomic():
        if connection.vendor != "sqlite":
            grading._batch_settings()
        with connection.cursor() as cur:
            cur.execute("CREATE TEMPORARY TABLE bench_raw (run_id bigint, entity_id bigint, grade varchar(1), n integer)")
            started = time.monotonic()
            cur.execute("INSERT INTO bench_raw SELECT 0, e.id, 'A', COALESCE(r.n, 0) FROM entities_entity e LEFT JOIN "
                        "(SELECT entity_id, COUNT(*) AS n FROM records_record WHERE status = 'active' GROUP BY entity_id) r "
                        "ON r.entity_id = e.id")
            raw = time.monotonic() - started
            cur.execute("DROP TABLE bench_raw")
    result = {"bench": "credit_grade", "db": connection.vendor, "size": args.size, "records": data.get("records"),
              "seconds": round(ours, 2), "raw_seconds": round(raw, 2), "ratio_to_raw": round(ours / raw, 2) if raw else None,
              "limit_seconds": 30, "ok": ours <= 30, "counts": run.counts, "entities": run.entity_count}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
