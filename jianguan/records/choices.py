"""Enums of the records app, with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """The kinds of supervision information gathered per entity (seed 三(一)1)."""

    INSPECTION = "inspection", _("行政检查")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    OTHER_ACTION = "other_action", _("其他行政行为")
    JUDGMENT = "judgment", _("司法判决")
    DISHONEST = "dishonest", _("失信被执行人")
    SPOT_CHECK = "spot_check", _("抽查抽检")
    COMPLAINT = "complaint", _("投诉举报")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    VOIDED = "voided", _("已作废")


class MatchStatus(models.TextChoices):
    MATCHED = "matched", _("已关联主体")
    PENDING = "pending", _("待匹配")
    PERSON = "person", _("自然人（不关联主体）")


class ImportFormat(models.TextChoices):
    NATIONAL_INSPECTION = "national_inspection", _("互联网+监管 行政检查行为")
    NATIONAL_PENALTY = "national_penalty", _("互联网+监管 行政处罚行为")
    SGS_PENALTY = "sgs_penalty", _("双公示 行政处罚")
    SGS_LICENCE = "sgs_licence", _("双公示 行政许可")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobChannel(models.TextChoices):
    UI = "ui", _("页面上传")
    CLI = "cli", _("命令行")
    API = "api", _("接口")
