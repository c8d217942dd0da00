from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "jianguan.records"
    label = "records"
    verbose_name = _("数据归集")

    def ready(self):
        from jianguan.core.navigation import ALL_STAFF, MANAGERS, NavItem, register
        from jianguan.core.views import HOME_SECTIONS
        from jianguan.entities.selectors import register_timeline_provider
        from jianguan.entities.services import on_entities_recorded

        from . import selectors, services, views

        register(NavItem(_("监管记录"), "records:record_list", ALL_STAFF, 20))
        register(NavItem(_("待匹配"), "records:pending", ALL_STAFF, 21))
        register(NavItem(_("数据导入"), "records:import", MANAGERS, 22))
        register_timeline_provider(selectors.timeline)
        on_entities_recorded(services.match_waiting)
        if views.home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(views.home_section)
