"""一单两库: the inspector directory (执法检查人员名录库), the object directory rules per item (检查对象名录库) with
their manual adjustments, declared conflicts (回避) and the key-supervision list (重点监管名单)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import AdjustmentAction, ConflictKind


class Inspector(models.Model):
    """An entry of the inspector directory: an account with the 执法人员 role, its fields, township and availability."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="inspector_entry")
    department = models.ForeignKey("core.Department", verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("执法证号"), max_length=30, unique=True)
    fields = models.JSONField(_("执法领域"), default=list, blank=True, help_text=_("监管领域代码；空表示不限"))
    township_code = models.CharField(_("负责乡镇区划"), max_length=12, blank=True)
    available = models.BooleanField(_("可参加抽查"), default=True)
    unavailable_note = models.CharField(_("不可参加原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    @classmethod
    def scope_public_q(cls):
        return Q(user__is_active=True)

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员名录库")
        ordering = ["department__sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.code}）"


class InspectorConflict(models.Model):
    """A declared conflict of interest (回避): the inspector is never assigned to this entity."""

    inspector = models.ForeignKey(Inspector, verbose_name=_("执法人员"), on_delete=models.CASCADE, related_name="conflicts")
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=ConflictKind.choices, default=ConflictKind.DECLARED)
    reason = models.CharField(_("回避事由"), max_length=300)
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entity", "active"], name="insp_conflict_entity")]


class ObjectRule(models.Model):
    """How an item's object directory is built from the registry: entity kinds, industry code prefixes, licence and
    filing keywords, statuses, township prefixes. Empty lists mean "no condition"."""

    item = models.OneToOneField("catalog.SupervisionItem", verbose_name=_("监管事项"), on_delete=models.CASCADE,
                                related_name="object_rule")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    kinds = models.JSONField(_("主体类型"), default=list, blank=True)
    industry_prefixes = models.JSONField(_("行业代码前缀"), default=list, blank=True)
    licence_keywords = models.JSONField(_("持有许可（关键字）"), default=list, blank=True)
    filing_keywords = models.JSONField(_("已办备案（关键字）"), default=list, blank=True)
    statuses = models.JSONField(_("登记状态"), default=list, blank=True)
    division_prefixes = models.JSONField(_("乡镇区划前缀"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("检查对象名录规则")
        verbose_name_plural = _("检查对象名录规则")

    def __str__(self) -> str:
        return str(self.item)


class DirectoryAdjustment(models.Model):
    """A manual addition to or removal from an item's object directory, always with a reason."""

    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_("监管事项"), on_delete=models.CASCADE,
                             related_name="directory_adjustments")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("调整"), max_length=10, choices=AdjustmentAction.choices)
    reason = models.CharField(_("原因"), max_length=300)
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("调整时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("检查对象名录调整")
        verbose_name_plural = _("检查对象名录调整")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["item", "entity"], condition=Q(active=True),
                                               name="insp_adjustment_one_active")]


class KeyEntry(models.Model):
    """重点监管名单: an entity always included in the department's tasks (for one item, or all its items)."""

    department = models.ForeignKey("core.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_("监管事项"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+", help_text=_("空表示本部门全部事项"))
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("列入理由"), max_length=300)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    ended_reason = models.CharField(_("移出理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("列入时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("重点监管对象")
        verbose_name_plural = _("重点监管名单")
        ordering = ["-created_at"]
