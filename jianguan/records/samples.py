"""Rows in the exchange formats, generated deterministically: for tests, the demo, the generator and benchmarks.

Everything here is synthetic: USCCs and ID numbers pass their checks but identify nobody.
"""
from __future__ import annotations

import datetime as dt
import random

from jianguan.core.identifiers import generate_id_number

from .formats import FORMATS, INSPECTION_RESULTS

INSPECTORS = ["张建国", "李晓红", "王志强", "赵丽娟", "刘安全", "陈煤安", "杨文斌", "郭海燕"]
ITEMS = ["食品经营许可事项检查", "特种设备使用单位监督检查", "药品零售企业监督检查", "餐饮服务食品安全检查",
         "煤矿安全生产执法检查", "农资经营监督检查", "旅游景区安全检查", "计量器具监督检查"]
VIOLATIONS = [("未按规定进行进货查验记录", "《中华人民共和国食品安全法》第五十三条", "《中华人民共和国食品安全法》第一百二十六条"),
              ("经营超过保质期的食品", "《中华人民共和国食品安全法》第三十四条", "《中华人民共和国食品安全法》第一百二十四条"),
              ("特种设备未经定期检验继续使用", "《中华人民共和国特种设备安全法》第四十条", "《中华人民共和国特种设备安全法》第八十四条"),
              ("未按规定公示年度报告", "《企业信息公示暂行条例》第八条", "《企业信息公示暂行条例》第十七条")]


def _dt(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()} {rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00"


def national_inspection(rng: random.Random, *, seq: int, uscc: str, party_name: str, agency: str, agency_code: str,
                        day: dt.date, operation: str = "i", person: bool = False) -> dict[str, str]:
    inspectors = rng.sample(INSPECTORS, 2)
    party_id = generate_id_number(rng) if person else uscc
    return {
        "双随机计划id": f"SSJ{day:%Y}{seq % 97:03d}", "监管事项目录编码": f"1404300{rng.randrange(10**6, 10**7)}",
        "检查实施清单编码": f"QD{rng.randrange(10**5, 10**6)}", "检查行为名称": rng.choice(ITEMS),
        "检查行为编号": f"JC140430{day:%Y%m%d}{seq:07d}", "实施机构": agency, "实施机构编码": agency_code, "受委托部门": "",
        "监管对象类型": "自然人" if person else "企业", "行政相对人名称": party_name,
        "行政相对人性质": "自然人" if person else "法人及非法人组织", "行政相对人证件类型": "身份证" if person else "统一社会信用代码",
        "行政相对人编码": party_id, "注册地址": "山西省长治市沁县定昌镇", "经营地址": "山西省长治市沁县定昌镇", "行政区划代码": "140430",
        "检查形式": rng.choice(["单独检查", "联合检查"]), "检查类别": rng.choice(["双随机抽查", "日常检查", "专项检查"]),
        "检查方式": "现场检查", "检查结果": rng.choice(list(INSPECTION_RESULTS.values())), "检查时间": _dt(day, rng),
        "检查人员": "、".join(inspectors), "执法证号": "、".join(f"1404300{rng.randrange(1000, 9999)}" for _ in inspectors),
        "报送时间": _dt(day + dt.timedelta(days=rng.randrange(1, 10)), rng), "报送人员": inspectors[0],
        "cd_id": f"CD{seq:010d}", "cd_time": _dt(day + dt.timedelta(days=10), rng), "cd_source": "140430",
        "cd_batch": f"{day:%Y%m%d}{seq % 100000:05d}", "cd_operation": operation,
    }


def national_penalty(rng: random.Random, *, seq: int, uscc: str, party_name: str, agency: str, agency_code: str,
                     day: dt.date, operation: str = "i") -> dict[str, str]:
    violation, rule, basis = rng.choice(VIOLATIONS)
    filed = day - dt.timedelta(days=rng.randrange(10, 80))
    fine = rng.choice(["0.2", "0.5", "1", "2", "5"])
    return {
        "处罚行为名称": f"对{violation}的行政处罚", "处罚行为编号": f"CF140430{day:%Y%m%d}{seq:07d}",
        "监管事项目录编码": f"1404300{rng.randrange(10**6, 10**7)}", "实施机构": agency, "实施机构编码": agency_code, "受委托部门": "",
        "行政相对人名称": party_name, "行政相对人性质": "法人及非法人组织", "行政相对人证件类型": "统一社会信用代码",
        "行政相对人编码": uscc, "注册地址": "山西省长治市沁县", "经营地址": "山西省长治市沁县", "行政区划代码": "140430",
        "案件来源": rng.choice(["监督检查", "投诉举报", "其他部门移送"]), "违法事实": f"当事人{violation}，违反了{rule}的规定。",
        "处罚依据": basis, "处罚程序": "普通程序", "是否听证": "否", "立案时间": filed.isoformat(), "是否涉刑": "否",
        "是否重大案件": "否", "是否法制审核": "是", "法制审核日期": (day - dt.timedelta(days=3)).isoformat(), "法制审核意见": "同意",
        "是否集体讨论": "否", "集体讨论日期": "", "集体讨论结论": "", "处罚文书号": f"沁市监罚〔{day:%Y}〕{seq}号",
        "作出处罚决定日期": day.isoformat(), "处罚种类": "警告、罚款", "罚款金额": fine, "处罚结果": f"警告，并处罚款{fine}万元",
        "行政复议": "无", "行政诉讼": "无", "执行方式": "自觉履行", "执行结果": "已履行", "实缴罚款": fine,
        "结案日期": (day + dt.timedelta(days=rng.randrange(5, 30))).isoformat(), "移送时间": "",
        "报送时间": _dt(day + dt.timedelta(days=2), rng), "报送人员": rng.choice(INSPECTORS),
        "cd_id": f"CDP{seq:010d}", "cd_time": _dt(day + dt.timedelta(days=3), rng), "cd_source": "140430",
        "cd_batch": f"{day:%Y%m%d}{seq % 100000:05d}", "cd_operation": operation,
    }


def sgs_penalty(rng: random.Random, *, seq: int, uscc: str, party_name: str, agency: str, agency_code: str,
                day: dt.date) -> dict[str, str]:
    violation, rule, basis = rng.choice(VIOLATIONS)
    fine = rng.choice(["0.1", "0.3", "0.8", "1.5"])
    return {
        "行政相对人名称": party_name, "行政相对人类别": "法人及非法人组织", "行政相对人代码_1(统一社会信用代码)": uscc,
        "法定代表人": "王某", "法定代表人证件类型": "身份证", "法定代表人证件号码": generate_id_number(rng),
        "行政处罚决定书文号": f"沁市监罚〔{day:%Y}〕S{seq}号", "违法行为类型": violation,
        "违法事实": f"当事人{violation}，违反了{rule}的规定。", "处罚依据": basis, "处罚类别": "罚款",
        "处罚内容": f"罚款{fine}万元", "罚款金额(万元)": fine, "没收违法所得、没收非法财物的金额(万元)": "0",
        "处罚决定日期": day.isoformat(), "处罚有效期": (day + dt.timedelta(days=365 * 3)).isoformat(),
        "公示截止期": (day + dt.timedelta(days=365 * 3)).isoformat(), "处罚机关": agency, "处罚机关统一社会信用代码": agency_code,
        "数据来源单位": agency, "数据来源单位统一社会信用代码": agency_code, "备注": "",
    }


def sgs_licence(rng: random.Random, *, seq: int, uscc: str, party_name: str, agency: str, agency_code: str,
                day: dt.date) -> dict[str, str]:
    return {
        "行政相对人名称": party_name, "行政相对人类别": "法人及非法人组织", "行政相对人代码_1(统一社会信用代码)": uscc,
        "法定代表人": "李某", "行政许可决定文书名称": "食品经营许可决定书", "行政许可决定文书号": f"沁市监许〔{day:%Y}〕{seq}号",
        "许可类别": "普通", "许可证书名称": "食品经营许可证", "许可编号": f"JY1140430{seq:07d}", "许可内容": "预包装食品销售（含冷藏冷冻食品）",
        "许可决定日期": day.isoformat(), "有效期自": day.isoformat(), "有效期至": (day + dt.timedelta(days=365 * 5)).isoformat(),
        "许可机关": agency, "许可机关统一社会信用代码": agency_code, "当前状态": "有效", "数据来源单位": agency,
        "数据来源单位统一社会信用代码": agency_code, "备注": "",
    }


GENERATORS = {"national_inspection": national_inspection, "national_penalty": national_penalty, "sgs_penalty": sgs_penalty,
              "sgs_licence": sgs_licence}


def headers(format: str) -> list[str]:
    return [f.label for f in FORMATS[format].fields]
