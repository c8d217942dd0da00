"""Snapshots of catalogue entries and the side-by-side difference between two versions.

A snapshot is the whole entry as the catalogue published it: choice fields as their stored values (labels
are applied when shown, in the reader's language), related rows by name, lists in catalogue order. It is
what a version row keeps, so that history reads the same even after a department or a person is renamed.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _lazy

from .choices import CheckMethod, ItemCategory, ItemLevel, ItemStatus, SupervisionField

ITEM_FIELDS: list[tuple[str, object, object]] = [
    ("code", _lazy("监管事项编码"), None),
    ("name", _lazy("监管事项名称"), None),
    ("department", _lazy("实施部门"), None),
    ("level", _lazy("事项层级"), ItemLevel),
    ("field", _lazy("监管领域"), SupervisionField),
    ("supervision_object", _lazy("监管对象"), None),
    ("scope", _lazy("监管范围"), None),
    ("legal_basis", _lazy("监管依据"), None),
    ("method", _lazy("监管方式"), None),
    ("category", _lazy("事项类别"), ItemCategory),
    ("random_check", _lazy("纳入随机抽查事项清单"), bool),
    ("approval_to_filing", _lazy("审批改备案事项"), bool),
    ("responsible_leader", _lazy("分管负责人"), None),
    ("handling_unit", _lazy("承办机构"), None),
    ("handling_staff", _lazy("承办人员"), None),
    ("status", _lazy("状态"), ItemStatus),
]

IMPL_FIELDS: list[tuple[str, object, object]] = [
    ("code", _lazy("检查实施清单编码"), None),
    ("name", _lazy("检查实施清单名称"), None),
    ("item", _lazy("监管事项"), None),
    ("agency", _lazy("实施机构"), None),
    ("check_object", _lazy("检查对象"), None),
    ("check_points", _lazy("检查要点"), None),
    ("method", _lazy("检查方式"), CheckMethod),
    ("frequency", _lazy("检查频次"), None),
    ("basis", _lazy("检查依据"), None),
    ("result_handling", _lazy("结果处理"), None),
    ("status", _lazy("状态"), ItemStatus),
]


def _person(user) -> str:
    return user.display_name if user is not None else ""


def item_snapshot(item, *, provisions=None, staff=None) -> dict:
    """The item as it stands; `provisions` / `staff` give the new lists before they are saved."""
    if provisions is None:
        provisions = [b.provision for b in item.bases.select_related("provision").order_by("seq", "id")]
    if staff is None:
        staff = list(item.handling_staff.order_by("display_name", "pk")) if item.pk else []
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department.name if item.department_id else "",
        "level": item.level,
        "field": item.field,
        "supervision_object": item.supervision_object,
        "scope": item.scope,
        "legal_basis": [str(p) for p in provisions],
        "method": item.method,
        "category": item.category,
        "random_check": bool(item.random_check),
        "approval_to_filing": bool(item.approval_to_filing),
        "responsible_leader": _person(item.responsible_leader) if item.responsible_leader_id else "",
        "handling_unit": item.handling_unit.name if item.handling_unit_id else "",
        "handling_staff": sorted(_person(u) for u in staff),
        "status": item.status,
    }


def impl_snapshot(impl, *, points=None) -> dict:
    if points is None:
        points = [(p.content, p.basis) for p in impl.check_points.order_by("seq")] if impl.pk else []
    return {
        "code": impl.code,
        "name": impl.name,
        "item": f"{impl.item.code} {impl.item.name}",
        "agency": impl.agency.name if impl.agency_id else "",
        "check_object": impl.check_object,
        "check_points": [f"{i}. {content}" + (f"（{basis}）" if basis else "") for i, (content, basis) in enumerate(points, 1)],
        "method": impl.method,
        "frequency": impl.frequency,
        "basis": impl.basis,
        "result_handling": impl.result_handling,
        "status": impl.status,
    }


def display_value(kind, value) -> str:
    from django.utils.translation import gettext as _

    if value is None or value == "" or value == []:
        return "—"
    if kind is bool:
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind is not None and hasattr(kind, "choices"):
        try:
            return str(kind(value).label)
        except ValueError:
            return str(value)
    return str(value)


@dataclass
class DiffRow:
    key: str
    label: str
    old: str
    new: str
    changed: bool


def diff(fields, old: dict | None, new: dict) -> list[DiffRow]:
    """Field-by-field comparison of two snapshots, in catalogue order (`old` None: everything is new)."""
    rows = []
    for key, label, kind in fields:
        a = (old or {}).get(key)
        b = new.get(key)
        rows.append(DiffRow(key, str(label), display_value(kind, a) if old is not None else "—", display_value(kind, b),
                            old is None or a != b))
    return rows


def changed_keys(old: dict, new: dict) -> list[str]:
    return [k for k in new if old.get(k) != new.get(k)]
