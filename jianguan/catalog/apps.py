from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "jianguan.catalog"
    label = "catalog"
    verbose_name = _("监管事项")

    def ready(self) -> None:
        from jianguan.core import audit
        from jianguan.entities import services as entity_services

        from . import deadlines, navigation
        from .services import on_filings_recorded, on_licences_recorded

        deadlines.register()
        navigation.register()
        # 审管衔接: every licence and filing recorded (one by one or by an import batch) reaches its department.
        entity_services.on_licences_recorded(on_licences_recorded)
        entity_services.on_filings_recorded(on_filings_recorded)
        audit.register_actions({
            # 法律法规条款, 监管事项目录清单, 检查实施清单, 监管工作指引
            "provision.create": _("新增法律法规条款"), "provision.status": _("变更法律法规条款状态"),
            "catalog.item.create": _("新增监管事项"), "catalog.item.update": _("修改监管事项"),
            "catalog.item.review_clear": _("复核确认监管事项依据"),
            "catalog.impl.create": _("新增检查实施清单"), "catalog.impl.update": _("修改检查实施清单"),
            "catalog.guideline.create": _("编写监管工作指引"), "catalog.guideline.update": _("修改监管工作指引"),
            "catalog.guideline.publish": _("公开监管工作指引"), "catalog.guideline.withdraw": _("撤回监管工作指引"),
            # Excel 导入 (f"catalog.import.{kind}", kind in excel.KINDS)
            "catalog.import.items": _("导入监管事项目录清单"), "catalog.import.impl": _("导入检查实施清单"),
            "catalog.import.guidelines": _("导入监管工作指引"), "catalog.import.plans": _("导入年度监管计划"),
            # 监管规则和标准 (f"catalog.rule.{status}", status published or withdrawn)
            "catalog.rule.create": _("新增监管规则和标准"), "catalog.rule.update": _("修改监管规则和标准"),
            "catalog.rule.published": _("公开监管规则和标准"), "catalog.rule.withdrawn": _("撤回监管规则和标准"),
            "catalog.rule.cleanup": _("清理监管规则和标准"),
            # 审管衔接
            "catalog.route.create": _("新增审管衔接路由"), "catalog.route.update": _("修改审管衔接路由"),
            "catalog.notice.create": _("推送监管告知"), "catalog.notice.sign": _("签收监管告知"),
            "catalog.notice.feedback": _("反馈监管结果"), "catalog.overdue.flag": _("标记逾期事项"),
            "catalog.filing_matter.create": _("新增审批改备案事项"), "catalog.filing_matter.update": _("修改审批改备案事项"),
            "catalog.verification.create": _("生成备案核查任务"), "catalog.verification.create_unfiled": _("生成未备案核查任务"),
            "catalog.verification.complete": _("完成核查任务"),
            # 年度监管计划
            "catalog.county_plan.open": _("新建全县年度监管计划"), "catalog.county_plan.approve": _("审定全县年度监管计划"),
            "catalog.county_plan.close": _("关闭全县年度监管计划"),
            "catalog.plan.create": _("新建部门年度监管计划"), "catalog.plan.submit": _("报送部门年度监管计划"),
            "catalog.plan.approve": _("审核通过部门年度监管计划"), "catalog.plan.return": _("退回部门年度监管计划"),
            "catalog.plan_row.add": _("新增计划事项"), "catalog.plan_row.update": _("修改计划事项"),
            "catalog.plan_row.delete": _("删除计划事项"),
        })
