"""Who may see what: the one scoping mechanism every departmental query goes through.

Rule (DESIGN.md, Scope): departmental data is visible to its department (the whole bureau, with its
科室 and 执法队), to departments it shares with, and to the county owner (协调办/平台管理员).
An enterprise sees only what concerns its own USCC. Anonymous visitors see only what a model declares
public. Out of scope is indistinguishable from not found (`get_visible_or_404` raises NotFound).

A model opts in by using `ScopedQuerySet.as_manager()` (or a manager built from it) and declaring:
    SCOPE_DEPARTMENT_FIELD = "department"      # path to the owning Department
    SCOPE_USCC_FIELD = "uscc"                  # optional: path to the entity's USCC, for enterprises
    @classmethod
    def scope_public_q(cls) -> Q              # optional: what anonymous visitors may see
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from .errors import NotFound

_CACHE_ATTR = "_jianguan_visible_departments"


def _department_tree() -> tuple[dict[int, int | None], dict[int, list[int]]]:
    from .models import Department

    parent_of: dict[int, int | None] = {}
    children: dict[int, list[int]] = {}
    for dept_id, parent_id in Department.objects.values_list("id", "parent_id"):
        parent_of[dept_id] = parent_id
        if parent_id is not None:
            children.setdefault(parent_id, []).append(dept_id)
    return parent_of, children


def _subtree(root: int, children: dict[int, list[int]]) -> set[int]:
    out, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def bureau_of(department_id: int, parent_of: dict[int, int | None]) -> int:
    """The top of the department's tree: a 科室 or 执法队 belongs to its bureau."""
    node, seen = department_id, set()
    while parent_of.get(node) is not None and node not in seen:
        seen.add(node)
        node = parent_of[node]
    return node


def bureau_id(department_id: int) -> int:
    """The bureau a department or unit belongs to (itself for a bureau)."""
    parent_of, _children = _department_tree()
    return bureau_of(department_id, parent_of)


def bureau_tree_ids(department_id: int) -> frozenset[int]:
    """The bureau of `department_id` and every unit under it: the reach of that bureau's own data."""
    parent_of, children = _department_tree()
    return frozenset(_subtree(bureau_of(department_id, parent_of), children))


def visible_department_ids(user) -> frozenset[int] | None:
    """Department ids whose data `user` may see; None means every department (the owner)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    from .models import DepartmentShare

    result: frozenset[int] | None
    if user.is_owner:
        result = None
    elif user.department_id is None or user.is_enterprise:
        result = frozenset()
    else:
        parent_of, children = _department_tree()
        own = _subtree(bureau_of(user.department_id, parent_of), children)
        ids = set(own)
        for owner_id in DepartmentShare.objects.filter(grantee_id__in=own).values_list("owner_id", flat=True):
            ids |= _subtree(bureau_of(owner_id, parent_of), children)
        result = frozenset(ids)
    setattr(user, _CACHE_ATTR, result)
    return result


def own_department_ids(user) -> frozenset[int]:
    """The user's own bureau and its units: where the user may write (sharing grants reading only)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.department_id is None:
        return frozenset()
    return bureau_tree_ids(user.department_id)


def forget_cached_scope(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScopedQuerySet":
        model = self.model
        if user is None or not getattr(user, "is_authenticated", False):
            public_q = getattr(model, "scope_public_q", None)
            return self.filter(public_q()) if public_q else self.none()
        if not user.is_active:
            return self.none()
        if user.is_enterprise:
            uscc_field = getattr(model, "SCOPE_USCC_FIELD", None)
            if uscc_field and user.uscc:
                return self.filter(**{uscc_field: user.uscc})
            return self.none()
        dept_field = getattr(model, "SCOPE_DEPARTMENT_FIELD", None)
        if dept_field is None:
            raise TypeError(f"{model.__name__} declares no SCOPE_DEPARTMENT_FIELD")
        ids = visible_department_ids(user)
        if ids is None:
            return self
        return self.filter(Q(**{f"{dept_field}__in": ids}))

    def writable_by(self, user) -> "ScopedQuerySet":
        """Objects of the user's own department tree (or all, for the owner): sharing never grants writes."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or user.is_enterprise:
            return self.none()
        if user.is_owner:
            return self
        dept_field = getattr(self.model, "SCOPE_DEPARTMENT_FIELD")
        return self.filter(**{f"{dept_field}__in": own_department_ids(user)})


def get_visible_or_404(queryset: ScopedQuerySet, user, **lookup):
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_writable_or_404(queryset: ScopedQuerySet, user, **lookup):
    """Out of the user's write scope looks like not found too, unless merely read-shared."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not queryset.writable_by(user).filter(pk=obj.pk).exists():
        from django.utils.translation import gettext as _

        from .errors import PermissionDeniedError

        raise PermissionDeniedError(_("该数据由其他部门共享给您，只能查阅，不能修改"))
    return obj
