from jianguan.core import selectors, services
from jianguan.core.choices import ShareScope
from jianguan.core.errors import NotFound
from jianguan.core.models import User
from jianguan.core.scope import visible_department_ids

import pytest


def test_owner_sees_every_department(personas):
    assert visible_department_ids(personas.owner) is None
    assert selectors.user_list(user=personas.owner).count() == User.objects.count()


def test_staff_see_their_bureau_including_its_units(personas):
    ids = visible_department_ids(personas.a_inspector)  # sits in the 执法队
    assert ids == {personas.dept_a.pk, personas.unit_a.pk}
    names = set(selectors.user_list(user=personas.a_admin).values_list("username", flat=True))
    assert names == {"a_admin", "a_leader", "a_inspector", "a_inspector2", "a_reviewer"}


def test_other_departments_staff_look_like_not_found(personas):
    with pytest.raises(NotFound):
        selectors.user_get(user=personas.b_admin, pk=personas.a_inspector.pk)
    with pytest.raises(NotFound):
        selectors.user_get(user=personas.b_admin, pk=999999)


def test_sharing_grants_reading_not_writing(personas):
    services.department_share_create(actor=personas.owner, owner=personas.dept_a, grantee=personas.dept_b,
                                     reason="联合监管", scope=ShareScope.READ)
    b_admin = User.objects.get(pk=personas.b_admin.pk)
    assert selectors.user_get(user=b_admin, pk=personas.a_inspector.pk)
    from jianguan.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.account_update(actor=b_admin, user=personas.a_inspector, data={"display_name": "被改"})
    assert User.objects.get(pk=personas.a_inspector.pk).display_name == "张执法"


def test_enterprise_sees_only_itself(personas):
    assert list(selectors.user_list(user=personas.enterprise)) == [personas.enterprise]
    assert visible_department_ids(personas.enterprise) == frozenset()


def test_anonymous_sees_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not User.objects.visible_to(AnonymousUser()).exists()


def test_deactivated_user_sees_nothing(personas):
    User.objects.filter(pk=personas.a_admin.pk).update(is_active=False)
    assert not selectors.user_list(user=User.objects.get(pk=personas.a_admin.pk)).exists()


def test_department_tree_cannot_loop(personas):
    from jianguan.core.errors import DomainError

    with pytest.raises(DomainError) as err:
        services.department_update(actor=personas.owner, department=personas.dept_a, data={"parent": personas.unit_a})
    assert err.value.field == "parent"
