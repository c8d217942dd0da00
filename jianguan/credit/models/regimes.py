from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import RegimeFamily, RuleDomain, Severity


class DisclosureRegime(models.Model):
    """A disclosure (公示) and repair regime, in force for decisions made on or after `effective_from`.

    Regimes are data, versioned by decision date (RULES.md): the regime that governs an item is the newest
    one of its family whose effective date is not after the item's decision date. A regime bound to
    departments (SAMR Order 45 → the market-supervision bureau) governs only their penalties; an unbound
    regime governs everything else.
    """

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    family = models.CharField(_("体系"), max_length=10, choices=RegimeFamily.choices)
    effective_from = models.DateField(_("施行日期"))
    citation = models.CharField(_("出处"), max_length=300)
    departments = models.ManyToManyField("core.Department", verbose_name=_("适用部门"), blank=True, related_name="+",
                                         help_text=_("为空表示适用于所有部门"))
    no_early_removal_kinds = models.CharField(_("不得提前停止公示的处罚种类"), max_length=200, blank=True,
                                              help_text=_("用顿号分隔，如：责令停产停业、吊销许可证件、限制从业"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("公示与修复制度")
        verbose_name_plural = _("公示与修复制度")
        ordering = ["family", "effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from}）"

    @property
    def no_early_removal(self) -> list[str]:
        return [k for k in self.no_early_removal_kinds.split("、") if k]


class DisclosureRule(models.Model):
    """One line of a regime: the minimum (repair may be applied for) and maximum (publication stops) period."""

    regime = models.ForeignKey(DisclosureRegime, verbose_name=_("制度"), on_delete=models.CASCADE, related_name="rules")
    severity = models.CharField(_("失信程度"), max_length=10, choices=Severity.choices)
    domain = models.CharField(_("领域"), max_length=10, choices=RuleDomain.choices, blank=True, default="")
    published = models.BooleanField(_("公示"), default=True, help_text=_("否：原则上不公示"))
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"))
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))

    class Meta:
        verbose_name = _("公示期规则")
        verbose_name_plural = _("公示期规则")
        constraints = [
            models.UniqueConstraint(fields=["regime", "severity", "domain"], name="credit_rule_unique"),
            models.CheckConstraint(condition=models.Q(max_months__gte=models.F("min_months")), name="credit_rule_min_le_max"),
        ]

    def __str__(self) -> str:
        return f"{self.regime.code} {self.get_severity_display()} {self.min_months}–{self.max_months}"
