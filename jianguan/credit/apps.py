from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "jianguan.credit"
    label = "credit"
    verbose_name = _("信用监管")

    def ready(self):
        from jianguan.core import audit
        from jianguan.core.choices import Role
        from jianguan.core.navigation import ALL_STAFF, MANAGERS, NavItem, register
        from jianguan.core.views import HOME_SECTIONS
        from jianguan.entities.selectors import register_timeline_provider

        from . import rules, selectors, views  # noqa: F401  (rules registers the parameters)

        register(NavItem(_("信用监管"), "credit:dashboard", ALL_STAFF, 30))
        register(NavItem(_("逢办必查"), "credit:check", ALL_STAFF, 31))
        register(NavItem(_("名单管理"), "credit:serious_list", ALL_STAFF, 32))
        register(NavItem(_("异议与修复"), "credit:remedies", MANAGERS, 33))
        register(NavItem(_("本企业信用"), "credit:my_credit", frozenset({Role.ENTERPRISE}), 5))
        register_timeline_provider(selectors.timeline)
        audit.register_actions({
            "credit.grade_run": _("信用风险分类批量计算"),
            "credit.indicator_set.create": _("新建信用风险指标体系"), "credit.indicator_set.activate": _("启用信用风险指标体系"),
            "credit.adjustment.request": _("申请人工调整信用等级"), "credit.adjustment.approve": _("批准人工调整信用等级"),
            "credit.adjustment.reject": _("驳回人工调整信用等级"),
            "credit.annual_report.file": _("报送年度报告"), "credit.commitment.make": _("作出信用承诺"),
            "credit.commitments.check": _("核查信用承诺履行"),
            "credit.abnormal.sweep": _("未报年报列入经营异常名录"), "credit.abnormal.list": _("列入经营异常名录"),
            "credit.abnormal.remove": _("移出经营异常名录"),
            "credit.serious.propose": _("提请列入严重违法失信名单"), "credit.serious.approve": _("批准列入严重违法失信名单"),
            "credit.serious.consent": _("上级同意列入严重违法失信名单"), "credit.serious.reject": _("不予列入严重违法失信名单"),
            "credit.objection.file": _("提出信用异议"), "credit.objection.decide": _("处理信用异议"),
            "credit.repair.apply": _("申请信用修复"), "credit.repair.approve": _("准予信用修复"), "credit.repair.reject": _("不予信用修复"),
            "credit.notice.read": _("阅读信用告知"), "credit.measure.save": _("维护联合奖惩措施"),
            "credit.regime.bind": _("设置公示与修复制度适用部门"), "credit.check_log.digest": _("生成查询记录摘要"),
            "credit.report.generate": _("生成信用报告"),
        })
        if views.home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(views.home_section)
