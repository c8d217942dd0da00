"""Random-inspection tasks, their verifiable draws and candidate lists, the drawn objects, inspector assignments and
joint visits (进一次门、查多项事)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianguan.core.scope import ScopedQuerySet

from jianguan.catalog.choices import PlanMethod

from ..choices import DrawStatus, ObjectStatus, TaskStatus, VisitStatus


class InspectionTask(models.Model):
    """A 双随机 task: items from approved plan rows, an object scope, ratios per credit class, exclusions.

    Single-department when it has no participating departments, joint (联合抽查) otherwise. Visible to the
    initiating department, the participating departments and the county owner; public once drawn.
    """

    code = models.CharField(_("任务编号"), max_length=30, unique=True)
    name = models.CharField(_("任务名称"), max_length=200)
    department = models.ForeignKey("core.Department", verbose_name=_("发起部门"), on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField("core.Department", verbose_name=_("配合部门"), blank=True, related_name="+")
    plan_rows = models.ManyToManyField("catalog.PlanRow", verbose_name=_("年度计划事项"), related_name="inspection_tasks")
    items = models.ManyToManyField("catalog.SupervisionItem", verbose_name=_("抽查事项"), related_name="inspection_tasks")
    targeted = models.BooleanField(_("定向抽查"), default=False)
    filters = models.JSONField(_("定向条件"), default=dict, blank=True)
    ratios = models.JSONField(_("各类别抽查比例（%）"), default=dict)
    exclude_days = models.PositiveIntegerField(_("近期已检查排除期（天）"), default=365)
    method = models.CharField(_("检查方式"), max_length=10, choices=PlanMethod.choices, default=PlanMethod.ONSITE)
    period_start = models.DateField(_("检查开始日期"))
    period_end = models.DateField(_("检查结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"

    @classmethod
    def scope_public_q(cls):
        return Q(status__in=[TaskStatus.COMMITTED, TaskStatus.DRAWN, TaskStatus.COMPLETED])

    class Meta:
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="insp_task_period")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_joint(self) -> bool:
        return self.participants.exists()

    def current_draw(self) -> "Draw | None":
        """The draw in force: the newest one not superseded (None before the first commitment)."""
        return self.draws.exclude(status=DrawStatus.SUPERSEDED).order_by("-number").first()


class Draw(models.Model):
    """One draw of a task. Committed first (seed sealed, its SM3 commitment and the candidate list hash published),
    revealed at the draw. The candidate list itself is a published file (`candidates_file`, the exact bytes that
    `candidates_hash` covers), not a table: a province-size task has a million candidates per draw. A re-draw is a new row with a number and a reason; the old one is superseded, never
    overwritten."""

    task = models.ForeignKey(InspectionTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveSmallIntegerField(_("第几次抽取"))
    reason = models.CharField(_("重新抽取原因"), max_length=300, blank=True)
    algorithm = models.CharField(_("算法"), max_length=20)
    status = models.CharField(_("状态"), max_length=12, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    commitment = models.CharField(_("种子承诺值 SM3(seed)"), max_length=64)
    seed_sealed = models.TextField(editable=False)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    candidates_hash = models.CharField(_("候选名单哈希"), max_length=64)
    candidate_count = models.PositiveIntegerField(_("候选主体数"), default=0)
    candidates_file = models.CharField(_("候选名单文件"), max_length=200, blank=True)
    ratios = models.JSONField(_("各类别抽查比例（%）"), default=dict)
    strata = models.JSONField(_("分层情况"), default=dict)
    selected_count = models.PositiveIntegerField(_("抽中主体数"), default=0)
    selected_hash = models.CharField(_("抽中名单哈希"), max_length=64, blank=True)
    committed_at = models.DateTimeField(_("承诺时间"))
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("随机抽取")
        verbose_name_plural = _("随机抽取")
        ordering = ["task", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="insp_draw_number_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} #{self.number}"


class Visit(models.Model):
    """One visit to an entity: every drawn object of every department's task for it in overlapping periods."""

    code = models.CharField(_("检查编号"), max_length=30, unique=True)
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+",
                               db_constraint=False)  # see TaskObject
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入户检查")
        verbose_name_plural = _("入户检查")
        ordering = ["period_start", "code"]

    def __str__(self) -> str:
        return self.code


class TaskObject(models.Model):
    """An entity drawn by a task (抽中的检查对象), and where its result stands."""

    # A draw writes tens of thousands of these at once (COPY / executemany), with their visits and assignments. Only
    # the reference to the draw keeps a database constraint; the others (task and department follow from the draw,
    # entities and directory entries are never deleted, visits and assignments are written in the same statement
    # group) carry none: PostgreSQL checks each constraint row by row at commit, which cost more than the draw
    # itself. The ORM still applies on_delete, and only services write these rows. docs/decisions/0006.
    task = models.ForeignKey(InspectionTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="objects_drawn",
                             db_constraint=False)
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="objects_drawn")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    entity = models.ForeignKey("entities.Entity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)  # indexed with status below
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    grade = models.CharField(_("信用风险类别"), max_length=1)
    is_key = models.BooleanField(_("重点监管对象"), default=False)
    visit = models.ForeignKey(Visit, verbose_name=_("入户检查"), null=True, on_delete=models.SET_NULL, related_name="task_objects",
                              db_constraint=False)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectStatus.choices, default=ObjectStatus.ASSIGNED)

    objects = ScopedQuerySet.as_manager()
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        ordering = ["uscc"]
        constraints = [models.UniqueConstraint(fields=["draw", "entity"], name="insp_object_unique")]
        indexes = [models.Index(fields=["entity", "status"], name="insp_object_entity")]


class Assignment(models.Model):
    """An inspector assigned to a drawn object; a recusal ends it and records the re-drawn replacement."""

    task_object = models.ForeignKey(TaskObject, on_delete=models.CASCADE, related_name="assignments",
                                    db_constraint=False)  # see TaskObject; deleted with it by the ORM (draw_redo)
    inspector = models.ForeignKey("inspections.Inspector", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="assignments",
                                  db_constraint=False, db_index=False)  # see TaskObject; indexed with active below
    attempt = models.PositiveSmallIntegerField(_("抽取轮次"), default=0, help_text=_("0 为首次分派，n 为第 n 次回避后重新抽取"))
    active = models.BooleanField(_("有效"), default=True)
    ended_reason = models.CharField(_("回避事由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("分派时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查人员分派")
        verbose_name_plural = _("检查人员分派")
        ordering = ["task_object", "id"]
        indexes = [models.Index(fields=["inspector", "active"], name="insp_assignment_inspector")]
