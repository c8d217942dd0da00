"""Name search over the entity registry: a two-character gram index that works the same on SQLite and PostgreSQL.

Why not FTS5 or pg_trgm: SQLite 3.40's FTS5 trigram tokenizer finds nothing for a 2-character query, and
pg_trgm skips Chinese in a C-ctype database and cannot use its index for 2-character patterns. County
staff type 2-character fragments all the time (“鑫源”, “沁州”). So every name is cut into overlapping
2-character grams, stored as rows (gram, entity_id) under one composite primary key; a query is cut the
same way, the rarest grams drive the lookup through that index, and a substring test on the normalised
names confirms the hit. docs/decisions/0002-cjk-search.md has the measurements.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

GRAM_TABLE = "entities_namegram"
ENTITY_TABLE = "entities_entity"
#: Grams rarer than this drive the lookup alone; above it a second gram is joined in.
DRIVER_CAP = 4000
#: Totals are counted up to this many matches; beyond it the page says “more than”.
COUNT_CAP = 1000

_SPACE = re.compile(r"\s+")
USCC_RE = re.compile(r"^[0-9A-Z]{18}$")


def normalize(text: str) -> str:
    """NFKC (full-width brackets and letters become half-width), upper case, no white space."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def search_text_for(name: str, former_names: Iterable[str] = ()) -> str:
    names = [normalize(name)] + [normalize(n) for n in former_names]
    seen, out = set(), []
    for n in names:
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return "\n".join(out)


def grams_of(search_text: str) -> set[str]:
    out: set[str] = set()
    for name in search_text.split("\n"):
        for i in range(len(name) - 1):
            out.add(name[i:i + 2])
    return out


# --- writing the index ------------------------------------------------------------------------------------


def index_rows(pairs: Iterable[tuple[int, str]]) -> list[tuple[str, int]]:
    """(entity_id, search_text) pairs → (gram, entity_id) rows."""
    rows = []
    for entity_id, text in pairs:
        rows.extend((g, entity_id) for g in grams_of(text))
    return rows


def write_index_rows(rows: Sequence[tuple[str, int]]) -> None:
    """Bulk insert of gram rows: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {GRAM_TABLE} (gram, entity_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {GRAM_TABLE} (gram, entity_id) VALUES (%s, %s)", rows)


def reindex(entity_ids: Sequence[int]) -> None:
    """Rebuild the grams of these entities from their search_text (a few rows: the services' path)."""
    from .models import Entity, NameGram

    if not entity_ids:
        return
    NameGram.objects.filter(entity_id__in=list(entity_ids)).delete()
    write_index_rows(index_rows(Entity.objects.filter(pk__in=list(entity_ids)).values_list("pk", "search_text")))


def rebuild_all(batch: int = 20000) -> int:
    """Drop and rebuild the whole index set-based, in batches of entities. Returns the number of gram rows."""
    from .models import Entity

    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {GRAM_TABLE}")
    total, last = 0, 0
    while True:
        chunk = list(Entity.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "search_text")[:batch])
        if not chunk:
            return total
        rows = index_rows(chunk)
        write_index_rows(rows)
        total += len(rows)
        last = chunk[-1][0]


# --- querying -----------------------------------------------------------------------------------------------


@dataclass
class Filters:
    kind: str = ""
    industry: str = ""  # GB/T 4754 code prefix: "H", "H62", "H6210"
    division: str = ""  # 6/9/12-digit code prefix: a township selects its villages too
    status: str = ""

    def sql(self, alias: str) -> tuple[str, list]:
        parts, params = [], []
        if self.kind:
            parts.append(f"{alias}.kind = %s")
            params.append(self.kind)
        if self.status:
            parts.append(f"{alias}.status = %s")
            params.append(self.status)
        if self.industry:
            parts.append(f"{alias}.industry_code LIKE %s")
            params.append(self.industry.replace("%", "").replace("_", "") + "%")
        if self.division:
            parts.append(f"{alias}.division_code LIKE %s")
            params.append(self.division.replace("%", "").replace("_", "") + "%")
        return (" AND ".join(parts), params)

    def __bool__(self) -> bool:
        return bool(self.kind or self.industry or self.division or self.status)


@dataclass
class Hits:
    ids: list[int]
    total: int
    total_exact: bool
    has_next: bool


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def gram_counts(grams: Sequence[str], cap: int = DRIVER_CAP) -> dict[str, int]:
    """How common each gram is, counted through the index and never beyond `cap` (bounded work)."""
    sql = " UNION ALL ".join(
        f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {GRAM_TABLE} WHERE gram = %s LIMIT {int(cap)}) t{i})"
        for i in range(len(grams))
    )
    params: list = []
    for g in grams:
        params += [g, g]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {g: n for g, n in cur.fetchall()}


def name_hits(query: str, filters: Filters, offset: int, limit: int) -> Hits:
    """Entities whose current or former name contains `query` (normalised, ≥ 2 characters)."""
    q = normalize(query)
    grams = sorted(grams_of(q))
    counts = gram_counts(grams)
    ordered = sorted(grams, key=lambda g: counts[g])
    if counts[ordered[0]] == 0:
        return Hits([], 0, True, False)
    joins, where, params = "", ["g1.gram = %s"], [ordered[0]]
    if len(ordered) > 1 and counts[ordered[0]] >= DRIVER_CAP:
        joins += f" JOIN {GRAM_TABLE} g2 ON g2.entity_id = g1.entity_id AND g2.gram = %s"
        params.insert(0, ordered[1])
    need_entity = len(q) > 2 or bool(filters)
    if need_entity:
        joins += f" JOIN {ENTITY_TABLE} e ON e.id = g1.entity_id"
        if len(q) > 2:
            where.append("e.search_text LIKE %s ESCAPE '\\'")
            params.append(f"%{_like_escape(q)}%")
        fsql, fparams = filters.sql("e")
        if fsql:
            where.append(fsql)
            params += fparams
    base = f"FROM {GRAM_TABLE} g1{joins} WHERE {' AND '.join(where)}"
    with connection.cursor() as cur:
        cur.execute(f"SELECT g1.entity_id {base} ORDER BY g1.entity_id LIMIT %s OFFSET %s", params + [limit + 1, offset])
        ids = [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP + 1}) c", params)
        total = cur.fetchone()[0]
    return Hits(ids[:limit], min(total, COUNT_CAP), total <= COUNT_CAP, len(ids) > limit)
