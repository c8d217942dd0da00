"""The credit app's runtime parameters and deadline rules (versioned; never constants in code).

Imported from CreditConfig.ready() so that every parameter is registered before anything reads it.
Numbers marked (unverified) in RULES.md are defaults an administrator can change with a new version.
"""
from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import params, workdays
from jianguan.core.params import ParamSpec

GROUP = _lazy("信用监管")

params.register(ParamSpec("credit.annual_report_deadline_month", _lazy("年度报告截止月"), "int", 6, _lazy("月"),
                          _lazy("企业信息公示暂行条例 第八条：每年1月1日至6月30日报送上一年度年度报告"), 1, 12, GROUP))
params.register(ParamSpec("credit.annual_report_deadline_day", _lazy("年度报告截止日"), "int", 30, _lazy("日"),
                          _lazy("企业信息公示暂行条例 第八条"), 1, 31, GROUP))
params.register(ParamSpec("credit.abnormal_to_serious_years", _lazy("经营异常名录转严重违法失信名单年限"), "int", 3, _lazy("年"),
                          _lazy("企业信息公示暂行条例 第十七条：列入经营异常名录满3年仍未履行相关义务的"), 1, 10, GROUP))
params.register(ParamSpec("credit.serious_list_years", _lazy("严重违法失信名单公示期"), "int", 3, _lazy("年"),
                          _lazy("市场监督管理严重违法失信名单管理办法（总局令第44号）"), 1, 10, GROUP))
params.register(ParamSpec("credit.serious_list_min_years", _lazy("严重违法失信名单可申请提前移出的最短期限"), "int", 1, _lazy("年"),
                          _lazy("市场监督管理严重违法失信名单管理办法（总局令第44号）(unverified)"), 0, 10, GROUP))
params.register(ParamSpec("credit.serious_list_upper_consent", _lazy("列入严重违法失信名单须经上一级部门同意"), "bool", True, "",
                          _lazy("市场监督管理严重违法失信名单管理办法（总局令第44号）；2025年征求意见稿拟取消"), None, None, GROUP))
params.register(ParamSpec("credit.minor_fine_threshold", _lazy("“较低数额罚款”上限（组织）"), "decimal", "10000", _lazy("元"),
                          _lazy("市场监督管理行政处罚信息公示规定（总局令第45号）第十四条：由省级市场监管部门规定 (unverified)"),
                          0, None, GROUP))
params.register(ParamSpec("credit.serious_fine_threshold", _lazy("“较大数额罚款”下限（组织）"), "decimal", "100000", _lazy("元"),
                          _lazy("RULES.md：组织≥10万元 (unverified；各地规定不同)"), 0, None, GROUP))
params.register(ParamSpec("credit.adjustment_months", _lazy("人工调整信用等级的有效期"), "int", 12, _lazy("月"),
                          _lazy("信用风险分类管理办法：人工调整须说明理由并经负责人批准"), 1, 36, GROUP))
params.register(ParamSpec("credit.grade_history_runs", _lazy("保留的分类计算批次数"), "int", 24, _lazy("批"),
                          _lazy("分类结果留痕，供追溯"), 2, 240, GROUP))
params.register(ParamSpec("credit.default_grade", _lazy("尚未分类主体按此类别抽查"), "str", "B", "",
                          _lazy("新设立主体在首次分类前按一般风险对待"), None, None, GROUP))
params.register(ParamSpec("credit.registration_department", _lazy("登记机关（自动列入经营异常名录的决定机关）名称关键字"), "str",
                          "市场监督管理局", "", _lazy("企业信息公示暂行条例 第十七条：由县级以上市场监管部门列入"), None, None, GROUP))

_min_label = lazy(lambda g: _("%(g)s类主体抽查比例下限") % {"g": g}, str)
_max_label = lazy(lambda g: _("%(g)s类主体抽查比例上限") % {"g": g}, str)

# 双随机抽查比例 by class (RULES.md example in use): the inspections module reads these.
for grade, low, high in (("A", 0, 5), ("B", 5, 20), ("C", 21, 60), ("D", 61, 100)):
    params.register(ParamSpec(f"credit.inspection_ratio_min_{grade}", _min_label(grade), "decimal",
                              str(low), "%", _lazy("市场监管领域信用风险分类管理：按类别差异化确定抽查比例和频次"), 0, 100, GROUP))
    params.register(ParamSpec(f"credit.inspection_ratio_max_{grade}", _max_label(grade), "decimal",
                              str(high), "%", _lazy("市场监管领域信用风险分类管理：按类别差异化确定抽查比例和频次"), 0, 100, GROUP))

# Working-day deadlines.
params.register(ParamSpec("deadline.credit_objection", _lazy("信用信息异议处理期限"), "int", 10, _lazy("个工作日"),
                          _lazy("信用信息异议处理：受理后核实、处理并告知申请人 (unverified；以本省规定为准)"), 1, 60, _lazy("期限")))
params.register(ParamSpec("deadline.credit_repair", _lazy("信用修复申请办理期限"), "int", 15, _lazy("个工作日"),
                          _lazy("失信行为纠正后的信用信息修复管理办法：自受理之日起15个工作日内作出决定 (unverified)"), 1, 60,
                          _lazy("期限")))
params.register(ParamSpec("deadline.abnormal_removal", _lazy("移出经营异常名录决定期限"), "int", 5, _lazy("个工作日"),
                          _lazy("经营异常名录管理办法：收到申请之日起5个工作日内作出决定 (unverified)"), 1, 30, _lazy("期限")))
workdays.register_deadline("deadline.credit_objection", "working")
workdays.register_deadline("deadline.credit_repair", "working")
workdays.register_deadline("deadline.abnormal_removal", "working")


def inspection_ratio(grade: str, at=None) -> tuple:
    """(min %, max %) of entities of `grade` to draw in a random inspection (Decimal), read by the inspections module."""
    return (params.get(f"credit.inspection_ratio_min_{grade}", at=at), params.get(f"credit.inspection_ratio_max_{grade}", at=at))
