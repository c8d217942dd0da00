"""Writes of the task division: loading the seed's division, progress reports, attachments, 督办.

Rules enforced here:
- the division comes from data/task_division.json; every department it names must exist (a missing one is
  reported by name, nothing is loaded); “县直各部门” means every active bureau; loading is idempotent;
- a department reports only on measures it leads or is responsible for, for a period that has begun;
- attachments: limited size (runtime parameter duties.attachment_max_mb) and types, checked by content;
- only 协调办 (the owner role) issues and closes 督办, to a department assigned to the measure.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import audit, params
from jianguan.core.choices import DepartmentKind, Role
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import Department
from jianguan.core.scope import _department_tree, bureau_of

from .choices import AssignmentRole, AssignmentSource, ProgressStatus, UrgeStatus
from .models import Assignment, Measure, ProgressAttachment, ProgressReport, Target, Urge

DATA_PATH = Path(__file__).resolve().parent / "data" / "task_division.json"
PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")

params.register(params.ParamSpec("duties.attachment_max_mb", _lazy("进展附件大小上限"), "int", 10, _lazy("MB"),
                                 _lazy("平台存储与传输限制"), 1, 50, _lazy("任务分工")))

#: Extension → (content type, magic-byte prefixes that the file must start with).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".ofd": ("application/ofd", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".wps": ("application/vnd.ms-works", (b"\xd0\xcf\x11\xe0",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def load_division_data(path: Path | None = None) -> dict:
    return json.loads((path or DATA_PATH).read_text(encoding="utf-8"))


def _bureaus() -> list[Department]:
    return list(Department.objects.filter(parent__isnull=True, is_active=True, kind=DepartmentKind.BUREAU).order_by("sort_order", "pk"))


def _resolve_departments(names: dict[str, str]) -> dict[str, Department]:
    """The seed's department names → Department rows, by the mapped full name or by short name."""
    full = set(names.values())
    by_name = {d.name: d for d in Department.objects.filter(name__in=full)}
    out, missing = {}, []
    for seed_name, dept_name in names.items():
        dept = by_name.get(dept_name) or Department.objects.filter(short_name=seed_name.removeprefix("县")).first()
        if dept is None:
            missing.append(f"{seed_name}（{dept_name}）")
        else:
            out[seed_name] = dept
    if missing:
        raise DomainError(_("部门目录中没有以下部门，无法载入任务分工：%(m)s") % {"m": "、".join(missing)}, field="departments")
    return out


@transaction.atomic
def division_load(*, actor=None, data: dict | None = None) -> dict[str, int]:
    """Load (or top up) the seed's task division. Idempotent: existing targets and measures keep their ids,
    their text is brought in line with the data; assignments are added, never removed (协调办 may have
    adjusted them), and new bureaus join every “县直各部门” measure."""
    if actor is not None and not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以载入任务分工"))
    data = data or load_division_data()
    departments = _resolve_departments(data["departments"])
    for target in data["targets"]:
        for name in target["lead"] + target["responsible"]:
            if name not in departments:
                raise DomainError(_("任务分工数据中的部门“%(n)s”未在 departments 中对应") % {"n": name}, field="departments")
    bureaus = _bureaus()
    existing_targets = {t.no: t for t in Target.objects.all()}
    created_targets = created_measures = 0
    for t in data["targets"]:
        values = {"section_no": t["section_no"], "section_title": t["section_title"], "title": t["title"],
                  "seed_title": t.get("seed_title", ""), "responsible_all": bool(t["responsible_all"])}
        row = existing_targets.get(t["no"])
        if row is None:
            row = Target.objects.create(no=t["no"], **values)
            existing_targets[t["no"]] = row
            created_targets += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            Target.objects.filter(pk=row.pk).update(**values)
    measures = {(m.target_id, m.no): m for m in Measure.objects.all()}
    new_measures = []
    for t in data["targets"]:
        target = existing_targets[t["no"]]
        for m in t["measures"]:
            row = measures.get((target.pk, m["no"]))
            if row is None:
                new_measures.append(Measure(target=target, no=m["no"], text=m["text"]))
            elif row.text != m["text"]:
                Measure.objects.filter(pk=row.pk).update(text=m["text"])
    Measure.objects.bulk_create(new_measures)
    created_measures = len(new_measures)
    measures = {(m.target_id, m.no): m for m in Measure.objects.all()}
    wanted: list[Assignment] = []
    for t in data["targets"]:
        target = existing_targets[t["no"]]
        lead = [departments[n] for n in t["lead"]]
        named = [departments[n] for n in t["responsible"]]
        lead_ids = {d.pk for d in lead}
        for m in t["measures"]:
            measure = measures[(target.pk, m["no"])]
            seen = set()
            for dept in lead:
                wanted.append(Assignment(measure=measure, department=dept, role=AssignmentRole.LEAD, source=AssignmentSource.NAMED))
                seen.add(dept.pk)
            for dept in named:
                if dept.pk not in seen:
                    wanted.append(Assignment(measure=measure, department=dept, role=AssignmentRole.RESPONSIBLE, source=AssignmentSource.NAMED))
                    seen.add(dept.pk)
            if t["responsible_all"]:
                for dept in bureaus:
                    if dept.pk not in seen and dept.pk not in lead_ids:
                        wanted.append(Assignment(measure=measure, department=dept, role=AssignmentRole.RESPONSIBLE,
                                                 source=AssignmentSource.ALL_BUREAUS))
                        seen.add(dept.pk)
    before = Assignment.objects.count()
    Assignment.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=1000)
    created_assignments = Assignment.objects.count() - before
    result = {"targets": created_targets, "measures": created_measures, "assignments": created_assignments}
    if any(result.values()):
        audit.record(actor=actor, action="duties.division.load", object_type="duties.target", object_id="all",
                     object_repr=_("任务分工"), department_id=None, after=result)
    return result


# --- periods ------------------------------------------------------------------------------------------------------


def period_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    m = PERIOD_RE.match(period or "")
    if not m:
        raise DomainError(_("报告期格式应为“年份-Q季度”，如 2026-Q3"), field="period")
    year, quarter = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return start, end


def previous_period(period: str) -> str:
    start, _end = period_bounds(period)
    return period_of(start - dt.timedelta(days=1))


# --- progress ------------------------------------------------------------------------------------------------------

REPORTER_ROLES = {Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER}


def _reporting_department(actor) -> Department:
    if actor is None or not actor.is_active or actor.role not in REPORTER_ROLES or actor.department_id is None:
        raise PermissionDeniedError(_("只有部门负责人或部门管理员可以报送进展"))
    parent_of, _children = _department_tree()
    return Department.objects.get(pk=bureau_of(actor.department_id, parent_of))


@transaction.atomic
def progress_report(*, actor, measure: Measure, period: str, status: str, text: str) -> tuple[ProgressReport, bool]:
    """Report the department's progress on a measure for a period; returns (report, created).

    Refused for a measure the department neither leads nor is responsible for (任务分工 as loaded).
    """
    department = _reporting_department(actor)
    assignment = Assignment.objects.filter(measure=measure, department=department).first()
    if assignment is None:
        raise PermissionDeniedError(_("%(d)s不是任务措施 %(m)s 的牵头单位或责任单位，不能报送该措施的进展")
                                    % {"d": department, "m": measure.code})
    start, _end = period_bounds(period)
    if start > timezone.localdate():
        raise DomainError(_("报告期 %(p)s 尚未开始") % {"p": period}, field="period")
    if status not in ProgressStatus.values:
        raise DomainError(_("请选择进展状态"), field="status")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写进展情况"), field="text")
    row = ProgressReport.objects.select_for_update().filter(measure=measure, department=department, period=period).first()
    now = timezone.now()
    if row is None:
        row = ProgressReport.objects.create(measure=measure, department=department, period=period, status=status, text=text,
                                            reported_by=actor, reported_at=now)
        audit.record(actor=actor, action="duties.progress.report", obj=row, department_id=department.pk,
                     after={"measure": measure.code, "period": period, "status": status, "text": text})
        return row, True
    before = {"status": row.status, "text": row.text}
    row.status, row.text, row.reported_by, row.reported_at = status, text, actor, now
    row.save(update_fields=["status", "text", "reported_by", "reported_at"])
    audit.record(actor=actor, action="duties.progress.update", obj=row, department_id=department.pk, before=before,
                 after={"status": status, "text": text})
    return row, False


def _sniff(ext: str, head: bytes) -> str:
    content_type, magics = ALLOWED_TYPES[ext]
    if not any(head.startswith(m) for m in magics):
        raise DomainError(_("文件内容与扩展名 %(e)s 不符，请上传真实的 PDF、OFD、Word、Excel 或图片文件") % {"e": ext}, field="file")
    return content_type


@transaction.atomic
def attachment_add(*, actor, report: ProgressReport, uploaded) -> ProgressAttachment:
    """Attach a file to a report of the actor's own department (size and type limits, content checked)."""
    department = _reporting_department(actor)
    if report.department_id != department.pk:
        raise PermissionDeniedError(_("只能为本部门的进展报告上传附件"))
    name = Path(getattr(uploaded, "name", "") or "").name[:200]
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED_TYPES:
        raise DomainError(_("不支持的文件类型“%(e)s”，允许：%(a)s") % {"e": ext or "—", "a": "、".join(sorted(ALLOWED_TYPES))}, field="file")
    limit = int(params.get("duties.attachment_max_mb")) * 1024 * 1024
    size = getattr(uploaded, "size", None)
    if size is None or size > limit:
        raise DomainError(_("文件超过大小上限 %(n)d MB") % {"n": limit // (1024 * 1024)}, field="file")
    if size == 0:
        raise DomainError(_("文件为空"), field="file")
    digest = hashlib.sha256()
    head = b""
    chunks = []
    for chunk in uploaded.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
        chunks.append(chunk)
    content_type = _sniff(ext, head)
    stored = f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"
    row = ProgressAttachment(report=report, department=department, stored_name=stored, original_name=name,
                             content_type=content_type, size=size, sha256=digest.hexdigest(), uploaded_by=actor)
    row.file.save(stored, ContentFile(b"".join(chunks)), save=False)
    try:
        row.save()
        audit.record(actor=actor, action="duties.attachment.add", obj=row, department_id=department.pk,
                     after={"report": report.pk, "name": name, "size": size, "sha256": row.sha256})
    except Exception:
        row.file.delete(save=False)  # the row will not exist: leave no orphan file behind
        raise
    return row


# --- 督办 ---------------------------------------------------------------------------------------------------------------


@transaction.atomic
def urge_issue(*, actor, measure: Measure, department: Department, content: str, deadline: dt.date) -> Urge:
    if actor is None or not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以督办"))
    if not Assignment.objects.filter(measure=measure, department=department).exists():
        raise DomainError(_("%(d)s不是任务措施 %(m)s 的牵头单位或责任单位") % {"d": department, "m": measure.code}, field="department")
    if deadline <= timezone.localdate():
        raise DomainError(_("办理期限应晚于今天"), field="deadline")
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写督办事项"), field="content")
    row = Urge.objects.create(measure=measure, department=department, content=content, deadline=deadline, issued_by=actor)
    audit.record(actor=actor, action="duties.urge.issue", obj=row, department_id=department.pk,
                 after={"measure": measure.code, "deadline": deadline.isoformat(), "content": content})
    return row


@transaction.atomic
def urge_respond(*, actor, urge: Urge, response: str) -> Urge:
    row = Urge.objects.select_for_update().get(pk=urge.pk)
    department = _reporting_department(actor)
    if row.department_id != department.pk:
        raise PermissionDeniedError(_("该督办事项由%(d)s办理") % {"d": row.department})
    if row.status == UrgeStatus.CLOSED:
        raise Conflict(_("该督办事项已办结"), field="status")
    response = (response or "").strip()
    if not response:
        raise DomainError(_("请填写办理情况"), field="response")
    before = {"status": row.status, "response": row.response}
    row.status, row.response, row.responded_at, row.responded_by = UrgeStatus.ANSWERED, response, timezone.now(), actor
    row.save(update_fields=["status", "response", "responded_at", "responded_by"])
    audit.record(actor=actor, action="duties.urge.respond", obj=row, department_id=row.department_id, before=before,
                 after={"status": row.status, "response": response})
    return row


@transaction.atomic
def urge_close(*, actor, urge: Urge, note: str = "") -> Urge:
    if actor is None or not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以办结督办"))
    row = Urge.objects.select_for_update().get(pk=urge.pk)
    if row.status == UrgeStatus.CLOSED:
        return row
    if row.status == UrgeStatus.OPEN and not (note or "").strip():
        raise DomainError(_("部门尚未反馈，办结须填写意见"), field="close_note")
    before = {"status": row.status}
    row.status, row.closed_at, row.close_note = UrgeStatus.CLOSED, timezone.now(), (note or "").strip()[:500]
    row.save(update_fields=["status", "closed_at", "close_note"])
    audit.record(actor=actor, action="duties.urge.close", obj=row, department_id=row.department_id, before=before,
                 after={"status": row.status}, note=row.close_note)
    return row
