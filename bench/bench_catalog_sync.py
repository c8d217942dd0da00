"""Benchmark: 审管衔接 notices for N imported licences, against a bare executemany of the same rows.

    python bench/bench_catalog_sync.py [--size N]

Uses a fresh SQLite database in a temporary directory, or the database in JIANGUAN_DATABASE_URL (which must
be a scratch database: the benchmark writes to it). Prints one JSON line:
  notices_create_s     catalog notices_create() for N licences (match, exclude existing, bulk insert, audit)
  raw_insert_s         cursor.executemany of the same N notice rows (the floor)
  ratio                notices_create_s / raw_insert_s
  overdue_flag_s       overdue_flag() over N pending notices (one UPDATE)
  unfiled_report_s     the 审批改备案 unfiled-entities report over N entities (count)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    size = parser.parse_args().size
    if not os.environ.get("JIANGUAN_DATABASE_URL"):
        os.environ["JIANGUAN_VAR_DIR"] = tempfile.mkdtemp(prefix="jianguan-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from jianguan.catalog import queries, services
    from jianguan.catalog.models import ApprovalRoute, FilingMatter, SupervisionNotice
    from jianguan.core.models import Department
    from jianguan.entities.models import Entity, Licence

    approval, _ = Department.objects.get_or_create(name="基准审批局", defaults={"region_code": "140430"})
    market, _ = Department.objects.get_or_create(name="基准市场监管局", defaults={"region_code": "140430"})
    ApprovalRoute.objects.get_or_create(keyword="食品经营许可", supervising_department=market, defaults={"matter": "食品经营许可"})

    # start from a clean slate so runs are comparable
    SupervisionNotice.objects.all().delete()
    Licence.objects.filter(department=approval).delete()
    Entity.objects.filter(uscc__startswith="BENCH").delete()

    day = dt.date(2026, 3, 2)
    start_pk = (Entity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # Entities and licences as a bulk import would write them (USCCs only need to be unique here).
    entities = [Entity(uscc=f"BENCH{start_pk + i:013d}", name=f"基准食品店{start_pk + i}", division_code="140430",
                       industry_code="F5213" if i % 3 else "F5212") for i in range(size)]
    Entity.objects.bulk_create(entities, batch_size=2000)
    entity_ids = list(Entity.objects.filter(uscc__startswith="BENCH").order_by("-pk").values_list("pk", flat=True)[:size])
    licences = [Licence(entity_id=e, department=approval, document_name="准予行政许可决定书", document_no=f"B{e}",
                        certificate_name="食品经营许可证" if i % 4 else "其他许可证", content="食品销售", decided_on=day,
                        valid_from=day, valid_to=day.replace(year=2031)) for i, e in enumerate(entity_ids)]
    Licence.objects.bulk_create(licences, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # fresh tables have no planner statistics; production tables do
            cur.execute("ANALYZE")
    routed = Licence.objects.filter(department=approval, certificate_name__contains="食品经营许可").count()

    SupervisionNotice.objects.all().delete()
    t0 = time.perf_counter()
    created = services.notices_create(on=day)
    notices_s = time.perf_counter() - t0
    assert created == routed, (created, routed)

    flagged_t0 = time.perf_counter()
    services.overdue_flag(on=day + dt.timedelta(days=30))
    overdue_s = time.perf_counter() - flagged_t0

    rows = list(SupervisionNotice.objects.values_list("licence_id", "approval_department_id", "supervising_department_id",
                                                      "issued_on", "due_on"))
    SupervisionNotice.objects.all().delete()
    table = SupervisionNotice._meta.db_table
    placeholder = "%s"
    sql = (f"INSERT INTO {table} (licence_id, approval_department_id, supervising_department_id, issued_on, due_on, status, "
           f"signed_late, result, result_note, created_at) VALUES ({', '.join([placeholder] * 10)})")
    now = django.utils.timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, [(*r, "pending", False, "", "", now) for r in rows])
    raw_s = time.perf_counter() - t0

    matter, _ = FilingMatter.objects.get_or_create(keyword="预包装食品", department=market,
                                                   defaults={"name": "仅销售预包装食品备案", "industry_codes": "F5213"})
    t0 = time.perf_counter()
    unfiled = queries.unfiled_entities(matter).count()
    unfiled_s = time.perf_counter() - t0

    print(json.dumps({
        "benchmark": "catalog_sync", "database": connection.vendor, "size": size, "notices": created,
        "notices_create_s": round(notices_s, 3), "raw_insert_s": round(raw_s, 3),
        "ratio": round(notices_s / raw_s, 2) if raw_s else None,
        "overdue_flag_s": round(overdue_s, 3), "unfiled_report_s": round(unfiled_s, 3), "unfiled": unfiled,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
