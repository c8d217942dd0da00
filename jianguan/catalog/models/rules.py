"""监管规则和标准 register and 监管工作指引 — both published to anonymous visitors once released."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.scope import ScopedQuerySet

from ..choices import CleanupReason, CleanupStatus, PublishStatus, RuleKind, StandardLevel, SupervisionField


class RuleStandard(models.Model):
    """A supervision rule or a standard (国家/行业/地方/团体/企业) a department enforces, by field.

    任务分工 二(一)1: rules and standards are written down per field and made public; 二(一)2: those with
    blurred boundaries or elastic enforcement are marked for cleanup and tracked to revision or repeal.
    """

    department = models.ForeignKey("core.Department", verbose_name=_lazy("负责部门"), on_delete=models.PROTECT,
                                   related_name="rules_standards")
    kind = models.CharField(_lazy("类型"), max_length=10, choices=RuleKind.choices, default=RuleKind.RULE)
    level = models.CharField(_lazy("层级"), max_length=12, choices=StandardLevel.choices, default=StandardLevel.LOCAL)
    field = models.CharField(_lazy("监管领域"), max_length=20, choices=SupervisionField.choices)
    title = models.CharField(_lazy("名称"), max_length=300)
    number = models.CharField(_lazy("标准号/文号"), max_length=100, blank=True, help_text=_lazy("如：GB 2760-2024；沁政办发〔2026〕12号"))
    issuing_body = models.CharField(_lazy("发布机关"), max_length=200, blank=True)
    issued_on = models.DateField(_lazy("发布日期"), null=True, blank=True)
    effective_on = models.DateField(_lazy("实施日期"), null=True, blank=True)
    summary = models.TextField(_lazy("主要内容"), blank=True)
    mandatory = models.BooleanField(_lazy("强制性"), default=False)
    status = models.CharField(_lazy("公开状态"), max_length=10, choices=PublishStatus.choices, default=PublishStatus.DRAFT)
    published_at = models.DateTimeField(_lazy("公开时间"), null=True, blank=True)
    cleanup_status = models.CharField(_lazy("清理状态"), max_length=12, choices=CleanupStatus.choices, default=CleanupStatus.NONE)
    cleanup_reason = models.CharField(_lazy("清理原因"), max_length=20, choices=CleanupReason.choices, blank=True)
    cleanup_note = models.CharField(_lazy("清理说明"), max_length=500, blank=True)
    cleanup_due = models.DateField(_lazy("清理完成期限"), null=True, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_lazy("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=PublishStatus.PUBLISHED)

    class Meta:
        verbose_name = _lazy("监管规则和标准")
        verbose_name_plural = _lazy("监管规则和标准")
        ordering = ["field", "kind", "title"]
        indexes = [models.Index(fields=["status", "field"], name="catalog_rule_status_field")]

    def __str__(self) -> str:
        return f"{self.title}{'（' + self.number + '）' if self.number else ''}"


class Guideline(models.Model):
    """监管工作指引 of one item: what to check, how, on what basis, and what to do with the result.

    任务分工 二(三)2. Written for an inspector reading it on a phone and for printing.
    """

    item = models.OneToOneField("catalog.SupervisionItem", verbose_name=_lazy("监管事项"), on_delete=models.CASCADE,
                                related_name="guideline")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("所属部门"), on_delete=models.PROTECT,
                                   related_name="guidelines")
    content = models.TextField(_lazy("监管内容"))
    method = models.TextField(_lazy("监管方法"))
    basis = models.TextField(_lazy("监管依据"))
    result_handling = models.TextField(_lazy("检查结果处理"))
    status = models.CharField(_lazy("公开状态"), max_length=10, choices=PublishStatus.choices, default=PublishStatus.DRAFT)
    published_at = models.DateTimeField(_lazy("公开时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_lazy("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=PublishStatus.PUBLISHED)

    class Meta:
        verbose_name = _lazy("监管工作指引")
        verbose_name_plural = _lazy("监管工作指引")
        ordering = ["item__code"]

    def __str__(self) -> str:
        return str(self.item)
