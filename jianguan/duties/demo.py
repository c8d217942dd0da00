"""沁县 demo of the task division: the seed's division loaded, some progress reported this quarter, one 督办.

Idempotent: the division load only tops up; a report for this quarter is only written when missing.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianguan.core.errors import DomainError
from jianguan.core.models import User

from . import services
from .models import Measure, ProgressReport, Urge

# (username, target no., measure no., status, text)
REPORTS = [
    ("scjg_leader", 1, 1, "done", "已对照国家、省监管事项目录清单梳理本局监管事项7项，明确监管对象、范围和依据，录入平台。"),
    ("scjg_leader", 1, 2, "in_progress", "食品、药品、特种设备事项已逐条明确分管负责人和承办人员，其余事项本月底前完成。"),
    ("scjg_leader", 9, 1, "in_progress", "已将企业公示信息、食品、特种设备等事项纳入随机抽查事项清单，年度抽查计划已报批。"),
    ("scjg_leader", 9, 2, "done", "一单两库已建立：检查对象名录库按许可、备案和行业代码生成，执法检查人员名录库录入执法人员2名。"),
    ("yjj_leader", 1, 1, "done", "已梳理危险化学品、煤矿、工贸安全监管事项3项。"),
    ("yjj_leader", 14, 2, "blocked", "加油站内控和风险防范机制建设进度不一，需协调市场监管局联合检查。"),
    ("admin", 1, 1, "done", "组织各部门完成监管事项目录清单梳理，平台已上线事项目录和动态调整功能。"),
]


def load(stdout=None) -> None:
    try:
        result = services.division_load()
    except DomainError as exc:  # the departments may be missing in a partial install
        if stdout is not None:
            stdout.write(f"任务分工演示数据：{exc}\n")
        return
    today = timezone.localdate()
    period = services.period_of(today)
    for username, target_no, measure_no, status, text in REPORTS:
        user = User.objects.filter(username=username, is_active=True).first()
        measure = Measure.objects.filter(target__no=target_no, no=measure_no).first()
        if user is None or measure is None:
            continue
        if ProgressReport.objects.filter(measure=measure, department__staff=user, period=period).exists():
            continue
        services.progress_report(actor=user, measure=measure, period=period, status=status, text=text)
    owner = User.objects.filter(username="xietiao").first()
    measure = Measure.objects.filter(target__no=14, no=2).first()
    if owner and measure and not Urge.objects.exists():
        from jianguan.core.models import Department

        department = Department.objects.filter(name="沁县应急管理局").first()
        if department is not None:
            services.urge_issue(actor=owner, measure=measure, department=department, deadline=today + dt.timedelta(days=10),
                                content="请会同县市场监管局对全县加油站开展联合检查，督促落实内控和风险防范机制，按期反馈。")
    if stdout is not None:
        stdout.write(f"任务分工演示数据：{Measure.objects.count()} 项任务措施，本次新增分工 {result['assignments']} 条\n")
