"""Menu entries and home-page sections of random inspections (registered from InspectionsConfig.ready)."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import navigation
from jianguan.core.choices import Role
from jianguan.core.navigation import ALL_STAFF, NavItem


def _inspector_section(request):
    """An inspector's open visits (the merged list of every task they are assigned to)."""
    from . import selectors

    user = request.user
    if not user.is_authenticated or user.role != Role.INSPECTOR:
        return None
    n = selectors.my_visits(user=user).count()
    items = [{"label": _("%(n)d 户待检查（含联合检查）") % {"n": n}, "url": reverse("inspections:my_visits")}] if n else []
    return {"title": _("我的检查"), "items": items, "empty": _("没有待检查的对象。")}


def _deadline_section(request):
    """Results past or near their 20-working-day publication deadline, objects unchecked after the period."""
    from . import selectors

    user = request.user
    if not user.is_authenticated or not user.is_department_staff:
        return None
    today = timezone.localdate()
    url = reverse("inspections:publication")
    items = []
    overdue = selectors.overdue_results(user=user, on=today).count()
    if overdue:
        items.append({"label": _("%(n)d 条抽查结果已超过20个工作日未公示") % {"n": overdue}, "url": url})
    soon = selectors.due_soon_results(user=user, on=today).count()
    if soon:
        items.append({"label": _("%(n)d 条抽查结果5日内须公示") % {"n": soon}, "url": url})
    late = selectors.unchecked_after_period(user=user, on=today).count()
    if late:
        items.append({"label": _("%(n)d 户抽查对象检查期间已过仍未检查") % {"n": late}, "url": url})
    if not items:
        return None
    return {"title": _("双随机抽查"), "items": items, "empty": ""}


def register() -> None:
    from jianguan.core.views import HOME_SECTIONS

    navigation.register(NavItem(_lazy("双随机抽查"), "inspections:task_list", ALL_STAFF, 40))
    navigation.register(NavItem(_lazy("我的检查"), "inspections:my_visits", frozenset({Role.INSPECTOR}), 41))
    for section in (_inspector_section, _deadline_section):
        if section not in HOME_SECTIONS:
            HOME_SECTIONS.append(section)
