"""Benchmark: 逢办必查 through the HTTP API on a real gunicorn server over N entities.

Target (issue 5), with 1,000,000 entities: p99 ≤ 20 ms, and throughput ≥ 0.5 × that of a trivial authenticated
endpoint (GET /api/v1/me) on the same server in the same run. The load comes from a second process on 127.0.0.1
only, with a bounded number of requests and a time cap. Prints one JSON line.

    python bench/bench_credit_check.py --size 1000000 --db postgresql [--reuse]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import credit_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ["market_access", "procurement", "licensing", "credit_loan", "invoice", "bidding"]

LOADER = r'''
import http.client, json, sys, threading, time
spec = json.loads(sys.stdin.read())
port, token, paths, threads, cap = spec["port"], spec["token"], spec["paths"], spec["threads"], spec["cap_seconds"]
lat, errors, lock, idx = [], [0], threading.Lock(), [0]
deadline = time.monotonic() + cap
def worker():
    while True:
        with lock:
            if idx[0] >= len(paths) or time.monotonic() > deadline:
                return
            path = paths[idx[0]]; idx[0] += 1
        t0 = time.perf_counter()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", path, headers={"Authorization": "Bearer " + token})
            r = c.getresponse(); r.read(); c.close()
            ok = r.status == 200
        except Exception:
            ok = False
        dt = time.perf_counter() - t0
        with lock:
            if ok: lat.append(dt)
            else: errors[0] += 1
start = time.perf_counter()
ts = [threading.Thread(target=worker) for _ in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
elapsed = time.perf_counter() - start
print(json.dumps({"lat": lat, "errors": errors[0], "elapsed": elapsed}))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(port: int, token: str, paths: list[str], threads: int, cap: float) -> dict:
    """Run the load from a second process; returns p50/p99 (ms) and throughput (requests per second)."""
    proc = subprocess.run([sys.executable, "-c", LOADER], input=json.dumps({"port": port, "token": token, "paths": paths,
                                                                           "threads": threads, "cap_seconds": cap}),
                          capture_output=True, text=True, timeout=cap + 60)
    out = json.loads(proc.stdout)
    lat = sorted(out["lat"])
    if not lat:
        return {"n": 0, "errors": out["errors"]}
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    return {"n": len(lat), "errors": out["errors"], "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2),
            "rps": round(len(lat) / out["elapsed"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--requests", type=int, default=3000, help="requests per endpoint and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="concurrent client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds at most per endpoint and round")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    credit_data.ensure(args.size, args.db, reuse=args.reuse, log=log)

    from django.db import connections

    from jianguan.core.choices import Role
    from jianguan.core.models import Department, User
    from jianguan.core.services import account_create, token_create
    from jianguan.credit import grading
    from jianguan.credit.demo import CATALOGUE
    from jianguan.credit.models import GradeRun, Measure
    from jianguan.credit.services import measure_save

    if not GradeRun.objects.filter(status="done").exists():
        grading.grade_all()
    if not Measure.objects.exists():
        import datetime as dt

        for code, trigger, scenario, kind, name, content, basis, implementer in CATALOGUE:
            measure_save(actor=None, code=code, data={"name": name, "kind": kind, "trigger": trigger, "scenario": scenario, "content": content,
                                                      "legal_basis": basis, "implementer": implementer, "effective_from": dt.date(2020, 1, 1)})
    dept = Department.objects.get(name="沁县市场监督管理局")
    user = User.objects.filter(username="bench_counter").first()
    if user is None:
        user, _ = account_create(actor=None, username="bench_counter", display_name="窗口人员", role=Role.INSPECTOR, department=dept,
                                 cert_no="B5-0001", password="Bench-Passw0rd!", must_change_password=False)
    _, token = token_create(actor=None, user=user, name="bench", expires_days=1)
    connections.close_all()

    port = free_port()
    env = dict(os.environ, JIANGUAN_CONN_MAX_AGE="600", JIANGUAN_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "jianguan.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(11)
        n = args.requests

        def check_paths(count):
            return [f"/api/v1/credit/check?uscc={credit_data._uscc(rng.randrange(args.size))}&scenario={rng.choice(SCENARIOS)}"
                    for _ in range(count)]

        drive(port, token, ["/api/v1/me"] * 200 + check_paths(200), args.threads, 30)  # warm-up: connections, caches
        trivial, check = [], []
        for _ in range(args.rounds):
            trivial.append(drive(port, token, ["/api/v1/me"] * n, args.threads, args.cap))
            check.append(drive(port, token, check_paths(n), args.threads, args.cap))
    finally:
        server.terminate()
        server.wait(timeout=30)

    def merge(parts):
        best = {"n": sum(p["n"] for p in parts), "errors": sum(p["errors"] for p in parts),
                "p50_ms": max(p["p50_ms"] for p in parts), "p99_ms": max(p["p99_ms"] for p in parts),
                "rps": round(sum(p["rps"] for p in parts) / len(parts), 1)}
        return best

    t, c = merge(trivial), merge(check)
    ratio = round(c["rps"] / t["rps"], 2) if t["rps"] else None
    print(json.dumps({"bench": "credit_check", "db": args.db, "size": args.size, "workers": args.workers, "threads": args.threads,
                      "check": c, "trivial_me": t, "throughput_ratio": ratio, "p99_limit_ms": 20, "ratio_limit": 0.5,
                      "ok": c["p99_ms"] <= 20 and (ratio or 0) >= 0.5 and c["errors"] == 0}, ensure_ascii=False))


if __name__ == "__main__":
    main()
