"""一户一档 profile of an entity with N records (default 1,000): server time of the HTML page and of the API, and
the number of queries (which must not grow with N), on SQLite and PostgreSQL.

    python bench/bench_profile.py [--size 1000] [--db sqlite|postgresql|both]
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402


def child(db: str, size: int) -> dict:
    url = _common.fresh_database(db)
    _common.setup_django(url)
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    from jianguan.core.demo import load_accounts, load_departments
    from jianguan.core.models import User
    from jianguan.entities.models import Entity
    from jianguan.records.demo import KIND_DEPARTMENTS
    from jianguan.records.generator import record_rows
    from jianguan.records.importer import insert_rows

    departments = load_departments()
    load_accounts(departments)
    call_command("gen_entities", entities=5000, county_only=True, stdout=open("/dev/null", "w"))
    entity = Entity.objects.order_by("pk").first()
    depts = {k: departments[v].pk for k, v in KIND_DEPARTMENTS.items()}
    depts["default"] = departments["沁县市场监督管理局"].pk
    with transaction.atomic():
        insert_rows(list(record_rows([(entity.pk, entity.uscc, entity.name)], depts, count=size, seed="bench-profile")))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    results = {"records": size}
    for label, username in (("inspector", "scjg_zf1"), ("other_department", "yjj_zf1")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for kind, url in (("html", f"/entities/{entity.uscc}/"), ("api", f"/api/v1/entities/{entity.uscc}")):
            client.get(url)
            times = []
            for _ in range(20):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            times.sort()
            results[f"{label}_{kind}"] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[18], 1),
                                          "queries": len(ctx.captured_queries), "bytes": len(response.content)}
    results["ok"] = all(v["p95_ms"] <= 150 for k, v in results.items() if isinstance(v, dict))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size)))
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = _common.run_children(__file__, ["--size", str(args.size)], dbs)
    print(json.dumps({"bench": "profile", "size": args.size, "machine_cores": __import__("os").cpu_count(), **results},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
