from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "jianguan.catalog"
    label = "catalog"
    verbose_name = _("监管事项")

    def ready(self) -> None:
        from jianguan.entities import services as entity_services

        from . import deadlines, navigation
        from .services import on_filings_recorded, on_licences_recorded

        deadlines.register()
        navigation.register()
        # 审管衔接: every licence and filing recorded (one by one or by an import batch) reaches its department.
        entity_services.on_licences_recorded(on_licences_recorded)
        entity_services.on_filings_recorded(on_filings_recorded)
