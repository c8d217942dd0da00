import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from jianguan.conftest import PASSWORD
from jianguan.core import services
from jianguan.core.choices import Role
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent, User


def _state():
    return (User.objects.count(), AuditEvent.objects.count(),
            list(User.objects.order_by("pk").values_list("display_name", "is_active", "department_id", "password")))


def test_department_admin_creates_an_inspector_in_its_own_department(personas):
    user, password = services.account_create(actor=personas.a_admin, username="new_zf", display_name="王新",
                                             role=Role.INSPECTOR, department=personas.unit_a, cert_no="A0099")
    assert user.must_change_password
    assert user.check_password(password)
    event = AuditEvent.objects.get(action="account.create", object_id=str(user.pk))
    assert event.actor_id == personas.a_admin.pk


@pytest.mark.parametrize("kwargs, message", [
    ({"role": Role.INSPECTOR, "department": "dept_b", "cert_no": "X1"}, "只能管理本部门"),
    ({"role": Role.OWNER, "department": "dept_a"}, "不能创建或管理"),
    ({"role": Role.ENTERPRISE, "department": None, "uscc": "914403001922038216"}, "不能创建或管理"),
])
def test_department_admin_is_refused_outside_its_remit_and_nothing_changes(personas, kwargs, message):
    kwargs = dict(kwargs)
    if kwargs.get("department"):
        kwargs["department"] = getattr(personas, kwargs["department"])
    before = _state()
    with pytest.raises(PermissionDeniedError) as err:
        services.account_create(actor=personas.a_admin, username="intruder", display_name="x", **kwargs)
    assert message in err.value.message
    assert _state() == before


@pytest.mark.parametrize("actor", ["a_leader", "a_inspector", "a_reviewer", "enterprise"])
def test_other_roles_cannot_manage_accounts(personas, actor):
    before = _state()
    with pytest.raises(PermissionDeniedError):
        services.account_update(actor=getattr(personas, actor), user=personas.a_inspector2, data={"display_name": "改名"})
    assert _state() == before


@pytest.mark.parametrize("extra, field", [
    ({"role": Role.INSPECTOR, "cert_no": ""}, "cert_no"),
    ({"role": Role.INSPECTOR, "cert_no": "A0001"}, "cert_no"),  # already used by a_inspector
    ({"role": Role.REVIEWER, "id_number": "140430199001011231"}, "id_number"),
    ({"role": Role.REVIEWER, "password": "short"}, "password"),
    ({"role": Role.REVIEWER, "password": "alllowercaseletters"}, "password"),
])
def test_bad_account_input_names_the_field(personas, extra, field):
    before = _state()
    with pytest.raises(DomainError) as err:
        services.account_create(actor=personas.owner, username="bad", display_name="坏数据", department=personas.dept_a, **extra)
    assert err.value.field == field
    assert _state() == before


def test_enterprise_account_needs_a_valid_uscc(personas):
    with pytest.raises(DomainError) as err:
        services.account_create(actor=personas.owner, username="ent2", display_name="某公司", role=Role.ENTERPRISE,
                                uscc="91440300708461136A")
    assert err.value.field == "uscc" and "校验码" in err.value.message


def test_duplicate_username_is_a_conflict(personas):
    with pytest.raises(Conflict):
        services.account_create(actor=personas.owner, username="A_ADMIN", display_name="重复", role=Role.REVIEWER,
                                department=personas.dept_a)


def test_lockout_after_repeated_failures_even_for_the_right_password(personas):
    request = RequestFactory().post("/login/")
    for _ in range(5):
        assert authenticate(request, username="a_reviewer", password="wrong") is None
    user = User.objects.get(username="a_reviewer")
    assert user.locked_until and user.locked_until > timezone.now()
    assert authenticate(request, username="a_reviewer", password=PASSWORD) is None
    assert AuditEvent.objects.filter(action="account.locked", object_id=str(user.pk)).exists()
    services.account_unlock(actor=personas.a_admin, user=user)
    assert authenticate(request, username="a_reviewer", password=PASSWORD) is not None


def test_lock_expires(personas):
    User.objects.filter(pk=personas.a_reviewer.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert authenticate(None, username="a_reviewer", password=PASSWORD) is not None


def test_password_change_enforces_rules_and_clears_the_flag(personas):
    user = personas.a_reviewer
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    assert services.password_expired(user)
    with pytest.raises(DomainError) as err:
        services.password_change(actor=user, old_password="wrong", new_password="N3w-Password!")
    assert err.value.field == "old_password"
    with pytest.raises(DomainError) as err:
        services.password_change(actor=user, old_password=PASSWORD, new_password="12345678901")
    assert err.value.field == "new_password"
    services.password_change(actor=user, old_password=PASSWORD, new_password="N3w-Password!")
    user.refresh_from_db()
    assert user.check_password("N3w-Password!") and not services.password_expired(user)


def test_password_older_than_the_limit_must_be_changed(personas):
    user = personas.a_reviewer
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    user.refresh_from_db()
    assert services.password_expired(user)


def test_reset_password_gives_a_temporary_password(personas):
    temp = services.account_reset_password(actor=personas.a_admin, user=personas.a_inspector2)
    user = User.objects.get(pk=personas.a_inspector2.pk)
    assert user.check_password(temp) and user.must_change_password


def test_disable_needs_a_reason_and_cannot_target_oneself(personas):
    with pytest.raises(DomainError):
        services.account_set_active(actor=personas.a_admin, user=personas.a_inspector, active=False, reason=" ")
    with pytest.raises(DomainError):
        services.account_set_active(actor=personas.a_admin, user=personas.a_admin, active=False, reason="离职")
    services.account_set_active(actor=personas.a_admin, user=personas.a_inspector, active=False, reason="调离执法岗位")
    assert not User.objects.get(pk=personas.a_inspector.pk).is_active
    assert authenticate(None, username="a_inspector", password=PASSWORD) is None


def test_pii_reveal_is_audited(personas):
    value = services.pii_reveal(actor=personas.a_admin, obj=personas.a_inspector, field="id_number", reason="核对身份")
    assert value == "140430199001011230"
    event = AuditEvent.objects.filter(action="pii.reveal").get()
    assert event.actor_id == personas.a_admin.pk and event.after == {"field": "id_number"} and event.note == "核对身份"


def test_enterprise_cannot_unmask(personas):
    with pytest.raises(PermissionDeniedError):
        services.pii_reveal(actor=personas.enterprise, obj=personas.enterprise, field="phone")


def test_tokens_are_stored_as_digests_and_can_be_revoked(personas):
    from jianguan.core.auth import user_for_token

    row, token = services.token_create(actor=personas.owner, user=personas.b_admin, name="数据交换")
    assert token.startswith("jg_") and token not in row.digest
    assert user_for_token(token) == personas.b_admin
    assert user_for_token(token + "x") is None
    assert user_for_token("not-a-token") is None
    services.token_revoke(actor=personas.owner, token=row)
    assert user_for_token(token) is None
