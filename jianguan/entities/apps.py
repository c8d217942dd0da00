from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "jianguan.entities"
    label = "entities"
    verbose_name = _("市场主体库")

    def ready(self):
        from jianguan.core import audit
        from jianguan.core.navigation import ALL_STAFF, NavItem, register

        register(NavItem(_("市场主体"), "entities:entity_list", ALL_STAFF, 10))
        audit.register_actions({
            "entity.create": _("新增市场主体"), "entity.update": _("修改市场主体信息"), "entity.status": _("变更市场主体状态"),
            "entity.former_name": _("登记曾用名"), "entity.person_link": _("关联相关人员"), "entity.person_unlink": _("解除人员关联"),
            "licence.create": _("登记行政许可"), "filing.create": _("登记备案信息"), "demo.load": _("载入演示数据"),
        })
