from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only link of the audit chain (全过程记录). Never updated, never deleted.

    `hash` = keyed SM3 over the canonical form of every other column including `prev_hash`
    (see core/audit.py and docs/audit-chain.md). The actor is kept as plain id + label, not a
    foreign key, so that nothing can cascade into the chain.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("操作人"), max_length=120)
    department_id = models.BigIntegerField(_("部门ID"), null=True, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    request_id = models.CharField(_("请求ID"), max_length=40, blank=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="core_audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from ..audit import action_label

        return action_label(self.action)


class AuditHead(models.Model):
    """The chain's head: last sequence number and hash. Locked by every writer, so the chain is linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
