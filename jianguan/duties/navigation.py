"""Menu entries and home-page sections of the task division (registered from DutiesConfig.ready)."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import navigation
from jianguan.core.choices import Role
from jianguan.core.navigation import ALL_STAFF, NavItem


def _duties_section(request):
    """Department leaders/admins: measures not yet reported this quarter, 督办 waiting; the owner: overdue 督办."""
    from . import selectors
    from .services import period_of

    user = request.user
    if not user.is_authenticated or not (user.is_owner or user.role in (Role.DEPT_LEADER, Role.DEPT_ADMIN)):
        return None
    today = timezone.localdate()
    period = period_of(today)
    items = []
    total, unreported = selectors.unreported_count(user=user, period=period)
    if unreported:
        items.append({"label": _("本部门承担 %(t)d 项任务措施，%(p)s 尚有 %(n)d 项未报送进展") % {"t": total, "p": period, "n": unreported},
                      "url": reverse("duties:target_list") + "?mine=1"})
    open_urges = selectors.urge_list(user=user, status="open", on=today)
    overdue = selectors.urge_list(user=user, overdue=True, on=today).count()
    count = open_urges.count()
    if count:
        label = _("%(n)d 件督办待办理") % {"n": count}
        if overdue:
            label += _("（其中 %(n)d 件已超期）") % {"n": overdue}
        items.append({"label": label, "url": reverse("duties:urge_list") + "?status=open"})
    if not items and not total:
        return None
    return {"title": _("任务分工"), "items": items,
            "empty": _("本部门承担的 %(t)d 项任务措施在 %(p)s 均已报送进展。") % {"t": total, "p": period}}


def register() -> None:
    from jianguan.core.views import HOME_SECTIONS

    navigation.register(NavItem(_lazy("任务分工"), "duties:target_list", ALL_STAFF, 30))
    navigation.register(NavItem(_lazy("进展矩阵"), "duties:matrix", ALL_STAFF, 31))
    if _duties_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(_duties_section)
