from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import STAFF_ROLES, Role
from ..identifiers import validate_uscc
from ..pii import EncryptedCharField
from ..scope import ScopedQuerySet


class JianguanUserManager(UserManager.from_queryset(ScopedQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.OWNER)
        extra_fields.setdefault("display_name", username)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Every person who logs in: department staff of each role, and enterprises (by USCC)."""

    display_name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "core.Department", verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # 执法人员
    cert_no = models.CharField(_("执法证号"), max_length=30, blank=True)
    enforcement_fields = models.CharField(_("执法领域"), max_length=200, blank=True, help_text=_("多个领域用顿号分隔"))
    qualifications = models.CharField(_("资格"), max_length=200, blank=True)
    # 法制审核员: a first-time reviewer must hold the legal-profession qualification (行政处罚法 第五十八条)
    has_legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    # 企业 accounts log in by their USCC
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    # Personal information: encrypted at rest (SM4) with a keyed lookup hash (SM3)
    id_number = EncryptedCharField(_("身份证号"), blank=True, lookup_field="id_number_hash")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedCharField(_("手机号"), blank=True)
    # 等保: lockout and password hygiene
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0, editable=False)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    REQUIRED_FIELDS = ["display_name"]
    SCOPE_DEPARTMENT_FIELD = "department"
    SCOPE_USCC_FIELD = "uscc"

    objects = JianguanUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["cert_no"], condition=~models.Q(cert_no=""), name="core_user_cert_no_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.username}）"

    @property
    def is_owner(self) -> bool:
        return self.is_active and (self.role == Role.OWNER or self.is_superuser)

    @property
    def is_department_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class ApiToken(models.Model):
    """A bearer token for another system. Only a keyed digest is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
