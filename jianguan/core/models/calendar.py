from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import HolidayKind


class Holiday(models.Model):
    """An entry of the official holiday arrangement (国务院办公厅 放假安排) kept by an administrator.

    It overrides the bundled calendar package, and is the only source for years the package does not
    cover. A day not listed follows the rule: Monday–Friday work, Saturday–Sunday rest.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=HolidayKind.choices)
    name = models.CharField(_("名称"), max_length=30, help_text=_("如：春节、国庆节"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.get_kind_display()}）"
