"""Status and type enums of the catalogue (监管事项), with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemLevel(models.TextChoices):
    """Which level's 监管事项目录清单 the item comes from (国家、省、市、县“互联网+监管”系统)."""

    NATIONAL = "national", _("国家")
    PROVINCIAL = "provincial", _("省")
    MUNICIPAL = "municipal", _("市")
    COUNTY = "county", _("县")


class SupervisionField(models.TextChoices):
    """监管领域 (任务分工 二(一)1 lists the key fields)."""

    FOOD_DRUG = "food_drug", _("食品药品")
    COAL_MINE = "coal_mine", _("煤矿安全")
    WORK_SAFETY = "work_safety", _("安全生产")
    ECOLOGY = "ecology", _("生态环境")
    HEALTH = "health", _("卫生健康")
    CULTURE_TOURISM = "culture_tourism", _("文化旅游")
    TRANSPORT = "transport", _("交通运输")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    PUBLIC_RESOURCE = "public_resource", _("公共资源交易")
    MARKET_ORDER = "market_order", _("市场秩序")
    AGRICULTURE = "agriculture", _("农业农村")
    CONSTRUCTION = "construction", _("住房城乡建设")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    LABOUR = "labour", _("劳动保障")
    FIRE = "fire", _("消防安全")
    EDUCATION = "education", _("教育")
    OTHER = "other", _("其他")


class ItemCategory(models.TextChoices):
    """事项类别 of a random-check item and of a plan row (一般/重点)."""

    GENERAL = "general", _("一般")
    KEY = "key", _("重点")


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    ABOLISHED = "abolished", _("已取消")


class CheckMethod(models.TextChoices):
    """检查方式 of an implementation list."""

    ONSITE = "onsite", _("现场检查")
    WRITTEN = "written", _("书面检查")
    ONLINE = "online", _("网络检查")
    REMOTE = "remote", _("远程监管")


class PlanMethod(models.TextChoices):
    """检查方式 of an annual plan row (RULES.md: 现场/书面/网络)."""

    ONSITE = "onsite", _("现场检查")
    WRITTEN = "written", _("书面检查")
    ONLINE = "online", _("网络检查")


class ChangeReason(models.TextChoices):
    """Why a catalogue entry changed (任务分工 一(一)3: 法律法规立改废释和机构职能变化)."""

    INITIAL = "initial", _("首次编制")
    LAW_CHANGE = "law_change", _("法律法规立改废释")
    FUNCTION_CHANGE = "function_change", _("机构职能变化")
    DELEGATION = "delegation", _("审批权下放或取消")
    CORRECTION = "correction", _("纠错完善")
    OTHER = "other", _("其他")


class ProvisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")


class RuleKind(models.TextChoices):
    RULE = "rule", _("监管规则")
    STANDARD = "standard", _("标准")


class StandardLevel(models.TextChoices):
    NATIONAL = "national", _("国家")
    INDUSTRY = "industry", _("行业")
    PROVINCIAL = "provincial", _("省级地方")
    LOCAL = "local", _("市县地方")
    GROUP = "group", _("团体")
    ENTERPRISE = "enterprise", _("企业")


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回/废止")


class CleanupStatus(models.TextChoices):
    """清理规范 of rules with unclear boundaries or elastic enforcement (任务分工 二(一)2)."""

    NONE = "none", _("无需清理")
    FLAGGED = "flagged", _("待清理")
    IN_PROGRESS = "in_progress", _("清理中")
    REVISED = "revised", _("已修订")
    ABOLISHED = "abolished", _("已废止")


class CleanupReason(models.TextChoices):
    VAGUE_BOUNDARY = "vague_boundary", _("边界模糊")
    ELASTIC = "elastic", _("执行弹性大")
    OUTDATED = "outdated", _("上位法已调整")
    OTHER = "other", _("其他")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准")


class CountyPlanStatus(models.TextChoices):
    OPEN = "open", _("汇总中")
    APPROVED = "approved", _("已批准")
    CLOSED = "closed", _("已关闭")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    FED_BACK = "fed_back", _("已反馈监管结果")


class SupervisionResult(models.TextChoices):
    """监管结果 fed back to the approval record (codes follow the 双随机 result codes where they match)."""

    NO_PROBLEM = "1", _("未发现问题")
    CORRECTED = "E", _("发现问题经责令已改正")
    PENDING = "A", _("发现问题待后续处理")
    CASE = "case", _("已立案查处")
    NOT_OPERATING = "F", _("未开展许可事项经营活动")
    UNREACHABLE = "6", _("登记住所无法联系")


class VerificationKind(models.TextChoices):
    FILING = "filing", _("备案核查")
    UNFILED = "unfiled", _("未备案经营核查")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    CONFIRMED = "confirmed", _("核查属实/无问题")
    PROBLEM = "problem", _("发现问题")
