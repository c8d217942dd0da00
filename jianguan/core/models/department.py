from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DepartmentKind, ShareScope
from ..identifiers import validate_division_code, validate_uscc


class Department(models.Model):
    """A 县直部门, or a 科室/执法队 under one (parent set). Owns departmental data."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    kind = models.CharField(_("类型"), max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.BUREAU)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=12, validators=[validate_division_code])
    duties = models.TextField(_("主要职责"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class DepartmentShare(models.Model):
    """Department `owner` lets department `grantee` see its departmental data (数据共享机制)."""

    owner = models.ForeignKey(Department, verbose_name=_("数据所属部门"), on_delete=models.CASCADE, related_name="shares_out")
    grantee = models.ForeignKey(Department, verbose_name=_("共享给"), on_delete=models.CASCADE, related_name="shares_in")
    scope = models.CharField(_("共享范围"), max_length=10, choices=ShareScope.choices, default=ShareScope.READ)
    reason = models.CharField(_("共享依据"), max_length=200)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("部门数据共享")
        verbose_name_plural = _("部门数据共享")
        constraints = [
            models.UniqueConstraint(fields=["owner", "grantee"], name="core_share_unique_pair"),
            models.CheckConstraint(condition=~models.Q(owner=models.F("grantee")), name="core_share_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} → {self.grantee}"
