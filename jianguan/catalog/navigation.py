"""Menu entries and home-page sections of the catalogue (registered from CatalogConfig.ready)."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import navigation
from jianguan.core.choices import Role
from jianguan.core.navigation import ALL_STAFF, MANAGERS, NavItem


def _catalog_section(request):
    """For department leaders and admins: items without named people, items to review, rules to clean up."""
    from . import selectors

    user = request.user
    if not user.is_authenticated or not (user.is_owner or user.role in (Role.DEPT_LEADER, Role.DEPT_ADMIN)):
        return None
    counts = selectors.item_gap_counts(user=user)
    items = []
    base = reverse("catalog:item_list")
    if counts["gaps"]:
        items.append({"label": _("%(n)d 个监管事项未明确分管负责人、承办机构或承办人员") % {"n": counts["gaps"]}, "url": f"{base}?gaps=1"})
    if counts["review"]:
        items.append({"label": _("%(n)d 个监管事项的依据条款已修改或废止，待复核") % {"n": counts["review"]}, "url": f"{base}?review=1"})
    cleanup = selectors.rule_cleanup_counts(user=user)["open"]
    if cleanup:
        items.append({"label": _("%(n)d 项监管规则和标准待清理规范") % {"n": cleanup}, "url": reverse("catalog:rule_list") + "?cleanup=flagged"})
    return {"title": _("监管事项目录"), "items": items,
            "empty": _("本部门 %(n)d 个监管事项均已明确责任人员，依据现行有效。") % {"n": counts["total"]}}


def _linkage_section(request):
    """Both sides of 审管衔接: notices to sign (and overdue), notices sent that are overdue, results received."""
    from . import selectors

    user = request.user
    if not user.is_authenticated or not user.is_department_staff:
        return None
    today = timezone.localdate()
    c = selectors.notice_counts(user=user, on=today)
    v = selectors.verification_list(user=user, status="pending")
    v_overdue = selectors.verification_list(user=user, overdue=True, on=today).count()
    base = reverse("catalog:notice_list")
    items = []
    if c["overdue_to_sign"]:
        items.append({"label": _("%(n)d 件监管告知已超过签收期限未签收") % {"n": c["overdue_to_sign"]}, "url": f"{base}?side=supervising&overdue=1"})
    if c["to_sign"]:
        items.append({"label": _("%(n)d 件监管告知待签收") % {"n": c["to_sign"]}, "url": f"{base}?side=supervising&status=pending"})
    if c["sent_overdue"]:
        items.append({"label": _("本部门推送的 %(n)d 件监管告知对方逾期未签收") % {"n": c["sent_overdue"]}, "url": f"{base}?side=approval&overdue=1"})
    if c["county_overdue"]:
        items.append({"label": _("全县共 %(n)d 件监管告知逾期未签收") % {"n": c["county_overdue"]}, "url": f"{base}?overdue=1"})
    count = v.count()
    if count:
        label = _("%(n)d 件备案核查任务待办理") % {"n": count}
        if v_overdue:
            label += _("（其中 %(n)d 件已逾期）") % {"n": v_overdue}
        items.append({"label": label, "url": reverse("catalog:verification_list")})
    if not items:
        return None
    return {"title": _("审管衔接"), "items": items, "empty": ""}


def _plan_section(request):
    from . import selectors

    user = request.user
    if not user.is_authenticated or not user.is_owner:
        return None
    items = []
    for plan in selectors.county_plan_list(user=user)[:2]:
        items.append({"label": _("%(t)s：%(s)s，部门计划 %(p)d 份，待审批 %(w)d 份")
                      % {"t": plan.title, "s": plan.get_status_display(), "p": plan.plans, "w": plan.submitted},
                      "url": reverse("catalog:county_plan", args=[plan.year])})
    return {"title": _("年度监管计划"), "items": items, "empty": _("尚无年度监管计划。")}


def register() -> None:
    from jianguan.core.views import HOME_SECTIONS

    navigation.register(NavItem(_lazy("监管事项"), "catalog:item_list", ALL_STAFF, 20))
    navigation.register(NavItem(_lazy("年度计划"), "catalog:plan_list", MANAGERS, 22))
    navigation.register(NavItem(_lazy("审管衔接"), "catalog:notice_list", ALL_STAFF, 24))
    navigation.register(NavItem(_lazy("规则标准"), "catalog:rule_list", ALL_STAFF, 26))
    for section in (_catalog_section, _linkage_section, _plan_section):
        if section not in HOME_SECTIONS:
            HOME_SECTIONS.append(section)
