"""Check results on a phone, photos, publication into the aggregation store, corrections after publication.

谁检查、谁录入、谁公开: an inspector assigned to the object (or a manager of the task's department) enters and
publishes the result. Results are due for publication within 20 working days of the check
(deadline.inspection_result_publicity, computed by the one calendar service). A published result becomes a 行政检查
record in the aggregation store (records app), which credit grading reads; changing it afterwards needs a
correction with a reason, which voids that record and publishes a corrected one.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.catalog import selectors as catalog_selectors
from jianguan.core import audit, workdays
from jianguan.core.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from jianguan.core.scope import own_department_ids
from jianguan.records import services as record_services
from jianguan.records.choices import RecordKind

from ..choices import PROBLEM_CODES, RESULT_CODES, Answer, FollowUp, ObjectStatus, VisitStatus
from ..models import CaseReferral, CheckResult, ResultCorrection, ResultPhoto, TaskObject
from ._common import is_manager, today

PUBLICITY_RULE = "deadline.inspection_result_publicity"
RESULT_FIELDS = ["checked_on", "result_code", "answers", "summary", "follow_up", "correct_by", "follow_up_note"]
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}


def is_assigned(user, task_object: TaskObject) -> bool:
    return user is not None and task_object.assignments.filter(active=True, inspector__user=user).exists()


def require_checker(actor, task_object: TaskObject) -> None:
    """An inspector assigned to the object, or a manager of its task's department (or the system)."""
    if actor is None or is_assigned(actor, task_object) or is_manager(actor, task_object.task.department):
        return
    raise PermissionDeniedError(_("只有分派到该对象的执法人员或本部门负责人可以录入检查结果"))


def object_in_task(task, uscc: str) -> TaskObject:
    """The drawn object of the task's current draw for this USCC; anything else is refused by name."""
    obj = TaskObject.objects.select_related("task", "draw").filter(task=task, uscc=(uscc or "").strip().upper()).first()
    if obj is None:
        raise DomainError(_("%(u)s 不是任务 %(t)s 抽中的检查对象，不能录入结果") % {"u": uscc, "t": task.code}, field="uscc")
    return obj


def checklist(task_object: TaskObject) -> list:
    """The check points an inspector answers for this object: its task items' active implementation lists."""
    return catalog_selectors.checklists_for_items(task_object.task.items.values_list("id", flat=True))


def _answers(task_object: TaskObject, answers: dict) -> list[dict]:
    """Every check point answered 符合/不符合/不涉及 (a note is required for 不符合)."""
    out = []
    points = [p for impl in checklist(task_object) for p in impl.check_points.all()]
    for p in points:
        raw = answers.get(str(p.pk)) or answers.get(p.pk) or {}
        value = raw.get("answer") if isinstance(raw, dict) else raw
        note = (raw.get("note") if isinstance(raw, dict) else "") or ""
        if value not in Answer.values:
            raise DomainError(_("检查要点“%(p)s”尚未作出结论（符合/不符合/不涉及）") % {"p": p.content}, field=f"point_{p.pk}")
        if value == Answer.NONCONFORM and not note.strip():
            raise DomainError(_("检查要点“%(p)s”不符合，请写明存在的问题") % {"p": p.content}, field=f"point_{p.pk}")
        out.append({"point": p.pk, "content": p.content, "answer": value, "note": note.strip()[:500]})
    unknown = {str(k) for k in answers} - {str(p.pk) for p in points}
    if unknown:
        raise DomainError(_("检查要点 %(v)s 不属于本任务的检查细则") % {"v": "、".join(sorted(unknown))}, field="answers")
    return out


def _validate(task_object: TaskObject, data: dict) -> dict:
    task = task_object.task
    checked_on = data.get("checked_on")
    if not isinstance(checked_on, dt.date):
        raise DomainError(_("请填写检查日期"), field="checked_on")
    if checked_on > today():
        raise DomainError(_("检查日期不能晚于今天"), field="checked_on")
    if checked_on < task.period_start:
        raise DomainError(_("检查日期不能早于任务开始日期 %(d)s") % {"d": task.period_start}, field="checked_on")
    if checked_on > task.period_end:
        raise DomainError(_("检查日期不能晚于任务结束日期 %(d)s") % {"d": task.period_end}, field="checked_on")
    code = str(data.get("result_code") or "").strip().upper()
    if code not in RESULT_CODES:
        raise DomainError(_("检查结果代码“%(v)s”不正确，应为国家“互联网+监管”检查结果代码之一") % {"v": code}, field="result_code")
    answers = _answers(task_object, data.get("answers") or {})
    nonconform = [a for a in answers if a["answer"] == Answer.NONCONFORM]
    if nonconform and code in ("1", "F"):
        raise DomainError(_("有%(n)d个检查要点不符合，检查结果不能为“%(r)s”") % {"n": len(nonconform), "r": RESULT_CODES[code]},
                          field="result_code")
    follow_up = data.get("follow_up") or FollowUp.NONE
    if follow_up not in FollowUp.values:
        raise DomainError(_("后续处置方式不正确"), field="follow_up")
    if code in PROBLEM_CODES and follow_up == FollowUp.NONE:
        raise DomainError(_("检查结果为“%(r)s”，请选择后续处置：责令限期改正、记录在案或移送案件办理") % {"r": RESULT_CODES[code]},
                          field="follow_up")
    correct_by = data.get("correct_by")
    if follow_up == FollowUp.ORDER:
        if not isinstance(correct_by, dt.date):
            raise DomainError(_("责令限期改正须填写整改期限"), field="correct_by")
        if correct_by <= checked_on:
            raise DomainError(_("整改期限应晚于检查日期"), field="correct_by")
    else:
        correct_by = None
    note = (data.get("follow_up_note") or "").strip()
    if follow_up == FollowUp.REFERRAL and not note:
        raise DomainError(_("移送案件办理须写明移送事由"), field="follow_up_note")
    return {"checked_on": checked_on, "result_code": code, "answers": answers, "summary": (data.get("summary") or "").strip(),
            "follow_up": follow_up, "correct_by": correct_by, "follow_up_note": note[:500]}


def _inspector_names(task_object: TaskObject) -> list[dict]:
    return [{"name": a.inspector.user.display_name, "cert_no": a.inspector.code}
            for a in task_object.assignments.filter(active=True).select_related("inspector__user")]


@transaction.atomic
def result_save(*, actor, task_object: TaskObject, data: dict) -> CheckResult:
    """Enter (or, before publication, revise) the result of checking one drawn object."""
    task_object = TaskObject.objects.select_for_update().select_related("task").get(pk=task_object.pk)
    require_checker(actor, task_object)
    existing = CheckResult.objects.filter(task_object=task_object).first()
    if existing is not None and existing.published_at is not None:
        raise Conflict(_("检查结果已公示，修改须提交更正记录并说明原因"))
    clean = _validate(task_object, data)
    due = workdays.deadline(PUBLICITY_RULE, clean["checked_on"]).due
    before = audit.snapshot(existing, RESULT_FIELDS) if existing else None
    result = existing or CheckResult(task_object=task_object, department_id=task_object.department_id, uscc=task_object.uscc)
    for key, value in clean.items():
        setattr(result, key, value)
    result.publish_due = due
    result.inspectors = _inspector_names(task_object)
    result.entered_by = actor
    result.save()
    _sync_referral(actor, result)
    task_object.status = ObjectStatus.CHECKED
    task_object.save(update_fields=["status"])
    audit.record(actor=actor, action="inspections.result_save", obj=result, object_repr=f"{task_object.task.code} {task_object.uscc}",
                 before=before, after={**audit.snapshot(result, RESULT_FIELDS), "publish_due": str(due)})
    return result


def _sync_referral(actor, result: CheckResult) -> None:
    """A result whose follow-up is 移送案件办理 has its pending referral; any other follow-up withdraws a pending one."""
    if result.follow_up == FollowUp.REFERRAL:
        CaseReferral.objects.update_or_create(result=result, defaults={
            "department_id": result.department_id, "uscc": result.uscc, "reason": result.follow_up_note,
            "created_by": actor})
    else:
        CaseReferral.objects.filter(result=result, status="pending").delete()


@transaction.atomic
def photo_add(*, actor, result: CheckResult, upload, caption: str = "") -> ResultPhoto:
    result = CheckResult.objects.select_for_update().select_related("task_object__task").get(pk=result.pk)
    require_checker(actor, result.task_object)
    if result.published_at is not None:
        raise Conflict(_("检查结果已公示，不能再添加照片"))
    if upload is None:
        raise DomainError(_("请选择照片"), field="photo")
    if upload.size > MAX_PHOTO_BYTES:
        raise DomainError(_("照片不能超过10MB"), field="photo")
    if getattr(upload, "content_type", "") not in PHOTO_TYPES:
        raise DomainError(_("只能上传 JPEG、PNG、WebP 或 HEIC 格式的照片"), field="photo")
    photo = ResultPhoto(result=result, caption=(caption or "")[:200], uploaded_by=actor)
    photo.file.save(upload.name[-80:], upload, save=False)
    photo.save()
    audit.record(actor=actor, action="inspections.photo_add", obj=photo, department_id=result.department_id,
                 object_repr=upload.name[:100], after={"result": result.pk, "size": upload.size})
    return photo


def _record_payload(result: CheckResult, reported_at: dt.datetime) -> tuple[dict, str]:
    obj = result.task_object
    task = obj.task
    items = list(task.items.order_by("code"))
    lists = catalog_selectors.checklists_for_items([i.pk for i in items])
    department = task.department
    from ..choices import RESULT_CODES as LABELS  # noqa: N811

    checked_at = timezone.make_aware(dt.datetime.combine(result.checked_on, dt.time(9, 0)))
    payload = {
        "plan_id": task.code, "item_code": items[0].code, "checklist_code": lists[0].code if lists else "",
        "act_name": task.name, "act_no": f"{task.code}-{obj.uscc}",
        "agency": department.name, "agency_code": department.uscc or "",
        "object_type": obj.entity.get_kind_display(),
        "form": "联合检查" if obj.visit and obj.visit.task_objects.exclude(task_id=task.pk).exists() or task.participants.exists()
        else "单独检查",
        "category": "双随机抽查", "method": {"onsite": "现场检查", "written": "书面检查", "online": "网络检查"}.get(task.method, "其他"),
        "result": result.result_code, "checked_at": checked_at.isoformat(),
        "inspectors": [p["name"] for p in result.inspectors], "cert_nos": [p["cert_no"] for p in result.inspectors],
        "reported_at": reported_at.isoformat(),
    }
    return payload, f"{task.name}：{LABELS[result.result_code]}"


def _publish_record(actor, result: CheckResult, suffix: str = ""):
    obj = result.task_object
    now = timezone.now()
    payload, title = _record_payload(result, now)
    department = obj.task.department
    record_actor = actor if actor is None or actor.is_owner or department.pk in own_department_ids(actor) else None
    return record_services.record_create(
        actor=record_actor, kind=RecordKind.INSPECTION, department=department, uscc=obj.uscc, party_name=obj.entity.name,
        title=title, payload=payload, occurred_on=result.checked_on, summary=result.summary,
        source_system="jianguan.inspections", source_id=f"{obj.task.code}:{obj.uscc}{suffix}", disclose=True)


@transaction.atomic
def result_publish(*, actor, result: CheckResult) -> CheckResult:
    """Publish a result (一公开): it appears on the task's public page and becomes a 行政检查 record of the entity."""
    # of=self: the visit is a nullable (outer) join, which PostgreSQL cannot lock FOR UPDATE.
    result = (CheckResult.objects.select_for_update(of=("self",))
              .select_related("task_object__task__department", "task_object__entity", "task_object__visit").get(pk=result.pk))
    require_checker(actor, result.task_object)
    if result.published_at is not None:
        raise Conflict(_("该检查结果已公示"))
    result.record = _publish_record(actor, result)
    result.published_at = timezone.now()
    result.save(update_fields=["record", "published_at"])
    obj = result.task_object
    obj.status = ObjectStatus.PUBLISHED
    obj.save(update_fields=["status"])
    _close_if_done(obj)
    late = timezone.localdate() > result.publish_due
    audit.record(actor=actor, action="inspections.result_publish", obj=result, object_repr=f"{obj.task.code} {obj.uscc}",
                 after={"record": result.record_id, "publish_due": str(result.publish_due), "late": late})
    return result


def _close_if_done(obj: TaskObject) -> None:
    from ..choices import TaskStatus

    if obj.visit_id and not obj.visit.task_objects.exclude(status=ObjectStatus.PUBLISHED).exists():
        obj.visit.status = VisitStatus.DONE
        obj.visit.save(update_fields=["status"])
    task = obj.task
    if not TaskObject.objects.filter(task=task, draw=obj.draw).exclude(status=ObjectStatus.PUBLISHED).exists():
        task.status = TaskStatus.COMPLETED
        task.save(update_fields=["status"])


@transaction.atomic
def result_correct(*, actor, result: CheckResult, data: dict, reason: str) -> CheckResult:
    """Change a published result: a leader or administrator of the department states why; the correction is kept, the
    published record is voided and the corrected one published in its place."""
    result = CheckResult.objects.select_for_update().select_related("task_object__task__department").get(pk=result.pk)
    obj = result.task_object
    if actor is not None and not is_manager(actor, obj.task.department):
        raise PermissionDeniedError(_("只有部门负责人或部门管理员可以更正已公示的检查结果"))
    if result.published_at is None:
        raise Conflict(_("检查结果尚未公示，可直接修改，无需更正"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写更正原因"), field="reason")
    clean = _validate(obj, data)
    before = audit.snapshot(result, RESULT_FIELDS)
    for key, value in clean.items():
        setattr(result, key, value)
    n = result.corrections.count() + 1
    if result.record_id:
        record_services.record_void(actor=None, record=result.record, reason=_("检查结果更正：%(r)s") % {"r": reason})
    result.record = _publish_record(actor, result, suffix=f":更正{n}")
    result.save()
    _sync_referral(actor, result)
    ResultCorrection.objects.create(result=result, before=before, after=audit.snapshot(result, RESULT_FIELDS), reason=reason,
                                    created_by=actor)
    audit.record(actor=actor, action="inspections.result_correct", obj=result, before=before,
                 after=audit.snapshot(result, RESULT_FIELDS), note=reason)
    return result


def result_for(task, uscc: str) -> CheckResult:
    obj = object_in_task(task, uscc)
    try:
        return obj.result
    except CheckResult.DoesNotExist:
        raise NotFound() from None
