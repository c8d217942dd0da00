"""INSERT … SELECT from a Django queryset: set-based creation of rows derived from other rows.

`insert_from_select(Model, {column: expression}, queryset)` compiles the queryset (its filters, EXISTS
subqueries, annotations) with the given expressions as its select list and wraps it in
`INSERT INTO table (columns) SELECT … ON CONFLICT DO NOTHING RETURNING id` — one statement, no rows travel
through Python. Works on SQLite (≥ 3.35, for RETURNING) and PostgreSQL; both accept ON CONFLICT without a
target, so a row a concurrent run already inserted (a unique constraint) is skipped instead of failing.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import Model, QuerySet


def insert_from_select(model: type[Model], columns: dict[str, object], queryset: QuerySet) -> list[int]:
    """Insert one `model` row per row of `queryset`; `columns` maps each target column to an expression (or
    field name) over the queryset's model. Returns the new primary keys."""
    aliases = {f"_ins_{i}": expr for i, expr in enumerate(columns.values())}
    # SQLite needs a WHERE clause before ON CONFLICT in INSERT … SELECT (else ON reads as a join); always have one.
    select = queryset.filter(pk__isnull=False).order_by().annotate(**aliases).values_list(*aliases)
    sql, params = select.query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    statement = f"INSERT INTO {table} ({names}) {sql} ON CONFLICT DO NOTHING RETURNING {pk}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]
