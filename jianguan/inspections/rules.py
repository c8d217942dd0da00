"""Runtime parameters of random inspections (versioned through core.params; the owner changes them)."""
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import audit, params
from jianguan.core.params import ParamSpec

GROUP = _lazy("双随机一公开")

params.register(ParamSpec("inspections.exclude_days", _lazy("同一事项近期已检查主体的排除期"), "int", 365, _lazy("天"),
                          _lazy("避免对同一主体同一事项重复检查（任务分工 三(三)：减少重复检查）"), 0, 3650, GROUP))
params.register(ParamSpec("inspections.inspectors_per_object", _lazy("每个检查对象的检查人员数"), "int", 2, _lazy("人"),
                          _lazy("行政执法检查不少于两名执法人员（行政处罚法 第四十二条）"), 2, 6, GROUP))
params.register(ParamSpec("inspections.rotation_days", _lazy("执法人员检查同一主体的轮换期"), "int", 365, _lazy("天"),
                          _lazy("曾检查同一主体的执法人员在轮换期内回避（事前回避：先前参与）"), 0, 3650, GROUP))

audit.register_actions({
    "inspections.inspector_sync": _lazy("同步执法检查人员名录"), "inspections.inspector_update": _lazy("修改执法检查人员名录"),
    "inspections.conflict_declare": _lazy("申报回避"), "inspections.conflict_withdraw": _lazy("撤销回避申报"),
    "inspections.object_rule_save": _lazy("设置检查对象名录规则"), "inspections.directory_adjust": _lazy("调整检查对象名录"),
    "inspections.key_add": _lazy("列入重点监管名单"), "inspections.key_end": _lazy("移出重点监管名单"),
    "inspections.task_create": _lazy("新建抽查任务"), "inspections.task_cancel": _lazy("撤销抽查任务"),
    "inspections.draw_commit": _lazy("公布抽取承诺值"), "inspections.draw_run": _lazy("随机抽取"),
    "inspections.draw_redo": _lazy("重新抽取"), "inspections.recuse": _lazy("检查人员回避并重新抽取"),
    "inspections.result_save": _lazy("录入检查结果"), "inspections.photo_add": _lazy("上传现场照片"),
    "inspections.result_publish": _lazy("公示检查结果"), "inspections.result_correct": _lazy("更正检查结果"),
})
