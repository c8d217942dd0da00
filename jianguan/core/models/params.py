from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Parameter(models.Model):
    """One version of a runtime rule parameter (time limit, ratio, period), in force from a date.

    The known keys, their types and defaults are declared in core/params.py; a version here overrides
    the default from `effective_from` on. Rows are never edited: a change is a new version.
    """

    key = models.CharField(_("参数"), max_length=80, db_index=True)
    value = models.JSONField(_("取值"))
    effective_from = models.DateField(_("生效日期"))
    reason = models.CharField(_("调整依据"), max_length=300)
    citation = models.CharField(_("法规出处"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("运行参数")
        verbose_name_plural = _("运行参数")
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="core_param_one_version_per_day")]

    def __str__(self) -> str:
        return f"{self.key}@{self.effective_from}"
