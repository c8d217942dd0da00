from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from ..choices import LicenceCategory, LicenceStatus


class Licence(models.Model):
    """An administrative licence (行政许可) granted to an entity, with the 双公示 licence fields.

    `department` is the licensing authority (许可机关) as a platform department: it owns the row for scoping.
    `valid_to` 2099-12-31 means 长期.
    """

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="licences")
    department = models.ForeignKey("core.Department", verbose_name=_("许可机关"), on_delete=models.PROTECT, related_name="licences")
    document_name = models.CharField(_("行政许可决定文书名称"), max_length=200)
    document_no = models.CharField(_("行政许可决定文书号"), max_length=100)
    category = models.CharField(_("许可类别"), max_length=15, choices=LicenceCategory.choices, default=LicenceCategory.ORDINARY)
    certificate_name = models.CharField(_("许可证书名称"), max_length=200, blank=True)
    licence_no = models.CharField(_("许可编号"), max_length=100, blank=True)
    content = models.TextField(_("许可内容"))
    decided_on = models.DateField(_("许可决定日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(_("当前状态"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    source_system = models.CharField(_("来源系统"), max_length=50, blank=True)
    source_id = models.CharField(_("来源记录ID"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "entity__uscc"

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        constraints = [
            models.UniqueConstraint(fields=["department", "document_no"], name="entities_licence_doc_unique"),
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")), name="entities_licence_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.document_name} {self.document_no}"


class Filing(models.Model):
    """A filing (备案) made by an entity with a department, e.g. for items changed from approval to filing."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="filings")
    department = models.ForeignKey("core.Department", verbose_name=_("备案机关"), on_delete=models.PROTECT, related_name="filings")
    matter = models.CharField(_("备案事项"), max_length=200)
    filing_no = models.CharField(_("备案编号"), max_length=100)
    filed_on = models.DateField(_("备案日期"))
    content = models.TextField(_("备案内容"), blank=True)
    source_system = models.CharField(_("来源系统"), max_length=50, blank=True)
    source_id = models.CharField(_("来源记录ID"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "entity__uscc"

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        constraints = [models.UniqueConstraint(fields=["department", "filing_no"], name="entities_filing_no_unique")]

    def __str__(self) -> str:
        return f"{self.matter} {self.filing_no}"
