"""Status and type enums of the task division (任务分工), with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")


class AssignmentSource(models.TextChoices):
    NAMED = "named", _("原表点名")
    ALL_BUREAUS = "all", _("县直各部门")
    MANUAL = "manual", _("协调办调整")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    BLOCKED = "blocked", _("遇到困难")


class UrgeStatus(models.TextChoices):
    OPEN = "open", _("督办中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")
