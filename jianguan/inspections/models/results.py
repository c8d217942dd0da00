"""Check results entered on a phone, their photos, corrections after publication and referrals to case handling."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import FollowUp


class CheckResult(models.Model):
    """The result of checking one drawn object: answers per check point, the national result code, the follow-up,
    the 20-working-day publication deadline, and the aggregated record it became when published."""

    task_object = models.OneToOneField("inspections.TaskObject", on_delete=models.PROTECT, related_name="result")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18)
    checked_on = models.DateField(_("检查日期"))
    result_code = models.CharField(_("检查结果"), max_length=2)
    answers = models.JSONField(_("检查要点结论"), default=list)
    summary = models.TextField(_("检查情况"), blank=True)
    follow_up = models.CharField(_("后续处置"), max_length=10, choices=FollowUp.choices, default=FollowUp.NONE)
    correct_by = models.DateField(_("整改期限"), null=True, blank=True)
    follow_up_note = models.CharField(_("处置说明"), max_length=500, blank=True)
    inspectors = models.JSONField(_("检查人员"), default=list)
    publish_due = models.DateField(_("公示截止日期"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    record = models.ForeignKey("records.Record", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["-checked_on"]
        indexes = [models.Index(fields=["published_at", "publish_due"], name="insp_result_publication")]


def photo_path(instance, filename: str) -> str:
    return f"inspections/{instance.result.task_object.task_id}/{instance.result_id}/{filename}"


class ResultPhoto(models.Model):
    result = models.ForeignKey(CheckResult, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=photo_path)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["id"]


class ResultCorrection(models.Model):
    """A change to a result after publication: what it was, what it became, why, and who decided."""

    result = models.ForeignKey(CheckResult, on_delete=models.CASCADE, related_name="corrections")
    before = models.JSONField()
    after = models.JSONField()
    reason = models.CharField(_("更正原因"), max_length=500)
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("结果更正")
        verbose_name_plural = _("结果更正")
        ordering = ["-created_at"]


class CaseReferral(models.Model):
    """A problem referred to case handling (立案查处). A placeholder until the cases module arrives: it keeps the
    referral, its department and status so nothing referred is lost."""

    result = models.OneToOneField(CheckResult, on_delete=models.PROTECT, related_name="referral")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18)
    reason = models.TextField(_("移送事由"))
    status = models.CharField(_("状态"), max_length=10, default="pending")
    created_at = models.DateTimeField(_("移送时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("移送案件")
        verbose_name_plural = _("移送案件")
        ordering = ["-created_at"]
