from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "jianguan.records"
    label = "records"
    verbose_name = _("数据归集")

    def ready(self):
        from jianguan.core import audit
        from jianguan.core.navigation import ALL_STAFF, MANAGERS, NavItem, register
        from jianguan.core.views import HOME_SECTIONS
        from jianguan.entities.selectors import register_timeline_provider
        from jianguan.entities.services import on_entities_recorded

        from . import selectors, services, views

        register(NavItem(_("监管记录"), "records:record_list", ALL_STAFF, 20))
        register(NavItem(_("待匹配"), "records:pending", ALL_STAFF, 21))
        register(NavItem(_("数据导入"), "records:import", MANAGERS, 22))
        register_timeline_provider(selectors.timeline)
        audit.register_actions({
            "record.create": _("新增监管记录"), "record.void": _("作废监管记录"), "record.match": _("人工关联监管记录"),
            "licence.match": _("关联待匹配许可"), "records.auto_match": _("待匹配记录自动关联"),
            "records.import": _("数据导入完成"), "records.import_failed": _("数据导入失败"),
            "records.import_interrupted": _("数据导入中断（进程已停止）"),
            "records.export_unmasked": _("导出未脱敏数据"), "demo.load": _("载入演示数据"),
        })
        on_entities_recorded(services.match_waiting)
        if views.home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(views.home_section)
