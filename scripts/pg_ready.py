"""Exit 0 when the PostgreSQL server in the URL accepts a connection (to its maintenance database)."""
import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
