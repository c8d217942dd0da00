"""沁县 demo data for the core app: departments with their units, and one demo account per role.

Idempotent: every row is looked up by its natural key first, so `make run` can load it each time.
Government USCCs are generated deterministically (authority 1 机构编制, kind 1 机关, area 140430) and pass
both GB 32100 checks; they are not the departments' real codes.
"""
from __future__ import annotations

import random

from django.db import transaction

from .choices import DepartmentKind, Role, ShareScope
from .identifiers import generate_id_number, generate_uscc
from .models import Department, DepartmentShare, User

REGION = "140430"
DEMO_PASSWORD = "Jianguan@2026"

# (name, short name, kind, duties) — every department the seed names, then the 县直 departments its fields imply.
DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("沁县人民政府办公室（县推进政府职能转变和“放管服效”改革协调小组办公室）", "协调办", DepartmentKind.OFFICE,
     "统筹协调制定全县监管计划，指导和督促县直部门加强和规范监管执法"),
    ("沁县审批服务管理局", "审批局", DepartmentKind.BUREAU, "“一枚印章管审批”，监管事项目录清单管理，“互联网+监管”系统建设"),
    ("沁县市场监督管理局", "市场监管局", DepartmentKind.BUREAU, "市场主体登记、食品药品、特种设备、计量标准、“双随机、一公开”监管"),
    ("沁县司法局", "司法局", DepartmentKind.BUREAU, "行政执法监督，行政执法三项制度，裁量基准"),
    ("沁县发展和科技局", "发展科技局", DepartmentKind.BUREAU, "社会信用体系建设，信用信息共享"),
    ("沁县应急管理局", "应急局", DepartmentKind.BUREAU, "安全生产监管执法，煤矿安全，危险化学品"),
    ("中共沁县县委机构编制委员会办公室", "县委编办", DepartmentKind.BUREAU, "“三定”规定，权责清单"),
    ("沁县卫生健康和体育局", "卫体局", DepartmentKind.BUREAU, "公共卫生、医疗卫生监督"),
    ("沁县文化和旅游局", "文旅局", DepartmentKind.BUREAU, "文化市场、旅游市场监管"),
    ("沁县交通运输局", "交通局", DepartmentKind.BUREAU, "道路运输、交通工程监管"),
    ("长治市生态环境局沁县分局", "生态环境分局", DepartmentKind.BUREAU, "生态环境监管执法"),
    ("沁县住房和城乡建设管理局", "住建局", DepartmentKind.BUREAU, "建筑市场、房地产、燃气监管"),
    ("沁县农业农村局", "农业农村局", DepartmentKind.BUREAU, "农产品质量安全、农资、畜牧兽医监管"),
    ("沁县公安局", "公安局", DepartmentKind.BUREAU, "治安管理、特种行业、涉嫌犯罪案件移送接收"),
    ("沁县消防救援大队", "消防救援大队", DepartmentKind.BUREAU, "消防监督检查"),
    ("国家税务总局沁县税务局", "税务局", DepartmentKind.BUREAU, "税收征管、发票管理"),
    ("沁县人力资源和社会保障局", "人社局", DepartmentKind.BUREAU, "劳动保障监察"),
    ("沁县工业信息化和商务局", "工信商务局", DepartmentKind.BUREAU, "商贸流通、成品油、单用途预付卡监管"),
    ("沁县教育局", "教育局", DepartmentKind.BUREAU, "民办教育、校外培训机构监管"),
    ("沁县自然资源局", "自然资源局", DepartmentKind.BUREAU, "国土空间、矿产资源监管"),
    ("沁县能源局", "能源局", DepartmentKind.BUREAU, "煤炭、电力行业管理"),
    ("沁县水利局", "水利局", DepartmentKind.BUREAU, "水资源、河道、水土保持监管"),
    ("沁县医疗保障局", "医保局", DepartmentKind.BUREAU, "医疗保障基金监管"),
    ("沁县财政局", "财政局", DepartmentKind.BUREAU, "政府采购、会计监督"),
]

UNITS: dict[str, list[str]] = {
    "沁县市场监督管理局": ["沁县市场监督管理局综合行政执法队", "沁县市场监督管理局食品安全监督管理股", "沁县市场监督管理局特种设备安全监察股",
                    "沁县市场监督管理局信用监督管理股"],
    "沁县应急管理局": ["沁县应急管理综合行政执法队", "沁县应急管理局煤矿安全监管股"],
    "沁县审批服务管理局": ["沁县审批服务管理局监管协调股"],
    "沁县卫生健康和体育局": ["沁县卫生健康综合行政执法队"],
    "沁县文化和旅游局": ["沁县文化市场综合行政执法队"],
    "沁县交通运输局": ["沁县交通运输综合行政执法队"],
    "沁县农业农村局": ["沁县农业综合行政执法队"],
}

# username, display name, role, department name, extra fields
ACCOUNTS: list[tuple[str, str, str, str | None, dict]] = [
    ("admin", "平台管理员", Role.OWNER, "沁县审批服务管理局", {}),
    ("xietiao", "协调办王主任", Role.OWNER, "沁县人民政府办公室（县推进政府职能转变和“放管服效”改革协调小组办公室）", {}),
    ("scjg_admin", "市场监管局管理员", Role.DEPT_ADMIN, "沁县市场监督管理局", {}),
    ("scjg_leader", "市场监管局李局长", Role.DEPT_LEADER, "沁县市场监督管理局", {}),
    ("scjg_zf1", "张建国", Role.INSPECTOR, "沁县市场监督管理局综合行政执法队",
     {"cert_no": "14043001001", "enforcement_fields": "食品安全、特种设备", "qualifications": "山西省行政执法证"}),
    ("scjg_zf2", "李晓红", Role.INSPECTOR, "沁县市场监督管理局综合行政执法队",
     {"cert_no": "14043001002", "enforcement_fields": "食品安全、药品医疗器械", "qualifications": "山西省行政执法证"}),
    ("scjg_fz", "赵法审", Role.REVIEWER, "沁县市场监督管理局", {"has_legal_qualification": True, "qualifications": "法律职业资格A证"}),
    ("yjj_admin", "应急局管理员", Role.DEPT_ADMIN, "沁县应急管理局", {}),
    ("yjj_leader", "应急局王局长", Role.DEPT_LEADER, "沁县应急管理局", {}),
    ("yjj_zf1", "刘安全", Role.INSPECTOR, "沁县应急管理综合行政执法队",
     {"cert_no": "14043006001", "enforcement_fields": "安全生产、危险化学品", "qualifications": "山西省行政执法证"}),
    ("yjj_zf2", "陈煤安", Role.INSPECTOR, "沁县应急管理综合行政执法队",
     {"cert_no": "14043006002", "enforcement_fields": "煤矿安全、安全生产", "qualifications": "山西省行政执法证"}),
    ("yjj_fz", "孙审核", Role.REVIEWER, "沁县应急管理局", {"has_legal_qualification": True, "qualifications": "法律职业资格A证"}),
    ("qiye", "沁县示范食品有限公司", Role.ENTERPRISE, None, {}),
]


def _rng(name: str) -> random.Random:
    return random.Random(f"jianguan-demo:{name}")


@transaction.atomic
def load_departments() -> dict[str, Department]:
    by_name: dict[str, Department] = {}
    for order, (name, short, kind, duties) in enumerate(DEPARTMENTS, start=1):
        dept = Department.objects.filter(name=name).first()
        if dept is None:
            dept = Department.objects.create(
                name=name, short_name=short, kind=kind, duties=duties, region_code=REGION, sort_order=order * 10,
                uscc=generate_uscc(_rng(name), area=REGION, authority="1", kind="1"),
            )
        by_name[name] = dept
        for u_order, unit in enumerate(UNITS.get(name, []), start=1):
            child = Department.objects.filter(name=unit).first()
            if child is None:
                child = Department.objects.create(name=unit, short_name=unit.removeprefix("沁县"),
                                                  kind=DepartmentKind.UNIT, parent=dept, region_code=REGION,
                                                  sort_order=order * 10 + u_order)
            by_name[unit] = child
    approval = by_name["沁县审批服务管理局"]
    market = by_name["沁县市场监督管理局"]
    # 审管衔接: the supervising bureau's records are visible to the approval bureau and vice versa.
    for owner, grantee in ((market, approval), (approval, market)):
        DepartmentShare.objects.get_or_create(owner=owner, grantee=grantee,
                                              defaults={"scope": ShareScope.READ, "reason": "审管衔接信息双向沟通（任务分工 一(二)1）"})
    return by_name


def enterprise_demo_uscc() -> str:
    return generate_uscc(_rng("沁县示范食品有限公司"), area=REGION, authority="9", kind="1")


def load_accounts(departments: dict[str, Department]) -> list[tuple[str, str, str]]:
    from .services import account_create

    out = []
    for username, display, role, dept_name, extra in ACCOUNTS:
        extra = dict(extra)
        if role == Role.ENTERPRISE:
            extra["uscc"] = enterprise_demo_uscc()
        elif role == Role.INSPECTOR:
            rng = _rng(username)
            extra.setdefault("id_number", generate_id_number(rng, area=REGION))
            extra.setdefault("phone", f"139{rng.randrange(10**7, 10**8)}")
        if not User.objects.filter(username=username).exists():
            account_create(actor=None, username=username, display_name=display, role=role,
                           department=departments.get(dept_name) if dept_name else None, password=DEMO_PASSWORD,
                           must_change_password=False, **extra)
        out.append((username, display, str(Role(role).label)))
    return out


def load(stdout=None) -> list[tuple[str, str, str]]:
    departments = load_departments()
    return load_accounts(departments)
