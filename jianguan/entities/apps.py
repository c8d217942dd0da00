from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "jianguan.entities"
    label = "entities"
    verbose_name = _("市场主体库")

    def ready(self):
        from jianguan.core.navigation import ALL_STAFF, NavItem, register

        register(NavItem(_("市场主体"), "entities:entity_list", ALL_STAFF, 10))
