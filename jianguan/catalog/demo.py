"""沁县 demo catalogue: items of the main supervising departments with their legal basis, implementation lists
with check points, work guidelines, rules and standards, the current annual plan, 审管衔接 routes with a few
licences and filings.

Idempotent: every row is looked up by its natural key (item code, list code, title, year) first; a re-run
only checks. Item and list codes are made up for the demo (14 digits: 1 + department no. + 140430 + serial);
laws and articles are real. Departments without demo accounts keep their items without named people, so
the "gap" pages have something to show.
"""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from jianguan.core.identifiers import generate_uscc
from jianguan.core.models import Department, User

from .choices import NoticeStatus
from .models import (
    ApprovalRoute,
    CountyPlan,
    DepartmentPlan,
    FilingMatter,
    ImplementationList,
    RuleStandard,
    SupervisionItem,
    SupervisionNotice,
)

REGION = "140430"

# department name → (no. in codes, leader username, unit name, staff usernames)
DEPARTMENTS = {
    "沁县市场监督管理局": (1, "scjg_leader", "沁县市场监督管理局综合行政执法队", ["scjg_zf1", "scjg_zf2"]),
    "沁县应急管理局": (2, "yjj_leader", "沁县应急管理综合行政执法队", ["yjj_zf1", "yjj_zf2"]),
    "沁县卫生健康和体育局": (3, None, "沁县卫生健康综合行政执法队", []),
    "沁县文化和旅游局": (4, None, "沁县文化市场综合行政执法队", []),
    "沁县交通运输局": (5, None, "沁县交通运输综合行政执法队", []),
    "长治市生态环境局沁县分局": (6, None, None, []),
    "沁县农业农村局": (7, None, "沁县农业综合行政执法队", []),
    "沁县住房和城乡建设管理局": (8, None, None, []),
}

# (department, serial, name, field, object, basis, method, category, random, approval_to_filing, level)
ITEMS = [
    ("沁县市场监督管理局", 1, "食品经营者监督检查", "food_drug", "食品经营者（含餐饮服务提供者）",
     "《中华人民共和国食品安全法》第八十七条、第一百一十条；《食品生产经营监督检查管理办法》第十条", "双随机抽查、重点检查", "key", True, False, "national"),
    ("沁县市场监督管理局", 2, "食品生产者监督检查", "food_drug", "食品生产企业、食品小作坊",
     "《中华人民共和国食品安全法》第一百一十条；《山西省食品小作坊小经营店小摊点管理条例》第二十九条", "双随机抽查、重点检查", "key", True, False, "provincial"),
    ("沁县市场监督管理局", 3, "仅销售预包装食品备案监督检查", "food_drug", "仅销售预包装食品的经营者",
     "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第四十九条", "备案核查、双随机抽查", "general", True, True, "national"),
    ("沁县市场监督管理局", 4, "药品零售企业监督检查", "food_drug", "药品零售企业",
     "《中华人民共和国药品管理法》第九十九条；《药品经营和使用质量监督管理办法》第五十六条", "双随机抽查", "key", True, False, "national"),
    ("沁县市场监督管理局", 5, "特种设备使用单位监督检查", "special_equipment", "电梯、锅炉、压力容器、场（厂）内专用机动车辆使用单位",
     "《中华人民共和国特种设备安全法》第五十七条；《特种设备安全监察条例》第五十条", "双随机抽查、重点检查", "key", True, False, "national"),
    ("沁县市场监督管理局", 6, "企业公示信息抽查", "market_order", "辖区内企业",
     "《企业信息公示暂行条例》第十四条", "双随机抽查", "general", True, False, "national"),
    ("沁县市场监督管理局", 7, "计量器具使用监督检查", "market_order", "集贸市场、加油站、医疗机构等计量器具使用者",
     "《中华人民共和国计量法》第十八条", "双随机抽查", "general", True, False, "national"),
    ("沁县应急管理局", 1, "危险化学品经营单位安全生产监督检查", "work_safety", "危险化学品经营单位（含加油站）",
     "《中华人民共和国安全生产法》第六十五条；《危险化学品安全管理条例》第六条", "双随机抽查、重点检查", "key", True, False, "national"),
    ("沁县应急管理局", 2, "煤矿安全生产监督检查", "coal_mine", "辖区内生产建设煤矿",
     "《中华人民共和国安全生产法》第六十五条；《煤矿安全生产条例》第四十一条", "重点检查、全覆盖", "key", False, False, "provincial"),
    ("沁县应急管理局", 3, "工贸企业安全生产监督检查", "work_safety", "冶金、建材、机械等工贸企业",
     "《中华人民共和国安全生产法》第六十五条；《工贸企业重大事故隐患判定标准》第二条", "双随机抽查", "general", True, False, "national"),
    ("沁县卫生健康和体育局", 1, "公共场所卫生监督检查", "health", "住宿、沐浴、美容美发等公共场所经营者",
     "《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十条", "双随机抽查", "general", True, False, "national"),
    ("沁县卫生健康和体育局", 2, "生活饮用水卫生监督检查", "health", "集中式供水单位、二次供水单位",
     "《中华人民共和国传染病防治法》第五十三条；《生活饮用水卫生监督管理办法》第十六条", "双随机抽查", "key", True, False, "national"),
    ("沁县文化和旅游局", 1, "娱乐场所监督检查", "culture_tourism", "歌舞、游艺娱乐场所",
     "《娱乐场所管理条例》第三十四条", "双随机抽查", "general", True, False, "national"),
    ("沁县文化和旅游局", 2, "旅行社监督检查", "culture_tourism", "旅行社及其分社、服务网点",
     "《中华人民共和国旅游法》第八十三条；《旅行社条例》第四十一条", "双随机抽查", "general", True, False, "national"),
    ("沁县交通运输局", 1, "道路运输经营者监督检查", "transport", "道路旅客运输、货物运输经营者",
     "《中华人民共和国道路运输条例》第五十八条", "双随机抽查", "general", True, False, "national"),
    ("沁县交通运输局", 2, "机动车维修经营者监督检查", "transport", "机动车维修经营者",
     "《机动车维修管理规定》第四十六条", "双随机抽查", "general", True, True, "national"),
    ("长治市生态环境局沁县分局", 1, "排污单位监督检查", "ecology", "纳入排污许可管理的企业事业单位",
     "《中华人民共和国环境保护法》第二十四条；《排污许可管理条例》第二十七条", "双随机抽查、非现场监管", "key", True, False, "national"),
    ("沁县农业农村局", 1, "农药经营者监督检查", "agriculture", "农药经营者",
     "《农药管理条例》第四十一条", "双随机抽查", "general", True, False, "national"),
    ("沁县住房和城乡建设管理局", 1, "建筑施工安全监督检查", "construction", "在建房屋建筑和市政基础设施工程",
     "《建设工程安全生产管理条例》第四十条", "双随机抽查、重点检查", "key", True, False, "national"),
]

# item (department, serial) → implementation lists: (suffix, name, object, method, frequency, check points, result handling)
IMPLS = {
    ("沁县市场监督管理局", 1): [
        ("001", "食品销售者日常监督检查", "食品销售者", "onsite", "按抽查比例，每年不少于1次",
         ["经营许可证是否合法有效并在显著位置悬挂｜食品经营许可和备案管理办法", "从业人员健康证明是否在有效期内｜食品安全法 第四十五条",
          "进货查验记录和票证留存是否完整｜食品安全法 第六十五条", "临近保质期食品是否集中陈列并提示",
          "散装食品贮存位置是否标明名称、生产日期、保质期", "冷藏冷冻食品贮存温度是否符合要求"]),
        ("002", "餐饮服务提供者日常监督检查", "餐饮服务提供者", "onsite", "按抽查比例，每年不少于1次",
         ["许可证与经营项目是否一致", "后厨布局与加工流程是否生熟分开", "餐饮具清洗消毒设施是否正常使用｜GB 31654-2021",
          "食品添加剂是否专柜存放、专人管理｜GB 2760-2024", "明厨亮灶是否落实"]),
    ],
    ("沁县市场监督管理局", 5): [
        ("001", "电梯使用单位监督检查", "电梯使用单位", "onsite", "每年不少于1次",
         ["电梯是否办理使用登记｜特种设备安全法 第三十三条", "定期检验合格标志是否在有效期内",
          "维护保养合同和记录是否齐全", "安全管理人员是否持证上岗", "应急救援演练是否每年开展"]),
    ],
    ("沁县应急管理局", 1): [
        ("001", "加油站安全生产检查", "加油站", "onsite", "每年不少于2次",
         ["危险化学品经营许可证是否有效", "安全生产责任制和操作规程是否健全", "油罐区、加油区防雷防静电检测报告是否有效",
          "消防器材配备与有效期", "卸油作业是否有专人监护", "应急预案是否备案并演练"]),
    ],
    ("沁县卫生健康和体育局", 1): [
        ("001", "住宿场所卫生检查", "宾馆、旅店", "onsite", "按抽查比例",
         ["卫生许可证是否有效（已告知承诺的查承诺事项）", "从业人员健康合格证明", "公共用品用具清洗消毒保洁记录",
          "空气、水质检测报告｜GB 37488-2019"]),
    ],
}

GUIDELINES = {
    ("沁县市场监督管理局", 1): (
        "检查食品经营者的许可或备案、人员健康管理、进货查验、食品贮存、标签标识、临期和过期食品处置、餐饮服务加工制作过程等。",
        "现场检查与查阅资料相结合：核对证照，查看经营场所和贮存条件，抽查进货查验记录和票证，必要时抽样检验；检查全程记录。",
        "《中华人民共和国食品安全法》第八十七条、第一百一十条；《食品生产经营监督检查管理办法》。",
        "未发现问题的，记录在案并按规定公示；发现一般问题的，当场责令改正并跟踪复查；涉嫌违法的，按程序立案查处；"
        "涉嫌犯罪的，移送公安机关。检查结果于20个工作日内通过国家企业信用信息公示系统公示。"),
    ("沁县应急管理局", 1): (
        "检查危险化学品经营单位的经营许可、安全生产责任制、安全管理制度和操作规程、重大危险源管控、应急管理等。",
        "现场检查为主，对照检查要点逐项核查；查阅安全培训、隐患排查治理台账。",
        "《中华人民共和国安全生产法》；《危险化学品安全管理条例》。",
        "发现事故隐患的，责令立即或限期整改；重大事故隐患挂牌督办；违法行为依法处罚。"),
    ("沁县卫生健康和体育局", 1): (
        "检查公共场所卫生许可（告知承诺）、从业人员健康、卫生管理制度、公共用品用具消毒、室内空气和水质。",
        "现场检查，查阅资料，必要时现场快速检测。",
        "《公共场所卫生管理条例》及其实施细则。",
        "责令限期改正；逾期不改的依法给予警告、罚款；检查结果公示。"),
}

RULES = [
    ("沁县市场监督管理局", "standard", "national", "food_drug", "食品安全国家标准 食品添加剂使用标准", "GB 2760-2024", "国家卫生健康委员会、国家市场监督管理总局",
     dt.date(2024, 2, 8), dt.date(2025, 2, 8), True, "规定食品添加剂的使用原则、允许使用的品种、使用范围及最大使用量或残留量。"),
    ("沁县市场监督管理局", "standard", "national", "food_drug", "食品安全国家标准 餐饮服务通用卫生规范", "GB 31654-2021", "国家卫生健康委员会、国家市场监督管理总局",
     dt.date(2021, 2, 22), dt.date(2022, 2, 22), True, "餐饮服务活动中食品采购、贮存、加工、供应、配送和餐（饮）具、食品容器及工具清洗、消毒等环节的基本要求。"),
    ("沁县市场监督管理局", "rule", "industry", "special_equipment", "特种设备使用管理规则", "TSG 08-2017", "国家质量监督检验检疫总局",
     dt.date(2017, 1, 16), dt.date(2017, 8, 1), True, "特种设备使用单位的安全管理、使用登记、定期检验和维护保养要求。"),
    ("沁县应急管理局", "rule", "national", "coal_mine", "煤矿安全规程（2022年修订）", "", "应急管理部",
     dt.date(2022, 1, 6), dt.date(2022, 4, 1), True, "煤矿建设、开采、通风、瓦斯防治、防灭火、防治水等安全要求。"),
    ("沁县卫生健康和体育局", "standard", "national", "health", "生活饮用水卫生标准", "GB 5749-2022", "国家市场监督管理总局、国家标准化管理委员会",
     dt.date(2022, 3, 15), dt.date(2023, 4, 1), True, "生活饮用水水质要求、水源水质要求、集中式供水单位卫生要求。"),
    ("沁县交通运输局", "standard", "industry", "transport", "危险货物道路运输规则", "JT/T 617-2018", "交通运输部",
     dt.date(2018, 11, 30), dt.date(2019, 4, 1), False, "危险货物道路运输的分类、包装、托运、装卸、运输车辆和人员要求。"),
    ("长治市生态环境局沁县分局", "standard", "national", "ecology", "污水综合排放标准", "GB 8978-1996", "国家环境保护局",
     dt.date(1996, 10, 4), dt.date(1998, 1, 1), True, "按照污水排放去向，分年限规定69种水污染物最高允许排放浓度及部分行业最高允许排水量。"),
    ("沁县文化和旅游局", "rule", "local", "culture_tourism", "沁县A级旅游景区安全检查规则（演示）", "", "沁县文化和旅游局",
     dt.date(2025, 6, 1), dt.date(2025, 7, 1), False, "景区最大承载量、游览设施、消防和应急管理的检查内容与频次。"),
    ("沁县审批服务管理局", "rule", "local", "public_resource", "沁县公共资源交易监督管理规则（演示）", "", "沁县审批服务管理局",
     dt.date(2025, 3, 1), dt.date(2025, 4, 1), False, "公共资源交易项目进场、信息公开、评标专家抽取和异常情况处置。"),
]
CLEANUP_RULE = ("沁县市场监督管理局", "rule", "local", "food_drug", "沁县食品小作坊监督检查规则（演示）", "", "沁县市场监督管理局",
                dt.date(2019, 5, 1), dt.date(2019, 6, 1), False, "食品小作坊检查“视情况确定检查频次”，处理措施“必要时从严”。")

ROUTES = [
    ("食品经营许可", "食品经营许可", "沁县市场监督管理局", 1),
    ("药品经营许可", "药品经营许可", "沁县市场监督管理局", 4),
    ("危险化学品经营许可", "危险化学品经营许可", "沁县应急管理局", 1),
    ("公共场所卫生许可", "公共场所卫生许可", "沁县卫生健康和体育局", 1),
    ("娱乐经营许可", "娱乐经营许可", "沁县文化和旅游局", 1),
    ("道路运输经营许可", "道路运输经营许可", "沁县交通运输局", 1),
    ("排污许可", "排污许可", "长治市生态环境局沁县分局", 1),
]

# (entity name, industry code, certificate name or None, licence no)
LICENSED = [
    ("沁县沁州黄粮油超市", "F5212", "食品经营许可证", "JY11404300000101"),
    ("沁县百姓大药房", "F5251", "药品经营许可证", "晋CB3550001"),
    ("沁县城东加油站", "F5265", "危险化学品经营许可证", "晋长危化经字〔2026〕001"),
    ("沁县悦来宾馆", "H6110", "公共场所卫生许可证", "沁卫公证字〔2026〕第012号"),
    ("沁县欢乐KTV", "R9011", "娱乐经营许可证", "140430120001"),
    ("沁县顺达物流有限公司", "G5430", "道路运输经营许可证", "晋交运管许可长字140430001"),
    ("沁县农家饭庄", "H6210", "食品经营许可证", "JY21404300000102"),
]
UNFILED = [("沁县街角便利店", "F5213"), ("沁县好邻居便利店", "F5213"), ("沁县茶叶酒水店", "F5226")]
FILED = ("沁县惠民便利店", "F5213", "YB14043000001")


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _code(dept_no: int, serial: int) -> str:
    return f"1{dept_no:02d}{REGION}{serial:05d}"


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _actor_for(department: Department) -> User:
    leader = _user(DEPARTMENTS.get(department.name, (0, None))[1])
    return leader or User.objects.get(username="admin")


def _load_items(departments: dict[str, Department], start: dt.date) -> dict[tuple[str, int], SupervisionItem]:
    from . import services

    existing = {i.code: i for i in SupervisionItem.objects.filter(code__in=[_code(DEPARTMENTS[d][0], s) for d, s, *_ in ITEMS])}
    out = {}
    for dept_name, serial, name, field, obj, basis, method, category, random_check, to_filing, level in ITEMS:
        dept = departments[dept_name]
        no, leader, unit, staff = DEPARTMENTS[dept_name]
        code = _code(no, serial)
        item = existing.get(code)
        if item is None:
            from .basis import parse_basis

            actor = _actor_for(dept)
            item = services.item_create(
                actor=actor, department=dept, code=code, name=name, supervision_object=obj, effective_from=start,
                provisions=services.provisions_resolve(actor=actor, pairs=parse_basis(basis)),
                handling_staff=[u for u in (_user(s) for s in staff) if u], field=field, method=method, category=category,
                random_check=random_check, approval_to_filing=to_filing, level=level, scope=f"沁县行政区域内的{obj}",
                responsible_leader=_user(leader), handling_unit=Department.objects.filter(name=unit).first() if unit else None,
                reason_note="依据国家、省“互联网+监管”系统监管事项目录清单梳理")
        out[(dept_name, serial)] = item
    return out


def _load_adjustment(items, start: dt.date) -> None:
    """One item adjusted after its first version, so the history page has a version to compare."""
    from . import services

    item = items[("沁县市场监督管理局", 1)]
    if item.version == 1:
        services.item_update(actor=_actor_for(item.department), item=item, effective_from=start + dt.timedelta(days=90),
                             reason="correction", reason_note="按信用风险分类结果确定抽查比例和频次",
                             data={"method": "双随机抽查、重点检查、信用风险分类监管",
                                   "scope": "沁县行政区域内取得食品经营许可或备案的经营者（含网络餐饮服务）"})


def _load_impls(items, start: dt.date) -> None:
    from . import services

    have = set(ImplementationList.objects.values_list("code", flat=True))
    for key, lists in IMPLS.items():
        item = items[key]
        for suffix, name, obj, method, frequency, points, *_rest in lists:
            code = item.code + suffix
            if code in have:
                continue
            services.impl_list_create(
                actor=_actor_for(item.department), item=item, code=code, name=name, check_object=obj, frequency=frequency,
                method=method, effective_from=start, check_points=[tuple(p.split("｜", 1)) if "｜" in p else p for p in points],
                basis="、".join(b.provision.__str__() for b in item.bases.select_related("provision")),
                result_handling="未发现问题的记录公示；发现问题的责令改正并跟踪复查；涉嫌违法的立案查处。")


def _load_guidelines(items) -> None:
    from . import services

    for key, (content, method, basis, handling) in GUIDELINES.items():
        item = items[key]
        actor = _actor_for(item.department)
        guideline, _changed = services.guideline_save(actor=actor, item=item, content=content, method=method, basis=basis,
                                                      result_handling=handling)
        if guideline.status != "published":
            services.guideline_set_published(actor=actor, guideline=guideline, published=True)


def _load_rules(departments) -> None:
    from . import services

    titles = set(RuleStandard.objects.values_list("title", flat=True))
    for dept_name, kind, level, field, title, number, body, issued, effective, mandatory, summary in RULES + [CLEANUP_RULE]:
        if title in titles:
            continue
        dept = departments[dept_name]
        actor = _actor_for(dept)
        rule = services.rule_create(actor=actor, department=dept, title=title, field=field, kind=kind, level=level, number=number,
                                    issuing_body=body, issued_on=issued, effective_on=effective, mandatory=mandatory, summary=summary)
        services.rule_set_status(actor=actor, rule=rule, status="published")
        if title == CLEANUP_RULE[4]:
            services.rule_cleanup(actor=actor, rule=rule, status="flagged", reason="vague_boundary",
                                  note="检查频次“视情况确定”、处理措施“必要时从严”边界模糊，拟按省条例修订",
                                  due=timezone.localdate() + dt.timedelta(days=60))


def _load_plan(items, departments, year: int) -> None:
    from . import services

    admin = User.objects.get(username="admin")
    county = CountyPlan.objects.filter(year=year).first()
    if county is not None and county.status != "open":
        return
    end = dt.date(year, 12, 31)
    if end < timezone.localdate():
        return
    start = dt.date(year, 1, 1)
    ratios = {"key": 30, "general": 5}
    coop = {("沁县市场监督管理局", 1): ["沁县卫生健康和体育局"], ("沁县应急管理局", 1): ["沁县市场监督管理局"]}
    for dept_name in ("沁县市场监督管理局", "沁县应急管理局", "沁县卫生健康和体育局", "沁县文化和旅游局"):
        dept = departments[dept_name]
        actor = _actor_for(dept)
        plan = DepartmentPlan.objects.filter(county_plan__year=year, department=dept).first()
        if plan is None:
            plan = services.department_plan_create(actor=actor, department=dept, year=year)
        if plan.status in ("draft", "returned") and not plan.rows.exists():
            for (d, serial), item in items.items():
                if d != dept_name or not item.random_check:
                    continue
                services.plan_row_add(actor=actor, plan=plan, item=item, object_scope=f"全县{item.supervision_object}",
                                      category=item.category, ratio=ratios[item.category], frequency=1,
                                      period_start=start, period_end=end, method="onsite",
                                      cooperating_departments=[departments[c] for c in coop.get((d, serial), [])])
            services.department_plan_submit(actor=actor, plan=plan)
    county = CountyPlan.objects.get(year=year)
    services.county_plan_approve(actor=admin, county_plan=county, note="经县推进政府职能转变和“放管服效”改革协调小组审议同意")


def _entity(name: str, industry: str):
    from jianguan.entities import services as entity_services
    from jianguan.entities.models import Entity

    uscc = generate_uscc(random.Random(f"jianguan-demo:{name}"), area=REGION, authority="9", kind="1" if "有限公司" in name else "2")
    row = Entity.objects.filter(uscc=uscc).first()
    if row is None:
        row = entity_services.entity_create(actor=None, uscc=uscc, name=name, division_code=REGION, industry_code=industry,
                                            kind="enterprise" if "有限公司" in name else "individual",
                                            business_address=f"沁县定昌镇{name[2:4]}街")
    return row


def _load_linkage(items, departments) -> None:
    from jianguan.entities import services as entity_services
    from jianguan.entities.models import Filing, Licence

    from . import services

    admin = User.objects.get(username="admin")
    approval = departments["沁县审批服务管理局"]
    for matter, keyword, dept_name, serial in ROUTES:
        if not ApprovalRoute.objects.filter(keyword=keyword, supervising_department=departments[dept_name]).exists():
            services.route_create(actor=admin, matter=matter, keyword=keyword, supervising_department=departments[dept_name],
                                  approval_department=approval, item=items.get((dept_name, serial)))
    today = timezone.localdate()
    for i, (name, industry, certificate, number) in enumerate(LICENSED):
        entity = _entity(name, industry)
        if Licence.objects.filter(department=approval, document_no=f"沁审批许〔{today.year}〕{i + 1:03d}号").exists():
            continue
        decided = today - dt.timedelta(days=20 - i * 3)
        with transaction.atomic():
            licence = entity_services.licence_create(
                actor=admin, entity=entity, department=approval, document_name="准予行政许可决定书",
                document_no=f"沁审批许〔{today.year}〕{i + 1:03d}号", certificate_name=certificate, licence_no=number,
                content=f"{certificate.removesuffix('证')}：{name}", decided_on=decided, valid_from=decided,
                valid_to=decided.replace(year=decided.year + 5), source_system="沁县一枚印章审批系统（演示）")
            # notices dated on the decision day, so the demo shows signed, pending and overdue ones
            services.notices_create(licence_ids=[licence.pk], on=decided)
    for notice in SupervisionNotice.objects.filter(status=NoticeStatus.PENDING, supervising_department__name="沁县市场监督管理局"):
        signer = _user("scjg_zf1")
        if signer and notice.licence.entity.name == "沁县沁州黄粮油超市":
            services.notice_sign(actor=signer, notice=notice)
            services.notice_feedback(actor=signer, notice=notice, result="1", note="")
    market = departments["沁县市场监督管理局"]
    matter = FilingMatter.objects.filter(department=market, keyword="预包装食品").first()
    if matter is None:
        matter = services.filing_matter_create(actor=_actor_for(market), department=market, name="仅销售预包装食品备案",
                                               keyword="预包装食品", item=items[("沁县市场监督管理局", 3)],
                                               industry_codes="F5213,F5226,F5229", licence_keywords="烟草专卖零售许可")
    for name, industry in UNFILED:
        _entity(name, industry)
    name, industry, filing_no = FILED
    entity = _entity(name, industry)
    if not Filing.objects.filter(department=approval, filing_no=filing_no).exists():
        entity_services.filing_create(actor=admin, entity=entity, department=approval, matter="仅销售预包装食品备案",
                                      filing_no=filing_no, filed_on=today - dt.timedelta(days=5))
    services.sync_all()


def load(stdout=None) -> None:
    names = set(DEPARTMENTS) | {"沁县审批服务管理局"}
    departments = {d.name: d for d in Department.objects.filter(name__in=names)}
    if len(departments) != len(names) or not User.objects.filter(username="admin").exists():
        _say(stdout, "监管事项演示数据：缺少核心演示部门或账号，跳过\n")
        return
    start = dt.date(timezone.localdate().year, 1, 1)
    with transaction.atomic():
        items = _load_items(departments, start)
        _load_adjustment(items, start)
        _load_impls(items, start)
        _load_guidelines(items)
        _load_rules(departments)
        _load_plan(items, departments, timezone.localdate().year)
    _load_linkage(items, departments)
    _say(stdout, f"监管事项演示数据：{SupervisionItem.objects.count()} 个监管事项，"
                 f"{ImplementationList.objects.count()} 个检查实施清单，{SupervisionNotice.objects.count()} 件监管告知\n")
