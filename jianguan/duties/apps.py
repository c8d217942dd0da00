from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "jianguan.duties"
    label = "duties"
    verbose_name = _("任务分工")

    def ready(self) -> None:
        from . import navigation

        navigation.register()
