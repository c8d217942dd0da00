from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.pii import EncryptedCharField
from jianguan.core.scope import ScopedQuerySet

from .choices import ImportFormat, JobChannel, JobStatus, MatchStatus, RecordKind, RecordStatus


class Record(models.Model):
    """One supervision record about a market entity, from any department or outside system (数据归集).

    Common columns for lists, scoping and the 一户一档 timeline; the kind's exchange fields live in `payload`,
    validated by records/kinds.py. `(source_system, source_id)` is the source's own key: imports are idempotent
    on it. A record whose USCC matches no entity keeps `entity` empty and waits in the 待匹配 queue.
    """

    kind = models.CharField(_("类别"), max_length=15, choices=RecordKind.choices)
    # No database constraint on entity and department (decision 0007): the import writes a million rows in
    # minutes, and the row-by-row foreign-key checks were a fifth of it on PostgreSQL. The ORM still protects them.
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="records", db_index=False, db_constraint=False)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    department = models.ForeignKey("core.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="records",
                                   db_index=False, db_constraint=False)
    occurred_on = models.DateField(_("发生日期"))
    title = models.CharField(_("事项"), max_length=300)
    summary = models.TextField(_("摘要"), blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    source_system = models.CharField(_("来源系统"), max_length=60)
    source_id = models.CharField(_("来源记录ID"), max_length=120)
    payload = models.JSONField(_("交换字段"), default=dict)
    row_hash = models.CharField(max_length=40, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE)
    match_status = models.CharField(_("匹配状态"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.MATCHED)
    disclose = models.BooleanField(_("公示"), default=False)
    disclose_until = models.DateField(_("公示截止"), null=True, blank=True)
    party_id_number = EncryptedCharField(_("自然人证件号码"), blank=True, lookup_field="party_id_hash")
    party_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    rep_id_number = EncryptedCharField(_("法定代表人证件号码"), blank=True)
    import_job = models.ForeignKey("records.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False, db_constraint=False)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    @classmethod
    def scope_public_q(cls):
        return models.Q(disclose=True, status=RecordStatus.ACTIVE, match_status=MatchStatus.MATCHED)

    class Meta:
        verbose_name = _("监管记录")
        verbose_name_plural = _("监管记录")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="records_record_source_unique")]
        indexes = [
            models.Index(fields=["entity", "occurred_on"], name="records_entity_date"),
            models.Index(fields=["department", "kind", "occurred_on"], name="records_dept_kind_date"),
            models.Index(fields=["uscc"], condition=models.Q(entity__isnull=True), name="records_pending_uscc"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class ImportJob(models.Model):
    """One import of one file (or API body): its progress, its counts, and where its rejected-rows report is."""

    format = models.CharField(_("数据格式"), max_length=30, choices=ImportFormat.choices)
    channel = models.CharField(_("方式"), max_length=5, choices=JobChannel.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    file_size = models.BigIntegerField(_("文件大小"), default=0)
    department = models.ForeignKey("core.Department", verbose_name=_("导入部门"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    processed_bytes = models.BigIntegerField(default=0)
    rows = models.IntegerField(_("行数"), default=0)
    accepted = models.IntegerField(_("接收"), default=0)
    inserted = models.IntegerField(_("新增"), default=0)
    updated = models.IntegerField(_("更新"), default=0)
    voided = models.IntegerField(_("作废"), default=0)
    unchanged = models.IntegerField(_("无变化"), default=0)
    rejected = models.IntegerField(_("拒收"), default=0)
    unmatched = models.IntegerField(_("待匹配"), default=0)
    notes = models.JSONField(_("说明"), default=dict)
    error = models.TextField(_("错误"), blank=True)
    report_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Written with every committed transaction of a running import; a job whose heartbeat stops (its process was
    # restarted or killed) is ended as interrupted by services.import_jobs_recover.
    heartbeat_at = models.DateTimeField(_("最近进度"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} · {self.file_name}"

    @property
    def progress_percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.file_size:
            return 0
        return min(99, int(self.processed_bytes * 100 / self.file_size))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class PendingLicence(models.Model):
    """A 双公示 licence whose USCC matches no entity yet: kept (never dropped) until staff match or create it."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    department = models.ForeignKey("core.Department", verbose_name=_("许可机关"), on_delete=models.PROTECT, related_name="+")
    document_no = models.CharField(_("行政许可决定文书号"), max_length=100)
    data = models.JSONField(_("许可字段"), default=dict)
    row_hash = models.CharField(max_length=40)
    import_job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("待匹配许可")
        verbose_name_plural = _("待匹配许可")
        constraints = [models.UniqueConstraint(fields=["department", "document_no"], name="records_pending_licence_unique")]

    def __str__(self) -> str:
        return f"{self.party_name} {self.document_no}"
