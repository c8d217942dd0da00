"""审管衔接 writes: routes, supervision notices (告知 → 签收 → 结果反馈), filing verification (核查).

任务分工 一(二)1: 审批和监管部门要建立信息双向沟通机制 — every licence reaches its competent supervising
department as a notice that must be signed for within `deadline.supervision_notice_sign` working days; the
department's result is written back beside the licence for the approval bureau to see.
任务分工 一(二)5: for 审批改备案 items every filing becomes a verification task (核查), and entities carrying on
the activity without a filing are listed for the department to check.

Notices and tasks are created set-based — one INSERT … SELECT per route or matter (catalog/sqlinsert.py) —
from the entities hooks once per batch and from the `catalog_sync` command for anything a hook missed;
overdue flags are one UPDATE each.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    TextField,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit, workdays
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import Department
from jianguan.core.scope import own_department_ids
from jianguan.entities.models import Filing

from .. import queries
from ..choices import NoticeStatus, SupervisionResult, VerificationKind, VerificationStatus
from ..deadlines import FILING_VERIFICATION, NOTICE_SIGN
from ..models import ApprovalRoute, FilingMatter, SupervisionItem, SupervisionNotice, VerificationTask
from ..sqlinsert import insert_from_select
from ._common import full_clean, require_active_staff, require_editor, require_owner


def _const(value, field):
    """A constant column of the INSERT … SELECT, typed so the database adapts dates, booleans and NULLs."""
    return Value(value, output_field=field)


def _id_chunks(ids: list[int], size: int = 1000) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _batch_event(*, actor, action: str, object_type: str, label: str, ids: list[int], extra: dict | None = None) -> None:
    audit.record(actor=actor, action=action, object_type=object_type, object_id="batch" if len(ids) != 1 else ids[0],
                 object_repr=label, department_id=None,
                 after={"count": len(ids), "ids": ids[:200], **(extra or {})})


# --- routes -----------------------------------------------------------------------------------------------------

ROUTE_FIELDS = ["matter", "keyword", "approval_department", "supervising_department", "item", "priority", "is_active", "note"]


def _check_route(route: ApprovalRoute) -> None:
    if not route.keyword.strip():
        raise DomainError(_("请填写匹配关键词"), field="keyword")
    if route.supervising_department.parent_id is not None:
        raise DomainError(_("监管部门应为县直部门"), field="supervising_department")
    if route.item_id and route.item.department_id != route.supervising_department_id:
        raise DomainError(_("监管事项“%(i)s”不属于%(d)s") % {"i": route.item.name, "d": route.supervising_department},
                          field="item")


@transaction.atomic
def route_create(*, actor, matter: str, keyword: str, supervising_department: Department, **fields: Any) -> ApprovalRoute:
    """协调办 maintains which department supervises which approval matter (一枚印章管审批后的审管分离)."""
    require_owner(actor)
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    route = ApprovalRoute(matter=(matter or "").strip(), keyword=(keyword or "").strip(), supervising_department=supervising_department, **fields)
    _check_route(route)
    if ApprovalRoute.objects.filter(keyword=route.keyword, supervising_department=supervising_department).exists():
        raise Conflict(_("关键词“%(k)s”已路由至%(d)s") % {"k": route.keyword, "d": supervising_department}, field="keyword")
    full_clean(route)
    route.save()
    audit.record(actor=actor, action="catalog.route.create", obj=route, department_id=supervising_department.pk, after=audit.snapshot(route))
    return route


@transaction.atomic
def route_update(*, actor, route: ApprovalRoute, data: dict[str, Any]) -> ApprovalRoute:
    require_owner(actor)
    row = ApprovalRoute.objects.select_for_update().get(pk=route.pk)
    unknown = set(data) - set(ROUTE_FIELDS)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    before = audit.snapshot(row)
    for k, v in data.items():
        setattr(row, k, v.strip() if isinstance(v, str) else v)
    _check_route(row)
    full_clean(row)
    row.save()
    audit.record(actor=actor, action="catalog.route.update", obj=row, department_id=row.supervising_department_id,
                 before=before, after=audit.snapshot(row))
    return row


# --- notices ------------------------------------------------------------------------------------------------------


@transaction.atomic
def notices_create(*, licence_ids: Iterable[int] | None = None, actor=None, on: dt.date | None = None) -> int:
    """Create the supervision notices that licences call for; `licence_ids` None means every licence lacking one.

    Idempotent: a licence gets at most one notice per supervising department, however often this runs.
    Returns the number of notices created.
    """
    on = on or timezone.localdate()
    due = workdays.deadline(NOTICE_SIGN, on).due
    routes = list(ApprovalRoute.objects.filter(is_active=True).order_by("priority", "id"))
    created: list[int] = []
    now = timezone.now()
    id_batches: Iterable[list[int] | None] = [None] if licence_ids is None else _id_chunks(sorted(set(licence_ids)))
    for ids in id_batches:
        for route in routes:
            qs = queries.licences_lacking_notice(route)
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            # one INSERT … SELECT per route: the licences it matches that have no notice from its department yet
            created += insert_from_select(SupervisionNotice, {
                "licence": F("pk"), "route": _const(route.pk, BigIntegerField()), "item": _const(route.item_id, BigIntegerField()),
                "approval_department": F("department_id"),
                "supervising_department": _const(route.supervising_department_id, BigIntegerField()),
                "issued_on": _const(on, DateField()), "due_on": _const(due, DateField()),
                "status": _const(NoticeStatus.PENDING, CharField()), "signed_late": _const(False, BooleanField()),
                "result": _const("", CharField()), "result_note": _const("", TextField()), "created_at": _const(now, DateTimeField()),
            }, qs)
    if created:
        _batch_event(actor=actor, action="catalog.notice.create", object_type="catalog.supervisionnotice",
                     label=_("监管告知 %(n)d 件") % {"n": len(created)}, ids=created, extra={"issued_on": on.isoformat(), "due_on": due.isoformat()})
    return len(created)


def on_licences_recorded(ids: list[int]) -> None:
    """Hook registered with the entities app: runs after the licences' own transaction has committed."""
    notices_create(licence_ids=ids)


@transaction.atomic
def notice_sign(*, actor, notice: SupervisionNotice) -> SupervisionNotice:
    """签收: only the competent supervising department signs; a late signature is recorded as late."""
    row = SupervisionNotice.objects.select_for_update(of=("self",)).select_related("supervising_department").get(pk=notice.pk)
    require_active_staff(actor)
    if row.supervising_department_id not in own_department_ids(actor):
        raise PermissionDeniedError(_("该监管告知应由%(d)s签收，您所在部门不能签收") % {"d": row.supervising_department})
    if row.status != NoticeStatus.PENDING:
        raise Conflict(_("该监管告知已于 %(t)s 签收") % {"t": timezone.localtime(row.signed_at).strftime("%Y-%m-%d %H:%M")}, field="status")
    today = timezone.localdate()
    row.status, row.signed_at, row.signed_by, row.signed_late = NoticeStatus.SIGNED, timezone.now(), actor, today > row.due_on
    row.save(update_fields=["status", "signed_at", "signed_by", "signed_late"])
    audit.record(actor=actor, action="catalog.notice.sign", obj=row, department_id=row.supervising_department_id,
                 before={"status": NoticeStatus.PENDING}, after={"status": row.status, "signed_late": row.signed_late})
    return row


@transaction.atomic
def notice_feedback(*, actor, notice: SupervisionNotice, result: str, note: str = "") -> SupervisionNotice:
    """The supervising department's result, written beside the licence for the approval bureau (信息双向沟通)."""
    row = SupervisionNotice.objects.select_for_update(of=("self",)).select_related("supervising_department").get(pk=notice.pk)
    require_active_staff(actor)
    if row.supervising_department_id not in own_department_ids(actor):
        raise PermissionDeniedError(_("监管结果应由%(d)s反馈") % {"d": row.supervising_department})
    if row.status == NoticeStatus.PENDING:
        raise DomainError(_("请先签收该监管告知，再反馈监管结果"), field="status")
    if result not in SupervisionResult.values:
        raise DomainError(_("请选择监管结果"), field="result")
    note = (note or "").strip()
    if result != SupervisionResult.NO_PROBLEM and not note:
        raise DomainError(_("发现问题或未能检查时须填写结果说明"), field="result_note")
    before = {"status": row.status, "result": row.result, "result_note": row.result_note}
    row.status, row.result, row.result_note = NoticeStatus.FED_BACK, result, note
    row.result_at, row.result_by = timezone.now(), actor
    row.save(update_fields=["status", "result", "result_note", "result_at", "result_by"])
    audit.record(actor=actor, action="catalog.notice.feedback", obj=row, department_id=row.supervising_department_id,
                 before=before, after={"status": row.status, "result": result, "result_note": note})
    return row


@transaction.atomic
def overdue_flag(*, on: dt.date | None = None, actor=None) -> dict[str, int]:
    """Flag notices not signed and verification tasks not done by their due date (one UPDATE each).

    The scheduler calls this daily (`catalog_scan`); list pages and home sections show the flags to both
    sides. Returns how many of each were newly flagged.
    """
    on = on or timezone.localdate()
    notices = (SupervisionNotice.objects.filter(status=NoticeStatus.PENDING, due_on__lt=on, overdue_flagged_on__isnull=True)
               .update(overdue_flagged_on=on))
    tasks = (VerificationTask.objects.filter(status=VerificationStatus.PENDING, due_on__lt=on, overdue_flagged_on__isnull=True)
             .update(overdue_flagged_on=on))
    if notices or tasks:
        audit.record(actor=actor, action="catalog.overdue.flag", object_type="catalog.supervisionnotice", object_id="batch",
                     object_repr=_("逾期标记 %(d)s") % {"d": on.isoformat()}, department_id=None,
                     after={"notices": notices, "verification_tasks": tasks, "on": on.isoformat()})
    return {"notices": notices, "verification_tasks": tasks}


# --- 审批改备案: filing matters and verification tasks ---------------------------------------------------------------

MATTER_FIELDS = ["name", "keyword", "item", "industry_codes", "licence_keywords", "is_active", "note"]


def _check_matter(matter: FilingMatter) -> None:
    if not matter.keyword.strip():
        raise DomainError(_("请填写匹配关键词"), field="keyword")
    if matter.item_id:
        item: SupervisionItem = matter.item
        if item.department_id != matter.department_id:
            raise DomainError(_("监管事项“%(i)s”不属于%(d)s") % {"i": item.name, "d": matter.department}, field="item")
        if not item.approval_to_filing:
            raise DomainError(_("监管事项“%(i)s”未标记为审批改备案事项") % {"i": item.name}, field="item")
    for code in matter.industry_code_list:
        if not (1 <= len(code) <= 5 and code[0].isalpha() and code[1:].isdigit()):
            raise DomainError(_("行业代码“%(c)s”格式不正确（GB/T 4754-2017：门类字母加数字，如 F5274）") % {"c": code}, field="industry_codes")


@transaction.atomic
def filing_matter_create(*, actor, department: Department, name: str, keyword: str, **fields: Any) -> FilingMatter:
    require_editor(actor, department)
    unknown = set(fields) - set(MATTER_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    matter = FilingMatter(department=department, name=(name or "").strip(), keyword=(keyword or "").strip(),
                          **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    matter.industry_codes = ",".join(matter.industry_code_list)
    _check_matter(matter)
    if FilingMatter.objects.filter(keyword=matter.keyword, department=department).exists():
        raise Conflict(_("本部门已有关键词为“%(k)s”的备案事项") % {"k": matter.keyword}, field="keyword")
    full_clean(matter)
    matter.save()
    audit.record(actor=actor, action="catalog.filing_matter.create", obj=matter, after=audit.snapshot(matter))
    return matter


@transaction.atomic
def filing_matter_update(*, actor, matter: FilingMatter, data: dict[str, Any]) -> FilingMatter:
    row = FilingMatter.objects.select_for_update().get(pk=matter.pk)
    require_editor(actor, row.department)
    unknown = set(data) - set(MATTER_FIELDS)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    before = audit.snapshot(row)
    for k, v in data.items():
        setattr(row, k, v.strip() if isinstance(v, str) else v)
    row.industry_codes = ",".join(row.industry_code_list)
    _check_matter(row)
    full_clean(row)
    row.save()
    audit.record(actor=actor, action="catalog.filing_matter.update", obj=row, before=before, after=audit.snapshot(row))
    return row


@transaction.atomic
def verifications_create(*, filing_ids: Iterable[int] | None = None, actor=None, on: dt.date | None = None) -> int:
    """A 核查 task for every filing of an 审批改备案 matter (`filing_ids` None: every filing lacking one)."""
    on = on or timezone.localdate()
    due = workdays.deadline(FILING_VERIFICATION, on).due
    matters = list(FilingMatter.objects.filter(is_active=True))
    created: list[int] = []
    now = timezone.now()
    id_batches: Iterable[list[int] | None] = [None] if filing_ids is None else _id_chunks(sorted(set(filing_ids)))
    for ids in id_batches:
        for matter in matters:
            existing = VerificationTask.objects.filter(filing=OuterRef("pk"), matter=matter)
            qs = Filing.objects.filter(queries.filing_match_q(matter)).exclude(Exists(existing))
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            created += insert_from_select(VerificationTask, {
                "kind": _const(VerificationKind.FILING, CharField()), "matter": _const(matter.pk, BigIntegerField()),
                "department": _const(matter.department_id, BigIntegerField()), "entity": F("entity_id"), "filing": F("pk"),
                "issued_on": _const(on, DateField()), "due_on": _const(due, DateField()),
                "status": _const(VerificationStatus.PENDING, CharField()), "result_note": _const("", TextField()),
                "created_at": _const(now, DateTimeField()),
            }, qs)
    if created:
        _batch_event(actor=actor, action="catalog.verification.create", object_type="catalog.verificationtask",
                     label=_("备案核查任务 %(n)d 件") % {"n": len(created)}, ids=created, extra={"due_on": due.isoformat()})
    return len(created)


def on_filings_recorded(ids: list[int]) -> None:
    """Hook registered with the entities app: runs after the filings' own transaction has committed."""
    verifications_create(filing_ids=ids)


@transaction.atomic
def unfiled_tasks_create(*, actor, matter: FilingMatter, entity_ids: Iterable[int] | None = None) -> int:
    """Turn entities listed as operating without a filing into 核查 tasks of the matter's department.

    `entity_ids` None: every listed entity. An entity with an open task for the matter gets no second one.
    """
    require_editor(actor, matter.department)
    today = timezone.localdate()
    due = workdays.deadline(FILING_VERIFICATION, today).due
    open_task = VerificationTask.objects.filter(entity=OuterRef("pk"), matter=matter, kind=VerificationKind.UNFILED,
                                                status=VerificationStatus.PENDING)
    qs = queries.unfiled_entities(matter).exclude(Exists(open_task)).order_by()
    if entity_ids is not None:
        qs = qs.filter(pk__in=list(entity_ids))
    created = insert_from_select(VerificationTask, {
        "kind": _const(VerificationKind.UNFILED, CharField()), "matter": _const(matter.pk, BigIntegerField()),
        "department": _const(matter.department_id, BigIntegerField()), "entity": F("pk"),
        "issued_on": _const(today, DateField()), "due_on": _const(due, DateField()),
        "status": _const(VerificationStatus.PENDING, CharField()), "result_note": _const("", TextField()),
        "created_at": _const(timezone.now(), DateTimeField()),
    }, qs)
    if created:
        _batch_event(actor=actor, action="catalog.verification.create_unfiled", object_type="catalog.verificationtask",
                     label=_("未备案经营核查任务 %(n)d 件") % {"n": len(created)}, ids=created, extra={"matter": matter.name})
    return len(created)


@transaction.atomic
def verification_complete(*, actor, task: VerificationTask, status: str, note: str) -> VerificationTask:
    row = VerificationTask.objects.select_for_update().get(pk=task.pk)
    require_active_staff(actor)
    if row.department_id not in own_department_ids(actor):
        raise PermissionDeniedError(_("该核查任务由%(d)s办理") % {"d": row.department})
    if row.status != VerificationStatus.PENDING:
        raise Conflict(_("该核查任务已办结"), field="status")
    if status not in (VerificationStatus.CONFIRMED, VerificationStatus.PROBLEM):
        raise DomainError(_("请选择核查结论"), field="status")
    if not (note or "").strip():
        raise DomainError(_("请填写核查情况"), field="result_note")
    row.status, row.result_note, row.done_at, row.done_by = status, note.strip(), timezone.now(), actor
    row.save(update_fields=["status", "result_note", "done_at", "done_by"])
    audit.record(actor=actor, action="catalog.verification.complete", obj=row, before={"status": VerificationStatus.PENDING},
                 after={"status": status, "result_note": row.result_note})
    return row


def sync_all(*, on: dt.date | None = None, actor=None) -> dict[str, int]:
    """What the scheduler runs: notices and verification tasks for anything the hooks missed (e.g. rows
    written by an import that bypassed the services), then the overdue flags."""
    notices = notices_create(on=on, actor=actor)
    tasks = verifications_create(on=on, actor=actor)
    flagged = overdue_flag(on=on, actor=actor)
    return {"notices_created": notices, "verification_tasks_created": tasks,
            "notices_flagged_overdue": flagged["notices"], "verification_tasks_flagged_overdue": flagged["verification_tasks"]}

