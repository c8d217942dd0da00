"""Writes of the rules-and-standards register (任务分工 二(一), 二(二))."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.errors import Conflict, DomainError
from jianguan.core.models import Department

from ..choices import CleanupReason, CleanupStatus, PublishStatus
from ..models import RuleStandard
from ._common import full_clean, require_editor

RULE_FIELDS = ["kind", "level", "field", "title", "number", "issuing_body", "issued_on", "effective_on", "summary", "mandatory"]


@transaction.atomic
def rule_create(*, actor, department: Department, title: str, field: str, **fields: Any) -> RuleStandard:
    require_editor(actor, department)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    row = RuleStandard(department=department, title=(title or "").strip(), field=field,
                       **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    if row.number and RuleStandard.objects.filter(number=row.number, department=department).exclude(status=PublishStatus.WITHDRAWN).exists():
        raise Conflict(_("本部门已登记标准号/文号为 %(n)s 的规则或标准") % {"n": row.number}, field="number")
    if row.issued_on and row.effective_on and row.effective_on < row.issued_on:
        raise DomainError(_("实施日期不能早于发布日期"), field="effective_on")
    full_clean(row)
    row.save()
    audit.record(actor=actor, action="catalog.rule.create", obj=row, after=audit.snapshot(row))
    return row


@transaction.atomic
def rule_update(*, actor, rule: RuleStandard, data: dict[str, Any]) -> RuleStandard:
    row = RuleStandard.objects.select_for_update().get(pk=rule.pk)
    require_editor(actor, row.department)
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    before = audit.snapshot(row, RULE_FIELDS)
    for k, v in data.items():
        setattr(row, k, v.strip() if isinstance(v, str) else v)
    if row.issued_on and row.effective_on and row.effective_on < row.issued_on:
        raise DomainError(_("实施日期不能早于发布日期"), field="effective_on")
    after = audit.snapshot(row, RULE_FIELDS)
    if after == before:
        return row
    full_clean(row)
    row.save()
    keys = [k for k in after if after[k] != before.get(k)]
    audit.record(actor=actor, action="catalog.rule.update", obj=row, before={k: before[k] for k in keys}, after={k: after[k] for k in keys})
    return row


@transaction.atomic
def rule_set_status(*, actor, rule: RuleStandard, status: str, note: str = "") -> RuleStandard:
    """Publish a rule to the public page (并向社会公开), or withdraw it (with a reason)."""
    row = RuleStandard.objects.select_for_update().get(pk=rule.pk)
    require_editor(actor, row.department)
    if status not in (PublishStatus.PUBLISHED, PublishStatus.WITHDRAWN):
        raise DomainError(_("只能公开或撤回"), field="status")
    if status == PublishStatus.WITHDRAWN and not (note or "").strip():
        raise DomainError(_("撤回或废止须填写原因"), field="note")
    if row.status == status:
        return row
    before = {"status": row.status}
    row.status = status
    if status == PublishStatus.PUBLISHED:
        row.published_at = timezone.now()
    row.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=actor, action=f"catalog.rule.{status}", obj=row, before=before, after={"status": status}, note=(note or "").strip())
    return row


@transaction.atomic
def rule_cleanup(*, actor, rule: RuleStandard, status: str, reason: str = "", note: str = "", due: dt.date | None = None) -> RuleStandard:
    """Mark a rule for cleanup (边界模糊、执行弹性大) and track it to revision or repeal (任务分工 二(一)2).

    Repeal withdraws the rule from the public page.
    """
    row = RuleStandard.objects.select_for_update().get(pk=rule.pk)
    require_editor(actor, row.department)
    if status not in CleanupStatus.values:
        raise DomainError(_("清理状态无效"), field="cleanup_status")
    if status == CleanupStatus.FLAGGED:
        if reason not in CleanupReason.values:
            raise DomainError(_("请选择清理原因（边界模糊、执行弹性大等）"), field="cleanup_reason")
    elif status != CleanupStatus.NONE and row.cleanup_status == CleanupStatus.NONE:
        raise DomainError(_("请先将该规则标记为待清理"), field="cleanup_status")
    if status != CleanupStatus.NONE and not (note or "").strip():
        raise DomainError(_("请填写清理说明"), field="cleanup_note")
    fields = ["cleanup_status", "cleanup_reason", "cleanup_note", "cleanup_due"]
    before = audit.snapshot(row, fields)
    row.cleanup_status = status
    if reason:
        row.cleanup_reason = reason
    row.cleanup_note = (note or "").strip()
    if due is not None:
        row.cleanup_due = due
    update = fields + ["updated_at"]
    if status == CleanupStatus.ABOLISHED and row.status != PublishStatus.WITHDRAWN:
        row.status = PublishStatus.WITHDRAWN
        update.append("status")
    row.save(update_fields=update)
    audit.record(actor=actor, action="catalog.rule.cleanup", obj=row, before=before, after=audit.snapshot(row, fields + ["status"]),
                 note=row.cleanup_note)
    return row
