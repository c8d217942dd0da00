from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jianguan.inspections"
    label = "inspections"
    verbose_name = _("双随机一公开")

    def ready(self):
        from . import navigation, rules  # noqa: F401  (rules registers the parameters)

        navigation.register()
