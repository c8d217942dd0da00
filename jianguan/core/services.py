"""Every write of the core app: `<noun>_<verb>(*, actor, ...)`, one transaction, one audit event inside it.

Permission rules enforced here (views and the API only translate):
- 协调办/平台管理员 (owner) manages departments, sharing, parameters, the holiday table and every account;
- 部门管理员 manages the accounts of its own department tree, never an owner account;
- everyone changes their own password; tokens are created by the owner (or by a department admin for
  accounts in their tree).
"""
from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, params, workdays
from .auth import new_token_string, token_digest
from .choices import STAFF_ROLES, DepartmentKind, HolidayKind, Role, ShareScope
from .errors import Conflict, DomainError, PermissionDeniedError
from .identifiers import normalize_id_number, normalize_uscc, validate_id_number
from .models import ApiToken, Department, DepartmentShare, Holiday, Parameter, User
from .pii import EncryptedCharField
from .scope import forget_cached_scope, own_department_ids

# --- helpers --------------------------------------------------------------------------------------------


def require_owner(actor: User) -> None:
    if actor is None or not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以执行此操作"))


def _full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from None


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any], validate=None,
                 clean_exclude: list[str] | None = None) -> list[str]:
    """Set only whitelisted fields, validate, save with update_fields. Returns the changed field names.

    `validate(instance)` runs before the model's own full_clean (domain checks give the better message).
    Encrypted fields bring their lookup-hash column along.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        if validate is not None:
            validate(instance)
        _full_clean(instance, exclude=clean_exclude)
        update_fields = []
        for name in changed:
            field = instance._meta.get_field(name)
            update_fields.append(field.attname)
            if getattr(field, "lookup_field", None):
                update_fields.append(field.lookup_field)
        instance.save(update_fields=update_fields)
    return changed


# --- departments -----------------------------------------------------------------------------------------

DEPARTMENT_FIELDS = ["name", "short_name", "uscc", "kind", "parent", "region_code", "duties", "is_active", "sort_order"]


@transaction.atomic
def department_create(*, actor: User, name: str, region_code: str, kind: str = DepartmentKind.BUREAU,
                      parent: Department | None = None, short_name: str = "", uscc: str | None = None,
                      duties: str = "", sort_order: int = 100) -> Department:
    require_owner(actor)
    if kind == DepartmentKind.UNIT and parent is None:
        raise DomainError(_("内设科室/执法队必须指定上级部门"), field="parent")
    dept = Department(name=name.strip(), short_name=short_name.strip(), uscc=normalize_uscc(uscc) or None, kind=kind,
                      parent=parent, region_code=region_code.strip(), duties=duties, sort_order=sort_order)
    _full_clean(dept)
    dept.save()
    audit.record(actor=actor, action="department.create", obj=dept, after=audit.snapshot(dept))
    return dept


@transaction.atomic
def department_update(*, actor: User, department: Department, data: dict[str, Any]) -> Department:
    require_owner(actor)
    dept = Department.objects.select_for_update().get(pk=department.pk)
    if "uscc" in data:
        data["uscc"] = normalize_uscc(data["uscc"]) or None
    parent = data.get("parent")
    node = parent
    while node is not None:
        if node.pk == dept.pk:
            raise DomainError(_("上级部门不能是本部门或其下级"), field="parent")
        node = node.parent
    before = audit.snapshot(dept)
    changed = model_update(instance=dept, fields=DEPARTMENT_FIELDS, data=data)
    if changed:
        audit.record(actor=actor, action="department.update", obj=dept, before={k: before[k] for k in before if k in _attnames(dept, changed)},
                     after=audit.snapshot(dept, changed))
    return dept


def _attnames(instance: models.Model, names: list[str]) -> set[str]:
    return {instance._meta.get_field(n).attname for n in names} | set(names)


@transaction.atomic
def department_share_create(*, actor: User, owner: Department, grantee: Department, reason: str,
                            scope: str = ShareScope.READ) -> DepartmentShare:
    """Owner department's data becomes visible to the grantee (数据共享机制, 三(一)3)."""
    require_owner(actor)
    if owner.pk == grantee.pk:
        raise DomainError(_("不能与本部门共享"), field="grantee")
    if not reason.strip():
        raise DomainError(_("请填写共享依据"), field="reason")
    if DepartmentShare.objects.filter(owner=owner, grantee=grantee).exists():
        raise Conflict(_("%(a)s 已向 %(b)s 共享数据") % {"a": owner, "b": grantee}, field="grantee")
    share = DepartmentShare.objects.create(owner=owner, grantee=grantee, scope=scope, reason=reason.strip(), created_by=actor)
    audit.record(actor=actor, action="department.share", obj=share, department_id=owner.pk, after=audit.snapshot(share))
    return share


@transaction.atomic
def department_share_delete(*, actor: User, share: DepartmentShare, reason: str) -> None:
    require_owner(actor)
    before = audit.snapshot(share)
    audit.record(actor=actor, action="department.unshare", obj=share, department_id=share.owner_id, before=before, note=reason)
    share.delete()


# --- accounts --------------------------------------------------------------------------------------------

ACCOUNT_FIELDS = ["display_name", "email", "department", "cert_no", "enforcement_fields", "qualifications",
                  "has_legal_qualification", "uscc", "phone", "id_number"]


def _check_account_manager(actor: User, *, role: str, department: Department | None) -> None:
    """The owner manages everyone; a department admin manages non-owner staff in its own tree."""
    if actor is None or not actor.is_active:
        raise PermissionDeniedError(_("请先登录"))
    if actor.is_owner:
        return
    if actor.role != Role.DEPT_ADMIN:
        raise PermissionDeniedError(_("只有部门管理员或平台管理员可以管理账号"))
    if role in (Role.OWNER, Role.ENTERPRISE):
        raise PermissionDeniedError(_("部门管理员不能创建或管理%(role)s账号") % {"role": Role(role).label})
    if department is None or department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能管理本部门（含内设机构）的账号"))


def _validate_account(user: User) -> None:
    if user.role in STAFF_ROLES and user.department_id is None:
        raise DomainError(_("部门工作人员必须指定所属部门"), field="department")
    if user.role == Role.ENTERPRISE:
        if not user.uscc:
            raise DomainError(_("企业账号必须填写统一社会信用代码"), field="uscc")
        if user.department_id is not None:
            raise DomainError(_("企业账号不属于任何部门"), field="department")
    if user.role == Role.INSPECTOR and not user.cert_no:
        raise DomainError(_("执法人员必须填写执法证号"), field="cert_no")
    if user.id_number:
        try:
            validate_id_number(user.id_number)
        except ValidationError as exc:
            raise DomainError.from_validation_error(exc, field="id_number") from None
    if user.cert_no and User.objects.filter(cert_no=user.cert_no).exclude(pk=user.pk).exists():
        raise Conflict(_("执法证号 %(no)s 已被其他账号使用") % {"no": user.cert_no}, field="cert_no")


def generate_password() -> str:
    """A temporary password that satisfies the password rules (all four character classes)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return core + secrets.choice(string.ascii_uppercase) + secrets.choice(string.ascii_lowercase) + secrets.choice(string.digits) + "@"


@transaction.atomic
def account_create(*, actor: User | None, username: str, display_name: str, role: str,
                   department: Department | None = None, password: str | None = None,
                   must_change_password: bool = True, **extra: Any) -> tuple[User, str]:
    """Create an account; returns it with the initial password (generated when none is given).

    `actor=None` is reserved for the set-up commands (demo data, first administrator).
    """
    if actor is not None:
        _check_account_manager(actor, role=role, department=department)
    unknown = set(extra) - set(ACCOUNT_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    if role not in Role.values:
        raise DomainError(_("未知角色“%(r)s”") % {"r": role}, field="role")
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("用户名“%(u)s”已存在") % {"u": username}, field="username")
    user = User(username=username, display_name=(display_name or "").strip(), role=role, department=department,
                must_change_password=must_change_password,
                # 协调办/平台管理员 sees all data anyway; it also runs the back-office admin.
                is_staff=role == Role.OWNER, is_superuser=role == Role.OWNER)
    for name, value in extra.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.uscc = normalize_uscc(user.uscc)
    user.id_number = normalize_id_number(user.id_number)
    password = password or generate_password()
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password", code="password_rules") from None
    user.set_password(password)
    user.password_changed_at = timezone.now()
    _validate_account(user)
    _full_clean(user, exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Conflict(_("账号与已有账号冲突（用户名或执法证号重复）"), field="username") from None
    audit.record(actor=actor, action="account.create", obj=user, after=audit.snapshot(user))
    return user, password


@transaction.atomic
def account_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    target = User.objects.select_for_update().get(pk=user.pk)
    _check_account_manager(actor, role=target.role, department=target.department)
    if "department" in data:
        _check_account_manager(actor, role=target.role, department=data["department"])
    for key in ("uscc", "id_number"):
        if key in data:
            data[key] = (normalize_uscc if key == "uscc" else normalize_id_number)(data[key] or "")
    before = audit.snapshot(target)
    changed = model_update(instance=target, fields=ACCOUNT_FIELDS, data=data, validate=_validate_account,
                           clean_exclude=["password"])
    if not changed:
        return target
    forget_cached_scope(target)
    names = _attnames(target, changed)
    audit.record(actor=actor, action="account.update", obj=target,
                 before={k: v for k, v in before.items() if k in names}, after=audit.snapshot(target, changed))
    return target


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    target = User.objects.select_for_update().get(pk=user.pk)
    _check_account_manager(actor, role=target.role, department=target.department)
    if target.pk == actor.pk and not active:
        raise DomainError(_("不能停用自己的账号"), field="is_active")
    if not reason.strip():
        raise DomainError(_("请填写原因"), field="reason")
    if target.is_active == active:
        return target
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit.record(actor=actor, action="account.enable" if active else "account.disable", obj=target,
                 before={"is_active": not active}, after={"is_active": active}, note=reason.strip())
    return target


@transaction.atomic
def account_reset_password(*, actor: User, user: User) -> str:
    """A new temporary password, to be changed at next login. Returns it once; only its hash is stored."""
    target = User.objects.select_for_update().get(pk=user.pk)
    _check_account_manager(actor, role=target.role, department=target.department)
    password = generate_password()
    target.set_password(password)
    target.must_change_password = True
    target.failed_logins = 0
    target.locked_until = None
    target.password_changed_at = timezone.now()
    target.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until", "password_changed_at"])
    audit.record(actor=actor, action="account.reset_password", obj=target, note=_("重置为临时密码，须在下次登录时修改"))
    return password


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> User:
    target = User.objects.select_for_update().get(pk=user.pk)
    _check_account_manager(actor, role=target.role, department=target.department)
    target.failed_logins = 0
    target.locked_until = None
    target.save(update_fields=["failed_logins", "locked_until"])
    audit.record(actor=actor, action="account.unlock", obj=target)
    return target


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password):
        raise DomainError(_("原密码不正确"), field="old_password")
    if old_password == new_password:
        raise DomainError(_("新密码不能与原密码相同"), field="new_password")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password", code="password_rules") from None
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    actor.password = user.password
    audit.record(actor=user, action="account.change_password", obj=user)


@transaction.atomic
def account_login_record(*, user: User) -> None:
    audit.record(actor=user, action="account.login", obj=user)


@transaction.atomic
def account_logout_record(*, user: User) -> None:
    audit.record(actor=user, action="account.logout", obj=user)


def password_expired(user: User) -> bool:
    if user.must_change_password:
        return True
    if user.password_changed_at is None:
        return False
    max_age = params.get("security.password_max_age_days")
    return timezone.now() - user.password_changed_at > dt.timedelta(days=max_age)


# --- API tokens --------------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str, expires_days: int | None = 365) -> tuple[ApiToken, str]:
    """A bearer token for `user`. The token string is returned once; only its keyed digest is stored."""
    if actor is not None:
        _check_account_manager(actor, role=user.role, department=user.department)
    if not user.is_active:
        raise DomainError(_("账号已停用，不能签发令牌"), field="username")
    if not (name or "").strip():
        raise DomainError(_("请填写令牌用途"), field="name")
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise DomainError(_("有效期应在1至3650天之间"), field="expires_days")
    token = new_token_string()
    row = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=token[:8], digest=token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=expires_days) if expires_days else None,
    )
    audit.record(actor=actor, action="token.create", obj=row, object_repr=f"{row.prefix}… {row.name}",
                 department_id=user.department_id, after={"user": user.username, "name": row.name,
                                                          "expires_at": audit._json_value(ApiToken._meta.get_field("expires_at"), row.expires_at)})
    return row, token


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    row = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor is not None and actor.pk != row.user_id:
        _check_account_manager(actor, role=row.user.role, department=row.user.department)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="token.revoke", obj=row, object_repr=f"{row.prefix}… {row.name}",
                     department_id=row.user.department_id)
    return row


# --- runtime parameters and calendar -------------------------------------------------------------------------


@transaction.atomic
def parameter_set(*, actor: User, key: str, value: Any, effective_from: dt.date, reason: str, citation: str = "") -> Parameter:
    """A new version of a rule parameter. Versions are never edited; a later date supersedes."""
    require_owner(actor)
    spec = params.spec_for(key)
    coerced = params.coerce(spec, value)
    if not (reason or "").strip():
        raise DomainError(_("请填写调整依据（如法规修订、文件文号）"), field="reason")
    latest = Parameter.objects.filter(key=key).order_by("-effective_from").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise DomainError(
            _("生效日期必须晚于该参数上一版本的生效日期（%(d)s）") % {"d": latest.effective_from},
            field="effective_from", code="effective_date_order",
        )
    before = {"value": params.get(key, at=effective_from)}
    row = Parameter.objects.create(key=key, value=coerced, effective_from=effective_from, reason=reason.strip(),
                                   citation=(citation or "").strip(), created_by=actor)
    audit.record(actor=actor, action="parameter.set", obj=row, object_repr=f"{spec.label} @ {effective_from}",
                 before={k: str(v) if not isinstance(v, (int, bool, str)) else v for k, v in before.items()},
                 after={"value": coerced, "effective_from": effective_from.isoformat()}, note=reason.strip())
    return row


@transaction.atomic
def holiday_set(*, actor: User, date: dt.date, kind: str, name: str) -> Holiday:
    require_owner(actor)
    if kind not in HolidayKind.values:
        raise DomainError(_("类型只能是法定节假日或调休上班日"), field="kind")
    if not (name or "").strip():
        raise DomainError(_("请填写名称，如“春节”"), field="name")
    row = Holiday.objects.select_for_update().filter(date=date).first()
    before = audit.snapshot(row) if row else None
    if row is None:
        row = Holiday(date=date)
    row.kind, row.name, row.updated_by = kind, name.strip(), actor
    _full_clean(row, exclude=["updated_by"])
    row.save()
    transaction.on_commit(workdays.invalidate)
    audit.record(actor=actor, action="holiday.set", obj=row, before=before, after=audit.snapshot(row))
    return row


@transaction.atomic
def holiday_delete(*, actor: User, holiday: Holiday) -> None:
    require_owner(actor)
    audit.record(actor=actor, action="holiday.delete", obj=holiday, before=audit.snapshot(holiday))
    holiday.delete()
    transaction.on_commit(workdays.invalidate)


# --- personal information ------------------------------------------------------------------------------------


@transaction.atomic
def pii_reveal(*, actor: User, obj: models.Model, field: str, reason: str = "") -> str:
    """Return a personal-information field unmasked, and record that `actor` saw it.

    The caller has already checked that `actor` may see `obj` (a scoped selector); here we check that
    the field is personal information and that the actor's role may unmask at all.
    """
    model_field = obj._meta.get_field(field)
    if not isinstance(model_field, EncryptedCharField):
        raise DomainError(_("该字段不是个人信息字段"), field="field")
    if actor is None or not actor.is_active or actor.role not in STAFF_ROLES:
        raise PermissionDeniedError(_("无权查看完整个人信息"))
    audit.record(actor=actor, action="pii.reveal", obj=obj, after={"field": field}, note=reason.strip())
    return getattr(obj, field)
