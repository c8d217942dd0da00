"""The navigation registry: each app adds its entries once; the menu shows a user only what their role may open."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role

ALL_STAFF = frozenset({Role.INSPECTOR, Role.REVIEWER, Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER})
MANAGERS = frozenset({Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    order: int = 100
    group: str = ""


NAV: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in NAV):
        NAV.append(item)


def items_for(user) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
    role = Role.OWNER if user.is_superuser else user.role
    out = []
    for item in sorted(NAV, key=lambda i: i.order):
        if role in item.roles:
            out.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
    return out


register(NavItem(_("工作台"), "core:home", ALL_STAFF | {Role.ENTERPRISE}, 0))
register(NavItem(_("部门"), "core:department_list", ALL_STAFF, 80))
register(NavItem(_("人员账号"), "core:user_list", MANAGERS, 81))
register(NavItem(_("工作日历"), "core:calendar", ALL_STAFF, 85))
register(NavItem(_("运行参数"), "core:param_list", frozenset({Role.OWNER}), 90))
register(NavItem(_("接口令牌"), "core:token_list", frozenset({Role.OWNER, Role.DEPT_ADMIN}), 91))
register(NavItem(_("审计日志"), "core:audit_list", MANAGERS, 95))
