from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "jianguan.credit"
    label = "credit"
    verbose_name = _("信用监管")

    def ready(self):
        from jianguan.core.choices import Role
        from jianguan.core.navigation import ALL_STAFF, MANAGERS, NavItem, register
        from jianguan.core.views import HOME_SECTIONS
        from jianguan.entities.selectors import register_timeline_provider

        from . import rules, selectors, views  # noqa: F401  (rules registers the parameters)

        register(NavItem(_("信用监管"), "credit:dashboard", ALL_STAFF, 30))
        register(NavItem(_("逢办必查"), "credit:check", ALL_STAFF, 31))
        register(NavItem(_("名单管理"), "credit:serious_list", ALL_STAFF, 32))
        register(NavItem(_("异议与修复"), "credit:remedies", MANAGERS, 33))
        register(NavItem(_("本企业信用"), "credit:my_credit", frozenset({Role.ENTERPRISE}), 5))
        register_timeline_provider(selectors.timeline)
        if views.home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(views.home_section)
