"""Shared checks of the inspections services."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.scope import own_department_ids

MANAGER_ROLES = {Role.DEPT_ADMIN, Role.DEPT_LEADER}


def today() -> dt.date:
    return timezone.localdate()


def require_manager(actor, department, *, leader_only: bool = False) -> None:
    """A leader (or administrator) of `department`'s bureau, or the owner. actor=None is the system (commands, demo)."""
    if actor is None or actor.is_owner:
        return
    roles = {Role.DEPT_LEADER} if leader_only else MANAGER_ROLES
    if actor.role not in roles:
        raise PermissionDeniedError(_("只有部门负责人可以执行此操作") if leader_only else _("只有部门负责人或部门管理员可以执行此操作"))
    if department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能管理本部门（含内设机构）的抽查工作"))


def is_manager(actor, department) -> bool:
    try:
        require_manager(actor, department)
    except PermissionDeniedError:
        return False
    return actor is not None


def text(value, field: str, label: str, max_length: int = 300) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(value) > max_length:
        raise DomainError(_("%(label)s不能超过%(n)d个字") % {"label": label, "n": max_length}, field=field)
    return value


def string_list(value, field: str, label: str, *, pattern=None) -> list[str]:
    """A list from a list or a text separated by commas, 、 or whitespace; each element checked by `pattern`."""
    if value is None:
        return []
    if isinstance(value, str):
        for sep in "，、;；\n\t":
            value = value.replace(sep, ",")
        value = value.replace(" ", ",").split(",")
    out = []
    for raw in value:
        item = str(raw).strip()
        if not item:
            continue
        if pattern is not None and not pattern.match(item):
            raise DomainError(_("%(label)s中的“%(v)s”格式不正确") % {"label": label, "v": item}, field=field)
        if item not in out:
            out.append(item)
    return out
