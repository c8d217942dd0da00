"""Runtime parameters of random inspections (versioned through core.params; the owner changes them)."""
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import params
from jianguan.core.params import ParamSpec

GROUP = _lazy("双随机一公开")

params.register(ParamSpec("inspections.exclude_days", _lazy("同一事项近期已检查主体的排除期"), "int", 365, _lazy("天"),
                          _lazy("避免对同一主体同一事项重复检查（任务分工 三(三)：减少重复检查）"), 0, 3650, GROUP))
params.register(ParamSpec("inspections.inspectors_per_object", _lazy("每个检查对象的检查人员数"), "int", 2, _lazy("人"),
                          _lazy("行政执法检查不少于两名执法人员（行政处罚法 第四十二条）"), 2, 6, GROUP))
params.register(ParamSpec("inspections.rotation_days", _lazy("执法人员检查同一主体的轮换期"), "int", 365, _lazy("天"),
                          _lazy("曾检查同一主体的执法人员在轮换期内回避（事前回避：先前参与）"), 0, 3650, GROUP))
