from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import MeasureKind, Scenario, Trigger


class Measure(models.Model):
    """One joint reward or punishment measure (联合奖惩措施): which trigger, in which business scenario, what it does,
    on what legal basis, and which department carries it out."""

    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("措施名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=MeasureKind.choices)
    trigger = models.CharField(_("触发条件"), max_length=20, choices=Trigger.choices)
    scenario = models.CharField(_("业务场景"), max_length=20, choices=Scenario.choices)
    content = models.TextField(_("措施内容"))
    legal_basis = models.CharField(_("法律依据"), max_length=500)
    implementer = models.CharField(_("实施部门"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("联合奖惩措施")
        verbose_name_plural = _("联合奖惩措施")
        ordering = ["scenario", "order", "code"]
        indexes = [models.Index(fields=["scenario", "trigger"], name="credit_measure_lookup")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
