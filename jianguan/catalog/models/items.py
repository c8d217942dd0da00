"""监管事项目录清单 and 检查实施清单, with their version history and the legal provisions they rest on."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.scope import ScopedQuerySet

from ..choices import (
    ChangeReason,
    CheckMethod,
    ItemCategory,
    ItemLevel,
    ItemStatus,
    ProvisionStatus,
    SupervisionField,
)

ITEM_CODE_RE = re.compile(r"^\d{14}$")
IMPL_CODE_RE = re.compile(r"^\d{14}[0-9A-Z]{1,26}$")


def validate_item_code(value: str) -> None:
    """监管事项目录编码: 14 digits (“互联网+监管” exchange standard)."""
    if not ITEM_CODE_RE.match(value or ""):
        raise ValidationError(
            _("监管事项编码应为14位数字，当前为“%(v)s”（%(n)d位）") % {"v": value, "n": len(value or "")},
            code="item_code_format",
        )


def validate_impl_code(value: str) -> None:
    """检查实施清单编码: the item's 14-digit code followed by 1–26 digits or capital letters."""
    if not IMPL_CODE_RE.match(value or ""):
        raise ValidationError(
            _("检查实施清单编码应为所属监管事项的14位编码加1至26位数字或大写字母，当前为“%(v)s”") % {"v": value},
            code="impl_code_format",
        )


class LegalProvision(models.Model):
    """One article of a law, regulation or rule (法律法规条款) that catalogue items rest on.

    Shared county-wide: when an article is repealed, every item whose legal basis includes it is flagged for
    review (任务分工 一(一)3 动态调整). `article` empty means the law as a whole.
    """

    law_name = models.CharField(_lazy("法律法规名称"), max_length=200)
    article = models.CharField(_lazy("条款"), max_length=60, blank=True, help_text=_lazy("如：第八十七条、第十条第二款"))
    text = models.TextField(_lazy("条文摘要"), blank=True)
    status = models.CharField(_lazy("效力状态"), max_length=10, choices=ProvisionStatus.choices, default=ProvisionStatus.IN_FORCE)
    status_changed_on = models.DateField(_lazy("状态变更日期"), null=True, blank=True)
    status_note = models.CharField(_lazy("状态说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_lazy("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _lazy("法律法规条款")
        verbose_name_plural = _lazy("法律法规条款")
        ordering = ["law_name", "article"]
        constraints = [models.UniqueConstraint(fields=["law_name", "article"], name="catalog_provision_unique")]

    def __str__(self) -> str:
        return f"《{self.law_name}》{self.article}"


class SupervisionItem(models.Model):
    """A 监管事项: what is supervised, by whom, on what legal basis — and the named people who answer for it.

    The row holds the latest version; every change is also kept as a SupervisionItemVersion with its
    effective date and reason. `needs_review` is set when an article of its legal basis is repealed and
    cleared by a new version whose basis no longer includes a repealed article.
    """

    code = models.CharField(_lazy("监管事项编码"), max_length=14, unique=True, validators=[validate_item_code])
    name = models.CharField(_lazy("监管事项名称"), max_length=200)
    department = models.ForeignKey("core.Department", verbose_name=_lazy("实施部门"), on_delete=models.PROTECT,
                                   related_name="supervision_items")
    level = models.CharField(_lazy("事项层级"), max_length=12, choices=ItemLevel.choices, default=ItemLevel.COUNTY)
    field = models.CharField(_lazy("监管领域"), max_length=20, choices=SupervisionField.choices, default=SupervisionField.OTHER)
    supervision_object = models.CharField(_lazy("监管对象"), max_length=300)
    scope = models.TextField(_lazy("监管范围"), blank=True)
    method = models.CharField(_lazy("监管方式"), max_length=200, blank=True, help_text=_lazy("如：双随机抽查、重点检查、信用监管"))
    category = models.CharField(_lazy("事项类别"), max_length=10, choices=ItemCategory.choices, default=ItemCategory.GENERAL)
    random_check = models.BooleanField(_lazy("纳入随机抽查事项清单"), default=False)
    approval_to_filing = models.BooleanField(_lazy("审批改备案事项"), default=False)
    responsible_leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_lazy("分管负责人"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="led_items")
    handling_unit = models.ForeignKey("core.Department", verbose_name=_lazy("承办机构"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="handled_items")
    handling_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_lazy("承办人员"), blank=True,
                                            related_name="handled_items")
    provisions = models.ManyToManyField(LegalProvision, verbose_name=_lazy("监管依据"), through="ItemBasis",
                                        related_name="items", blank=True)
    status = models.CharField(_lazy("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    version = models.PositiveIntegerField(_lazy("版本"), default=1)
    effective_from = models.DateField(_lazy("生效日期"))
    needs_review = models.BooleanField(_lazy("待复核"), default=False, db_index=True)
    review_note = models.CharField(_lazy("复核原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_lazy("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("监管事项")
        verbose_name_plural = _lazy("监管事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "status"], name="catalog_item_dept_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemBasis(models.Model):
    """One legal provision an item rests on (监管依据), in the order the catalogue lists them."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="bases")
    provision = models.ForeignKey(LegalProvision, on_delete=models.PROTECT, related_name="bases")
    seq = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _lazy("监管依据")
        verbose_name_plural = _lazy("监管依据")
        ordering = ["seq", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "provision"], name="catalog_basis_unique")]


class VersionBase(models.Model):
    """A frozen copy of a catalogue entry as it stood after one change: effective date, reason, snapshot."""

    number = models.PositiveIntegerField(_lazy("版本号"))
    effective_from = models.DateField(_lazy("生效日期"))
    reason = models.CharField(_lazy("调整原因"), max_length=20, choices=ChangeReason.choices)
    reason_note = models.CharField(_lazy("调整说明"), max_length=500, blank=True)
    snapshot = models.JSONField(_lazy("内容"))
    created_at = models.DateTimeField(_lazy("录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-number"]


class SupervisionItemVersion(VersionBase):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="versions")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta(VersionBase.Meta):
        verbose_name = _lazy("监管事项版本")
        verbose_name_plural = _lazy("监管事项版本")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="catalog_item_version_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"


class ImplementationList(models.Model):
    """检查实施清单 of an item: who checks whom, which points, how, how often, on what basis, and what follows."""

    item = models.ForeignKey(SupervisionItem, verbose_name=_lazy("监管事项"), on_delete=models.PROTECT,
                             related_name="implementation_lists")
    code = models.CharField(_lazy("检查实施清单编码"), max_length=40, unique=True, validators=[validate_impl_code])
    name = models.CharField(_lazy("检查实施清单名称"), max_length=200)
    department = models.ForeignKey("core.Department", verbose_name=_lazy("所属部门"), on_delete=models.PROTECT,
                                   related_name="implementation_lists")
    agency = models.ForeignKey("core.Department", verbose_name=_lazy("实施机构"), on_delete=models.PROTECT,
                               related_name="implemented_lists")
    check_object = models.CharField(_lazy("检查对象"), max_length=300)
    method = models.CharField(_lazy("检查方式"), max_length=10, choices=CheckMethod.choices, default=CheckMethod.ONSITE)
    frequency = models.CharField(_lazy("检查频次"), max_length=100, help_text=_lazy("如：每年不少于1次；按抽查比例"))
    basis = models.TextField(_lazy("检查依据"), blank=True)
    result_handling = models.TextField(_lazy("结果处理"), blank=True)
    status = models.CharField(_lazy("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    version = models.PositiveIntegerField(_lazy("版本"), default=1)
    effective_from = models.DateField(_lazy("生效日期"))
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_lazy("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("检查实施清单")
        verbose_name_plural = _lazy("检查实施清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CheckPoint(models.Model):
    """One concrete thing an inspector checks (检查要点), in order; the inspections app uses them as its checklist."""

    implementation_list = models.ForeignKey(ImplementationList, on_delete=models.CASCADE, related_name="check_points")
    seq = models.PositiveSmallIntegerField(_lazy("序号"))
    content = models.CharField(_lazy("检查内容"), max_length=500)
    basis = models.CharField(_lazy("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _lazy("检查要点")
        verbose_name_plural = _lazy("检查要点")
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["implementation_list", "seq"], name="catalog_checkpoint_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.content}"


class ImplementationListVersion(VersionBase):
    implementation_list = models.ForeignKey(ImplementationList, on_delete=models.CASCADE, related_name="versions")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta(VersionBase.Meta):
        verbose_name = _lazy("检查实施清单版本")
        verbose_name_plural = _lazy("检查实施清单版本")
        constraints = [models.UniqueConstraint(fields=["implementation_list", "number"], name="catalog_impl_version_unique")]

    def __str__(self) -> str:
        return f"{self.implementation_list.code} v{self.number}"
