from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jianguan.inspections"
    label = "inspections"
    verbose_name = _("双随机一公开")

    def ready(self):
        from jianguan.core import audit

        from . import navigation, rules  # noqa: F401  (rules registers the parameters)

        navigation.register()
        audit.register_actions({
            "inspections.inspector_sync": _("同步执法检查人员名录"), "inspections.inspector_update": _("修改执法检查人员名录"),
            "inspections.conflict_declare": _("申报回避"), "inspections.conflict_withdraw": _("撤销回避申报"),
            "inspections.object_rule_save": _("设置检查对象名录规则"), "inspections.directory_adjust": _("调整检查对象名录"),
            "inspections.key_add": _("列入重点监管名单"), "inspections.key_end": _("移出重点监管名单"),
            "inspections.task_create": _("新建抽查任务"), "inspections.task_cancel": _("撤销抽查任务"),
            "inspections.draw_commit": _("公布抽取承诺值"), "inspections.draw_run": _("随机抽取"),
            "inspections.draw_redo": _("重新抽取"), "inspections.recuse": _("检查人员回避并重新抽取"),
            "inspections.result_save": _("录入检查结果"), "inspections.photo_add": _("上传现场照片"),
            "inspections.result_publish": _("公示检查结果"), "inspections.result_correct": _("更正检查结果"),
        })
