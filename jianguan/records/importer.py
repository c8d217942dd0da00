"""The import engine shared by the page upload, `jianguan import` and the bulk API.

Rows stream from a reader in batches of 5,000. Each batch is validated column by column (columnar.py: every
field's whole column at once, each distinct value converted once), then against the rules between fields
(Format.check_batch), and becomes records column by column (Format.records_batch). Every rejected row goes
to a report with its row number, field and reason. Accepted rows are written set-based by a helper thread
while the next batch is validated (_RecordSink: one INSERT … SELECT FROM json_each on SQLite, one COPY on
PostgreSQL per batch), in transactions of up to CHUNK_ROWS rows or CHUNK_SECONDS seconds, each of which also
updates the job's progress; memory stays bounded (a batch or two in flight, bounded caches). Idempotent on
the source's own key (source_system, source_id): an unchanged row is counted, not written; `cd_operation` u
updates, d voids.
"""
from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import json
import marshal
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from itertools import accumulate, repeat
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import bulk
from jianguan.core.crypto import lookup_hash, sm4_encrypt
from jianguan.core.pii import mask_id_number
from jianguan.core.models import Department
from jianguan.core.scope import own_department_ids
from jianguan.entities.models import Licence

from .choices import MatchStatus, RecordStatus
from .columnar import BLANK, convert_column, encode
from .formats import (R_AGENCY_CODE, R_AGENCY_NAME, R_AMOUNT, R_DISCLOSE, R_DISCLOSE_UNTIL, R_OCCURRED_ON, R_OPERATION,
                      R_PARTY_ID_NUMBER, R_PARTY_NAME, R_REP_ID_NUMBER, R_SOURCE_ID, R_SUMMARY, R_SYSTEM, R_TITLE, R_USCC,
                      RECORD_TUPLE, Draft, Format)
from .models import ImportJob, PendingLicence, Record
from .readers import CsvSource, FileProblem, Source

BATCH = 5000
CHUNK_ROWS = 100_000  # rows per transaction at most …
CHUNK_SECONDS = 2.0  # … and seconds: progress shows at least this often, other writers wait at most this long
WINDOW = 3  # batches in flight between reader, validation worker and writer
SAMPLE_ERRORS = 50
REPORTS_DIR = Path(settings.VAR_DIR) / "imports"
ENTITY_CACHE = 500_000  # USCC → entity id remembered during an import (bounded memory)
FRESH_LIMIT = 1_000_000  # hashes of the source ids a first load remembers (bounded memory); then keys are looked up
_WORKER_IMPORTER = None

RECORD_COLUMNS = ["kind", "entity_id", "uscc", "party_name", "department_id", "occurred_on", "title", "summary", "amount",
                  "source_system", "source_id", "payload", "row_hash", "status", "match_status", "disclose", "disclose_until",
                  "party_id_number", "party_id_hash", "rep_id_number", "import_job_id", "created_at", "updated_at"]
UPDATE_COLUMNS = [c for c in RECORD_COLUMNS if c not in ("source_system", "source_id", "created_at", "import_job_id")]
_UPDATE_INDEX = [RECORD_COLUMNS.index(c) for c in UPDATE_COLUMNS]

# A validated record row as validation hands it to the writer (plain values, cheap to send between processes).
(P_SYSTEM, P_SOURCE_ID, P_OPERATION, P_USCC, P_PARTY_NAME, P_DEPARTMENT, P_OCCURRED_ON, P_TITLE, P_SUMMARY, P_AMOUNT,
 P_DISCLOSE, P_DISCLOSE_UNTIL, P_BODY, P_HASH, P_PARTY_ID_NUMBER, P_REP_ID_NUMBER) = range(16)


def _validate_in_worker(blob: bytes) -> bytes:
    """Runs in the forked worker: the importer (format, column plan, memo caches) was inherited at fork time.
    It only validates; it never touches the database connection it inherited. Rows travel as marshal blobs
    (strings, numbers, tuples), which cost a fraction of pickling objects."""
    rows, texts = marshal.loads(blob)
    return marshal.dumps(_WORKER_IMPORTER.validate_batch(rows, texts))


@dataclass
class Counts:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    voided: int = 0
    unchanged: int = 0
    rejected: int = 0
    unmatched: int = 0
    errors: list = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.inserted + self.updated + self.voided + self.unchanged


class RejectReport:
    """Rejected rows as CSV (row, field, reason, original cells); turned into Excel on download."""

    def __init__(self, path: Path):
        self.path = path
        self.fh = None
        self.columns: list[str] = []

    def add(self, row_no: int, problems: list[tuple[str, str]], cells: dict) -> None:
        if self.fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "w", encoding="utf-8-sig", newline="")
            self.writer = csv.writer(self.fh)
            self.columns = list(cells)
            self.writer.writerow([_("行号"), _("字段"), _("原因")] + self.columns)
        fields = "；".join(dict.fromkeys(p[0] for p in problems if p[0]))
        reasons = "；".join(f"{p[0]}：{p[1]}" if p[0] else p[1] for p in problems)
        self.writer.writerow([row_no, fields, reasons] + [_cell_text(cells.get(c)) for c in self.columns])

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _RecordSink:
    """Where accepted record rows go. The database stores one batch in a helper thread while Python validates the next
    one: the statement that stores a batch releases the GIL while the database works, so the two cores work in parallel.

    - SQLite: one `INSERT … SELECT … FROM json_each(?)` per batch: the rows as one JSON text (a row's array holds the
      columns that vary), the payloads as one BLOB (each row's JSON holds where its payload is), columns that hold one
      value for the whole batch bound once. (executemany would need the GIL back after every row.) The WAL is
      checkpointed by the helper too, after each commit, instead of inside the commit.
    - PostgreSQL: one COPY per batch, its text built here column by column. (The entity and department ids come
      from the importer's own look-ups; the table has no foreign-key constraint on them — decision 0007.)

    Only one statement runs at a time, and the importer's own thread waits (`close()`) before it uses the connection
    itself (a query, a commit); `close()` raises what the helper raised."""

    def __init__(self):
        self.vendor = connection.vendor
        self.thread = None
        self.error = None
        self.checkpoints = False  # SQLite: the helper checkpoints the WAL after commits (autocheckpoint paused)

    # -- the helper thread ----------------------------------------------------------------------------------------
    def _submit(self, function, *args) -> None:
        self.close()
        connection.ensure_connection()
        self.thread = threading.Thread(target=self._run, args=(function, args), name="import-writer", daemon=True)
        self.thread.start()

    def _run(self, function, args) -> None:
        try:
            function(*args)
        except BaseException as exc:  # raised in the importer's own thread by close()
            self.error = exc

    def close(self, exc: BaseException | None = None) -> None:
        """Wait until the helper is done; raise its error (unless the importer is already failing with `exc`)."""
        if self.thread is None:
            return
        self.thread.join()
        self.thread = None
        error, self.error = self.error, None
        if error is not None and exc is None:
            with connection.wrap_database_errors:
                raise error

    # -- transactions -------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Before the import's first transaction."""
        if self.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cur:
                cur.execute("PRAGMA journal_mode")
                wal = (cur.fetchone() or [""])[0] == "wal"
                cur.execute("PRAGMA wal_autocheckpoint")
                self._autocheckpoint = cur.fetchone()[0]
                if wal and self._autocheckpoint > 0:
                    cur.execute("PRAGMA wal_autocheckpoint = 0")
                    self.checkpoints = True

    def committed(self) -> None:
        """After each commit: the WAL is copied into the database file by the helper while the next batch is validated."""
        if self.checkpoints:
            self._submit(connection.connection.execute, "PRAGMA wal_checkpoint(PASSIVE)")

    def stop(self) -> None:
        """After the import (also when it failed)."""
        try:
            self.close()
        finally:
            if self.checkpoints:
                self.checkpoints = False
                with connection.cursor() as cur:
                    cur.execute(f"PRAGMA wal_autocheckpoint = {int(self._autocheckpoint)}")

    # -- rows -----------------------------------------------------------------------------------------------------
    def write(self, columns: list, n: int) -> None:
        """Store n rows given as RECORD_COLUMNS columns (sequences, or Same)."""
        if not n:
            return
        if self.vendor == "postgresql":
            self._submit(self._copy, connection.connection, _copy_text(columns, n).encode())
            return
        if self.vendor == "sqlite":
            try:
                sql, params = self._json_insert(columns)
            except (TypeError, ValueError):  # a value JSON text cannot carry as is: bound as parameters below
                sql = None
            if sql is not None:
                self._submit(connection.connection.execute, sql, params)
                return
        self.close()
        insert_rows([list(row) for row in _rows_of(columns, n)])

    @staticmethod
    def _copy(raw, data: bytes) -> None:
        with raw.cursor() as cur, cur.copy(f"COPY {Record._meta.db_table} ({', '.join(RECORD_COLUMNS)}) FROM STDIN") as copy:
            copy.write(data)

    @staticmethod
    def _json_insert(columns: list) -> tuple[str | None, list]:
        """`INSERT … SELECT … FROM json_each(?)` for the rows: one JSON array per row holding the columns that vary,
        the others bound once. None when text would not survive the trip."""
        items, params, parts = [], [], []
        for name, values in zip(RECORD_COLUMNS, columns):
            if values.__class__ is Same:
                items.append("?")
                params.append(values.value)
                continue
            if name == "payload":  # the long texts travel as one BLOB, each row's JSON holding where its payload is
                data = list(map(str.encode, values))
                lengths = list(map(len, data))
                k = len(parts)
                items.append(f"CAST(substr(?, {_JSON_VALUE.format(k)}, {_JSON_VALUE.format(k + 1)}) AS TEXT)")
                params.append(b"".join(data))
                parts.append(list(map(str, accumulate(lengths[:-1], initial=1))))
                parts.append(list(map(str, lengths)))
                continue
            items.append(_JSON_VALUE.format(len(parts)))
            if name in _INTEGER_COLUMNS:
                parts.append(["null" if v is None else str(int(v)) for v in values] if None in values else list(map(str, map(int, values))))
            elif name == "disclose":
                parts.append(["true" if v else "false" for v in values])
            else:
                parts.append(_json_strings(values, name in _UNIQUE_COLUMNS))
        row = "[" + ",".join(["%s"] * len(parts)) + "]"
        text = "[" + ",".join(map(row.__mod__, zip(*parts))) + "]"
        if "\\u0000" in text:  # text with NUL characters: bound as parameters, as it was read
            return None, []
        params.append(text)
        return (f"INSERT INTO {Record._meta.db_table} ({', '.join(RECORD_COLUMNS)}) SELECT {', '.join(items)} "
                f"FROM json_each(?)"), params


_INTEGER_COLUMNS = {"entity_id", "department_id", "import_job_id"}
_UNIQUE_COLUMNS = {"source_id", "row_hash", "party_id_number", "party_id_hash"}
_JSON_VALUE = "value ->> {}" if sqlite3.sqlite_version_info >= (3, 38) else "json_extract(value, '$[{}]')"




class Importer:
    def __init__(self, *, fmt: Format, job: ImportJob, actor=None, default_department: Department | None = None,
                 batch_size: int = BATCH):
        self.fmt = fmt
        self.job = job
        self.actor = actor
        self.default_department = default_department
        self.batch_size = batch_size
        self.counts = Counts()
        self.notes: list[str] = []
        self.report = RejectReport(REPORTS_DIR / f"{job.pk}-rejected.csv")
        self.writable = None if actor is None or actor.is_owner else own_department_ids(actor)
        self.departments = self._department_maps()
        self._dept_cache: dict = {}
        self.fresh: dict[str, set | None] = {}
        self.entities: dict[str, int] = {}  # USCC → entity id, found during this import
        self.absent: set[str] = set()  # USCCs no entity had, within the current transaction
        self.plan = None
        self.columns: list[str] = []
        self.vendor = connection.vendor
        self.sink = _RecordSink()
        self.probing = False
        self._analyzed_at = 0
        payload = [f for f in fmt.fields if not f.key.startswith("cd_")]
        self._payload_index = [fmt.fields.index(f) for f in payload]
        self._control_index = [i for i, f in enumerate(fmt.fields) if f.key.startswith("cd_")]
        self._keys = [f.key for f in fmt.fields]

    # -- departments ------------------------------------------------------------------------------------------
    def _department_maps(self):
        by_code, by_name = {}, {}
        for pk, uscc, name, short in Department.objects.values_list("pk", "uscc", "name", "short_name"):
            if uscc:
                by_code[uscc] = pk
            by_name[name] = pk
            if short:
                by_name.setdefault(short, pk)
        return by_code, by_name

    def _department_for(self, code: str, name: str) -> tuple[int | None, str]:
        key = (code, name)
        hit = self._dept_cache.get(key)
        if hit is None:
            hit = self._dept_cache[key] = self._resolve_department(code, name)
        return hit

    def _resolve_department(self, code: str, name: str) -> tuple[int | None, str]:
        by_code, by_name = self.departments
        pk = by_code.get(code) or by_name.get(name)
        if pk is None:
            if self.default_department is None:
                return None, _("无法确定“%(a)s”对应的平台部门：请在部门目录中登记其统一社会信用代码，或导入时指定部门") % {"a": name}
            pk = self.default_department.pk
        if self.writable is not None and pk not in self.writable:
            return None, _("“%(a)s”不是本部门（含内设机构），不能由本部门导入其数据") % {"a": name}
        return pk, ""

    # -- the columns of a file ------------------------------------------------------------------------------------
    def _plan(self, columns: list[str] | None):
        """Field → the index of the column that carries it (its Chinese name, or its JSON key); complain about the rest.
        `columns` None means rows are objects (JSON): each field is looked up by name, then by key."""
        fmt = self.fmt
        if columns is None:
            return None
        index = {}
        for i, c in enumerate(columns):
            index.setdefault(c, i)
        plan = []
        for f in fmt.fields:
            plan.append((f, index.get(f.label, index.get(f.key))))
        missing = [f.label for f, i in plan if f.required and i is None]
        if missing:
            raise FileProblem(_("缺少必需的列：%(cols)s。请使用“%(fmt)s”的导入模板") % {"cols": "、".join(missing), "fmt": fmt.label})
        known = {columns[i] for _f, i in plan if i is not None}
        extra = [c for c in columns if c and c not in known]
        if extra:
            self.notes.append(_("以下列不属于该格式，已忽略：%(cols)s") % {"cols": "、".join(extra[:20])})
        return plan

    def _note_extra_keys(self, obj: dict) -> None:
        known = {f.label for f in self.fmt.fields} | {f.key for f in self.fmt.fields}
        extra = [k for k in obj if k not in known]
        if extra:
            self.notes.append(_("以下列不属于该格式，已忽略：%(cols)s") % {"cols": "、".join(extra[:20])})

    def _columns_of(self, rows: list) -> tuple[list, list[bool]]:
        """One sequence of raw values per format field, in field order, and whether each holds only text."""
        n = len(rows)
        if rows and rows[0].__class__ is dict:
            cols = [[r.get(f.label, r.get(f.key)) if r.__class__ is dict else None for r in rows] for f in self.fmt.fields]
            return cols, [False] * len(cols)
        width = max(map(len, rows)) if rows else 0
        full = not rows or min(map(len, rows)) == width
        if not full:
            rows = [r if len(r) == width else list(r) + [None] * (width - len(r)) for r in rows]
        cols = list(zip(*rows)) if rows else []
        empty = [None] * n
        out, texts = [], []
        for _f, i in self.plan:
            if i is not None and i < width:
                col = cols[i]
                out.append(col)
                texts.append(all(v.__class__ is str for v in col) if not (full and self._text_rows) else True)
            else:
                out.append(empty)
                texts.append(False)
        return out, texts

    # -- a batch, column by column ----------------------------------------------------------------------------------
    def validate_batch(self, rows: list, texts=None) -> tuple[list[tuple[int, object]], dict[int, list[tuple[str, str]]]]:
        """Validate a batch: each field's column at once, then the rules between fields, then the records (or licence
        drafts) column by column, with their departments. Returns ([(row index, validated row)], {row index: problems});
        a validated record row is a plain tuple (P_* positions)."""
        fmt = self.fmt
        n = len(rows)
        errors: dict[int, list[tuple[str, str]]] = {}
        cols, text_flags = self._columns_of(rows)
        if texts is not None:
            text_flags = texts
        typed: dict[str, object] = {}
        frag_cols: list = []
        gaps: list[bool] = []  # per field: may its fragments hold None (blank or rejected cells)?
        required = None
        for f, col, is_text in zip(fmt.fields, cols, text_flags):
            values, frags, problems = convert_column(f, col, is_text)
            gaps.append(problems is not None)
            if problems is not None:
                for i, problem in enumerate(problems):
                    if problem is None:
                        continue
                    if problem is BLANK or problem == BLANK:
                        if f.required:
                            required = required or _("必填，不能为空")
                            errors.setdefault(i, []).append((f.label, required))
                    else:
                        errors.setdefault(i, []).append((f.label, problem))
            typed[f.key] = values
            frag_cols.append(frags)
        rule_errors, fixed = fmt.check_batch(lambda k: typed[k], n, errors)
        errors.update(rule_errors)
        typed.update(fixed)
        self._mask_party(typed, fixed, frag_cols)
        if fmt.target != "record":
            return self._licence_drafts(typed, frag_cols, n, errors), errors
        col = typed.__getitem__
        try:
            records = fmt.records_batch(col, n)
        except (KeyError, TypeError, ValueError, AttributeError):
            records = self._records_row_by_row(col, n, errors)
        return self._prepared(records, frag_cols, gaps, n, errors), errors

    def _mask_party(self, typed: dict, fixed: dict, frag_cols: list) -> None:
        """The payload keeps the party's identifier as checked (upper case) and masks a 身份证号."""
        if "party_id" not in self._keys:
            return
        types = typed.get("party_id_type")
        masked = types is not None and "身份证" in types
        if "party_id" not in fixed and not masked:
            return
        index = self._keys.index("party_id")
        prefix = self.fmt.fields[index].prefix
        party = typed["party_id"]
        types = types if types is not None else [None] * len(party)
        frag_cols[index] = [
            fr if fr is None else prefix + encode(mask_id_number(p or "") if t == "身份证" else (p or ""))
            for fr, p, t in zip(frag_cols[index], party, types)]

    def _records_row_by_row(self, col, n: int, errors: dict) -> list:
        """A rule the format did not foresee: find the rows concerned, report them, never crash."""
        rows = []
        for i in range(n):
            try:
                rows.append([c[0] for c in self.fmt.records_batch(lambda k: [col(k)[i]], 1)])
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                rows.append([None] * len(RECORD_TUPLE))
                if i not in errors:
                    errors[i] = [("", _("无法处理本行：%(e)s") % {"e": exc})]
        return [list(c) for c in zip(*rows)]

    def _prepared(self, records: list, frag_cols: list, gaps: list[bool], n: int, errors: dict) -> tuple[list[int], list[list]]:
        """The accepted rows (positions in the batch) and their record columns in P_* order: department, stored payload
        (the exchange fields, then the control fields) and content hash added."""
        departments = _pairs_mapped(records[R_AGENCY_CODE], records[R_AGENCY_NAME], self._department_for)
        if any(d[0] is None for d in set(departments)):
            for i, (dept, problem) in enumerate(departments):
                if dept is None and i not in errors:
                    errors[i] = [("", problem)]
        keep = [i for i in range(n) if i not in errors] if errors else list(range(n))
        if not keep:
            return [], []
        pick = _picker(keep, n)
        inner = _joined_fragments([(pick(frag_cols[i]), gaps[i]) for i in self._payload_index], len(keep))
        control = _joined_fragments([(pick(frag_cols[i]), gaps[i]) for i in self._control_index], len(keep))
        if "" in control or "" in inner:
            bodies = ["{" + (p + "," + c if p and c else p or c) + "}" for p, c in zip(inner, control)]
        else:
            bodies = list(map("{{{},{}}}".format, inner, control))
        departments = [d[0] for d in pick(departments)]
        usccs, pids, reps = pick(records[R_USCC]), pick(records[R_PARTY_ID_NUMBER]), pick(records[R_REP_ID_NUMBER])
        sha1 = hashlib.sha1
        hashes = [sha1(f"{{{p}}}|{d}|{u}|{i}|{r}".encode()).hexdigest() for p, d, u, i, r in zip(inner, departments, usccs, pids, reps)]
        columns = [pick(records[R_SYSTEM]), pick(records[R_SOURCE_ID]), pick(records[R_OPERATION]), usccs, pick(records[R_PARTY_NAME]),
                   departments, pick(records[R_OCCURRED_ON]), pick(records[R_TITLE]), pick(records[R_SUMMARY]), pick(records[R_AMOUNT]),
                   pick(records[R_DISCLOSE]), pick(records[R_DISCLOSE_UNTIL]), bodies, hashes, pids, reps]
        return keep, columns

    def _licence_drafts(self, typed: dict, frag_cols: list, n: int, errors: dict) -> list[tuple[int, tuple]]:
        keys = self._keys
        out = []
        for i in range(n):
            if i in errors:
                continue
            clean = {k: typed[k][i] for k in keys}
            frags = [frag_cols[j][i] for j in self._payload_index]
            controls = [frag_cols[j][i] for j in self._control_index]
            payload_json = "{" + ",".join(filter(None, frags)) + "}"
            control_json = "{" + ",".join(filter(None, controls)) + "}" if controls else ""
            try:
                draft = self.fmt.draft(clean, payload_json, control_json)
            except (KeyError, TypeError, ValueError) as exc:
                errors[i] = [("", _("无法处理本行：%(e)s") % {"e": exc})]
                continue
            dept, problem = self._department_for(draft.agency_code, draft.agency_name)
            if dept is None:
                errors[i] = [("", problem)]
                continue
            out.append((i, (draft, dept)))
        return out

    # -- the run -------------------------------------------------------------------------------------------------
    def run(self, source: Source) -> Counts:
        """Stream the source in batches; validated batches are written in transactions of up to CHUNK_ROWS rows or
        CHUNK_SECONDS seconds. Memory stays bounded whatever the file size: a batch at a time (WINDOW with a worker)."""
        self._text_rows = isinstance(source, CsvSource)
        if self.vendor == "sqlite":  # a large page cache for the index lookups and inserts of this import
            with connection.cursor() as cur:
                cur.execute("PRAGMA cache_size = -65536")
        else:
            self._analyze()
        try:
            with bulk.collector_paused():
                self._store(self._validated(source), source)
        finally:
            self.report.close()
            if self.vendor == "sqlite":
                with connection.cursor() as cur:
                    cur.execute("PRAGMA cache_size = -2000")
        self.notes = list(dict.fromkeys(source.notes + self.notes))
        return self.counts

    def _batches(self, source: Source) -> Iterator[tuple[list[int], list, dict[int, str]]]:
        """(row numbers, rows, {index: the reader's problem}) in batches."""
        if isinstance(source, CsvSource):
            yield from source.batches(self.batch_size)
            return
        numbers, rows, problems = [], [], {}
        for row_no, cells, problem in source:
            if problem:
                problems[len(rows)] = problem
            numbers.append(row_no)
            rows.append(cells)
            if len(rows) >= self.batch_size:
                yield numbers, rows, problems
                numbers, rows, problems = [], [], {}
        if rows:
            yield numbers, rows, problems

    def _validated(self, source: Source) -> Iterator[tuple[list, list]]:
        """Validated batches as [(row number, validated row)], rejected rows reported on the way (in row order)."""
        planned = False
        pool = None
        inflight: list = []
        try:
            for numbers, rows, problems in self._batches(source):
                if not planned:
                    first = rows[0]
                    self.plan = self._plan(getattr(source, "columns", None) if first.__class__ is not dict else None)
                    if first.__class__ is dict:
                        self._note_extra_keys(first)
                    self.columns = getattr(source, "columns", None) or []
                    planned = True
                    pool = self._pool(source)
                self.counts.rows += len(rows)
                if problems:
                    keep = [i for i in range(len(rows)) if i not in problems]
                    rejected = {i: [("", problems[i])] for i in problems}
                    numbers_ok, rows_ok = [numbers[i] for i in keep], [rows[i] for i in keep]
                else:
                    keep, rejected, numbers_ok, rows_ok = None, {}, numbers, rows
                batch = (numbers, rows, keep, rejected, numbers_ok, rows_ok)
                if pool is None:
                    yield self._finish(batch, self.validate_batch(rows_ok) if rows_ok else ([], {}))
                    continue
                inflight.append((batch, pool.apply_async(_validate_in_worker, (marshal.dumps((rows_ok, None)),))))
                while len(inflight) >= WINDOW or (inflight and inflight[0][1].ready()):
                    done, result = inflight.pop(0)
                    yield self._finish(done, marshal.loads(result.get()))
            if not planned:
                self.plan = self._plan(getattr(source, "columns", None))
            for done, result in inflight:
                yield self._finish(done, marshal.loads(result.get()))
            inflight = []
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()

    def _finish(self, batch, result):
        """Report a batch's rejected rows in row order. Returns its accepted rows for the writer: (row numbers, record
        columns) for records, [(row number, (draft, department))] for licences."""
        numbers, rows, keep, rejected, numbers_ok, rows_ok = batch
        accepted, errors = result
        records = self.fmt.target == "record"
        if records:
            positions, columns = accepted
        else:
            positions = [i for i, _item in accepted]
        if keep is not None:  # back to the batch's own indices
            errors = {keep[i]: problems for i, problems in errors.items()}
            positions = [keep[i] for i in positions]
        if rejected:
            errors = {**errors, **rejected}
        for i in sorted(errors):
            self._reject(numbers[i], errors[i], rows[i])
        if records:
            return [numbers[i] for i in positions], columns
        return [(numbers[i], item) for i, (_j, item) in zip(positions, accepted)]

    def _analyze(self) -> None:
        """Fresh planner statistics on PostgreSQL, so the idempotency probe uses the unique index after bulk loads."""
        with connection.cursor() as cur:
            cur.execute("ANALYZE records_record")
        self._analyzed_at = self.counts.inserted

    def _pool(self, source: Source):
        """A forked validation worker for big files on a machine with a spare core (JIANGUAN_IMPORT_WORKERS=0 disables)."""
        global _WORKER_IMPORTER
        workers = getattr(settings, "JIANGUAN_IMPORT_WORKERS", -1)
        if workers < 0:
            workers = max(0, min(2, (os.cpu_count() or 1) - 1))
        threshold = getattr(settings, "JIANGUAN_IMPORT_WORKER_MIN_BYTES", 8 * 1024 * 1024)
        if (not workers or source.size < threshold or self.fmt.target != "record" or not isinstance(source, CsvSource)
                or "fork" not in multiprocessing.get_all_start_methods()):
            return None
        _WORKER_IMPORTER = self
        return multiprocessing.get_context("fork").Pool(workers)

    def _reject(self, row_no: int, problems: list[tuple[str, str]], cells) -> None:
        if cells.__class__ is not dict:
            cells = dict(zip(self.columns, cells))
        self.counts.rejected += 1
        if len(self.counts.errors) < SAMPLE_ERRORS:
            self.counts.errors.append({"row": row_no, "field": "；".join(p[0] for p in problems if p[0]),
                                       "message": "；".join(f"{p[0]}：{p[1]}" if p[0] else p[1] for p in problems)})
        self.report.add(row_no, problems, cells)

    # -- writing: transactions of many batches ------------------------------------------------------------------
    def _store(self, batches: Iterator, source: Source) -> None:
        """Write the validated batches in transactions of up to CHUNK_ROWS rows or CHUNK_SECONDS seconds."""
        batches = iter(batches)
        sink = self.sink
        sink.start()
        try:
            batch = next(batches, None)
            while batch is not None:
                sink.close()
                with transaction.atomic():
                    self.absent = set()
                    self.now = timezone.now() if self.vendor == "postgresql" else _sqlite_row([timezone.now()])[0]
                    started, rows = time.monotonic(), 0
                    try:
                        while True:
                            rows += self._write(batch)
                            if rows >= CHUNK_ROWS or time.monotonic() - started >= CHUNK_SECONDS:
                                break
                            batch = next(batches, None)
                            if batch is None:
                                break
                        sink.close()
                    except BaseException as exc:
                        sink.close(exc)
                        raise
                    self._progress(source)
                sink.committed()
                gc.collect(1)
                if batch is not None:  # the transaction was full: the next batch is validated while the helper works
                    batch = next(batches, None)
        finally:
            sink.stop()

    def _progress(self, source: Source) -> None:
        c = self.counts
        if self.vendor == "postgresql" and self.probing and c.inserted - self._analyzed_at > 100_000:
            self._analyze()
        ImportJob.objects.filter(pk=self.job.pk).update(
            processed_bytes=source.position(), rows=c.rows, accepted=c.accepted, inserted=c.inserted, updated=c.updated,
            voided=c.voided, unchanged=c.unchanged, rejected=c.rejected, unmatched=c.unmatched, heartbeat_at=timezone.now())

    def _write(self, batch) -> int:
        """Write one validated batch; returns its number of rows."""
        if self.fmt.target == "record":
            numbers, columns = batch
            if numbers:
                self._write_records(columns)
            return len(numbers)
        if batch:
            self.sink.close()
            ready = [(row_no, draft, dept) for row_no, (draft, dept) in batch]
            usccs = list({d.uscc for _n, d, _dept in ready if d.uscc})
            self._write_licences(ready, dict(_select_in("SELECT uscc, id FROM entities_entity WHERE uscc IN ({})", usccs)))
        return len(batch)

    def _entity_ids(self, usccs: set) -> dict[str, int]:
        """USCC → entity id for the batch: found ids are remembered for the import, USCCs without an entity for the
        current transaction (an entity registered meanwhile is found by the next one)."""
        entities = self.entities
        missing = [u for u in usccs if u not in entities and u not in self.absent]
        if missing:
            self.sink.close()
            if len(entities) + len(missing) > ENTITY_CACHE:
                entities.clear()
            found = dict(_select_in("SELECT uscc, id FROM entities_entity WHERE uscc IN ({})", missing))
            entities.update(found)
            self.absent.update(u for u in missing if u not in found)
        return entities

    def _is_fresh(self, system: str) -> set | None:
        """For a source that had no rows before this import: the hashes of the source ids this import wrote (only they
        can collide; a hash collision only costs a lookup). None for a source with rows: its keys are looked up."""
        seen = self.fresh.get(system, False)
        if seen is False:
            self.sink.close()
            found = _select_in("SELECT 1 FROM records_record WHERE source_system = %s AND 1 IN ({}) LIMIT 1", [1], [system])
            seen = self.fresh[system] = None if found else set()
        elif seen is not None and len(seen) >= FRESH_LIMIT:  # bounded memory: from here on the keys are looked up
            seen = self.fresh[system] = None
        return seen

    def _write_records(self, cols: list) -> None:
        """Insert, update or void one batch of validated records (columns in P_* order), column by column."""
        n = len(cols[P_SOURCE_ID])
        systems, sids = cols[P_SYSTEM], cols[P_SOURCE_ID]
        single = systems.count(systems[0]) == n
        keys = sids if single else list(zip(systems, sids))
        if len(set(keys)) != n:  # the last row for a key wins: a file may insert then update the same record
            last = {}
            for i, k in enumerate(keys):
                last[k] = i
            pick = _picker(list(last.values()), n)
            cols = [pick(c) for c in cols]
            n = len(cols[P_SOURCE_ID])
            systems, sids = cols[P_SYSTEM], cols[P_SOURCE_ID]
        probe = []
        if single:
            seen = self._is_fresh(systems[0])
            if seen is None:
                probe = list(range(n))
            else:
                hashes = list(map(hash, sids))
                if not seen.isdisjoint(hashes):
                    probe = [i for i, h in enumerate(hashes) if h in seen]
                seen.update(hashes)
        else:
            for i, (system, sid) in enumerate(zip(systems, sids)):
                seen = self._is_fresh(system)
                if seen is None or hash(sid) in seen:
                    probe.append(i)
                else:
                    seen.add(hash(sid))
        existing = self._existing(systems, sids, probe) if probe else {}
        operations = cols[P_OPERATION]
        keep = None
        if existing:  # rows whose key is stored: unchanged, updated or voided
            keep, changed, voids = [], [], []
            counts = self.counts
            for i, (system, sid, op, row_hash) in enumerate(zip(systems, sids, operations, cols[P_HASH])):
                found = existing.get((system, sid))
                if found is None:
                    keep.append(i)
                    continue
                pk, old_hash, old_status = found
                if op == "d":
                    if old_status != RecordStatus.VOIDED:
                        voids.append(pk)
                        counts.voided += 1
                    else:
                        counts.unchanged += 1
                elif old_hash == row_hash and old_status == RecordStatus.ACTIVE:
                    counts.unchanged += 1
                else:
                    changed.append((i, pk))
            if changed:
                columns, unmatched = self._record_columns(cols, [i for i, _pk in changed])
                rows = [[row[c] for c in _UPDATE_INDEX] + [pk] for row, (_i, pk) in zip(_rows_of(columns, len(changed)), changed)]
                counts.updated += len(changed)
                counts.unmatched += unmatched
                self.sink.close()
                with connection.cursor() as cur:
                    sets = ", ".join(f"{c} = %s" for c in UPDATE_COLUMNS)
                    cur.executemany(f"UPDATE {Record._meta.db_table} SET {sets} WHERE id = %s",
                                    rows if self.vendor == "postgresql" else [_sqlite_row(r) for r in rows])
            if voids:
                self.sink.close()
                Record.objects.filter(pk__in=voids).update(status=RecordStatus.VOIDED, updated_at=timezone.now())
            if not keep:
                return
            if len(keep) == n:
                keep = None
        columns, unmatched = self._record_columns(cols, keep)
        count = n if keep is None else len(keep)
        voided = 0
        if "d" in operations:  # a d for an unknown key stores the record already voided
            voided = operations.count("d") if keep is None else sum(1 for i in keep if operations[i] == "d")
        self.counts.voided += voided
        self.counts.inserted += count - voided
        self.counts.unmatched += unmatched
        self.sink.write(columns, count)

    def _record_columns(self, cols: list, keep: list[int] | None) -> tuple[list, int]:
        """The RECORD_COLUMNS of the rows `keep` (all when None), each a sequence or Same(one value for every row), and
        how many of them wait for their entity (待匹配)."""
        if keep is not None:
            pick = _picker(keep, len(cols[P_SOURCE_ID]))
            cols = [pick(c) for c in cols]
        usccs, pids, reps, operations = cols[P_USCC], cols[P_PARTY_ID_NUMBER], cols[P_REP_ID_NUMBER], cols[P_OPERATION]
        entities = self._entity_ids(set(usccs).difference(("",)))
        entity_ids = list(map(entities.get, usccs))
        unmatched = 0
        if None in entity_ids:
            pending = MatchStatus.PENDING.value
            match = [MatchStatus.MATCHED.value if e else (MatchStatus.PERSON.value if p else pending) for e, p in zip(entity_ids, pids)]
            unmatched = match.count(pending)
        else:
            match = Same(MatchStatus.MATCHED.value)
        status = ([RecordStatus.VOIDED.value if o == "d" else RecordStatus.ACTIVE.value for o in operations] if "d" in operations
                  else Same(RecordStatus.ACTIVE.value))
        names, titles = cols[P_PARTY_NAME], cols[P_TITLE]
        if max(map(len, names)) > 200:
            names = [v[:200] for v in names]
        if max(map(len, titles)) > 300:
            titles = [v[:300] for v in titles]
        empty = Same("")
        secret = (lambda values: [sm4_encrypt(v) if v else "" for v in values]) if any(pids) or any(reps) else None
        return [Same(self.fmt.kind), entity_ids, usccs, names, cols[P_DEPARTMENT], cols[P_OCCURRED_ON], titles, cols[P_SUMMARY],
                cols[P_AMOUNT], cols[P_SYSTEM], cols[P_SOURCE_ID], cols[P_BODY], cols[P_HASH], status, match, cols[P_DISCLOSE],
                cols[P_DISCLOSE_UNTIL], secret(pids) if secret and any(pids) else empty,
                [lookup_hash(v) if v else "" for v in pids] if any(pids) else empty,
                secret(reps) if secret and any(reps) else empty, Same(self.job.pk), Same(self.now), Same(self.now)], unmatched

    def _existing(self, systems, sids, probe: list[int]) -> dict:
        """(source_system, source_id) → (id, row_hash, status) of the stored records among the probed rows."""
        self.sink.close()
        self.probing = True
        by_system: dict[str, list[str]] = {}
        for i in probe:
            by_system.setdefault(systems[i], []).append(sids[i])
        existing = {}
        for system, keys in by_system.items():
            if self.vendor == "postgresql":  # probe the unique index key by key, whatever the statistics say
                with connection.cursor() as cur:
                    cur.execute("SELECT r.source_id, r.id, r.row_hash, r.status FROM unnest(%s::text[]) AS k(sid) "
                                "JOIN records_record r ON r.source_system = %s AND r.source_id = k.sid", [keys, system])
                    found = cur.fetchall()
            else:
                found = _select_in("SELECT source_id, id, row_hash, status FROM records_record WHERE source_system = %s "
                                   "AND source_id IN ({})", keys, [system])
            for sid, pk, row_hash, status in found:
                existing[(system, sid)] = (pk, row_hash, status)
        return existing

    @staticmethod
    def _hash(d: Draft, dept) -> str:
        text = json.dumps([dept, d.uscc, d.party_name, d.party_id_number, d.rep_id_number, d.payload_json], ensure_ascii=False)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def _write_licences(self, ready, entity_ids) -> None:
        from jianguan.entities.services import notify_licences_recorded

        final = {}
        for row_no, d, dept in ready:
            final[(dept, d.values["document_no"])] = (d, dept)
        depts = {k[0] for k in final}
        nos = [k[1] for k in final]
        existing = {(lic.department_id, lic.document_no): lic for lic in
                    Licence.objects.filter(department_id__in=depts, document_no__in=nos)} if final else {}
        pending = {(p.department_id, p.document_no): p for p in
                   PendingLicence.objects.filter(department_id__in=depts, document_no__in=nos)} if final else {}
        new, changed, fields = [], [], ["entity_id", "document_name", "category", "certificate_name", "licence_no", "content",
                                        "decided_on", "valid_from", "valid_to", "status", "note", "source_system", "source_id"]
        new_pending, changed_pending = [], []
        for key, (d, dept) in final.items():
            entity_id = entity_ids.get(d.uscc)
            values = {**d.values, "source_system": d.source_system, "source_id": d.source_id}
            if entity_id is None:
                row_hash = self._hash(d, dept)
                data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
                data["payload"] = json.loads(d.payload_json)
                old = pending.get(key)
                if old is None:
                    new_pending.append(PendingLicence(uscc=d.uscc, party_name=d.party_name[:200], department_id=dept,
                                                      document_no=key[1], data=data, row_hash=row_hash, import_job=self.job))
                    self.counts.inserted += 1
                elif old.row_hash != row_hash:
                    old.uscc, old.party_name, old.data, old.row_hash = d.uscc, d.party_name[:200], data, row_hash
                    changed_pending.append(old)
                    self.counts.updated += 1
                else:
                    self.counts.unchanged += 1
                self.counts.unmatched += 1
                continue
            old = existing.get(key)
            if old is None:
                new.append(Licence(entity_id=entity_id, department_id=dept, **values))
                self.counts.inserted += 1
            else:
                diff = [f for f in fields if getattr(old, f) != (entity_id if f == "entity_id" else values.get(f))]
                if not diff:
                    self.counts.unchanged += 1
                    continue
                old.entity_id = entity_id
                for f in fields[1:]:
                    setattr(old, f, values.get(f))
                changed.append(old)
                self.counts.updated += 1
        created = Licence.objects.bulk_create(new, batch_size=1000)
        if changed:
            Licence.objects.bulk_update(changed, fields, batch_size=1000)
        PendingLicence.objects.bulk_create(new_pending, batch_size=1000)
        if changed_pending:
            PendingLicence.objects.bulk_update(changed_pending, ["uscc", "party_name", "data", "row_hash"], batch_size=1000)
        notify_licences_recorded([lic.pk for lic in created] + [lic.pk for lic in changed])



class Same:
    """A column with one value for every row of a batch."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _rows_of(columns: list, n: int):
    """Rows from columns (Same expanded)."""
    return zip(*[repeat(c.value, n) if c.__class__ is Same else c for c in columns])


def _picker(keep: list[int], n: int):
    """A function that takes the positions `keep` of a column."""
    if len(keep) == n:
        return lambda values: values
    if len(keep) == 1:
        only = keep[0]
        return lambda values: (values[only],)
    return itemgetter(*keep)


def _pairs_mapped(a, b, function) -> list:
    """function(x, y) for each pair of the two columns, computed once per distinct pair."""
    pairs = list(zip(a, b))
    table = {pair: function(*pair) for pair in set(pairs)}
    return list(map(table.__getitem__, pairs))


def _joined_fragments(cols: list[tuple], n: int) -> list[str]:
    """Per row, its JSON fragments (blank cells left out) joined with commas. `cols`: (fragments, may hold None)."""
    cols = [(c, gap) for c, gap in cols if not gap or c.count(None) != n]  # columns blank throughout left out
    if not cols:
        return [""] * n
    rows = zip(*[c for c, _gap in cols])
    if any(gap and None in c for c, gap in cols):
        return [",".join(filter(None, r)) for r in rows]
    return list(map(",".join, rows))


def _copy_text(columns: list, n: int) -> str:
    """The rows in PostgreSQL's COPY text format (tab-separated, \\N for NULL, backslash escapes), built column by
    column: the values of one column that hold no tab, line break or backslash go in as they are."""
    template, varying = [], []
    for values in columns:
        if values.__class__ is Same:
            template.append(_copy_value(values.value).replace("%", "%%"))
            continue
        template.append("%s")
        kinds = set(map(type, values))
        if kinds <= {str}:
            if _copy_special("".join(values)):
                values = [_copy_escape(v) for v in values]
            varying.append(values)
        elif kinds <= {str, type(None)}:
            varying.append([_COPY_NULL if v is None else _copy_escape(v) for v in values])
        else:
            varying.append(list(map(_copy_value, values)))
    row = "\t".join(template)
    return "\n".join(map(row.__mod__, zip(*varying))) + "\n"


_COPY_NULL = "\\N"


def _copy_special(text: str) -> bool:
    """Does the text hold a character COPY escapes? (Four plain searches beat one regular expression.)"""
    return "\\" in text or "\t" in text or "\n" in text or "\r" in text


def _copy_escape(text: str) -> str:
    if not _copy_special(text):
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_value(value) -> str:
    if value is None:
        return _COPY_NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return _copy_escape(value)
    return str(value)


def _json_strings(values, unique: bool = False) -> list[str]:
    """Each text (or None) as JSON; `unique`: the values hardly repeat (not worth remembering)."""
    if unique and None not in values:
        return list(map(encode, values))
    distinct = set(values)
    if len(distinct) * 4 < len(values):
        table = {v: "null" if v is None else encode(v) for v in distinct}
        return list(map(table.__getitem__, values))
    if None in distinct:
        return ["null" if v is None else encode(v) for v in values]
    return list(map(encode, values))


def _select_in(sql: str, values: list, before: list | None = None, chunk: int = 900) -> list[tuple]:
    """Rows of `sql` whose IN (...) list is `values`: one `= ANY(array)` on PostgreSQL, chunks of IN on SQLite
    (which limits host parameters)."""
    out = []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(sql.replace("IN ({})", "= ANY(%s)"), (before or []) + [list(values)])
            return cur.fetchall()
        for i in range(0, len(values), chunk):
            part = values[i:i + chunk]
            cur.execute(sql.format(", ".join(["%s"] * len(part))), (before or []) + part)
            out.extend(cur.fetchall())
    return out


def insert_rows(rows: list[list]) -> None:
    """Insert rows in RECORD_COLUMNS order set-based (core.bulk: COPY on PostgreSQL, executemany on SQLite)."""
    if rows:
        bulk.insert_rows(Record, RECORD_COLUMNS, rows)


def _sqlite_row(row: Iterable) -> list:
    return [bulk.sqlite_value(v) for v in row]


