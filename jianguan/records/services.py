"""Writes of the records app: records, the 待匹配 queue, and imports. One transaction and one audit event each;
an import is one audit event for the whole file (its counts), never one per row.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.choices import STAFF_ROLES
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.identifiers import normalize_uscc
from jianguan.core.scope import own_department_ids
from jianguan.entities.models import Entity, Licence

from . import kinds
from .choices import JobChannel, JobStatus, MatchStatus, RecordKind, RecordStatus
from .formats import get_format
from .importer import REPORTS_DIR, Importer
from .models import ImportJob, PendingLicence, Record
from .readers import FileProblem, open_source

log = logging.getLogger(__name__)


def _require_writer(actor, department) -> None:
    if actor is None:
        return
    if not actor.is_active or actor.role not in STAFF_ROLES:
        raise PermissionDeniedError(_("无权录入监管记录"))
    if not actor.is_owner and department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能录入或处理本部门（含内设机构）的记录"))


# --- single records --------------------------------------------------------------------------------------------


@transaction.atomic
def record_create(*, actor, kind: str, department, uscc: str, party_name: str, title: str, payload: dict,
                  occurred_on: dt.date | None = None, summary: str = "", amount=None, source_system: str = "",
                  source_id: str = "", disclose: bool = False, disclose_until: dt.date | None = None) -> Record:
    """Record one supervision record of any kind, its payload validated against the kind's exchange fields.
    A USCC not in the registry is kept and waits in the 待匹配 queue."""
    _require_writer(actor, department)
    if kind not in RecordKind.values:
        raise DomainError(_("未知的记录类别“%(k)s”") % {"k": kind}, field="kind")
    uscc = normalize_uscc(uscc)
    from .fields import FieldError, conv_uscc

    try:
        conv_uscc(uscc, None)
    except FieldError as exc:
        raise DomainError(str(exc), field="uscc") from None
    clean, data, errors = kinds.validate_payload(kind, payload or {})
    if errors:
        raise DomainError(errors[0][1], field=f"payload.{errors[0][0]}")
    if occurred_on is None:
        value = clean.get(kinds.DATE_FIELD[kind])
        occurred_on = value.date() if isinstance(value, dt.datetime) else value
    if occurred_on is None:
        raise DomainError(_("请填写发生日期"), field="occurred_on")
    if not (title or "").strip():
        raise DomainError(_("请填写事项"), field="title")
    source_system = (source_system or "").strip() or f"platform:{department.pk}"
    source_id = (source_id or "").strip() or f"{kind}:{uscc}:{timezone.now().strftime('%Y%m%d%H%M%S%f')}"
    if Record.objects.filter(source_system=source_system, source_id=source_id).exists():
        raise Conflict(_("来源系统“%(s)s”的记录“%(i)s”已存在") % {"s": source_system, "i": source_id}, field="source_id")
    entity = Entity.objects.filter(uscc=uscc).first()
    record = Record(kind=kind, entity=entity, uscc=uscc, party_name=(party_name or "").strip()[:200], department=department,
                    occurred_on=occurred_on, title=title.strip()[:300], summary=summary or "", amount=amount,
                    source_system=source_system, source_id=source_id, payload=data, disclose=disclose,
                    disclose_until=disclose_until, match_status=MatchStatus.MATCHED if entity else MatchStatus.PENDING,
                    row_hash=hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest())
    record.save()
    audit.record(actor=actor, action="record.create", obj=record, after=audit.snapshot(record, [
        "kind", "uscc", "party_name", "occurred_on", "title", "source_system", "source_id", "match_status"]))
    return record


@transaction.atomic
def record_void(*, actor, record: Record, reason: str) -> Record:
    """作废 a record (e.g. a decision revoked); it stays in the archive, marked."""
    _require_writer(actor, record.department)
    if not (reason or "").strip():
        raise DomainError(_("请填写作废原因"), field="reason")
    row = Record.objects.select_for_update().get(pk=record.pk)
    if row.status == RecordStatus.VOIDED:
        return row
    row.status = RecordStatus.VOIDED
    row.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="record.void", obj=row, before={"status": RecordStatus.ACTIVE},
                 after={"status": RecordStatus.VOIDED}, note=reason.strip())
    return row


# --- the 待匹配 queue ----------------------------------------------------------------------------------------------


@transaction.atomic
def record_match(*, actor, record: Record, entity: Entity, reason: str = "") -> Record:
    """Attach a waiting record to an entity chosen by staff (e.g. the source system had a typo in the USCC)."""
    _require_writer(actor, record.department)
    row = Record.objects.select_for_update().get(pk=record.pk)
    if row.entity_id is not None:
        raise Conflict(_("该记录已关联市场主体"), field="entity")
    row.entity, row.match_status = entity, MatchStatus.MATCHED
    row.save(update_fields=["entity", "match_status", "updated_at"])
    audit.record(actor=actor, action="record.match", obj=row, before={"entity_id": None},
                 after={"entity_id": entity.pk, "uscc": entity.uscc, "record_uscc": row.uscc}, note=(reason or "").strip())
    return row


def _licence_from_pending(pending: PendingLicence, entity: Entity) -> Licence | None:
    data = dict(pending.data)
    data.pop("payload", None)
    for key in ("decided_on", "valid_from", "valid_to"):
        if isinstance(data.get(key), str):
            data[key] = dt.date.fromisoformat(data[key])
    licence = Licence.objects.filter(department_id=pending.department_id, document_no=pending.document_no).first()
    if licence is not None:
        return None
    allowed = {f.name for f in Licence._meta.concrete_fields}
    licence = Licence.objects.create(entity=entity, department_id=pending.department_id,
                                     **{k: v for k, v in data.items() if k in allowed and k not in ("entity", "department")})
    return licence


@transaction.atomic
def pending_licence_match(*, actor, pending: PendingLicence, entity: Entity) -> Licence | None:
    from jianguan.entities.services import notify_licences_recorded

    _require_writer(actor, pending.department)
    licence = _licence_from_pending(pending, entity)
    audit.record(actor=actor, action="licence.match", obj=pending, department_id=pending.department_id,
                 after={"entity_id": entity.pk, "document_no": pending.document_no})
    pending.delete()
    if licence is not None:
        notify_licences_recorded([licence.pk])
    return licence


def match_waiting(usccs: list[str]) -> int:
    """After new entities enter the registry: attach the records and licences that were waiting for their USCCs."""
    from jianguan.entities.services import notify_licences_recorded

    usccs = [u for u in usccs if u]
    if not usccs:
        return 0
    matched = 0
    with transaction.atomic():
        entities = dict(Entity.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
        for uscc, pk in entities.items():
            matched += Record.objects.filter(entity__isnull=True, uscc=uscc, match_status=MatchStatus.PENDING) \
                .update(entity_id=pk, match_status=MatchStatus.MATCHED, updated_at=timezone.now())
        created = []
        for pending in PendingLicence.objects.filter(uscc__in=list(entities)):
            licence = _licence_from_pending(pending, Entity(pk=entities[pending.uscc], uscc=pending.uscc))
            if licence is not None:
                created.append(licence.pk)
            pending.delete()
            matched += 1
        if matched:
            audit.record(actor=None, action="records.auto_match", object_type="records.record", object_id="",
                         object_repr=_("待匹配记录自动关联"), after={"usccs": usccs[:50], "matched": matched})
        notify_licences_recorded(created)
    return matched


# --- imports -------------------------------------------------------------------------------------------------------


def _uploads_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


MAX_IMPORT_BYTES = 512 * 1024 * 1024  # page and API uploads


@transaction.atomic
def import_job_create(*, actor, format: str, channel: str, file_name: str, source_path: Path | None = None,
                      upload=None, department=None, move: bool = False) -> ImportJob:
    """Register an import: the file is copied under var/imports/ so a background run can find it."""
    fmt = get_format(format)
    if actor is not None:
        if not actor.is_active or actor.role not in STAFF_ROLES:
            raise PermissionDeniedError(_("无权导入数据"))
        if department is None and not actor.is_owner:
            department = actor.department
        if department is not None and not actor.is_owner and department.pk not in own_department_ids(actor):
            raise PermissionDeniedError(_("只能为本部门导入数据"))
    if department is not None and department.parent_id and actor is not None and not actor.is_owner:
        department = department.parent  # records belong to the bureau, not to its 科室
    if channel not in JobChannel.values:
        raise DomainError(_("未知的导入方式"), field="channel")
    job = ImportJob.objects.create(format=fmt.key, channel=channel, file_name=(file_name or "upload")[:255], department=department,
                                   created_by=actor)
    suffix = Path(file_name or "").suffix.lower()[:6]
    target = _uploads_dir() / f"{job.pk}-source{suffix}"
    if target.is_symlink() or target.exists():
        target.unlink()  # left over from a database that was reset
    if upload is not None:
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    elif source_path is not None:
        if move:
            shutil.move(str(source_path), target)
        else:
            try:
                target.symlink_to(Path(source_path).resolve())
            except OSError:
                shutil.copyfile(source_path, target)
    size = target.stat().st_size
    if size > MAX_IMPORT_BYTES and channel != JobChannel.CLI:  # uploads are bounded; the command line streams any size
        target.unlink()
        raise DomainError(_("文件超过 %(n)d MB，请拆分后导入") % {"n": MAX_IMPORT_BYTES // 1024 // 1024}, field="file")
    job.file_path, job.file_size = str(target), size
    job.save(update_fields=["file_path", "file_size"])
    return job


def import_run(*, job_id: int, batch_size: int | None = None) -> ImportJob:
    """Run a queued import (claimed with a compare-and-set, so two workers never run the same job).

    Accepted rows land batch by batch; rejected rows go to the report; file-level problems (encoding, missing
    columns) stop the import before anything is written. One audit event records the whole import.
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=now,
                                                                                 heartbeat_at=now)
    job = ImportJob.objects.select_related("created_by", "department").get(pk=job_id)
    if not claimed:
        return job
    fmt = get_format(job.format)
    kwargs = {"batch_size": batch_size} if batch_size else {}
    importer = Importer(fmt=fmt, job=job, actor=job.created_by, default_department=job.department, **kwargs)
    error = ""
    try:
        source = open_source(Path(job.file_path), job.file_name)
        counts = importer.run(source)
    except FileProblem as exc:
        error, counts = str(exc), importer.counts
    except Exception as exc:  # a crash must end the job visibly, not leave it "running" forever
        log.exception("import %s failed", job_id)
        error, counts = _("导入中断：%(e)s") % {"e": str(exc)[:300]}, importer.counts
    notes = importer.notes
    status = JobStatus.FAILED if error else JobStatus.DONE
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, error=error, notes={"notes": notes, "errors": counts.errors}, finished_at=timezone.now(),
            rows=counts.rows, accepted=counts.accepted, inserted=counts.inserted, updated=counts.updated, voided=counts.voided,
            unchanged=counts.unchanged, rejected=counts.rejected, unmatched=counts.unmatched,
            processed_bytes=job.file_size, report_path=str(importer.report.path) if counts.rejected else "")
        job.refresh_from_db()
        audit.record(actor=job.created_by, action="records.import" if not error else "records.import_failed", obj=job,
                     department_id=job.department_id,
                     after={"format": job.format, "channel": job.channel, "file": job.file_name, "rows": counts.rows,
                            "accepted": counts.accepted, "inserted": counts.inserted, "updated": counts.updated,
                            "voided": counts.voided, "unchanged": counts.unchanged, "rejected": counts.rejected,
                            "unmatched": counts.unmatched},
                     note=error)
    return job


def import_start_background(job_id: int) -> None:
    """Run the import in a thread of this process after commit (the page polls its progress)."""
    def target():
        close_old_connections()
        try:
            import_run(job_id=job_id)
        finally:
            from django.db import connection

            connection.close()

    if getattr(settings, "JIANGUAN_IMPORT_INLINE", False):
        import_run(job_id=job_id)  # tests and single-process set-ups: the page shows the finished job
    else:
        transaction.on_commit(lambda: threading.Thread(target=target, name=f"import-{job_id}", daemon=True).start())


# A running import commits (and beats) at least every few seconds; one silent this long has lost its process.
STALE_AFTER = dt.timedelta(minutes=10)


def _interrupted_message() -> str:
    return _("导入未完成：处理该任务的进程已停止（例如服务重启）。已入库的批次保留；重新导入同一文件即可补齐，已入库的记录不会重复。")


def import_jobs_recover(*, pk: int | None = None, now: dt.datetime | None = None) -> int:
    """End the imports (all, or job `pk`) whose process stopped — running with no progress, or queued and never
    started, for STALE_AFTER — as failed with a message saying what to do, one audit event each. Returns how many.
    (Safe to call from any page: a compare-and-set per job, so a job that beats meanwhile is left alone.)"""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = Q(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff) | Q(status=JobStatus.RUNNING, heartbeat_at__isnull=True,
                                                                       started_at__lt=cutoff)
    stale |= Q(status=JobStatus.QUEUED, created_at__lt=cutoff)
    if pk is not None:
        stale &= Q(pk=pk)
    ended = 0
    for job in ImportJob.objects.filter(stale).select_related("created_by"):
        with transaction.atomic():
            claimed = ImportJob.objects.filter(stale, pk=job.pk).update(status=JobStatus.FAILED, error=_interrupted_message(),
                                                                       finished_at=now)
            if not claimed:
                continue
            ended += 1
            audit.record(actor=None, action="records.import_interrupted", obj=job, department_id=job.department_id,
                         before={"status": job.status, "rows": job.rows, "accepted": job.accepted},
                         after={"status": JobStatus.FAILED}, note=_interrupted_message())
    return ended


def import_job_status(*, actor, job_id: int) -> ImportJob:
    """The job as `actor` may see it, ended first if it is unfinished and its process has stopped (the job page and
    the API poll this while the import runs)."""
    from .selectors import job_get

    job = job_get(user=actor, pk=job_id)
    if not job.finished and import_jobs_recover(pk=job.pk):
        job = job_get(user=actor, pk=job_id)
    return job


def import_job_retry(*, actor, job_id: int) -> ImportJob:
    """A new job for the same stored file of a failed import (re-importing is idempotent: what landed stays once)."""
    from .selectors import job_get

    job = job_get(user=actor, pk=job_id)
    if job.status != JobStatus.FAILED:
        raise Conflict(_("只有未完成（失败）的导入任务可以重新导入"))
    path = Path(job.file_path) if job.file_path else None
    if path is None or not path.exists():
        raise DomainError(_("原文件已不在服务器上，请重新上传"), field="file")
    return import_job_create(actor=actor, format=job.format, channel=JobChannel.UI, file_name=job.file_name,
                             source_path=path, department=job.department)


def import_report_path(job: ImportJob) -> Path | None:
    path = Path(job.report_path) if job.report_path else None
    if path is None or not path.exists() or path.parent.resolve() != REPORTS_DIR.resolve():
        return None
    return path
