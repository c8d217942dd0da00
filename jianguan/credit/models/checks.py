from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CheckAction, CheckOutcome, CheckSubject


class CreditCheck(models.Model):
    """One 逢办必查 check: an append-only log row, written with one small insert on the hot path.

    Not an audit-chain event per check (the chain serialises every writer on one row); instead
    `credit_check_digest` folds each new range of checks into one keyed SM3 digest and records that digest in
    the audit chain, so editing or deleting a check is still detected (docs/decisions/0005-credit-check-log.md).
    No foreign keys: the insert checks no constraint and locks no parent row.
    """

    created_at = models.DateTimeField(_("查询时间"))
    user_id = models.BigIntegerField(_("查询人ID"))
    department_id = models.BigIntegerField(_("查询部门ID"), null=True, blank=True)
    scenario = models.CharField(_("业务场景"), max_length=20)
    subject = models.CharField(_("查询对象"), max_length=6, choices=CheckSubject.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    person_hash = models.CharField(_("身份证号查询摘要"), max_length=64, blank=True)
    entity_id = models.BigIntegerField(_("主体ID"), null=True, blank=True)
    grade = models.CharField(_("类别"), max_length=1, blank=True)
    lists = models.CharField(_("名单"), max_length=60, blank=True)
    measures = models.TextField(_("适用措施"), blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=CheckOutcome.choices)
    request_id = models.CharField(_("请求ID"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("逢办必查记录")
        verbose_name_plural = _("逢办必查记录")
        indexes = [models.Index(fields=["department_id", "id"], name="credit_check_dept")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.scenario} {self.uscc or '***'}"


class CheckReport(models.Model):
    """逢查必报: what the department did after a check (append-only; a later report supersedes an earlier one)."""

    check_id = models.BigIntegerField(_("查询记录"), db_index=True)
    action = models.CharField(_("处理情况"), max_length=12, choices=CheckAction.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    user_id = models.BigIntegerField(_("报告人ID"))
    department_id = models.BigIntegerField(_("部门ID"), null=True, blank=True)

    class Meta:
        verbose_name = _("逢查必报记录")
        verbose_name_plural = _("逢查必报记录")


class CheckDigest(models.Model):
    """A keyed SM3 digest over a closed range of checks and reports, chained to the previous digest and recorded
    in the audit chain."""

    kind = models.CharField(_("对象"), max_length=10, default="check")
    first_id = models.BigIntegerField(_("起始ID"))
    last_id = models.BigIntegerField(_("截止ID"))
    count = models.IntegerField(_("条数"))
    digest = models.CharField(_("摘要"), max_length=64)
    prev_digest = models.CharField(_("前一摘要"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("查询记录摘要")
        verbose_name_plural = _("查询记录摘要")
        ordering = ["kind", "last_id"]
