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
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, transaction

GRAM_TABLE = "entities_namegram"
STAT_TABLE = "entities_namegramstat"
ENTITY_TABLE = "entities_entity"
#: A gram carried by at most this many entities drives the lookup alone; commoner ones are intersected with the
#: next rarest grams (up to three) through the index before any entity row is read.
SMALL_GRAM = 2000
#: How far the dense plan walks a common gram's entries before deciding the hits are sparse.
DENSE_SCAN = 10000
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
    """Bulk insert of gram rows (COPY on PostgreSQL, executemany on SQLite), with their counts."""
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {GRAM_TABLE} (gram, entity_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {GRAM_TABLE} (gram, entity_id) VALUES (%s, %s)", rows)
    _add_counts(Counter(g for g, _ in rows))


def _add_counts(counts: Counter) -> None:
    items = [(g, n) for g, n in counts.items() if n]
    if not items:
        return
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {STAT_TABLE} (gram, n) VALUES (%s, %s) "
                        f"ON CONFLICT (gram) DO UPDATE SET n = {STAT_TABLE}.n + excluded.n", items)


def reindex(entity_ids: Sequence[int]) -> None:
    """Rebuild the grams of these entities from their search_text (a few rows: the services' path)."""
    from .models import Entity, NameGram

    if not entity_ids:
        return
    old = NameGram.objects.filter(entity_id__in=list(entity_ids))
    _add_counts(Counter({g: -n for g, n in Counter(old.values_list("gram", flat=True)).items()}))
    old.delete()
    write_index_rows(index_rows(Entity.objects.filter(pk__in=list(entity_ids)).values_list("pk", "search_text")))


def rebuild_all(batch: int = 20000) -> int:
    """Drop and rebuild the whole index set-based, in batches of entities. Returns the number of gram rows."""
    from .models import Entity

    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {GRAM_TABLE}")
        cur.execute(f"DELETE FROM {STAT_TABLE}")
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


def gram_counts(grams: Sequence[str]) -> dict[str, int]:
    """How many entities carry each gram (one primary-key lookup per gram in the statistics table)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT gram, n FROM {STAT_TABLE} WHERE gram IN ({', '.join(['%s'] * len(grams))})", list(grams))
        found = dict(cur.fetchall())
    return {g: found.get(g, 0) for g in grams}


def name_hits(query: str, filters: Filters, offset: int, limit: int) -> Hits:
    """Entities whose current or former name contains `query` (normalised, ≥ 2 characters).

    Two plans, chosen from the gram statistics:
    - the rarest gram is rare (≤ SMALL_GRAM entities): read its index range, confirm each candidate;
    - it is common: hits are usually dense (“有限公司”, “专业合作社”), so walk its index range in entity order, at
      most DENSE_SCAN rows, confirming each row by primary key, and stop at COUNT_CAP + 1 hits. If that window ends
      first, the query is a sparse combination of common grams: intersect the three rarest grams through the index
      before reading any entity row.
    Either way one statement returns up to COUNT_CAP + 1 ids: the page is cut from them and their number is the
    (capped) total.
    """
    q = normalize(query)
    grams = sorted(grams_of(q))
    counts = gram_counts(grams)
    ordered = sorted(grams, key=lambda g: (counts[g], g))
    driver = ordered[0]
    if counts[driver] == 0:
        return Hits([], 0, True, False)
    confirm, cparams = [], []
    if len(q) > 2:
        confirm.append("e.search_text LIKE %s ESCAPE '\\'")
        cparams.append(f"%{_like_escape(q)}%")
    fsql, fparams = filters.sql("e")
    if fsql:
        confirm.append(fsql)
        cparams += fparams
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL: these plans run for milliseconds, but their estimated cost passes jit_above_cost and compiling them
    # took 10–15 ms a query at 3.5 million entities; SET LOCAL needs a transaction. (Not on SQLite: a transaction there
    # begins IMMEDIATE, i.e. takes the write lock, which a read must not wait for during an import.)
    with transaction.atomic() if postgresql else nullcontext(), connection.cursor() as cur:
        if postgresql:
            cur.execute("SET LOCAL jit = off")
        if offset + limit > COUNT_CAP:  # deep pages: ordered, with OFFSET (rare: the page says “narrow the search”)
            sql, params = _join_plan(ordered, counts, confirm, cparams)
            cur.execute(f"{sql} ORDER BY g1.entity_id LIMIT %s OFFSET %s", params + [limit + 1, offset])
            ids = [r[0] for r in cur.fetchall()]
            return Hits(ids[:limit], COUNT_CAP, False, len(ids) > limit)
        ids = None
        if counts[driver] > SMALL_GRAM:
            # A correlated scalar subquery is evaluated row by row on both databases (never turned into a hash join).
            check, dparams = "", [driver]
            if len(ordered) > 1:  # the next rarest gram first: an index probe is cheaper than reading the entity row
                check += f" AND (SELECT 1 FROM {GRAM_TABLE} g2 WHERE g2.gram = %s AND g2.entity_id = g1.entity_id) = 1"
                dparams.append(ordered[1])
            if confirm:
                check += f" AND (SELECT 1 FROM {ENTITY_TABLE} e WHERE e.id = g1.entity_id AND {' AND '.join(confirm)}) = 1"
                dparams += cparams
            cur.execute(f"SELECT g1.entity_id FROM (SELECT entity_id FROM {GRAM_TABLE} WHERE gram = %s ORDER BY entity_id "
                        f"LIMIT {DENSE_SCAN}) g1 WHERE 1 = 1{check} LIMIT %s", dparams + [COUNT_CAP + 1])
            found = [r[0] for r in cur.fetchall()]
            if len(found) > COUNT_CAP or counts[driver] <= DENSE_SCAN:
                ids = sorted(found)
        if ids is None:
            sql, params = _join_plan(ordered, counts, confirm, cparams)
            # No ORDER BY: the database may stop at COUNT_CAP + 1 hits; the hits are ordered here.
            cur.execute(f"{sql} LIMIT %s", params + [COUNT_CAP + 1])
            ids = sorted(r[0] for r in cur.fetchall())
    return Hits(ids[offset:offset + limit], min(len(ids), COUNT_CAP), len(ids) <= COUNT_CAP, len(ids) > offset + limit)


def _join_plan(ordered: list[str], counts: dict[str, int], confirm: list[str], cparams: list) -> tuple[str, list]:
    used = [ordered[0]]
    for g in ordered[1:3]:
        if counts[used[0]] <= SMALL_GRAM:
            break
        used.append(g)
    joins = "".join(f" JOIN {GRAM_TABLE} g{i} ON g{i}.gram = %s AND g{i}.entity_id = g1.entity_id" for i in range(2, len(used) + 1))
    params: list = list(used[1:]) + [used[0]]
    where = ["g1.gram = %s"]
    if confirm:
        joins += f" JOIN {ENTITY_TABLE} e ON e.id = g1.entity_id"
        where += confirm
        params += cparams
    return f"SELECT g1.entity_id FROM {GRAM_TABLE} g1{joins} WHERE {' AND '.join(where)}", params
