"""Runtime parameters and deadline rules of the catalogue (registered once, from CatalogConfig.ready)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from jianguan.core import params, workdays

NOTICE_SIGN = "deadline.supervision_notice_sign"
FILING_VERIFICATION = "deadline.filing_verification"


def register() -> None:
    params.register(params.ParamSpec(
        NOTICE_SIGN, _lazy("监管告知签收期限"), "int", 3, _lazy("个工作日"),
        _lazy("沁县加强和规范事中事后监管任务分工 一(二)1：审批和监管部门建立信息双向沟通机制（期限为本县默认值，可调整）"),
        1, 30, _lazy("期限")))
    params.register(params.ParamSpec(
        FILING_VERIFICATION, _lazy("审批改备案事项核查期限"), "int", 20, _lazy("个工作日"),
        _lazy("沁县加强和规范事中事后监管任务分工 一(二)5：对审批改为备案的事项，主管部门要加强核查（期限为本县默认值，可调整）"),
        1, 90, _lazy("期限")))
    workdays.register_deadline(NOTICE_SIGN, "working")
    workdays.register_deadline(FILING_VERIFICATION, "working")
