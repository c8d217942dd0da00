"""Name search over N entities (default 100,000; the issue's figure is 1,000,000): p50/p95 of the whole
search (page of 50 and capped count) for 2-, 3- and 6-character fragments of real names, on SQLite and
PostgreSQL. The data comes from `jianguan gen_entities` (31 counties of 山西).

    python bench/bench_search.py [--size 100000] [--db sqlite|postgresql|both] [--queries 200]
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402


def child(db: str, size: int, queries: int) -> dict:
    url = _common.fresh_database(db)
    _common.setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from jianguan.core.choices import Role
    from jianguan.core.models import User
    from jianguan.entities.models import Entity
    from jianguan.entities.selectors import entity_search

    t0 = time.perf_counter()
    call_command("gen_entities", entities=size, stdout=open("/dev/null", "w"))
    load_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM entities_namegram")
        grams = cur.fetchone()[0]
    user = User(username="bench", role=Role.OWNER, is_active=True)
    rng = random.Random(5)
    ids = list(Entity.objects.values_list("pk", flat=True)[:: max(1, size // 5000)])
    names = list(Entity.objects.filter(pk__in=rng.sample(ids, min(len(ids), queries * 3))).values_list("name", flat=True))
    result = {"entities": size, "gram_rows": grams, "load_s": round(load_s, 1), "load_peak_rss_mb": _common.peak_rss_mb()}
    for length in (2, 3, 6):
        times, hits = [], []
        picked = [n for n in names if len(n) >= length + 2][:queries]
        for name in picked:
            start = rng.randrange(0, len(name) - length + 1)
            q = name[start:start + length]
            t = time.perf_counter()
            page = entity_search(user=user, q=q, page_size=50)
            times.append((time.perf_counter() - t) * 1000)
            hits.append(page.total)
        times.sort()
        result[f"q{length}"] = {"queries": len(times), "p50_ms": round(statistics.median(times), 1),
                                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "max_ms": round(times[-1], 1),
                                "median_hits": statistics.median(hits)}
    misses = []
    for i in range(50):
        t = time.perf_counter()
        entity_search(user=user, q=f"不存在的{i}号名字", page_size=50)
        misses.append((time.perf_counter() - t) * 1000)
    misses.sort()
    result["miss"] = {"p95_ms": round(misses[int(len(misses) * 0.95) - 1], 1)}
    result["p95_ok"] = all(result[f"q{n}"]["p95_ms"] <= 50 for n in (2, 3, 6))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size, args.queries), ensure_ascii=False))
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = _common.run_children(__file__, ["--size", str(args.size), "--queries", str(args.queries)], dbs)
    print(json.dumps({"bench": "search", "size": args.size, "machine_cores": __import__("os").cpu_count(), **results},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
