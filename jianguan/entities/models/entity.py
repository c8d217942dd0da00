from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.identifiers import validate_division_code, validate_uscc

from ..choices import EntityKind, EntityStatus


class Entity(models.Model):
    """A market entity (市场主体), identified by its 统一社会信用代码. The registry is shared county-wide."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("主体类型"), max_length=20, choices=EntityKind.choices, default=EntityKind.ENTERPRISE)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    registered_capital = models.DecimalField(_("注册资本（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_address = models.CharField(_("住所"), max_length=300, blank=True)
    business_address = models.CharField(_("经营场所"), max_length=300, blank=True)
    division_code = models.CharField(_("行政区划代码"), max_length=12, validators=[validate_division_code], db_index=True)
    industry_code = models.CharField(_("国民经济行业代码"), max_length=5, blank=True, db_index=True,
                                     help_text=_("GB/T 4754-2017，如 H6210"))
    business_scope = models.TextField(_("经营范围"), blank=True)
    status = models.CharField(_("登记状态"), max_length=12, choices=EntityStatus.choices, default=EntityStatus.EXISTING,
                              db_index=True)
    registration_authority = models.CharField(_("登记机关"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"
