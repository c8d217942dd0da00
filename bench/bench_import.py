"""Import of national 互联网+监管 inspection records from CSV, validation included, against the raw limit.

Raw limit, measured in the same run on the same file: read the CSV with the csv module and write every row
as text into an unindexed table — executemany on SQLite, COPY on PostgreSQL. Ours: `jianguan import`'s
engine (encoding detection, per-field validation, entity and department lookup, idempotency check,
indexed table with JSON payload, progress, audit). Ratio = raw time / our time (1.0 = as fast as raw).

    python bench/bench_import.py [--size 20000] [--db sqlite|postgresql|both]
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

ENTITIES = 20000


def make_csv(size: int) -> Path:
    path = _common.OUT / f"national_inspection_{size}.csv"
    if path.exists():
        return path
    from jianguan.core.identifiers import generate_uscc
    from jianguan.records import samples

    rng = random.Random(1)
    usccs = [generate_uscc(random.Random(f"bench-entity:{i}")) for i in range(ENTITIES)]
    headers = samples.headers("national_inspection")
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        day0 = dt.date(2023, 1, 1)
        for i in range(size):
            row = samples.national_inspection(rng, seq=i, uscc=usccs[i % ENTITIES], party_name=f"沁县测试企业{i % ENTITIES}号有限公司",
                                              agency="沁县市场监督管理局", agency_code=AGENCY, day=day0 + dt.timedelta(days=i % 1000))
            writer.writerow([row[h] for h in headers])
    tmp.replace(path)
    return path


AGENCY = "11140430MB1234567X"


def child(db: str, size: int) -> dict:
    url = _common.fresh_database(db)
    _common.setup_django(url)
    from django.db import connection, transaction

    from jianguan.core.identifiers import generate_uscc
    from jianguan.core.models import Department
    from jianguan.entities.services import entities_bulk_insert
    from jianguan.records import services
    from jianguan.records.choices import JobChannel

    global AGENCY
    AGENCY = generate_uscc(random.Random("bench-agency"), authority="1", kind="1")
    path = make_csv(size)
    Department.objects.create(name="沁县市场监督管理局", short_name="市场监管局", region_code="140430", uscc=AGENCY)
    with transaction.atomic():
        rows = [{"uscc": generate_uscc(random.Random(f"bench-entity:{i}")), "name": f"沁县测试企业{i}号有限公司",
                 "division_code": "140430100"} for i in range(ENTITIES)]
        for i in range(0, ENTITIES, 5000):
            entities_bulk_insert(rows[i:i + 5000])

    # raw limit: csv module + executemany / COPY of the same rows as text into an unindexed table
    with open(path, encoding="utf-8-sig", newline="") as fh:
        width = len(next(csv.reader(fh)))
    cols = ", ".join(f"c{i} text" for i in range(width))
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE raw_limit ({cols})")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur, open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY raw_limit FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO raw_limit VALUES ({', '.join(['?'] * width)})"
            batch = []
            for row in reader:
                batch.append(row)
                if len(batch) >= 5000:
                    cur.cursor.executemany(sql, batch)
                    batch = []
            cur.cursor.executemany(sql, batch)
    raw = time.perf_counter() - t0

    t0 = time.perf_counter()
    job = services.import_job_create(actor=None, format="national_inspection", channel=JobChannel.CLI, file_name=path.name,
                                     source_path=path)
    job = services.import_run(job_id=job.pk)
    ours = time.perf_counter() - t0
    assert job.accepted == size and job.rejected == 0, (job.accepted, job.rejected, job.error, job.notes)
    t0 = time.perf_counter()
    again = services.import_run(job_id=services.import_job_create(actor=None, format="national_inspection", channel=JobChannel.CLI,
                                                                  file_name=path.name, source_path=path).pk)
    reimport = time.perf_counter() - t0
    assert again.inserted == 0 and again.unchanged == size
    return {"rows": size, "raw_s": round(raw, 2), "import_s": round(ours, 2), "ratio": round(raw / ours, 3),
            "rows_per_s": int(size / ours), "reimport_noop_s": round(reimport, 2), "peak_rss_mb": _common.peak_rss_mb(),
            "file_mb": round(path.stat().st_size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size)))
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = _common.run_children(__file__, ["--size", str(args.size)], dbs)
    print(json.dumps({"bench": "import", "size": args.size, "machine_cores": __import__("os").cpu_count(), **results},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
