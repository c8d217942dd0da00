"""The import engine shared by the page upload, `jianguan import` and the bulk API.

Rows stream from a reader in batches; each row is validated field by field and against the rules between
fields; each batch is written set-based (executemany on SQLite, COPY on PostgreSQL, one UPDATE statement
per changed batch) in its own transaction, so progress is visible and memory stays bounded. Idempotent
on the source's own key (source_system, source_id): an unchanged row is counted, not written; `cd_operation`
u updates, d voids. Every rejected row goes to a report with its row number, field and reason.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import json
import marshal
import multiprocessing
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.crypto import lookup_hash, sm4_encrypt
from jianguan.core.pii import mask_id_number
from jianguan.core.models import Department
from jianguan.core.scope import own_department_ids
from jianguan.entities.models import Entity, Licence

from .choices import MatchStatus, RecordStatus
from .fields import _LIST_SPLIT, FieldError
from .formats import Compact, Draft, Format
from .models import ImportJob, PendingLicence, Record
from .readers import CsvSource, FileProblem, Source

BATCH = 5000
WINDOW = 3  # batches in flight between reader, validation worker and writer
MEMO_LIMIT = 50_000  # distinct raw values remembered per field (bounded memory)
_WORKER_IMPORTER = None


def _validate_in_worker(blob: bytes) -> bytes:
    """Runs in the forked worker: the importer (format, column plan, memo caches) was inherited at fork time.
    It only validates; it never touches the database connection it inherited. Rows travel as marshal blobs
    (strings, numbers, tuples), which cost a fraction of pickling objects."""
    drafts, errors = _WORKER_IMPORTER.validate_batch(marshal.loads(blob))
    return marshal.dumps(([(i, tuple(d)) for i, d in drafts], errors))


SAMPLE_ERRORS = 50
REPORTS_DIR = Path(settings.VAR_DIR) / "imports"

RECORD_COLUMNS = ["kind", "entity_id", "uscc", "party_name", "department_id", "occurred_on", "title", "summary", "amount",
                  "source_system", "source_id", "payload", "row_hash", "status", "match_status", "disclose", "disclose_until",
                  "party_id_number", "party_id_hash", "rep_id_number", "import_job_id", "created_at", "updated_at"]
UPDATE_COLUMNS = [c for c in RECORD_COLUMNS if c not in ("source_system", "source_id", "created_at", "import_job_id")]
_UPDATE_INDEX = [RECORD_COLUMNS.index(c) for c in UPDATE_COLUMNS]


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
        self.plan = None
        self.vendor = connection.vendor

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

    def _department_for(self, draft: Draft) -> tuple[int | None, str]:
        key = (draft.agency_code, draft.agency_name)
        hit = self._dept_cache.get(key)
        if hit is None:
            hit = self._dept_cache[key] = self._resolve_department(draft)
        return hit

    def _resolve_department(self, draft: Draft) -> tuple[int | None, str]:
        by_code, by_name = self.departments
        pk = by_code.get(draft.agency_code) or by_name.get(draft.agency_name)
        if pk is None:
            if self.default_department is None:
                return None, _("无法确定“%(a)s”对应的平台部门：请在部门目录中登记其统一社会信用代码，或导入时指定部门") % {"a": draft.agency_name}
            pk = self.default_department.pk
        if self.writable is not None and pk not in self.writable:
            return None, _("“%(a)s”不是本部门（含内设机构），不能由本部门导入其数据") % {"a": draft.agency_name}
        return pk, ""

    # -- one row --------------------------------------------------------------------------------------------------
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

    # -- a batch of rows, column by column ------------------------------------------------------------------------
    def _columns_of(self, rows: list) -> list:
        """One sequence of raw values per format field, in field order."""
        n = len(rows)
        if rows and rows[0].__class__ is dict:
            return [[r.get(f.label, r.get(f.key)) if r.__class__ is dict else None for r in rows] for f in self.fmt.fields]
        width = max(map(len, rows)) if rows else 0
        if rows and min(map(len, rows)) != width:
            rows = [r if len(r) == width else list(r) + [None] * (width - len(r)) for r in rows]
        cols = list(zip(*rows)) if rows else []
        empty = [None] * n
        return [cols[i] if i is not None and i < width else empty for _f, i in self.plan]

    def validate_batch(self, rows: list) -> tuple[list[tuple[int, Draft]], dict[int, list[tuple[str, str]]]]:
        """Vectorised validation: each field's column is checked at once (each distinct value converted once), then the
        rules between fields and the draft per row. Returns the drafts and {row index: problems}."""
        fmt = self.fmt
        n = len(rows)
        compact = fmt.target == "record"
        errors: dict[int, list[tuple[str, str]]] = {}
        typed_cols, frag_cols, control_cols = [], [], []
        required = _("必填，不能为空")
        for f, col in zip(fmt.fields, self._columns_of(rows)):
            prefix = _json_key(f.key)
            if f.type == "str":
                values = [v.strip() if v.__class__ is str else ("" if v is None else _plain(v)) for v in col]
                if max(map(len, values), default=0) > f.max_length:
                    message = _("超过最大长度 %(n)d 个字符") % {"n": f.max_length}
                    for i, v in enumerate(values):
                        if len(v) > f.max_length:
                            errors.setdefault(i, []).append((f.label, message))
                if f.required and "" in values:
                    for i, v in enumerate(values):
                        if not v:
                            errors.setdefault(i, []).append((f.label, required))
                typed = [v or None for v in values]
                if f.pii:
                    frags = [prefix + _encode(mask_id_number(v)) if v else None for v in values]
                else:
                    frags = [prefix + _encode(v) if v else None for v in values]
            elif f.type in _FAST and all(v.__class__ is str for v in col):
                fast = _FAST[f.type]
                results = [fast(f, v, prefix) for v in col]
            else:
                memo = f.batch_memo
                try:
                    missing = set(col).difference(memo)
                except TypeError:  # lists from JSON rows
                    missing = None
                if missing is None:
                    results = [_convert(f, v, prefix) for v in col]
                else:
                    if len(memo) + len(missing) > MEMO_LIMIT:
                        memo.clear()
                        missing = set(col)
                    for v in missing:
                        memo[v] = _convert(f, v, prefix)
                    get = memo.get  # another import may clear the memo meanwhile: then convert again
                    results = [get(v) or _convert(f, v, prefix) for v in col]
            if f.type != "str":
                typed = [r[0] for r in results]
                frags = [r[1] for r in results]
                problems = [r[2] for r in results]
                if problems.count(None) != n:
                    for i, problem in enumerate(problems):
                        if problem is None:
                            continue
                        if problem is _BLANK:
                            if f.required:
                                errors.setdefault(i, []).append((f.label, required))
                        else:
                            errors.setdefault(i, []).append((f.label, problem))
            typed_cols.append(typed)
            (control_cols if f.key.startswith("cd_") else frag_cols).append(frags)
        keys = [f.key for f in fmt.fields]
        drafts = []
        payload_keys = [f.key for f in fmt.fields if not f.key.startswith("cd_")]
        party_frag = payload_keys.index("party_id") if "party_id" in payload_keys else None
        party_prefix = _json_key("party_id")
        party_index = keys.index("party_id") if "party_id" in keys else None
        controls = zip(*control_cols) if control_cols else [()] * n
        for i, typed_row, frag_row, control_row in zip(range(n), zip(*typed_cols), zip(*frag_cols), controls):
            if i in errors:
                continue
            clean = dict(zip(keys, typed_row))
            problems = fmt.check(clean)
            if problems:
                errors[i] = problems
                continue
            if party_frag is not None and frag_row[party_frag]:
                party = clean.get("party_id") or ""
                masked = clean.get("party_id_type") == "身份证"
                if masked or party != typed_row[party_index]:  # an ID number masked, a code as checked (upper case)
                    frag_row = list(frag_row)
                    frag_row[party_frag] = party_prefix + _encode(mask_id_number(party) if masked else party)
            payload_json = "{" + ",".join(filter(None, frag_row)) + "}"
            control_json = "{" + ",".join(filter(None, control_row)) + "}" if control_row else ""
            try:
                drafts.append((i, fmt.draft(clean, payload_json, control_json, compact)))
            except (KeyError, TypeError, ValueError) as exc:  # a rule the format did not foresee: report, never crash
                errors[i] = [("", _("无法处理本行：%(e)s") % {"e": exc})]
        return drafts, errors

    # -- the run -------------------------------------------------------------------------------------------------
    def run(self, source: Source) -> Counts:
        """Stream the source in batches. With a validation worker (large files, several cores), batch k is validated in
        the worker while batch k-1 is written here and batch k+1 is read: at most WINDOW batches are in flight, so memory
        stays bounded whatever the file size."""
        planned = False
        pending: list[tuple[int, object]] = []
        pool = None
        inflight: list = []
        if connection.vendor == "sqlite":  # a large page cache for the index lookups and inserts of this import
            with connection.cursor() as cur:
                cur.execute("PRAGMA cache_size = -65536")
        else:
            self._analyze()
        try:
            for row_no, cells, problem in source:
                if not planned:
                    self.plan = self._plan(getattr(source, "columns", None) if cells.__class__ is not dict else None)
                    if cells.__class__ is dict:
                        self._note_extra_keys(cells)
                    planned = True
                    pool = self._pool(source)
                self.counts.rows += 1
                if problem:
                    self._reject(row_no, [("", problem)], cells, source)
                    continue
                pending.append((row_no, cells))
                if len(pending) >= self.batch_size:
                    if pool is None:
                        self._process(pending, self.validate_batch([c for _n, c in pending]), source)
                    else:
                        inflight.append((pending, pool.apply_async(_validate_in_worker, (marshal.dumps([c for _n, c in pending]),))))
                        while len(inflight) >= WINDOW or (inflight and inflight[0][1].ready()):
                            done, result = inflight.pop(0)
                            self._process(done, _from_worker(result.get()), source)
                    pending = []
            if not planned:
                self.plan = self._plan(getattr(source, "columns", None))
            for done, result in inflight:
                self._process(done, _from_worker(result.get()), source)
            inflight = []
            self._process(pending, self.validate_batch([c for _n, c in pending]) if pending else ([], {}), source)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
            self.report.close()
            if connection.vendor == "sqlite":
                with connection.cursor() as cur:
                    cur.execute("PRAGMA cache_size = -2000")
        self.notes = list(dict.fromkeys(source.notes + self.notes))
        return self.counts

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

    def _process(self, pending: list[tuple[int, object]], result, source: Source) -> None:
        drafts, errors = result
        for i in sorted(errors):
            self._reject(pending[i][0], errors[i], pending[i][1], source)
        self._write([(pending[i][0], d, pending[i][1]) for i, d in drafts], source)

    def _note_extra_keys(self, obj: dict) -> None:
        known = {f.label for f in self.fmt.fields} | {f.key for f in self.fmt.fields}
        extra = [k for k in obj if k not in known]
        if extra:
            self.notes.append(_("以下列不属于该格式，已忽略：%(cols)s") % {"cols": "、".join(extra[:20])})

    def _reject(self, row_no: int, problems: list[tuple[str, str]], cells, source=None) -> None:
        if cells.__class__ is not dict:
            cells = dict(zip(getattr(source, "columns", None) or [], cells))
        self.counts.rejected += 1
        if len(self.counts.errors) < SAMPLE_ERRORS:
            self.counts.errors.append({"row": row_no, "field": "；".join(p[0] for p in problems if p[0]),
                                       "message": "；".join(f"{p[0]}：{p[1]}" if p[0] else p[1] for p in problems)})
        self.report.add(row_no, problems, cells)

    # -- one batch, one transaction ------------------------------------------------------------------------------
    def _write(self, batch: list[tuple[int, Draft, dict]], source: Source) -> None:
        with transaction.atomic():
            ready = []
            for row_no, draft, cells in batch:
                dept, problem = self._department_for(draft)
                if dept is None:
                    self._reject(row_no, [("", problem)], cells)
                    continue
                ready.append((row_no, draft, dept))
            usccs = {d.uscc for _, d, _ in ready if d.uscc}
            entity_ids = dict(_select_in("SELECT uscc, id FROM entities_entity WHERE uscc IN ({})", list(usccs)))
            if self.fmt.target == "record":
                self._write_records(ready, entity_ids)
            else:
                self._write_licences(ready, entity_ids)
            c = self.counts
            if connection.vendor == "postgresql" and c.inserted - getattr(self, "_analyzed_at", 0) > 100_000:
                self._analyze()
            ImportJob.objects.filter(pk=self.job.pk).update(
                processed_bytes=source.position(), rows=c.rows, accepted=c.accepted, inserted=c.inserted, updated=c.updated,
                voided=c.voided, unchanged=c.unchanged, rejected=c.rejected, unmatched=c.unmatched)

    def _write_records(self, ready, entity_ids) -> None:
        now = timezone.now()
        if self.vendor != "postgresql":
            now = _sqlite_row([now])[0]
        final: dict[tuple[str, str], tuple] = {}
        for row_no, d, dept in ready:  # the last row for a key wins: a file may insert then update the same record
            final[(d.source_system, d.source_id)] = (d, dept)
        existing = {}
        by_system: dict[str, list[str]] = {}
        for system, sid in final:
            if system not in self.fresh:
                self.fresh[system] = (set() if not _select_in("SELECT 1 FROM records_record WHERE source_system = %s AND 1 IN ({}) LIMIT 1",
                                                               [1], [system]) else None)
            seen = self.fresh[system]
            if seen is not None and hash(sid) not in seen:
                # A source with no rows before this import: only this import's own rows can collide. Hashes keep the
                # set small; a hash collision only costs a lookup.
                seen.add(hash(sid))
                continue
            by_system.setdefault(system, []).append(sid)
        for system, sids in by_system.items():
            if connection.vendor == "postgresql":  # probe the unique index key by key, whatever the statistics say
                with connection.cursor() as cur:
                    cur.execute("SELECT r.source_id, r.id, r.row_hash, r.status FROM unnest(%s::text[]) AS k(sid) "
                                "JOIN records_record r ON r.source_system = %s AND r.source_id = k.sid", [sids, system])
                    found = cur.fetchall()
            else:
                found = _select_in("SELECT source_id, id, row_hash, status FROM records_record WHERE source_system = %s "
                                   "AND source_id IN ({})", sids, [system])
            for sid, pk, row_hash, status in found:
                existing[(system, sid)] = (pk, row_hash, status)
        inserts, updates, voids = [], [], []
        kind = self.fmt.kind
        job_id = self.job.pk
        for key, (d, dept) in final.items():
            entity_id = entity_ids.get(d.uscc) if d.uscc else None
            match = MatchStatus.MATCHED if entity_id else (MatchStatus.PERSON if d.party_id_number else MatchStatus.PENDING)
            body = d.payload_json
            row_hash = hashlib.sha1(f"{body}|{dept}|{d.uscc}|{d.party_id_number}|{d.rep_id_number}".encode()).hexdigest()
            status = RecordStatus.VOIDED if d.operation == "d" else RecordStatus.ACTIVE
            found = existing.get(key)
            if found is not None:
                pk, old_hash, old_status = found
                if d.operation == "d":
                    if old_status != RecordStatus.VOIDED:
                        voids.append(pk)
                        self.counts.voided += 1
                    else:
                        self.counts.unchanged += 1
                    continue
                if old_hash == row_hash and old_status == status:
                    self.counts.unchanged += 1
                    continue
            if d.control_json:
                body = body[:-1] + ("," if len(body) > 2 else "") + d.control_json[1:]
            pid = d.party_id_number
            row = [kind, entity_id, d.uscc, d.party_name[:200], dept, d.occurred_on, d.title[:300], d.summary, d.amount,
                   d.source_system, d.source_id, body, row_hash, status, match, d.disclose, d.disclose_until,
                   sm4_encrypt(pid) if pid else "", lookup_hash(pid) if pid else "",
                   sm4_encrypt(d.rep_id_number) if d.rep_id_number else "", job_id, now, now]
            if found is not None:
                updates.append([row[i] for i in _UPDATE_INDEX] + [found[0]])
                self.counts.updated += 1
            else:
                inserts.append(row)
                if status == RecordStatus.VOIDED:
                    self.counts.voided += 1
                else:
                    self.counts.inserted += 1
            if match == MatchStatus.PENDING:
                self.counts.unmatched += 1
        table = Record._meta.db_table
        insert_rows(inserts, plain=self.vendor != "postgresql")
        with connection.cursor() as cur:
            if updates:
                sets = ", ".join(f"{c} = %s" for c in UPDATE_COLUMNS)
                rows = updates if self.vendor == "postgresql" else [_sqlite_row(r) for r in updates]
                cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)
        if voids:
            Record.objects.filter(pk__in=voids).update(status=RecordStatus.VOIDED, updated_at=timezone.now())

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


_BLANK = "<blank>"
_encode = json.encoder.encode_basestring  # the C encoder, non-ASCII kept as is


def _json_key(key: str) -> str:
    return _encode(key) + ":"


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _convert(f, raw, prefix: str) -> tuple:
    """(typed value, JSON fragment, error or None) for one raw cell of a typed field."""
    if raw is None or raw == "" or raw == [] or (raw.__class__ is str and raw.isspace()):
        return None, None, _BLANK
    if f.type == "list" and raw.__class__ is str:
        return _fast_list(f, raw, prefix)
    try:
        value, jv = f.clean(raw)
    except FieldError as exc:
        return None, None, str(exc)
    if jv.__class__ is str:
        return value, prefix + _encode(jv), None
    return value, prefix + json.dumps(jv, ensure_ascii=False), None


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


def _from_worker(blob: bytes):
    drafts, errors = marshal.loads(blob)
    return [(i, Compact._make(t)) for i, t in drafts], errors


_fromiso = dt.datetime.fromisoformat


def _fast_datetime(f, v: str, prefix: str) -> tuple:
    """The common 'YYYY-MM-DD HH:MM:SS' without a time zone, parsed in C; anything else takes the general path."""
    if len(v) == 19 and v[4] == "-" and v[10] == " ":
        try:
            value = _fromiso(v)  # naive local time (Asia/Shanghai) inside the engine
        except ValueError:
            return _convert(f, v, prefix)
        return value, f'{prefix}"{v[:10]}T{v[11:]}+08:00"', None
    return _convert(f, v, prefix)


def _fast_digits(f, v: str, prefix: str) -> tuple:
    if len(v) == f.length and v.isdigit():
        return v, f'{prefix}"{v}"', None
    return _convert(f, v, prefix)


_BATCH_DAYS: dict[str, bool] = {}


def _fast_batch(f, v: str, prefix: str) -> tuple:
    if len(v) == 13 and v.isdigit():
        ok = _BATCH_DAYS.get(v[:8])
        if ok is None:
            try:
                dt.date(int(v[:4]), int(v[4:6]), int(v[6:8]))
                ok = True
            except ValueError:
                ok = False
            _BATCH_DAYS[v[:8]] = ok
        if ok:
            return v, f'{prefix}"{v}"', None
    return _convert(f, v, prefix)


def _fast_list(f, v: str, prefix: str) -> tuple:
    items = [x.strip() for x in _LIST_SPLIT.split(v)] if v else []
    items = [x for x in items if x]
    if not items:
        return None, None, _BLANK
    return items, prefix + "[" + ",".join(map(_encode, items)) + "]", None


_FAST = {"datetime": _fast_datetime, "digits": _fast_digits, "batch": _fast_batch}


def insert_rows(rows: list[list], *, plain: bool = False) -> None:
    """Insert rows in RECORD_COLUMNS order set-based: COPY on PostgreSQL, executemany on SQLite. `plain` rows hold only
    strings, numbers and None already (no conversion needed)."""
    if not rows:
        return
    table = Record._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(RECORD_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table} ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(RECORD_COLUMNS))})",
                            rows if plain else [_sqlite_row(r) for r in rows])


def _sqlite_row(row: Iterable) -> list:
    out = []
    for value in row:
        if isinstance(value, dt.datetime):
            out.append(value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" "))
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, decimal.Decimal):
            out.append(str(value))
        else:
            out.append(value)
    return out


