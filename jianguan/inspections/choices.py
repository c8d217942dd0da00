"""Status and type enums of 双随机、一公开, with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    COMMITTED = "committed", _("已公布承诺值")
    DRAWN = "drawn", _("已抽取")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("已承诺，待抽取")
    REVEALED = "revealed", _("已抽取（种子已公开）")
    SUPERSEDED = "superseded", _("已作废（重新抽取）")


class AdjustmentAction(models.TextChoices):
    ADD = "add", _("手工纳入")
    REMOVE = "remove", _("手工移出")


class ObjectStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待检查")
    CHECKED = "checked", _("已检查待公示")
    PUBLISHED = "published", _("已公示")


class Answer(models.TextChoices):
    CONFORM = "conform", _("符合")
    NONCONFORM = "nonconform", _("不符合")
    NOT_APPLICABLE = "na", _("不涉及")


class FollowUp(models.TextChoices):
    NONE = "none", _("无需后续处置")
    ORDER = "order", _("责令限期改正")
    RECORD = "record", _("记录在案")
    REFERRAL = "referral", _("移送案件办理")


class ConflictKind(models.TextChoices):
    DECLARED = "declared", _("本人申报回避")
    RECUSAL = "recusal", _("检查时申请回避")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("待检查")
    DONE = "done", _("已完成")


#: 检查结果 codes of the national exchange (RULES.md, 双随机、一公开).
RESULT_CODES = {
    "1": _("未发现问题"), "3": _("违反其他部门规定（3）"), "4": _("违反其他部门规定（4）"), "5": _("违反其他部门规定（5）"),
    "6": _("登记住所无法联系"), "7": _("已关闭停业或清算"), "8": _("不配合检查情节严重"), "9": _("注销"), "10": _("吊销"),
    "11": _("撤销"), "12": _("迁出"), "A": _("发现问题待后续处理"), "B": _("未按规定公示应当公示的信息"),
    "C": _("公示信息隐瞒真实情况弄虚作假"), "D": _("违反其他规定"), "E": _("发现问题经责令已改正"),
    "F": _("未发现开展本次抽查涉及的经营活动"),
}
#: Codes that report a problem: they need a follow-up other than "none" (or E, already corrected).
PROBLEM_CODES = {"3", "4", "5", "8", "A", "B", "C", "D"}
