from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "jianguan.duties"
    label = "duties"
    verbose_name = _("任务分工")

    def ready(self) -> None:
        from jianguan.core import audit

        from . import navigation

        navigation.register()
        audit.register_actions({
            "duties.division.load": _("载入任务分工"), "duties.progress.report": _("报送任务进展"),
            "duties.progress.update": _("修改任务进展"), "duties.attachment.add": _("上传进展附件"),
            "duties.urge.issue": _("发出督办"), "duties.urge.respond": _("答复督办"), "duties.urge.close": _("办结督办"),
        })
