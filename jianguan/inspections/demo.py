"""沁县 demo data for random inspections: the inspector directory, object-directory rules for the demo items, a key
supervision entry, a food task drawn with a few results entered and published, and two departments' tasks on fuel
stations whose shared objects merge into joint visits. Idempotent: nothing is added once a task exists."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

# (department, item name) → object-directory rule
RULES = {
    ("沁县市场监督管理局", "食品经营者监督检查"): {"industry_prefixes": ["F522", "H62"], "note": "食品零售和餐饮服务"},
    ("沁县市场监督管理局", "食品生产者监督检查"): {"industry_prefixes": ["C13", "C14"], "note": "农副食品加工和食品制造"},
    ("沁县市场监督管理局", "药品零售企业监督检查"): {"industry_prefixes": ["F525"], "note": "药品零售"},
    ("沁县市场监督管理局", "计量器具使用监督检查"): {"industry_prefixes": ["F5265", "Q84"], "note": "加油站、医疗机构"},
    ("沁县市场监督管理局", "企业公示信息抽查"): {"kinds": ["enterprise"], "note": "辖区内企业"},
    ("沁县应急管理局", "危险化学品经营单位安全生产监督检查"): {"industry_prefixes": ["F5265", "F516"], "note": "加油站、危险化学品批发"},
    ("沁县应急管理局", "工贸企业安全生产监督检查"): {"industry_prefixes": ["C3"], "note": "冶金、建材、机械等工贸企业"},
}


# More 执法人员 so that draws have a real pool to pick pairs from (the core demo has two per bureau).
EXTRA_INSPECTORS = [
    ("scjg_zf3", "王志刚", "沁县市场监督管理局综合行政执法队", "14043001003", "食品药品、市场秩序"),
    ("scjg_zf4", "赵丽萍", "沁县市场监督管理局综合行政执法队", "14043001004", "食品药品"),
    ("scjg_zf5", "孙海军", "沁县市场监督管理局综合行政执法队", "14043001005", "市场秩序、特种设备"),
    ("scjg_zf6", "周文静", "沁县市场监督管理局综合行政执法队", "14043001006", "食品药品、市场秩序"),
    ("scjg_zf7", "吴国强", "沁县市场监督管理局综合行政执法队", "14043001007", "市场秩序"),
    ("yjj_zf3", "郑安民", "沁县应急管理综合行政执法队", "14043006003", "安全生产"),
    ("yjj_zf4", "冯建华", "沁县应急管理综合行政执法队", "14043006004", "安全生产、危险化学品"),
]


def _extra_inspectors() -> None:
    from jianguan.core.choices import Role
    from jianguan.core.demo import DEMO_PASSWORD
    from jianguan.core.models import Department, User
    from jianguan.core.services import account_create

    for username, name, dept_name, cert, fields in EXTRA_INSPECTORS:
        dept = Department.objects.filter(name=dept_name).first()
        if dept is not None and not User.objects.filter(username=username).exists():
            account_create(actor=None, username=username, display_name=name, role=Role.INSPECTOR, department=dept,
                           password=DEMO_PASSWORD, must_change_password=False, cert_no=cert, enforcement_fields=fields,
                           qualifications="山西省行政执法证")


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _row(department, item_name: str):
    from jianguan.catalog.models import PlanRow

    return (PlanRow.objects.filter(plan__department=department, item__name=item_name, plan__status="approved",
                                   period_end__gte=timezone.localdate()).select_related("item").first())


def _accounts() -> list[tuple[str, str, str]]:
    from jianguan.core.choices import Role
    from jianguan.core.models import User

    present = set(User.objects.filter(username__in=[u for u, *_ in EXTRA_INSPECTORS]).values_list("username", flat=True))
    return [(u, name, str(Role.INSPECTOR.label)) for u, name, *_ in EXTRA_INSPECTORS if u in present]


def load(stdout=None) -> list[tuple[str, str, str]]:
    from jianguan.catalog.models import SupervisionItem
    from jianguan.core.models import Department, User
    from jianguan.inspections import services
    from jianguan.inspections.models import InspectionTask, Inspector, TaskObject

    if InspectionTask.objects.exists():
        _say(stdout, f"双随机抽查演示数据：已有 {InspectionTask.objects.count()} 个抽查任务，跳过\n")
        return _accounts()
    depts = {d.name: d for d in Department.objects.filter(name__in=["沁县市场监督管理局", "沁县应急管理局"])}
    if len(depts) < 2 or not SupervisionItem.objects.filter(random_check=True).exists():
        _say(stdout, "双随机抽查演示数据：缺少演示部门或随机抽查事项，跳过\n")
        return []
    with transaction.atomic():
        _extra_inspectors()
        services.inspector_sync(actor=None)
        for (dept_name, item_name), rule in RULES.items():
            item = SupervisionItem.objects.filter(department=depts[dept_name], name=item_name, random_check=True).first()
            if item is not None:
                services.object_rule_save(actor=None, item=item, data=rule)
    scjg, yjj = depts["沁县市场监督管理局"], depts["沁县应急管理局"]
    food, fuel_metering, fuel_safety = (_row(scjg, "食品经营者监督检查"), _row(scjg, "计量器具使用监督检查"),
                                        _row(yjj, "危险化学品经营单位安全生产监督检查"))
    if not (food and fuel_metering and fuel_safety):
        _say(stdout, "双随机抽查演示数据：没有期间未结束的年度计划事项，跳过任务\n")
        return _accounts()
    from jianguan.entities.models import Entity

    station = Entity.objects.filter(industry_code__startswith="F5265", status__in=["existing", "operating"]).order_by("uscc").first()
    if station is not None:
        services.key_entry_add(actor=None, department=yjj, entity=station, item=fuel_safety.item,
                               reason="加油站涉及公共安全，列入重点监管，每次抽查全覆盖")
    year = timezone.localdate().year
    tasks = [
        services.task_create(actor=None, department=scjg, name=f"{year}年食品经营者双随机抽查", plan_rows=[food],
                             ratios={"A": "2", "B": "5", "C": "20", "D": "60"}),
        services.task_create(actor=None, department=scjg, name=f"{year}年加油站计量器具双随机抽查", plan_rows=[fuel_metering],
                             ratios={"A": "10", "B": "20", "C": "40", "D": "80"}),
        services.task_create(actor=None, department=yjj, name=f"{year}年危险化学品经营单位安全生产抽查", plan_rows=[fuel_safety],
                             ratios={"A": "10", "B": "20", "C": "40", "D": "80"}),
    ]
    drawn = 0
    for task in tasks:
        try:
            services.draw_commit(actor=None, task=task)
            drawn += services.draw_run(actor=None, task=task).selected_count
        except Exception as exc:  # a demo without enough inspectors or candidates still loads the rest
            _say(stdout, f"双随机抽查演示数据：任务 {task.code} 未能抽取（{exc}）\n")
    # A few results on the food task, entered and published by the inspector assigned.
    zf1 = User.objects.filter(username="scjg_zf1").first()
    today = timezone.localdate()
    objs = list(TaskObject.objects.filter(task=tasks[0]).select_related("task", "entity").order_by("uscc")[:4])
    for n, obj in enumerate(objs):
        actor = zf1 if zf1 and obj.assignments.filter(inspector__user=zf1, active=True).exists() else None
        points = [p for impl in services.results.checklist(obj) for p in impl.check_points.all()]
        problem = n == 1
        answers = {str(p.pk): {"answer": "nonconform" if problem and i == 0 else "conform",
                               "note": "进货查验记录不全，缺少两批次供货者许可证复印件" if problem and i == 0 else ""}
                   for i, p in enumerate(points)}
        data = {"checked_on": today, "result_code": "A" if problem else "1", "answers": answers,
                "summary": "现场检查经营场所、许可证照和进货查验记录", "follow_up": "order" if problem else "none",
                "correct_by": today + dt.timedelta(days=15) if problem else None,
                "follow_up_note": "责令15日内补齐进货查验记录" if problem else ""}
        result = services.result_save(actor=actor, task_object=obj, data=data)
        if n < 3:
            services.result_publish(actor=actor, result=result)
    _say(stdout, f"双随机抽查演示数据：执法检查人员 {Inspector.objects.count()} 名，抽查任务 {len(tasks)} 个，抽中 {drawn} 户\n")
    return _accounts()
