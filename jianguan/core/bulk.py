"""Set-based writes of many plain rows: COPY on PostgreSQL, executemany on SQLite.

For batch work (draws, generators) where building a Django model instance per row would cost more than the write
itself. The caller gives column names of one model and rows of Python values (str, int, bool, None, date,
datetime, Decimal); no signals, no `auto_now` — pass every NOT NULL column. Runs on the default connection inside
the caller's transaction.
"""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (values in `columns` order; columns are field names or attnames) into `model`'s table.
    Returns the number of rows written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = [connection.ops.quote_name(model._meta.get_field(c).column) for c in columns]
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            batch = []
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
            for row in rows:
                batch.append([_sqlite_value(v) for v in row])
                if len(batch) >= 20000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
    return n
