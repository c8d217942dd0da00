"""一单两库: inspector directory entries, declared conflicts, object-directory rules and adjustments, key list."""
from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils.translation import gettext as _

from jianguan.catalog.choices import SupervisionField
from jianguan.core import audit
from jianguan.core.choices import Role
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.entities.choices import EntityKind, EntityStatus

from ..choices import AdjustmentAction, ConflictKind
from ..models import DirectoryAdjustment, Inspector, InspectorConflict, KeyEntry, ObjectRule
from ._common import require_manager, string_list, text, today

#: Wording found in accounts' 执法领域 that is not a field label itself.
FIELD_ALIASES = {
    "食品安全": "food_drug", "食品": "food_drug", "药品": "food_drug", "药品医疗器械": "food_drug", "化妆品": "food_drug",
    "危险化学品": "work_safety", "工贸安全": "work_safety", "煤矿": "coal_mine", "计量": "market_order", "质量": "market_order",
    "价格": "market_order", "广告": "market_order", "环境保护": "ecology", "卫生": "health", "文化市场": "culture_tourism",
    "旅游": "culture_tourism", "道路运输": "transport", "建筑": "construction", "消防": "fire",
}


def _field_code(token: str) -> str | None:
    from django.utils import translation

    if token in SupervisionField.values:
        return token
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in SupervisionField.choices}
    return labels.get(token) or FIELD_ALIASES.get(token)
INDUSTRY_PREFIX_RE = re.compile(r"^[A-T]\d{0,4}$")
DIVISION_PREFIX_RE = re.compile(r"^\d{6,12}$")


def _fields_of(raw, *, lenient: bool = False) -> list[str]:
    """Field codes from codes, Chinese labels or common wording (the 执法领域 of an account, separated by 、).
    Unknown wording is refused, or skipped when `lenient` (syncing free text typed into accounts)."""
    out = []
    for token in string_list(raw, "fields", _("执法领域")):
        code = _field_code(token)
        if code is None:
            if lenient:
                continue
            raise DomainError(_("执法领域“%(v)s”不是规定的监管领域") % {"v": token}, field="fields")
        if code not in out:
            out.append(code)
    return out


@transaction.atomic
def inspector_sync(*, actor, department=None) -> dict:
    """Enter every active 执法人员 account with an 执法证号 (of `department`, or all) in the directory; refresh the
    department and certificate of existing entries. Accounts without a certificate cannot inspect and are skipped."""
    from jianguan.core.models import User

    if department is not None:
        require_manager(actor, department)
    elif actor is not None and not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以同步全县执法人员名录"))
    users = User.objects.filter(role=Role.INSPECTOR, is_active=True).exclude(cert_no="")
    if department is not None:
        from jianguan.core.scope import bureau_tree_ids

        users = users.filter(department_id__in=bureau_tree_ids(department.pk))
    created = updated = skipped = 0
    existing = {e.user_id: e for e in Inspector.objects.filter(user__in=users)}
    for user in users.order_by("id"):
        entry = existing.get(user.pk)
        # Free text on the account: keep what names a 监管领域, skip the rest (one unknown word must not drop the
        # known ones and leave the entry unrestricted).
        fields = _fields_of(user.enforcement_fields, lenient=True)
        if entry is None:
            if Inspector.objects.filter(code=user.cert_no).exclude(user=user).exists():
                skipped += 1
                continue
            Inspector.objects.create(user=user, department_id=user.department_id, code=user.cert_no, fields=fields)
            created += 1
        elif entry.department_id != user.department_id or entry.code != user.cert_no:
            entry.department_id, entry.code = user.department_id, user.cert_no
            entry.save(update_fields=["department", "code", "updated_at"])
            updated += 1
    counts = {"created": created, "updated": updated, "skipped": skipped}
    audit.record(actor=actor, action="inspections.inspector_sync", object_type="inspections.inspector", object_id="*",
                 object_repr=_("执法检查人员名录库"), department_id=getattr(department, "pk", None), after=counts)
    return counts


@transaction.atomic
def inspector_update(*, actor, inspector: Inspector, fields=None, township_code: str = "", available: bool = True,
                     unavailable_note: str = "") -> Inspector:
    require_manager(actor, inspector.department)
    before = audit.snapshot(inspector, ["fields", "township_code", "available", "unavailable_note"])
    inspector.fields = _fields_of(fields) if fields is not None else inspector.fields
    township_code = (township_code or "").strip()
    if township_code and not DIVISION_PREFIX_RE.match(township_code):
        raise DomainError(_("乡镇区划代码应为6至12位数字"), field="township_code")
    inspector.township_code = township_code
    inspector.available = bool(available)
    inspector.unavailable_note = "" if available else text(unavailable_note, "unavailable_note", _("不可参加原因"), 200)
    inspector.save()
    audit.record(actor=actor, action="inspections.inspector_update", obj=inspector, before=before,
                 after=audit.snapshot(inspector, ["fields", "township_code", "available", "unavailable_note"]))
    return inspector


@transaction.atomic
def conflict_declare(*, actor, inspector: Inspector, entity, reason: str, kind: str = ConflictKind.DECLARED) -> InspectorConflict:
    """回避申报: the inspector (or a manager of the department) declares a conflict with an entity."""
    if actor is not None and actor.pk != inspector.user_id:
        require_manager(actor, inspector.department)
    reason = text(reason, "reason", _("回避事由"))
    if InspectorConflict.objects.filter(inspector=inspector, entity=entity, active=True).exists():
        raise Conflict(_("已申报与该主体的回避关系"), field="entity")
    row = InspectorConflict.objects.create(inspector=inspector, entity=entity, department_id=inspector.department_id,
                                           kind=kind, reason=reason, created_by=actor)
    audit.record(actor=actor, action="inspections.conflict_declare", obj=row, object_repr=f"{inspector} ↔ {entity.name}",
                 after={"entity": entity.uscc, "reason": reason, "kind": kind})
    return row


@transaction.atomic
def conflict_withdraw(*, actor, conflict: InspectorConflict, reason: str) -> InspectorConflict:
    require_manager(actor, conflict.inspector.department)
    reason = text(reason, "reason", _("撤销原因"))
    conflict.active = False
    conflict.save(update_fields=["active"])
    audit.record(actor=actor, action="inspections.conflict_withdraw", obj=conflict, note=reason)
    return conflict


RULE_FIELDS = ["kinds", "industry_prefixes", "licence_keywords", "filing_keywords", "statuses", "division_prefixes", "note"]


@transaction.atomic
def object_rule_save(*, actor, item, data: dict) -> ObjectRule:
    """Set how an item's object directory is built from the registry."""
    require_manager(actor, item.department)
    if not item.random_check:
        raise DomainError(_("该监管事项未纳入随机抽查事项清单"), field="item")
    rule = ObjectRule.objects.filter(item=item).first() or ObjectRule(item=item, department_id=item.department_id)
    before = audit.snapshot(rule, RULE_FIELDS) if rule.pk else None
    kinds = string_list(data.get("kinds"), "kinds", _("主体类型"))
    for k in kinds:
        if k not in EntityKind.values:
            raise DomainError(_("主体类型“%(v)s”不正确") % {"v": k}, field="kinds")
    statuses = string_list(data.get("statuses"), "statuses", _("登记状态"))
    for s in statuses:
        if s not in (EntityStatus.EXISTING, EntityStatus.OPERATING):
            raise DomainError(_("检查对象只能是存续或在业的主体（“%(v)s”不可）") % {"v": s}, field="statuses")
    rule.kinds = kinds
    rule.statuses = statuses
    rule.industry_prefixes = string_list(data.get("industry_prefixes"), "industry_prefixes", _("行业代码前缀"),
                                         pattern=INDUSTRY_PREFIX_RE)
    rule.division_prefixes = string_list(data.get("division_prefixes"), "division_prefixes", _("乡镇区划前缀"),
                                         pattern=DIVISION_PREFIX_RE)
    rule.licence_keywords = string_list(data.get("licence_keywords"), "licence_keywords", _("许可关键字"))
    rule.filing_keywords = string_list(data.get("filing_keywords"), "filing_keywords", _("备案关键字"))
    rule.note = (data.get("note") or "").strip()[:300]
    rule.updated_by = actor
    rule.save()
    audit.record(actor=actor, action="inspections.object_rule_save", obj=rule, before=before, after=audit.snapshot(rule, RULE_FIELDS))
    return rule


@transaction.atomic
def directory_adjust(*, actor, item, entity, action: str, reason: str) -> DirectoryAdjustment:
    """Manually add an entity to, or remove it from, an item's object directory (always with a reason)."""
    require_manager(actor, item.department)
    if action not in AdjustmentAction.values:
        raise DomainError(_("调整方式不正确"), field="action")
    reason = text(reason, "reason", _("调整原因"))
    if action == AdjustmentAction.ADD and entity.status not in (EntityStatus.EXISTING, EntityStatus.OPERATING):
        raise DomainError(_("%(name)s 已%(status)s，不能纳入检查对象名录") % {"name": entity.name, "status": entity.get_status_display()},
                          field="entity")
    previous = DirectoryAdjustment.objects.select_for_update().filter(item=item, entity=entity, active=True).first()
    if previous is not None:
        if previous.action == action:
            raise Conflict(_("该主体已%(a)s") % {"a": previous.get_action_display()}, field="entity")
        previous.active = False
        previous.save(update_fields=["active"])
    row = DirectoryAdjustment.objects.create(item=item, department_id=item.department_id, entity=entity, action=action,
                                             reason=reason, created_by=actor)
    audit.record(actor=actor, action="inspections.directory_adjust", obj=row, object_repr=f"{item.code} {entity.name}",
                 after={"item": item.code, "entity": entity.uscc, "action": action, "reason": reason})
    return row


@transaction.atomic
def key_entry_add(*, actor, department, entity, reason: str, item=None, valid_from: dt.date | None = None,
                  valid_to: dt.date | None = None) -> KeyEntry:
    """List an entity for key supervision (重点监管): every task of the department (for the item) includes it."""
    require_manager(actor, department)
    reason = text(reason, "reason", _("列入理由"))
    if item is not None and item.department_id != department.pk:
        raise DomainError(_("只能选择本部门的监管事项"), field="item")
    valid_from = valid_from or today()
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("截止日期不能早于起始日期"), field="valid_to")
    from django.db.models import Q

    overlapping = KeyEntry.objects.filter(department=department, entity=entity, item=item).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise Conflict(_("该主体已在本部门重点监管名单中"), field="entity")
    row = KeyEntry.objects.create(department=department, entity=entity, item=item, reason=reason, valid_from=valid_from,
                                  valid_to=valid_to, created_by=actor)
    audit.record(actor=actor, action="inspections.key_add", obj=row, object_repr=entity.name,
                 after={"entity": entity.uscc, "item": getattr(item, "code", ""), "reason": reason,
                        "valid_from": str(valid_from), "valid_to": str(valid_to or "")})
    return row


@transaction.atomic
def key_entry_end(*, actor, entry: KeyEntry, reason: str, on: dt.date | None = None) -> KeyEntry:
    require_manager(actor, entry.department)
    entry.ended_reason = text(reason, "reason", _("移出理由"))
    entry.valid_to = on or today()
    entry.save(update_fields=["ended_reason", "valid_to"])
    audit.record(actor=actor, action="inspections.key_end", obj=entry, object_repr=entry.entity.name,
                 after={"valid_to": str(entry.valid_to), "reason": entry.ended_reason})
    return entry
