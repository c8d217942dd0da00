"""沁县 demo data for credit: a joint-punishment catalogue, the SAMR regime bound to the market-supervision bureau,
a few entities with people and records (when the registry has none of them yet), listings, commitments, annual
reports, and classes computed for every entity. Idempotent: everything is looked up by its natural key first.
"""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from jianguan.core.identifiers import generate_id_number, generate_uscc

Q33 = "国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）"
ORDER44 = "市场监督管理严重违法失信名单管理办法（总局令第44号）"
RULE17 = "企业信息公示暂行条例 第十七条、第十八条"
CLASSIFY = "市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见（国市监信发〔2022〕6号）"
HIGHCON = "最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）"

# code, trigger, scenario, kind, name, content, basis, implementer
CATALOGUE = [
    ("CJ-YZ-01", "serious", "procurement", "restriction", "限制参加政府采购活动", "依法限制其作为供应商参加政府采购活动", f"《中华人民共和国政府采购法》第二十二条；{Q33}", "财政局"),
    ("CJ-YZ-02", "serious", "bidding", "restriction", "限制参与招标投标", "在招标投标活动中依法予以限制", f"《中华人民共和国招标投标法实施条例》；{Q33}", "发展和科技局"),
    ("CJ-YZ-03", "serious", "market_access", "restriction", "从严审查市场准入", "行政许可从严审查，不适用告知承诺、容缺受理", f"{ORDER44}；{Q33}", "审批服务管理局"),
    ("CJ-YZ-04", "serious", "subsidy", "restriction", "限制申请财政资金", "限制申请财政性资金项目和政策性支持", Q33, "财政局"),
    ("CJ-YZ-05", "serious", "honours", "restriction", "不得参加评优评先", "取消参加评先评优资格", Q33, "县直各部门"),
    ("CJ-YZ-06", "serious", "credit_loan", "restriction", "审慎授信", "将失信信息推送金融机构作为审慎授信参考", Q33, "发展和科技局"),
    ("CJ-YZ-07", "serious", "invoice", "restriction", "发票领用从严", "增值税发票按需供应、严格审核", f"《中华人民共和国发票管理办法》；{Q33}", "税务局"),
    ("CJ-YZ-08", "serious", "export_rebate", "restriction", "出口退税从严审核", "出口退税从严审核、加强核查", Q33, "税务局"),
    ("CJ-YZ-09", "serious", "project_approval", "restriction", "项目审批从严", "企业投资项目核准、备案从严审查", Q33, "发展和科技局"),
    ("CJ-RY-01", "serious_person", "appointment", "restriction", "限制担任法定代表人、高级管理人员", "失信主体的法定代表人、负责人在名单期内担任其他企业法定代表人、负责人的，从严审查", f"{ORDER44}；{Q33}", "市场监督管理局"),
    ("CJ-RY-02", "serious_person", "market_access", "restriction", "责任人关联审查", "申请人的法定代表人、负责人系严重违法失信主体责任人的，列为重点核查对象", f"{ORDER44}；{Q33}", "审批服务管理局"),
    ("CJ-RY-03", "serious_person", "honours", "restriction", "责任人不得评优评先", "不得授予荣誉称号、不得评优评先", Q33, "县直各部门"),
    ("CJ-SX-01", "dishonest", "high_consumption", "restriction", "限制高消费", "限制乘坐飞机、高铁一等座以上座位等高消费行为", HIGHCON, "公安局"),
    ("CJ-SX-02", "dishonest", "exit_entry", "restriction", "限制出境", "依法通报出入境管理机关限制出境", f"《中华人民共和国民事诉讼法》；{HIGHCON}", "公安局"),
    ("CJ-YC-01", "abnormal", "honours", "restriction", "不予评优评先", "在列期间不予授予荣誉称号", RULE17, "县直各部门"),
    ("CJ-YC-02", "abnormal", "procurement", "restriction", "政府采购审慎考虑", "在政府采购、工程招投标中依法审慎考虑", RULE17, "财政局"),
    ("CJ-YC-03", "abnormal", "licensing", "restriction", "行政许可审慎审查", "作为重点监管对象，行政许可审慎审查", RULE17, "审批服务管理局"),
    ("CJ-WN-01", "commitment_broken", "licensing", "restriction", "不再适用告知承诺", "违背承诺的，在一定期限内不再适用告知承诺制", "国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见（国办发〔2020〕42号）", "审批服务管理局"),
    ("FX-D-01", "grade_D", "market_access", "restriction", "列为重点监管对象", "提高双随机抽查比例和频次，必要时全覆盖检查", CLASSIFY, "市场监督管理局"),
    ("FX-C-01", "grade_C", "licensing", "restriction", "加强事中事后核查", "许可后加强核查，提高抽查比例", CLASSIFY, "市场监督管理局"),
    ("JL-A-01", "grade_A", "licensing", "incentive", "告知承诺、容缺受理", "优先适用告知承诺制和容缺受理，开通绿色通道", f"《优化营商环境条例》；{Q33}", "审批服务管理局"),
    ("JL-A-02", "grade_A", "credit_loan", "incentive", "信用贷款支持", "向金融机构推送守信主体名单，支持信用贷款", Q33, "发展和科技局"),
    ("JL-A-03", "grade_A", "market_access", "incentive", "减少检查频次", "合理降低抽查比例和频次，无事不扰", CLASSIFY, "市场监督管理局"),
]

ENTITIES = [
    # name, kind, established, rep, story
    ("沁县示范食品有限公司", "enterprise", dt.date(2016, 4, 8), "赵示范", "clean"),
    ("沁县鑫源食品有限公司", "enterprise", dt.date(2014, 9, 1), "王德利", "penalised"),
    ("沁县沁州黄小米专业合作社", "cooperative", dt.date(2012, 3, 15), "李沁州", "clean"),
    ("沁县康宁大药房", "individual", dt.date(2019, 6, 20), "刘康宁", "abnormal"),
    ("沁县黑心食品加工有限公司", "enterprise", dt.date(2017, 2, 2), "王德利", "serious"),
    ("沁县德利商贸有限公司", "enterprise", dt.date(2021, 11, 11), "王德利", "related"),
    ("沁县失联建材有限公司", "enterprise", dt.date(2015, 5, 5), "孙失联", "abnormal"),
    ("沁县守信煤业有限公司", "enterprise", dt.date(2008, 8, 8), "周守信", "commitment"),
]


def _rng(name: str) -> random.Random:
    return random.Random(f"jianguan-credit-demo:{name}")


def _most_reports_filed(year: int) -> int:
    """Most entities file their annual report on time (about 94% in a typical county); the rest are what the
    abnormal-list sweep finds. Set-based and idempotent (one report per entity and year)."""
    import hashlib

    from jianguan.credit.models import AnnualReport
    from jianguan.entities.models import Entity

    filed_at = timezone.make_aware(dt.datetime(year + 1, 4, 15, 10, 0))
    done = set(AnnualReport.objects.filter(year=year).values_list("entity_id", flat=True))
    rows = []
    for pk, uscc, address in (Entity.objects.filter(status__in=["existing", "operating"], established_on__lt=dt.date(year + 1, 1, 1))
                              .values_list("id", "uscc", "registered_address").iterator(chunk_size=5000)):
        if pk in done or hashlib.sha1(f"report:{uscc}".encode()).digest()[0] < 16:  # 16/256 ≈ 6% do not file
            continue
        rows.append(AnnualReport(entity_id=pk, uscc=uscc, year=year, filed_at=filed_at, address=address or "沁县",
                                 phone="0355-7000000"))
    AnnualReport.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def load(stdout=None):
    from jianguan.core.demo import enterprise_demo_uscc
    from jianguan.core.models import Department
    from jianguan.credit import grading, services
    from jianguan.credit.models import AbnormalListing, AnnualReport, Commitment, DisclosureRegime, Measure, SeriousListing
    from jianguan.entities.models import Entity
    from jianguan.entities.services import entity_create, person_link
    from jianguan.records.services import record_create

    today = timezone.localdate()
    market = Department.objects.filter(name="沁县市场监督管理局").first()
    safety = Department.objects.filter(name="沁县应急管理局").first()
    leader = market and market.staff.filter(role="dept_leader").first()
    with transaction.atomic():
        for code, trigger, scenario, kind, name, content, basis, implementer in CATALOGUE:
            if not Measure.objects.filter(code=code).exists():
                services.measure_save(actor=None, code=code, data={"name": name, "kind": kind, "trigger": trigger, "scenario": scenario,
                                                                   "content": content, "legal_basis": basis, "implementer": implementer,
                                                                   "effective_from": dt.date(2020, 1, 1)})
        samr = DisclosureRegime.objects.filter(code="samr-45-2021").first()
        if samr is not None and market is not None and not samr.departments.exists():
            services.regime_bind_departments(actor=None, regime=samr, departments=[market])
    if market is None or safety is None:
        return None
    rep_ids = {}
    made = {}
    for name, kind, established, rep, story in ENTITIES:
        uscc = enterprise_demo_uscc() if name == "沁县示范食品有限公司" else generate_uscc(
            _rng(name), kind={"enterprise": "1", "individual": "2", "cooperative": "3"}[kind])
        entity = Entity.objects.filter(uscc=uscc).first()
        if entity is None:
            with transaction.atomic():
                entity = entity_create(actor=None, uscc=uscc, name=name, kind=kind, division_code="140430100", established_on=established,
                                       registered_address="山西省长治市沁县定昌镇", registration_authority="沁县市场监督管理局")
                rep_ids.setdefault(rep, generate_id_number(_rng(rep)))
                person_link(actor=None, entity=entity, name=rep, role="operator" if kind == "individual" else "legal_rep",
                            id_number=rep_ids[rep])
        made[story, name] = entity
    fresh = not AnnualReport.objects.filter(entity__in=[e for e in made.values()]).exists()
    if not fresh:
        if stdout is not None:
            stdout.write("信用演示数据已存在")
        return None
    with transaction.atomic():
        for (story, name), entity in made.items():
            founded = entity.established_on or dt.date(today.year - 3, 1, 1)  # another app's demo may have made it undated
            for year in range(max(founded.year, today.year - 3), today.year):
                if story == "abnormal" and year == today.year - 2:
                    continue  # missed: listed by the sweep
                if year < today.year - 1 or today > dt.date(today.year, 6, 30) or story in ("clean", "commitment"):
                    services.annual_report_file(actor=None, entity=entity, year=year, today=dt.date(year + 1, 4, 1),
                                                data={"address": "山西省长治市沁县定昌镇", "phone": "0355-7012345", "employees": 12})
        penalised = made["penalised", "沁县鑫源食品有限公司"]
        serious = made["serious", "沁县黑心食品加工有限公司"]
        for entity, when, title, kinds, fine in [
            (penalised, today - dt.timedelta(days=40), "经营超过保质期的食品", ["罚款", "没收违法所得"], 20000),
            (penalised, today - dt.timedelta(days=260), "未按规定进行进货查验记录", ["警告", "罚款"], 5000),
            (serious, today - dt.timedelta(days=90), "生产销售不符合食品安全标准的食品", ["罚款", "吊销许可证件"], 250000),
        ]:
            record_create(actor=None, kind="penalty", department=market, uscc=entity.uscc, party_name=entity.name, title=title,
                          occurred_on=when, amount=fine, disclose=True, source_system="demo:credit", source_id=f"{entity.uscc}:{when}",
                          payload={"decision_no": f"沁市监罚〔{when.year}〕{when.toordinal() % 1000}号", "decided_on": when.isoformat(),
                                   "penalty_kinds": kinds, "basis": "《中华人民共和国食品安全法》", "facts": title})
        record_create(actor=None, kind="inspection", department=market, uscc=penalised.uscc, party_name=penalised.name,
                      title="餐饮服务食品安全检查", occurred_on=today - dt.timedelta(days=20), disclose=True, source_system="demo:credit",
                      source_id=f"{penalised.uscc}:inspection", payload={"result": "发现问题待后续处理",
                                                                        "checked_at": f"{today - dt.timedelta(days=20)} 10:00:00"})
        coal = made["commitment", "沁县守信煤业有限公司"]
        services.commitment_make(actor=None, entity=coal, kind="self_discipline", matter="安全生产行业自律承诺",
                                 text="严格落实安全生产主体责任，不超能力、超强度、超定员组织生产。", term_end=today + dt.timedelta(days=365),
                                 department=safety, made_on=today - dt.timedelta(days=30))
        services.commitment_make(actor=None, entity=penalised, kind="approval", matter="食品经营许可告知承诺",
                                 text="承诺经营场所、设施设备符合食品经营许可条件。", term_end=today + dt.timedelta(days=180),
                                 department=market, made_on=today - dt.timedelta(days=120))
        if not SeriousListing.objects.filter(entity=serious).exists():
            listing = services.serious_propose(actor=None, entity=serious, ground="serious_violation",
                                               facts="生产销售不符合食品安全标准的食品，被吊销食品生产许可证，情节严重",
                                               basis="市场监督管理严重违法失信名单管理办法 第九条")
            services.serious_approve(actor=leader, listing=listing)
            listing.refresh_from_db()
            if listing.status == "approved":
                services.serious_consent(actor=None, listing=listing, document="长市监函〔%d〕18号" % today.year,
                                         consent_on=today - dt.timedelta(days=60))
        lost = made["abnormal", "沁县失联建材有限公司"]
        if not AbnormalListing.objects.filter(entity=lost, ground="unreachable").exists():
            services.abnormal_list(actor=None, entity=lost, ground="unreachable", facts="通过登记的住所无法联系", department=market,
                                   decision_no="沁市监异〔%d〕3号" % today.year)
    sweep_day = today if today > dt.date(today.year, 6, 30) else dt.date(today.year - 1, 7, 1)
    _most_reports_filed(sweep_day.year - 1)
    services.abnormal_sweep(today=sweep_day)
    services.commitments_check(today=today)
    run = grading.grade_all(as_of=today)
    if stdout is not None:
        stdout.write(f"信用演示数据：{len(made)} 个主体，分类 {run.counts}")
    return None
