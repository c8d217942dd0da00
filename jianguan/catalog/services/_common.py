"""Helpers shared by the catalogue's services: who may write, validation, the department tree."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from jianguan.core.choices import Role
from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.scope import bureau_id, bureau_tree_ids, own_department_ids

#: Roles that maintain a department's catalogue, plans and rules (inspectors and reviewers read them).
CATALOG_EDITORS = {Role.DEPT_ADMIN, Role.DEPT_LEADER}


def full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from None


def require_active_staff(actor) -> None:
    if actor is None or not actor.is_active or not actor.is_department_staff:
        raise PermissionDeniedError(_("请以部门工作人员身份登录"))


def require_owner(actor) -> None:
    if actor is None or not actor.is_owner:
        raise PermissionDeniedError(_("只有协调办/平台管理员可以执行此操作"))


def require_editor(actor, department) -> None:
    """A department leader or administrator of `department`'s bureau, or the county owner."""
    require_active_staff(actor)
    if actor.is_owner:
        return
    if actor.role not in CATALOG_EDITORS:
        raise PermissionDeniedError(_("只有部门负责人或部门管理员可以维护本部门的监管事项、计划和规则"))
    if department.pk not in own_department_ids(actor):
        raise PermissionDeniedError(_("只能维护本部门的数据，“%(d)s”不属于您的部门") % {"d": department})


department_subtree = bureau_tree_ids  # the bureau of a department and every unit under it
bureau_id_of = bureau_id


def is_editor_of(user, department_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_owner:
        return True
    return user.role in CATALOG_EDITORS and department_id in own_department_ids(user)
