"""Shared set-up for the benchmarks: a separate database per run (bench/out/bench3.sqlite3 or PostgreSQL
jianguan_bench3), Django configured for it, and one JSON line of results.

Each benchmark runs itself once per database in a child process (Django settings are per process) and
merges the children's figures into one line.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_ADMIN = os.environ.get("JIANGUAN_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("JIANGUAN_BENCH_PG_DB", "jianguan_bench3")


def pg_url() -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_database(db: str) -> str:
    """Drop and create the benchmark database; returns its URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = OUT / "bench3.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f"CREATE DATABASE \"{PG_DB}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
    return pg_url()


def setup_django(url: str) -> None:
    os.environ["JIANGUAN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    os.environ.setdefault("JIANGUAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_children(script: str, args: list[str], dbs: list[str]) -> dict:
    results = {}
    for db in dbs:
        if db == "postgresql" and not pg_available():
            results[db] = {"skipped": "PostgreSQL not reachable"}
            continue
        proc = subprocess.run([sys.executable, script, "--child", db, *args], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            results[db] = {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
            sys.stderr.write(proc.stderr)
            continue
        results[db] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
