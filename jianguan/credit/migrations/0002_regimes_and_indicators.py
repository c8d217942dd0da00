"""Seed the disclosure regimes (law, versioned by decision date) and a default indicator system.

Numbers marked (unverified) in RULES.md are defaults the platform owner can change; a new regime or indicator
version is a new row, never an edit of these.
"""
import datetime as dt

from django.db import migrations

NO_EARLY_SAMR = "责令停产停业、吊销许可证件、限制从业"

REGIMES = [
    # code, name, family, effective_from, citation, no-early kinds, rules: (severity, domain, published, min, max)
    ("samr-45-2021", "市场监督管理行政处罚信息公示规定（总局令第45号）", "samr", dt.date(2021, 9, 1),
     "国家市场监督管理总局令第45号，2021年9月1日施行：仅受通报批评或较低数额罚款的公示3个月，其他3年；"
     "公示满6个月后符合条件的可申请提前停止公示(unverified)", NO_EARLY_SAMR,
     [("minor", "", True, 3, 3), ("general", "", True, 6, 36), ("serious", "", True, 6, 36)]),
    ("ndrc-2019", "“信用中国”网站行政处罚信息信用修复机制（发改办财金〔2019〕527号）", "ndrc", dt.date(2019, 5, 1),
     "一般失信行为公示3个月至1年，严重失信行为公示6个月至3年(施行日期 unverified)", "",
     [("minor", "", True, 3, 12), ("general", "", True, 3, 12), ("serious", "", True, 6, 36)]),
    ("ndrc-2023-58", "失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）", "ndrc", dt.date(2023, 5, 1),
     "国家发展改革委令第58号，2023年5月1日施行：最短3个月、最长3年；特种设备、安全生产、消防领域最短1年", "",
     [("minor", "", True, 3, 36), ("general", "", True, 3, 36), ("serious", "", True, 3, 36),
      ("minor", "safety", True, 12, 36), ("general", "safety", True, 12, 36), ("serious", "safety", True, 12, 36)]),
    ("ndrc-2026", "信用修复管理办法（2026年4月1日施行）", "ndrc", dt.date(2026, 4, 1),
     "轻微失信原则上不公示（确需公示的不超过3个月）；一般失信3个月至1年；严重失信1年至3年", "",
     [("minor", "", False, 0, 3), ("general", "", True, 3, 12), ("serious", "", True, 12, 36)]),
]

INDICATORS = [
    # code, name, source, window, rule, threshold, points, cap, weight, forces
    ("penalty", "行政处罚", "penalty_count", 36, "per_unit", 1, 10, 40, 1, ""),
    ("penalty_amount", "较大数额罚没", "penalty_amount", 36, "threshold", 100000, 10, None, 1, ""),
    ("coercion", "行政强制", "coercion_count", 24, "per_unit", 1, 5, 10, 1, ""),
    ("inspection", "检查发现问题", "inspection_problem_count", 24, "per_unit", 1, 5, 20, 1, ""),
    ("spot_check", "抽检不合格", "spot_check_failed_count", 24, "per_unit", 1, 8, 24, 1, ""),
    ("complaint", "属实投诉举报", "complaint_substantiated_count", 12, "per_unit", 1, 3, 12, 1, ""),
    ("dishonest", "失信被执行人", "dishonest_count", 60, "threshold", 1, 20, None, 1, "C"),
    ("abnormal", "经营异常名录", "abnormal_listed", 36, "threshold", 1, 25, None, 1, "C"),
    ("serious", "严重违法失信名单", "serious_listed", 36, "threshold", 1, 50, None, 1, "D"),
    ("commitment", "违背信用承诺", "commitment_broken_count", 36, "per_unit", 1, 10, 20, 1, ""),
    ("annual_report", "未按期报送年报", "annual_report_missing", 12, "threshold", 1, 10, None, 1, ""),
    ("new_entity", "新设立主体", "new_entity", 12, "threshold", 1, 5, None, 1, ""),
]


def seed(apps, schema_editor):
    Regime = apps.get_model("credit", "DisclosureRegime")
    Rule = apps.get_model("credit", "DisclosureRule")
    for code, name, family, effective, citation, no_early, rules in REGIMES:
        regime, _ = Regime.objects.get_or_create(code=code, defaults={"name": name, "family": family, "effective_from": effective,
                                                                       "citation": citation, "no_early_removal_kinds": no_early})
        for severity, domain, published, low, high in rules:
            Rule.objects.get_or_create(regime=regime, severity=severity, domain=domain,
                                       defaults={"published": published, "min_months": low, "max_months": high})
    Set = apps.get_model("credit", "IndicatorSet")
    Indicator = apps.get_model("credit", "Indicator")
    if not Set.objects.exists():
        s = Set.objects.create(version="2026.1", name="信用风险分类指标体系", effective_from=dt.date(2020, 1, 1), status="active",
                               a_below=5, b_below=20, c_below=40,
                               note="默认指标体系：分数越高风险越高；平台管理员可发布新版本。")
        for order, (code, name, source, window, rule, threshold, points, cap, weight, forces) in enumerate(INDICATORS, start=1):
            Indicator.objects.create(indicator_set=s, code=code, name=name, source=source, window_months=window, rule=rule,
                                     threshold=threshold, points=points, cap=cap, weight=weight, forces_grade=forces, order=order * 10)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
