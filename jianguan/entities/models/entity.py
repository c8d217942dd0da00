from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.identifiers import validate_division_code, validate_uscc
from jianguan.core.pii import EncryptedCharField

from ..choices import EntityKind, EntityStatus, PersonRole


class Entity(models.Model):
    """A market entity (市场主体), identified by its 统一社会信用代码. The registry is shared county-wide.

    `search_text` holds the normalised current and former names, one per line; `NameGram` indexes its
    two-character grams (see docs/decisions/0002-cjk-search.md). Both are kept by the services.
    """

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("主体类型"), max_length=20, choices=EntityKind.choices, default=EntityKind.ENTERPRISE,
                            db_index=True)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True, db_index=True)
    registered_capital = models.DecimalField(_("注册资本（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_address = models.CharField(_("住所"), max_length=300, blank=True)
    business_address = models.CharField(_("经营场所"), max_length=300, blank=True)
    division_code = models.CharField(_("行政区划代码"), max_length=12, validators=[validate_division_code], db_index=True)
    industry_code = models.CharField(_("国民经济行业代码"), max_length=5, blank=True, db_index=True,
                                     help_text=_("GB/T 4754-2017，如 H6210"))
    business_scope = models.TextField(_("经营范围"), blank=True)
    status = models.CharField(_("登记状态"), max_length=12, choices=EntityStatus.choices, default=EntityStatus.EXISTING,
                              db_index=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    registration_authority = models.CharField(_("登记机关"), max_length=100, blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    @property
    def township_code(self) -> str:
        return self.division_code[:9] if len(self.division_code) >= 9 else ""


class FormerName(models.Model):
    """A name the entity was registered under before (曾用名); searchable like the current name."""

    entity = models.ForeignKey(Entity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("曾用名"), max_length=200)
    changed_on = models.DateField(_("变更日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")
        ordering = ["-changed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="entities_former_name_unique")]

    def __str__(self) -> str:
        return self.name


class NameGram(models.Model):
    """One two-character gram of an entity's names: the portable CJK name index (gram, entity)."""

    pk = models.CompositePrimaryKey("gram", "entity")
    gram = models.CharField(max_length=2)
    entity = models.ForeignKey(Entity, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        verbose_name = _("名称索引")
        verbose_name_plural = _("名称索引")


class NameGramStat(models.Model):
    """How many entities carry each gram: lets a search start from its rarest gram (kept with the gram rows)."""

    gram = models.CharField(max_length=2, primary_key=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("名称索引统计")
        verbose_name_plural = _("名称索引统计")


class Person(models.Model):
    """A natural person linked to entities (企业信用与自然人信用挂钩). The ID number is encrypted at rest."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    id_number = EncryptedCharField(_("身份证号"), blank=True, lookup_field="id_number_hash")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自然人")
        verbose_name_plural = _("自然人")
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], condition=~models.Q(id_number_hash=""),
                                               name="entities_person_id_unique")]

    def __str__(self) -> str:
        return self.name


class EntityPerson(models.Model):
    """A person's role in an entity: 法定代表人, 股东, 负责人 …"""

    entity = models.ForeignKey(Entity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, verbose_name=_("自然人"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("职务/身份"), max_length=15, choices=PersonRole.choices)
    share_ratio = models.DecimalField(_("出资比例（%）"), max_digits=6, decimal_places=2, null=True, blank=True)
    since = models.DateField(_("任职/出资日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("主体关联人")
        verbose_name_plural = _("主体关联人")
        constraints = [models.UniqueConstraint(fields=["entity", "person", "role"], name="entities_person_role_unique")]
        indexes = [models.Index(fields=["person", "entity"], name="entities_person_entity")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"
