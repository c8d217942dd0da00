"""The audit chain (行政执法全过程记录): append-only, hash-linked, keyed so it cannot be re-forged.

Every service calls `record()` inside its own transaction, so an event exists exactly when the change
it describes was committed. Writers serialise on the single AuditHead row, which keeps the chain
linear and the sequence gapless. `verify()` recomputes every link and names the first bad one; see
docs/audit-chain.md for the exact canonical form.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from .context import current_ip, current_request_id
from .crypto import hmac_sm3_hex
from .models import AuditEvent, AuditHead
from .pii import EncryptedCharField, mask_id_number, mask_phone

GENESIS_HASH = "0" * 64
SYSTEM_LABEL = "系统"

#: Chinese labels of audit actions, for pages and exports. Apps add theirs with `register_actions`.
ACTION_LABELS: dict[str, str] = {
    "account.create": _lazy("创建账号"), "account.update": _lazy("修改账号"), "account.enable": _lazy("启用账号"),
    "account.disable": _lazy("停用账号"), "account.reset_password": _lazy("重置密码"), "account.unlock": _lazy("解除锁定"),
    "account.change_password": _lazy("修改密码"), "account.login": _lazy("登录"), "account.logout": _lazy("退出"),
    "account.locked": _lazy("登录失败锁定"), "token.create": _lazy("签发接口令牌"), "token.revoke": _lazy("吊销接口令牌"),
    "department.create": _lazy("新建部门"), "department.update": _lazy("修改部门"), "department.share": _lazy("建立数据共享"),
    "department.unshare": _lazy("撤销数据共享"), "parameter.set": _lazy("新增参数版本"), "holiday.set": _lazy("维护节假日"),
    "holiday.delete": _lazy("删除节假日"), "pii.reveal": _lazy("查看完整个人信息"),
}


def register_actions(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _json_value(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, EncryptedCharField):
        # The chain is immutable, so personal information never enters it in clear.
        if not value:
            return ""
        if "phone" in field.name:
            return mask_phone(value)
        if "id_number" in field.name:
            return mask_id_number(value)
        return "******"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (str, int, bool, list, dict)):
        return value
    return str(value)


SKIP_FIELDS = {"password", "id_number_hash", "digest"}


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The JSON-safe state of a model instance for before/after (PII masked, secrets left out)."""
    out = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIP_FIELDS or (fields is not None and field.name not in fields and field.attname not in fields):
            continue
        out[field.attname if field.is_relation else field.name] = _json_value(field, getattr(instance, field.attname))
    return out


def _canonical(event: AuditEvent) -> str:
    created = event.created_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = [
        event.seq,
        created,
        event.actor_id,
        event.actor_label,
        event.department_id,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.before,
        event.after,
        event.note,
        event.request_id,
        event.ip,
        event.prev_hash,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_hash(event: AuditEvent) -> str:
    return hmac_sm3_hex(settings.JIANGUAN_AUDIT_KEY, _canonical(event))


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    department_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction.atomic block")
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)
        if department_id is None:
            department_id = getattr(obj, "department_id", None)
    if department_id is None and actor is not None:
        department_id = getattr(actor, "department_id", None)
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Created by migration 0002; missing only after a test flush, or if someone deleted it.
        if AuditEvent.objects.exists():
            raise RuntimeError("审计链头缺失而审计事件存在：审计链可能被篡改，请运行 jianguan audit verify")
        head = AuditHead.objects.create(id=1, seq=0, hash=GENESIS_HASH)
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=(f"{actor.display_name or actor.username}（{actor.username}）" if actor is not None else SYSTEM_LABEL)[:120],
        department_id=department_id,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=(object_repr or "")[:200],
        before=before,
        after=after,
        note=note,
        request_id=current_request_id(),
        ip=current_ip(),
        prev_hash=head.hash,
    )
    # Normalise through JSON once so the hash is computed over exactly what the database returns.
    event.before = json.loads(json.dumps(before, ensure_ascii=False)) if before is not None else None
    event.after = json.loads(json.dumps(after, ensure_ascii=False)) if after is not None else None
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""


def verify(batch_size: int = 2000) -> VerifyResult:
    """Recompute the chain from the first event; stop at the first link that does not hold."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, event.pk, f"序号不连续：应为 {expected_seq}，实为 {event.seq}（有事件被删除或插入）")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, event.pk, "前序哈希与上一事件不符（上一事件被改动、删除或在其前插入了事件）")
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, event.pk, "事件内容与其哈希不符（该事件被改动）")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return VerifyResult(False, checked, None, None, "审计链头缺失")
    if head.seq != checked or head.hash != prev_hash:
        return VerifyResult(
            False, checked, checked + 1 if head.seq > checked else head.seq, None,
            f"链头记录第 {head.seq} 号事件，实际链长 {checked}（末尾事件被删除或链头被改动）",
        )
    return VerifyResult(True, checked)
