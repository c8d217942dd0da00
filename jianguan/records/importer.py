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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.crypto import lookup_hash, sm4_encrypt
from jianguan.core.models import Department
from jianguan.core.scope import own_department_ids
from jianguan.entities.models import Entity, Licence

from .choices import MatchStatus, RecordStatus
from .fields import FieldError
from .formats import Draft, Format
from .models import ImportJob, PendingLicence, Record
from .readers import FileProblem, Source

BATCH = 5000
SAMPLE_ERRORS = 50
REPORTS_DIR = Path(settings.VAR_DIR) / "imports"

RECORD_COLUMNS = ["kind", "entity_id", "uscc", "party_name", "department_id", "occurred_on", "title", "summary", "amount",
                  "source_system", "source_id", "payload", "row_hash", "status", "match_status", "disclose", "disclose_until",
                  "party_id_number", "party_id_hash", "rep_id_number", "import_job_id", "created_at", "updated_at"]
UPDATE_COLUMNS = [c for c in RECORD_COLUMNS if c not in ("source_system", "source_id", "created_at", "import_job_id")]
_HASH_SKIP = {"cd_id", "cd_time", "cd_batch", "cd_operation"}


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
    def _columns(self, columns: list[str] | None):
        """Field → the column that carries it (its Chinese name, or its JSON key); complain about the rest."""
        fmt = self.fmt
        if columns is None:
            return None
        present = set(columns)
        mapping = {}
        for f in fmt.fields:
            if f.label in present:
                mapping[f.key] = f.label
            elif f.key in present:
                mapping[f.key] = f.key
        missing = [f.label for f in fmt.required if f.key not in mapping]
        if missing:
            raise FileProblem(_("缺少必需的列：%(cols)s。请使用“%(fmt)s”的导入模板") % {"cols": "、".join(missing), "fmt": fmt.label})
        known = set(mapping.values())
        extra = [c for c in columns if c and c not in known]
        if extra:
            self.notes.append(_("以下列不属于该格式，已忽略：%(cols)s") % {"cols": "、".join(extra[:20])})
        return mapping

    def clean_row(self, cells: dict, mapping: dict | None) -> tuple[dict, list[tuple[str, str]]]:
        clean, errors = {}, []
        for f in self.fmt.fields:
            if mapping is None:
                value = cells.get(f.label, cells.get(f.key))
            else:
                column = mapping.get(f.key)
                value = cells.get(column) if column else None
            if value is None or value == "" or (value.__class__ is str and not value.strip()) or value == []:
                if f.required:
                    errors.append((f.label, _("必填，不能为空")))
                continue
            try:
                clean[f.key] = f.convert(value, f)
            except FieldError as exc:
                errors.append((f.label, str(exc)))
        if not errors:
            errors = self.fmt.check(clean)
        return clean, errors

    # -- the run -------------------------------------------------------------------------------------------------
    def run(self, source: Source) -> Counts:
        mapping_ready, mapping = False, None
        batch: list[tuple[int, Draft, dict]] = []
        try:
            for row_no, cells, problem in source:
                if not mapping_ready:
                    mapping = self._columns(getattr(source, "columns", None)) if not source.path.suffix.lower().startswith(".json") else None
                    mapping_ready = True
                self.counts.rows += 1
                if problem:
                    self._reject(row_no, [("", problem)], cells)
                    continue
                clean, errors = self.clean_row(cells, mapping)
                if errors:
                    self._reject(row_no, errors, cells)
                    continue
                batch.append((row_no, self.fmt.draft(clean), cells))
                if len(batch) >= self.batch_size:
                    self._write(batch, source)
                    batch = []
            if batch or not mapping_ready:
                self._write(batch, source)
        finally:
            self.report.close()
        self.notes = list(dict.fromkeys(source.notes + self.notes))
        return self.counts

    def _reject(self, row_no: int, problems: list[tuple[str, str]], cells: dict) -> None:
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
            entity_ids = dict(Entity.objects.filter(uscc__in=usccs).values_list("uscc", "pk")) if usccs else {}
            if self.fmt.target == "record":
                self._write_records(ready, entity_ids)
            else:
                self._write_licences(ready, entity_ids)
            c = self.counts
            ImportJob.objects.filter(pk=self.job.pk).update(
                processed_bytes=source.position(), rows=c.rows, accepted=c.accepted, inserted=c.inserted, updated=c.updated,
                voided=c.voided, unchanged=c.unchanged, rejected=c.rejected, unmatched=c.unmatched)

    def _write_records(self, ready, entity_ids) -> None:
        now = timezone.now()
        final: dict[tuple[str, str], tuple] = {}
        for row_no, d, dept in ready:  # the last row for a key wins: a file may insert then update the same record
            final[(d.source_system, d.source_id)] = (d, dept)
        existing = {}
        by_system: dict[str, list[str]] = {}
        for system, sid in final:
            by_system.setdefault(system, []).append(sid)
        for system, sids in by_system.items():
            for i in range(0, len(sids), 900):
                for sid, pk, row_hash, status in Record.objects.filter(source_system=system, source_id__in=sids[i:i + 900]) \
                        .values_list("source_id", "pk", "row_hash", "status"):
                    existing[(system, sid)] = (pk, row_hash, status)
        inserts, updates, voids = [], [], []
        kind = self.fmt.kind
        for key, (d, dept) in final.items():
            entity_id = entity_ids.get(d.uscc) if d.uscc else None
            match = MatchStatus.MATCHED if entity_id else (MatchStatus.PERSON if d.party_id_number else MatchStatus.PENDING)
            row_hash = self._hash(d, dept)
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
                values = self._values(d, kind, entity_id, dept, row_hash, status, match, now)
                updates.append([values[c] for c in UPDATE_COLUMNS] + [pk])
                self.counts.updated += 1
            else:
                values = self._values(d, kind, entity_id, dept, row_hash, status, match, now)
                inserts.append([values[c] for c in RECORD_COLUMNS])
                if status == RecordStatus.VOIDED:
                    self.counts.voided += 1
                else:
                    self.counts.inserted += 1
            if match == MatchStatus.PENDING:
                self.counts.unmatched += 1
        table = Record._meta.db_table
        with connection.cursor() as cur:
            if inserts:
                if self.vendor == "postgresql":
                    with cur.cursor.copy(f"COPY {table} ({', '.join(RECORD_COLUMNS)}) FROM STDIN") as copy:
                        for row in inserts:
                            copy.write_row(row)
                else:
                    cur.executemany(f"INSERT INTO {table} ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(RECORD_COLUMNS))})",
                                    [_sqlite_row(r) for r in inserts])
            if updates:
                sets = ", ".join(f"{c} = %s" for c in UPDATE_COLUMNS)
                rows = updates if self.vendor == "postgresql" else [_sqlite_row(r) for r in updates]
                cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)
        if voids:
            Record.objects.filter(pk__in=voids).update(status=RecordStatus.VOIDED, updated_at=now)

    def _values(self, d: Draft, kind, entity_id, dept, row_hash, status, match, now) -> dict:
        v = d.values
        return {
            "kind": kind, "entity_id": entity_id, "uscc": d.uscc, "party_name": d.party_name[:200], "department_id": dept,
            "occurred_on": v["occurred_on"], "title": v["title"][:300], "summary": v["summary"], "amount": v["amount"],
            "source_system": d.source_system, "source_id": d.source_id, "payload": json.dumps(d.payload, ensure_ascii=False),
            "row_hash": row_hash, "status": status, "match_status": match, "disclose": v["disclose"],
            "disclose_until": v["disclose_until"],
            "party_id_number": sm4_encrypt(d.party_id_number) if d.party_id_number else "",
            "party_id_hash": lookup_hash(d.party_id_number) if d.party_id_number else "",
            "rep_id_number": sm4_encrypt(d.rep_id_number) if d.rep_id_number else "",
            "import_job_id": self.job.pk, "created_at": now, "updated_at": now,
        }

    @staticmethod
    def _hash(d: Draft, dept) -> str:
        payload = {k: v for k, v in d.payload.items() if k not in _HASH_SKIP}
        text = json.dumps([dept, d.uscc, d.party_name, d.party_id_number, d.rep_id_number, payload], ensure_ascii=False,
                          sort_keys=True, default=str)
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
                data["payload"] = d.payload
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


