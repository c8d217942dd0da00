"""Set-based writes of many plain rows: COPY on PostgreSQL, executemany on SQLite.

For batch work (draws, generators) where building a Django model instance per row would cost more than the write
itself. The caller gives column names of one model and rows of Python values (str, int, bool, None, date,
datetime, Decimal); no signals, no `auto_now` — pass every NOT NULL column. Runs on the default connection inside
the caller's transaction.
"""
from __future__ import annotations

import datetime as dt
import decimal
import gc
import threading
from contextlib import contextmanager
from typing import Iterable, Sequence

from django.db import connection, models
from django.db.models import Model


def sqlite_value(value):
    """A Python value as Django stores it in SQLite: datetimes as naive UTC text, dates as ISO text, decimals as text."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (values in `columns` order; columns are field names or attnames) into `model`'s table.
    Returns the number of rows written."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [model._meta.get_field(c) for c in columns]
    names = [connection.ops.quote_name(f.column) for f in fields]
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # COPY's text format written in blocks: much cheaper per row than psycopg's write_row type dumping.
            with cur.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                block: list[str] = []
                for row in rows:
                    block.append("\t".join([_copy_text(v) for v in row]))
                    if len(block) >= 20000:
                        copy.write("\n".join(block) + "\n")
                        n += len(block)
                        block = []
                if block:
                    copy.write("\n".join(block) + "\n")
                    n += len(block)
        else:
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
            # Dates, datetimes and decimals become the text Django stores (by the column's field, whatever the first
            # row holds); they repeat a lot, so each distinct value is converted once.
            special = [i for i, f in enumerate(fields) if isinstance(f, (models.DateField, models.DecimalField))]
            converted: list[dict] = [{} for _ in names]
            batch: list = []
            for row in rows:
                if special:
                    row = list(row)
                    for i in special:
                        v = row[i]
                        cache = converted[i]
                        if v not in cache:
                            cache[v] = sqlite_value(v)
                        row[i] = cache[v]
                batch.append(row)
                if len(batch) >= 20000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
    return n


_PAUSE_LOCK = threading.Lock()
_PAUSED = 0
_COLLECTOR_WAS_ON = True


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector over a bulk section (nested and concurrent sections share one pause).

    Batch work allocates millions of short-lived containers that reference counting frees; the collector's passes
    over every live object of the process would otherwise cost seconds (a sixth of an import, a third of a draw)."""
    global _PAUSED, _COLLECTOR_WAS_ON
    with _PAUSE_LOCK:
        if _PAUSED == 0:
            _COLLECTOR_WAS_ON = gc.isenabled()
            gc.disable()
        _PAUSED += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSED -= 1
            if _PAUSED == 0 and _COLLECTOR_WAS_ON:
                gc.enable()
