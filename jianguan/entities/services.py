"""Writes of the entities app: `<noun>_<verb>(*, actor, ...)`, one transaction, one audit event.

Other apps that must react to licences and filings (审管衔接 in catalog) register a callback with
`on_licences_recorded` / `on_filings_recorded`; the callbacks run after commit with the new ids, so a
failure there never loses the licence itself, and bulk imports call them once per batch.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.identifiers import normalize_uscc
from jianguan.core.scope import own_department_ids

from .models import Entity, Filing, Licence

_LICENCE_HOOKS: list[Callable[[list[int]], None]] = []
_FILING_HOOKS: list[Callable[[list[int]], None]] = []


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


@transaction.atomic
def entity_create(*, actor, uscc: str, name: str, division_code: str, **fields) -> Entity:
    uscc = normalize_uscc(uscc)
    if Entity.objects.filter(uscc=uscc).exists():
        raise Conflict(_("统一社会信用代码 %(c)s 已在主体库中") % {"c": uscc}, field="uscc")
    entity = Entity(uscc=uscc, name=(name or "").strip(), division_code=division_code, **fields)
    _clean(entity)
    entity.save()
    audit.record(actor=actor, action="entity.create", obj=entity, department_id=None, after=audit.snapshot(entity))
    return entity


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
