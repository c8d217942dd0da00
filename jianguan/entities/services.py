"""Writes of the entities app: `<noun>_<verb>(*, actor, ...)`, one transaction, one audit event.

Other apps that must react to licences and filings (审管衔接 in catalog) register a callback with
`on_licences_recorded` / `on_filings_recorded`; the callbacks run after commit with the new ids, so a
failure there never loses the licence itself, and bulk imports call them once per batch.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit, bulk
from jianguan.core.choices import Role
from jianguan.core.crypto import lookup_hash
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.identifiers import normalize_id_number, normalize_uscc, validate_id_number
from jianguan.core.scope import own_department_ids

from . import search
from .choices import STATUS_TRANSITIONS, EntityStatus, PersonRole
from .models import Entity, EntityPerson, Filing, FormerName, Licence, Person

_LICENCE_HOOKS: list[Callable[[list[int]], None]] = []
_FILING_HOOKS: list[Callable[[list[int]], None]] = []
_ENTITY_HOOKS: list[Callable[[list[str]], None]] = []


def on_entities_recorded(callback: Callable[[list[str]], None]) -> None:
    """`callback(usccs)` runs after commit whenever entities enter the registry (records waiting to be matched)."""
    if callback not in _ENTITY_HOOKS:
        _ENTITY_HOOKS.append(callback)


def notify_entities_recorded(usccs: Iterable[str]) -> None:
    usccs = list(usccs)
    if usccs:
        transaction.on_commit(lambda: [hook(usccs) for hook in list(_ENTITY_HOOKS)])


def on_licences_recorded(callback: Callable[[list[int]], None]) -> None:
    if callback not in _LICENCE_HOOKS:
        _LICENCE_HOOKS.append(callback)


def on_filings_recorded(callback: Callable[[list[int]], None]) -> None:
    if callback not in _FILING_HOOKS:
        _FILING_HOOKS.append(callback)


def notify_licences_recorded(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: [hook(ids) for hook in list(_LICENCE_HOOKS)])


def notify_filings_recorded(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: [hook(ids) for hook in list(_FILING_HOOKS)])


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from None


def _require_department_writer(actor, department) -> None:
    if actor is None:
        return  # set-up commands and imports run by the platform
    if not actor.is_active or actor.is_enterprise:
        raise PermissionDeniedError(_("无权录入该数据"))
    if not actor.is_owner and department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能录入本部门作出的许可或备案"))


REGISTRY_WRITERS = {Role.OWNER, Role.DEPT_ADMIN, Role.DEPT_LEADER}
ENTITY_FIELDS = ["name", "kind", "legal_representative", "registered_capital", "established_on", "registered_address",
                 "business_address", "division_code", "industry_code", "business_scope", "registration_authority"]


def _require_registry_writer(actor) -> None:
    """The registry is shared: department leaders and administrators (and the owner) maintain it; others read."""
    if actor is None:
        return  # set-up commands and imports run by the platform
    if not actor.is_active or not (actor.is_owner or actor.role in REGISTRY_WRITERS):
        raise PermissionDeniedError(_("只有部门负责人、部门管理员或平台管理员可以维护市场主体库"))


def _refresh_search(entity: Entity) -> None:
    former = list(entity.former_names.values_list("name", flat=True)) if entity.pk else []
    text = search.search_text_for(entity.name, former)
    if text != entity.search_text:
        entity.search_text = text
        Entity.objects.filter(pk=entity.pk).update(search_text=text)
    search.reindex([entity.pk])


@transaction.atomic
def entity_create(*, actor, uscc: str, name: str, division_code: str, **fields) -> Entity:
    """Add a market entity to the registry. Records waiting for this USCC (待匹配) are attached after commit."""
    _require_registry_writer(actor)
    former_names = [n.strip() for n in fields.pop("former_names", None) or [] if n and n.strip()]
    uscc = normalize_uscc(uscc)
    if Entity.objects.filter(uscc=uscc).exists():
        raise Conflict(_("统一社会信用代码 %(c)s 已在主体库中") % {"c": uscc}, field="uscc")
    unknown = set(fields) - set(ENTITY_FIELDS) - {"status", "status_changed_on"}
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    entity = Entity(uscc=uscc, name=(name or "").strip(), division_code=(division_code or "").strip(), **fields)
    _clean(entity)
    entity.save()
    FormerName.objects.bulk_create([FormerName(entity=entity, name=n) for n in dict.fromkeys(former_names) if n != entity.name])
    _refresh_search(entity)
    audit.record(actor=actor, action="entity.create", obj=entity, department_id=None,
                 after={**audit.snapshot(entity), "former_names": former_names})
    notify_entities_recorded([entity.uscc])
    return entity


@transaction.atomic
def entity_update(*, actor, entity: Entity, data: dict[str, Any]) -> Entity:
    """Change registration data. A new name keeps the old one as a former name (曾用名), still searchable."""
    _require_registry_writer(actor)
    row = Entity.objects.select_for_update().get(pk=entity.pk)
    unknown = set(data) - set(ENTITY_FIELDS)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    changed = [k for k, v in data.items() if getattr(row, k) != v]
    if not changed:
        return row
    before = audit.snapshot(row, changed)
    old_name = row.name
    for k in changed:
        setattr(row, k, data[k])
    _clean(row)
    row.save(update_fields=changed + ["updated_at"])
    if "name" in changed:
        FormerName.objects.get_or_create(entity=row, name=old_name, defaults={"changed_on": timezone.localdate()})
        FormerName.objects.filter(entity=row, name=row.name).delete()
        _refresh_search(row)
    audit.record(actor=actor, action="entity.update", obj=row, department_id=None, before=before,
                 after=audit.snapshot(row, changed))
    return row


@transaction.atomic
def entity_set_status(*, actor, entity: Entity, status: str, reason: str, on: dt.date | None = None) -> Entity:
    """Registration status change (存续/在业 → 吊销/注销/迁出). 注销 and 迁出 are final; 吊销 may only become 注销."""
    _require_registry_writer(actor)
    row = Entity.objects.select_for_update().get(pk=entity.pk)
    if status not in EntityStatus.values:
        raise DomainError(_("未知的登记状态“%(s)s”") % {"s": status}, field="status")
    if status == row.status:
        return row
    if status not in STATUS_TRANSITIONS[EntityStatus(row.status)]:
        raise DomainError(_("登记状态不能从“%(a)s”变为“%(b)s”") % {"a": row.get_status_display(), "b": EntityStatus(status).label},
                          field="status")
    if not (reason or "").strip():
        raise DomainError(_("请填写状态变更依据"), field="reason")
    before = {"status": row.status, "status_changed_on": audit._json_value(Entity._meta.get_field("status_changed_on"), row.status_changed_on)}
    row.status, row.status_changed_on = status, on or timezone.localdate()
    row.save(update_fields=["status", "status_changed_on", "updated_at"])
    audit.record(actor=actor, action="entity.status", obj=row, department_id=None, before=before,
                 after={"status": status, "status_changed_on": row.status_changed_on.isoformat()}, note=reason.strip())
    return row


@transaction.atomic
def former_name_add(*, actor, entity: Entity, name: str, changed_on: dt.date | None = None) -> FormerName:
    _require_registry_writer(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写曾用名"), field="name")
    if name == entity.name or entity.former_names.filter(name=name).exists():
        raise Conflict(_("“%(n)s”已是该主体的名称或曾用名") % {"n": name}, field="name")
    row = FormerName(entity=entity, name=name, changed_on=changed_on)
    _clean(row)
    row.save()
    _refresh_search(Entity.objects.get(pk=entity.pk))
    audit.record(actor=actor, action="entity.former_name", obj=entity, department_id=None, after={"former_name": name})
    return row


@transaction.atomic
def person_link(*, actor, entity: Entity, name: str, role: str, id_number: str = "", share_ratio=None,
                since: dt.date | None = None) -> EntityPerson:
    """Link a natural person to an entity. The same 身份证号 is the same person across entities, so one
    person's other entities are one click away. A new 法定代表人 replaces the previous one."""
    _require_registry_writer(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写姓名"), field="name")
    if role not in PersonRole.values:
        raise DomainError(_("未知的职务/身份“%(r)s”") % {"r": role}, field="role")
    id_number = normalize_id_number(id_number)
    person = None
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise DomainError.from_validation_error(exc, field="id_number") from None
        person = Person.objects.filter(id_number_hash=lookup_hash(id_number)).first()
        if person is not None and person.name != name:
            raise Conflict(_("该身份证号已登记为“%(n)s”，与填写的姓名不符") % {"n": person.name}, field="name")
    else:
        person = Person.objects.filter(name=name, id_number_hash="", roles__entity=entity).first()
    if person is None:
        person = Person.objects.create(name=name, id_number=id_number)
    if role == PersonRole.LEGAL_REPRESENTATIVE:
        EntityPerson.objects.filter(entity=entity, role=role).exclude(person=person).delete()
    link, created = EntityPerson.objects.update_or_create(entity=entity, person=person, role=role,
                                                          defaults={"share_ratio": share_ratio, "since": since})
    if role in (PersonRole.LEGAL_REPRESENTATIVE, PersonRole.OPERATOR) and entity.legal_representative != name:
        Entity.objects.filter(pk=entity.pk).update(legal_representative=name, updated_at=timezone.now())
        entity.legal_representative = name
    audit.record(actor=actor, action="entity.person_link", obj=entity, department_id=None,
                 after={"person_id": person.pk, "role": role, "name": name, "created": created})
    return link


@transaction.atomic
def person_unlink(*, actor, link: EntityPerson, reason: str = "") -> None:
    _require_registry_writer(actor)
    audit.record(actor=actor, action="entity.person_unlink", obj=link.entity, department_id=None,
                 before={"person_id": link.person_id, "role": link.role}, note=(reason or "").strip())
    link.delete()


# --- bulk (demo, generator, imports) ------------------------------------------------------------------------------

_BULK_COLUMNS = ["uscc", "name", "kind", "legal_representative", "registered_capital", "established_on", "registered_address",
                 "business_address", "division_code", "industry_code", "business_scope", "status", "registration_authority",
                 "search_text", "created_at", "updated_at"]


def entities_bulk_insert(rows: Sequence[dict], *, index: bool = True) -> int:
    """Insert already-validated entity rows set-based (executemany / COPY) with their name grams.

    For the demo loader and the benchmark generator; callers run inside a transaction and own the audit
    event for the batch. Rows whose USCC is already present are skipped. Returns the number inserted.
    """
    if not rows:
        return 0
    usccs = [r["uscc"] for r in rows]
    existing = set(Entity.objects.filter(uscc__in=usccs).values_list("uscc", flat=True))
    now = timezone.now()
    fresh, seen = [], set()
    for r in rows:
        if r["uscc"] in existing or r["uscc"] in seen:
            continue
        seen.add(r["uscc"])
        values = {"kind": "enterprise", "legal_representative": "", "registered_capital": None, "established_on": None,
                  "registered_address": "", "business_address": "", "industry_code": "", "business_scope": "",
                  "status": EntityStatus.EXISTING, "registration_authority": "", **r}
        values["search_text"] = search.search_text_for(values["name"], values.pop("former_names", ()) or ())
        values["created_at"] = values["updated_at"] = now
        fresh.append(values)
    if not fresh:
        return 0
    bulk.insert_rows(Entity, _BULK_COLUMNS, ([v[c] for c in _BULK_COLUMNS] for v in fresh))
    if index:
        ids = dict(Entity.objects.filter(uscc__in=[v["uscc"] for v in fresh]).values_list("uscc", "pk"))
        search.write_index_rows(search.index_rows((ids[v["uscc"]], v["search_text"]) for v in fresh))
    return len(fresh)


@transaction.atomic
def licence_create(*, actor, entity: Entity, department, **fields) -> Licence:
    """Record a licence (行政许可). Reactions (审管衔接 notices) run after commit through the hooks."""
    _require_department_writer(actor, department)
    licence = Licence(entity=entity, department=department, **fields)
    _clean(licence)
    licence.save()
    audit.record(actor=actor, action="licence.create", obj=licence, after=audit.snapshot(licence))
    notify_licences_recorded([licence.pk])
    return licence


@transaction.atomic
def filing_create(*, actor, entity: Entity, department, **fields) -> Filing:
    """Record a filing (备案); items changed from approval to filing are verified (核查) by the catalog app."""
    _require_department_writer(actor, department)
    filing = Filing(entity=entity, department=department, **fields)
    _clean(filing)
    filing.save()
    audit.record(actor=actor, action="filing.create", obj=filing, after=audit.snapshot(filing))
    notify_filings_recorded([filing.pk])
    return filing
