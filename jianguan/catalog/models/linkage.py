"""审管衔接: licences routed to their supervising department, notices signed for and answered, filings verified.

任务分工 一(二)1: where approval and supervision are separated, the approval result reaches the competent
department and its supervision result flows back (信息双向沟通). 一(二)5: for items changed from approval to
filing (审批改备案), the competent department verifies filings and pursues unfiled activity.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.scope import ScopedQuerySet, visible_department_ids

from ..choices import NoticeStatus, SupervisionResult, VerificationKind, VerificationStatus


class ApprovalRoute(models.Model):
    """Routing table: licences of an approval matter go to this supervising department (and item).

    A licence matches when its 许可证书名称 or 行政许可决定文书名称 contains `keyword` (and, when set, it was
    granted by `approval_department`). Maintained by 协调办 / 审批服务管理局.
    """

    matter = models.CharField(_lazy("审批事项"), max_length=200)
    keyword = models.CharField(_lazy("匹配关键词"), max_length=100,
                               help_text=_lazy("许可证书名称或许可决定文书名称包含该词即匹配，如：食品经营许可"))
    approval_department = models.ForeignKey("core.Department", verbose_name=_lazy("审批部门"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+",
                                            help_text=_lazy("留空表示任何许可机关"))
    supervising_department = models.ForeignKey("core.Department", verbose_name=_lazy("监管部门"), on_delete=models.PROTECT,
                                               related_name="approval_routes")
    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_lazy("对应监管事项"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="approval_routes")
    priority = models.PositiveSmallIntegerField(_lazy("优先级"), default=100)
    is_active = models.BooleanField(_lazy("启用"), default=True)
    note = models.CharField(_lazy("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _lazy("审管衔接路由")
        verbose_name_plural = _lazy("审管衔接路由")
        ordering = ["priority", "id"]
        constraints = [models.UniqueConstraint(fields=["keyword", "supervising_department"], name="catalog_route_unique")]

    def __str__(self) -> str:
        return f"{self.matter} → {self.supervising_department}"


class TwoSidedQuerySet(ScopedQuerySet):
    """Visible to both sides of the link: the approving department and the supervising department."""

    SIDES = ("approval_department", "supervising_department")

    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or user.is_enterprise:
            return self.none()
        ids = visible_department_ids(user)
        if ids is None:
            return self
        q = Q()
        for side in self.SIDES:
            q |= Q(**{f"{side}__in": ids})
        return self.filter(q)


class SupervisionNotice(models.Model):
    """监管告知: the approval result pushed to the competent department, which signs for it (签收) within a
    number of working days (runtime parameter deadline.supervision_notice_sign) and later feeds back its
    supervision result, which is shown on the licence's record to the approval bureau."""

    licence = models.ForeignKey("entities.Licence", verbose_name=_lazy("行政许可"), on_delete=models.PROTECT, related_name="supervision_notices")
    route = models.ForeignKey(ApprovalRoute, verbose_name=_lazy("路由"), null=True, blank=True, on_delete=models.SET_NULL, related_name="notices")
    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_lazy("监管事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    approval_department = models.ForeignKey("core.Department", verbose_name=_lazy("审批部门"), on_delete=models.PROTECT, related_name="+")
    supervising_department = models.ForeignKey("core.Department", verbose_name=_lazy("监管部门"), on_delete=models.PROTECT, related_name="supervision_notices")
    issued_on = models.DateField(_lazy("告知日期"))
    due_on = models.DateField(_lazy("签收期限"))
    status = models.CharField(_lazy("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING, db_index=True)
    overdue_flagged_on = models.DateField(_lazy("逾期标记日期"), null=True, blank=True)
    signed_at = models.DateTimeField(_lazy("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_lazy("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_late = models.BooleanField(_lazy("逾期签收"), default=False)
    result = models.CharField(_lazy("监管结果"), max_length=10, choices=SupervisionResult.choices, blank=True)
    result_note = models.TextField(_lazy("结果说明"), blank=True)
    result_at = models.DateTimeField(_lazy("反馈时间"), null=True, blank=True)
    result_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_lazy("反馈人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    objects = TwoSidedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "supervising_department"

    class Meta:
        verbose_name = _lazy("监管告知")
        verbose_name_plural = _lazy("监管告知")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["licence", "supervising_department"], name="catalog_notice_unique")]
        indexes = [models.Index(fields=["status", "due_on"], name="catalog_notice_status_due")]

    def __str__(self) -> str:
        return f"{self.licence} → {self.supervising_department}"


class FilingMatter(models.Model):
    """An item changed from approval to filing (审批改备案): how its filings are recognised and which
    entities are presumed to carry on the activity (industry-code prefixes, licence keywords)."""

    name = models.CharField(_lazy("备案事项"), max_length=200)
    keyword = models.CharField(_lazy("匹配关键词"), max_length=100, help_text=_lazy("备案事项名称包含该词即为此事项的备案"))
    item = models.ForeignKey("catalog.SupervisionItem", verbose_name=_lazy("对应监管事项"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="filing_matters")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("主管部门"), on_delete=models.PROTECT, related_name="filing_matters")
    industry_codes = models.CharField(_lazy("行业代码"), max_length=300, blank=True,
                                      help_text=_lazy("GB/T 4754-2017 代码或前缀，多个用逗号分隔，如：F5274,O8051"))
    licence_keywords = models.CharField(_lazy("许可关键词"), max_length=300, blank=True,
                                        help_text=_lazy("持有名称含这些词的许可即视为从事该活动，多个用逗号分隔"))
    is_active = models.BooleanField(_lazy("启用"), default=True)
    note = models.CharField(_lazy("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("审批改备案事项")
        verbose_name_plural = _lazy("审批改备案事项")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["keyword", "department"], name="catalog_filing_matter_unique")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def split(value: str) -> list[str]:
        parts = (value or "").replace("，", ",").replace("、", ",").split(",")
        return [p.strip().upper() if p.strip().isascii() else p.strip() for p in parts if p.strip()]

    @property
    def industry_code_list(self) -> list[str]:
        return self.split(self.industry_codes)

    @property
    def licence_keyword_list(self) -> list[str]:
        return self.split(self.licence_keywords)


class VerificationTask(models.Model):
    """核查: a filing of an 审批改备案 item to verify, or an entity presumed to operate without a filing."""

    kind = models.CharField(_lazy("类型"), max_length=10, choices=VerificationKind.choices)
    matter = models.ForeignKey(FilingMatter, verbose_name=_lazy("备案事项"), on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey("core.Department", verbose_name=_lazy("核查部门"), on_delete=models.PROTECT, related_name="verification_tasks")
    entity = models.ForeignKey("entities.Entity", verbose_name=_lazy("市场主体"), on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey("entities.Filing", verbose_name=_lazy("备案"), null=True, blank=True, on_delete=models.PROTECT, related_name="verification_tasks")
    issued_on = models.DateField(_lazy("下达日期"))
    due_on = models.DateField(_lazy("核查期限"))
    status = models.CharField(_lazy("状态"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING, db_index=True)
    result_note = models.TextField(_lazy("核查情况"), blank=True)
    done_at = models.DateTimeField(_lazy("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    overdue_flagged_on = models.DateField(_lazy("逾期标记日期"), null=True, blank=True)
    created_at = models.DateTimeField(_lazy("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _lazy("核查任务")
        verbose_name_plural = _lazy("核查任务")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "matter"], condition=Q(filing__isnull=False), name="catalog_verify_filing_unique"),
            models.UniqueConstraint(fields=["entity", "matter"], condition=Q(kind="unfiled", status="pending"),
                                    name="catalog_verify_unfiled_open_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entity.name}"
