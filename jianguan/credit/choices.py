"""Enums of the credit app, with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """SAMR credit-risk classes used to size random inspections (RULES.md 双随机、一公开)."""

    A = "A", _("A类（信用风险低）")
    B = "B", _("B类（信用风险一般）")
    C = "C", _("C类（信用风险较高）")
    D = "D", _("D类（信用风险高）")


GRADE_SHORT = {"A": _("低"), "B": _("一般"), "C": _("较高"), "D": _("高")}


class Severity(models.TextChoices):
    """失信程度 of a credit item: decides its disclosure period under the regime in force."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class RegimeFamily(models.TextChoices):
    SAMR = "samr", _("市场监管行政处罚信息公示")
    NDRC = "ndrc", _("失信信息公示与信用修复（发展改革）")


class RuleDomain(models.TextChoices):
    ANY = "", _("一般领域")
    SAFETY = "safety", _("特种设备、安全生产、消防领域")


class IndicatorSetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("启用")
    RETIRED = "retired", _("停用")


class IndicatorRule(models.TextChoices):
    PER_UNIT = "per_unit", _("按数量计分（每单位分值，可设上限）")
    THRESHOLD = "threshold", _("达到阈值计分")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")


class AbnormalGround(models.TextChoices):
    """企业信息公示暂行条例 第十七条; 市场监督管理严重违法失信名单管理办法 / 经营异常名录管理办法."""

    ANNUAL_REPORT = "annual_report", _("未按规定期限公示年度报告")
    NO_PUBLICITY = "no_publicity", _("未在责令的期限内公示有关企业信息")
    FALSE_INFO = "false_info", _("公示企业信息隐瞒真实情况、弄虚作假")
    UNREACHABLE = "unreachable", _("通过登记的住所或者经营场所无法联系")


class AbnormalMode(models.TextChoices):
    LIST = "list", _("列入经营异常名录")
    MARK = "mark", _("标记为经营异常状态（个体工商户）")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("在列")
    REMOVED = "removed", _("已移出")


class SeriousGround(models.TextChoices):
    SERIOUS_VIOLATION = "serious_violation", _("受到较重行政处罚且性质恶劣、情节严重、社会危害较大")
    ABNORMAL_3Y = "abnormal_3y", _("列入经营异常名录届满3年仍未履行相关义务")
    OTHER = "other", _("法律、行政法规规定的其他情形")


class SeriousStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提请")
    APPROVED = "approved", _("部门已批准，待上级同意")
    LISTED = "listed", _("在列")
    REJECTED = "rejected", _("不予列入")
    REMOVED = "removed", _("已移出")


class CommitmentKind(models.TextChoices):
    APPROVAL = "approval", _("审批替代型（告知承诺）")
    PUBLIC = "public", _("主动公示型")
    SELF_DISCIPLINE = "self_discipline", _("行业自律型")
    REPAIR = "repair", _("信用修复型")
    CERTIFICATE = "certificate", _("证明事项告知承诺")


class CommitmentStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    FULFILLED = "fulfilled", _("已履行")
    BROKEN = "broken", _("未履行（失信）")


class MeasureKind(models.TextChoices):
    RESTRICTION = "restriction", _("惩戒")
    INCENTIVE = "incentive", _("激励")


class Trigger(models.TextChoices):
    """What puts a subject under a measure."""

    GRADE_A = "grade_A", _("信用风险分类为A类")
    GRADE_B = "grade_B", _("信用风险分类为B类")
    GRADE_C = "grade_C", _("信用风险分类为C类")
    GRADE_D = "grade_D", _("信用风险分类为D类")
    ABNORMAL = "abnormal", _("列入经营异常名录（或标记经营异常）")
    SERIOUS = "serious", _("列入严重违法失信名单")
    SERIOUS_PERSON = "serious_person", _("严重违法失信主体的法定代表人、负责人")
    DISHONEST = "dishonest", _("失信被执行人")
    COMMITMENT_BROKEN = "commitment_broken", _("违背信用承诺")


class Scenario(models.TextChoices):
    """Business scenarios where credit is checked (逢办必查), seed 三(二)5."""

    MARKET_ACCESS = "market_access", _("行业准入")
    PROJECT_APPROVAL = "project_approval", _("项目审批")
    CREDIT_LOAN = "credit_loan", _("获得信贷")
    INVOICE = "invoice", _("发票领用")
    EXPORT_REBATE = "export_rebate", _("出口退税")
    EXIT_ENTRY = "exit_entry", _("出入境")
    HIGH_CONSUMPTION = "high_consumption", _("高消费")
    PROCUREMENT = "procurement", _("政府采购")
    HONOURS = "honours", _("评优评先")
    BIDDING = "bidding", _("招标投标")
    SUBSIDY = "subsidy", _("财政资金支持")
    LICENSING = "licensing", _("行政许可办理")
    APPOINTMENT = "appointment", _("担任法定代表人或高级管理人员")


class CheckSubject(models.TextChoices):
    ENTITY = "entity", _("市场主体")
    PERSON = "person", _("自然人")


class CheckOutcome(models.TextChoices):
    HIT = "hit", _("命中惩戒或激励措施")
    CLEAR = "clear", _("未命中")
    UNKNOWN = "unknown", _("主体库中无此主体")


class CheckAction(models.TextChoices):
    """逢查必报: what the department did after the check."""

    RESTRICTED = "restricted", _("已依规实施限制/惩戒")
    INCENTIVE = "incentive", _("已给予激励（容缺、绿色通道等）")
    NO_MEASURE = "no_measure", _("未采取措施")
    EXEMPTED = "exempted", _("依法不适用（说明理由）")
    REFERRED = "referred", _("已移送有关部门处理")


class ItemType(models.TextChoices):
    """The kinds of item on a credit record, for objections and repair."""

    RECORD = "record", _("监管记录")
    ABNORMAL = "abnormal", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")
    COMMITMENT = "commitment", _("信用承诺")
    ANNUAL_REPORT = "annual_report", _("年度报告")


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待处理")
    DECIDED = "decided", _("已办结")


class ObjectionOutcome(models.TextChoices):
    CORRECTED = "corrected", _("异议成立，已更正")
    UPHELD = "upheld", _("异议不成立，维持原信息")
