"""Writes of the catalogue proper: legal provisions, items, implementation lists, guidelines.

Rules enforced here (任务分工 一(一), 二(三)):
- an item code is 14 digits and unique; an implementation-list code starts with its item's code and is unique;
- the named responsible leader, handling unit and handling staff belong to the item's department;
- every change is a new version with an effective date and a reason; a date before the previous
  version's is refused (动态调整, 法律法规立改废释和机构职能变化);
- marking an article repealed (or amended) flags every item resting on it for review, set-based.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import Department, User

from .. import versioning
from ..choices import ChangeReason, ItemStatus, ProvisionStatus, PublishStatus
from ..models import (
    CheckPoint,
    Guideline,
    ImplementationList,
    ImplementationListVersion,
    ItemBasis,
    LegalProvision,
    SupervisionItem,
    SupervisionItemVersion,
    validate_impl_code,
    validate_item_code,
)
from ._common import department_subtree, full_clean, require_active_staff, require_editor, require_owner

# --- legal provisions ----------------------------------------------------------------------------------------


def _provision_key(law_name: str, article: str) -> tuple[str, str]:
    law = (law_name or "").strip().strip("《》").strip()
    return law, (article or "").strip()


@transaction.atomic
def provision_create(*, actor, law_name: str, article: str = "", text: str = "") -> LegalProvision:
    require_active_staff(actor)
    law, article = _provision_key(law_name, article)
    if not law:
        raise DomainError(_("请填写法律法规名称"), field="law_name")
    if LegalProvision.objects.filter(law_name=law, article=article).exists():
        raise Conflict(_("《%(law)s》%(article)s 已在条款库中") % {"law": law, "article": article}, field="article")
    row = LegalProvision(law_name=law, article=article, text=(text or "").strip())
    full_clean(row)
    row.save()
    audit.record(actor=actor, action="provision.create", obj=row, department_id=None, after=audit.snapshot(row))
    return row


def provisions_resolve(*, actor, pairs: Sequence[tuple[str, str]]) -> list[LegalProvision]:
    """The provisions for (law, article) pairs, creating the missing ones in one insert (inside the caller's
    transaction; the caller's audit event lists the basis)."""
    keys = [_provision_key(law, article) for law, article in pairs]
    keys = [k for k in dict.fromkeys(keys) if k[0]]
    if not keys:
        return []
    laws = {k[0] for k in keys}
    existing = {(p.law_name, p.article): p for p in LegalProvision.objects.filter(law_name__in=laws)}
    missing = [LegalProvision(law_name=law, article=article) for law, article in keys if (law, article) not in existing]
    for row in missing:
        full_clean(row)
    if missing:
        LegalProvision.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {(p.law_name, p.article): p for p in LegalProvision.objects.filter(law_name__in=laws)}
    return [existing[k] for k in keys]


@transaction.atomic
def provision_set_status(*, actor, provision: LegalProvision, status: str, on: dt.date, note: str = "") -> int:
    """Record that an article was amended or repealed; flag every active item resting on it for review.

    Returns the number of items newly flagged. The flagging is one UPDATE, whatever the number of items.
    """
    require_active_staff(actor)
    if not (actor.is_owner or actor.role in ("dept_admin", "dept_leader")):
        raise PermissionDeniedError(_("只有部门负责人、部门管理员或协调办可以变更条款效力状态"))
    if status not in ProvisionStatus.values:
        raise DomainError(_("效力状态无效"), field="status")
    if status != ProvisionStatus.IN_FORCE and not (note or "").strip():
        raise DomainError(_("请填写修改或废止的依据（如新法名称、公布文号）"), field="status_note")
    row = LegalProvision.objects.select_for_update().get(pk=provision.pk)
    before = audit.snapshot(row, ["status", "status_changed_on", "status_note"])
    row.status, row.status_changed_on, row.status_note = status, on, (note or "").strip()
    row.save(update_fields=["status", "status_changed_on", "status_note"])
    flagged = 0
    if status in (ProvisionStatus.REPEALED, ProvisionStatus.AMENDED):
        what = _("已废止") if status == ProvisionStatus.REPEALED else _("已修改")
        review_note = (_("监管依据 %(p)s %(what)s（%(d)s）：%(note)s，请复核并调整本事项")
                       % {"p": row, "what": what, "d": on.isoformat(), "note": row.status_note})[:500]
        flagged = (SupervisionItem.objects.filter(bases__provision=row, status=ItemStatus.ACTIVE)
                   .exclude(needs_review=True).update(needs_review=True, review_note=review_note, updated_at=timezone.now()))
    audit.record(actor=actor, action="provision.status", obj=row, department_id=None, before=before,
                 after={**audit.snapshot(row, ["status", "status_changed_on", "status_note"]), "items_flagged": flagged},
                 note=row.status_note)
    return flagged


def _validate_code(validator, code: str) -> None:
    try:
        validator(code)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc, field="code") from None


# --- items -----------------------------------------------------------------------------------------------------

ITEM_SCALAR_FIELDS = ["name", "level", "field", "supervision_object", "scope", "method", "category", "random_check",
                      "approval_to_filing", "responsible_leader", "handling_unit", "status"]
ITEM_FIELDS = ITEM_SCALAR_FIELDS + ["department", "provisions", "handling_staff"]


def _check_people(*, department: Department, leader: User | None, unit: Department | None, staff: Iterable[User]) -> None:
    """任务分工 一(一)2: the named leader, unit and staff are the department's own."""
    tree = department_subtree(department.pk)
    if leader is not None and (leader.department_id not in tree or not leader.is_active or not leader.is_department_staff):
        raise DomainError(_("分管负责人“%(u)s”不是%(d)s的在岗工作人员") % {"u": leader.display_name, "d": department},
                          field="responsible_leader")
    if unit is not None and unit.pk not in tree:
        raise DomainError(_("承办机构“%(u)s”不是%(d)s或其内设机构") % {"u": unit, "d": department}, field="handling_unit")
    for person in staff:
        if person.department_id not in tree or not person.is_active or not person.is_department_staff:
            raise DomainError(_("承办人员“%(u)s”不是%(d)s的在岗工作人员") % {"u": person.display_name, "d": department},
                              field="handling_staff")


def _check_department(department: Department) -> None:
    if department.parent_id is not None:
        raise DomainError(_("实施部门应为县直部门（“%(d)s”是内设机构，请填写其所属部门，内设机构填入承办机构）") % {"d": department},
                          field="department")


def _check_reason(reason: str, *, initial: bool) -> None:
    if reason not in ChangeReason.values:
        raise DomainError(_("请选择调整原因"), field="reason")
    if not initial and reason == ChangeReason.INITIAL:
        raise DomainError(_("已有版本的事项不能再以“首次编制”为调整原因"), field="reason")


def _check_effective_date(previous, effective_from: dt.date) -> None:
    if previous is not None and effective_from < previous.effective_from:
        raise DomainError(
            _("生效日期 %(d)s 早于上一版本（第%(n)d版）的生效日期 %(p)s，不能倒签") % {
                "d": effective_from.isoformat(), "n": previous.number, "p": previous.effective_from.isoformat()},
            field="effective_from", code="effective_date_order",
        )


def _review_state(provisions: Sequence[LegalProvision]) -> tuple[bool, str]:
    repealed = [p for p in provisions if p.status == ProvisionStatus.REPEALED]
    if repealed:
        return True, (_("监管依据 %(p)s 已废止，请调整本事项") % {"p": "、".join(str(p) for p in repealed)})[:500]
    return False, ""


def _set_bases(item: SupervisionItem, provisions: Sequence[LegalProvision]) -> None:
    ItemBasis.objects.filter(item=item).delete()
    ItemBasis.objects.bulk_create([ItemBasis(item=item, provision=p, seq=i) for i, p in enumerate(provisions, 1)])


@transaction.atomic
def item_create(*, actor, department: Department, code: str, name: str, supervision_object: str,
                effective_from: dt.date, provisions: Sequence[LegalProvision] = (), handling_staff: Sequence[User] = (),
                reason: str = ChangeReason.INITIAL, reason_note: str = "", **fields: Any) -> SupervisionItem:
    """A new 监管事项 and its first version."""
    require_editor(actor, department)
    _check_department(department)
    unknown = set(fields) - set(ITEM_SCALAR_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    code = (code or "").strip()
    _validate_code(validate_item_code, code)
    if SupervisionItem.objects.filter(code=code).exists():
        raise Conflict(_("监管事项编码 %(c)s 已存在，不能重复") % {"c": code}, field="code")
    _check_reason(reason, initial=True)
    item = SupervisionItem(department=department, code=code, name=(name or "").strip(),
                           supervision_object=(supervision_object or "").strip(), effective_from=effective_from, **fields)
    staff = list(handling_staff)
    _check_people(department=department, leader=item.responsible_leader, unit=item.handling_unit, staff=staff)
    provisions = list(provisions)
    item.needs_review, item.review_note = _review_state(provisions)
    full_clean(item)
    item.save()
    _set_bases(item, provisions)
    item.handling_staff.set(staff)
    snap = versioning.item_snapshot(item, provisions=provisions, staff=staff)
    SupervisionItemVersion.objects.create(item=item, department=department, number=1, effective_from=effective_from,
                                          reason=reason, reason_note=(reason_note or "").strip()[:500], snapshot=snap, created_by=actor)
    audit.record(actor=actor, action="catalog.item.create", obj=item, after=snap, note=reason_note)
    return item


@transaction.atomic
def item_update(*, actor, item: SupervisionItem, data: dict[str, Any], effective_from: dt.date, reason: str,
                reason_note: str = "") -> tuple[SupervisionItem, bool]:
    """Change an item: a new version with its effective date and reason. Returns (item, changed).

    Nothing changed → no version (so a re-import of the same row is a no-op). Moving an item to another
    department (机构职能变化) is for 协调办 only.
    """
    item = SupervisionItem.objects.select_for_update(of=("self",)).select_related("department", "responsible_leader", "handling_unit").get(pk=item.pk)
    require_editor(actor, item.department)
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    before = versioning.item_snapshot(item)
    if "department" in data and data["department"].pk != item.department_id:
        require_owner(actor)
        _check_department(data["department"])
        item.department = data["department"]
    for name in ITEM_SCALAR_FIELDS:
        if name in data:
            value = data[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    provisions = list(data["provisions"]) if "provisions" in data else [b.provision for b in item.bases.select_related("provision")]
    staff = list(data["handling_staff"]) if "handling_staff" in data else list(item.handling_staff.all())
    after = versioning.item_snapshot(item, provisions=provisions, staff=staff)
    if after == before:
        return item, False
    _check_reason(reason, initial=False)
    previous = item.versions.order_by("-number").first()
    _check_effective_date(previous, effective_from)
    _check_people(department=item.department, leader=item.responsible_leader, unit=item.handling_unit, staff=staff)
    repealed, note = _review_state(provisions)
    # A new version is the department's review: amended-article flags clear, repealed ones only once the basis changes.
    item.needs_review, item.review_note = repealed, note
    item.version = (previous.number if previous else 0) + 1
    item.effective_from = effective_from
    full_clean(item)
    item.save()
    if "provisions" in data:
        _set_bases(item, provisions)
    if "handling_staff" in data:
        item.handling_staff.set(staff)
    SupervisionItemVersion.objects.create(item=item, department=item.department, number=item.version, effective_from=effective_from,
                                          reason=reason, reason_note=(reason_note or "").strip()[:500], snapshot=after, created_by=actor)
    keys = versioning.changed_keys(before, after)
    audit.record(actor=actor, action="catalog.item.update", obj=item, before={k: before.get(k) for k in keys},
                 after={k: after[k] for k in keys}, note=f"v{item.version} {ChangeReason(reason).label} {reason_note}".strip())
    return item, True


@transaction.atomic
def item_review_clear(*, actor, item: SupervisionItem, note: str) -> SupervisionItem:
    """The department reviewed a flagged item and found its basis still sound (e.g. an amendment that does
    not touch it). Refused while a repealed article remains in the basis: change the basis instead."""
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    require_editor(actor, item.department)
    if not (note or "").strip():
        raise DomainError(_("请填写复核结论"), field="note")
    repealed, _note = _review_state([b.provision for b in item.bases.select_related("provision")])
    if repealed:
        raise DomainError(_("监管依据中仍有已废止条款，请通过调整事项（新版本）更换依据"), field="note")
    before = {"needs_review": item.needs_review, "review_note": item.review_note}
    item.needs_review, item.review_note = False, ""
    item.save(update_fields=["needs_review", "review_note", "updated_at"])
    audit.record(actor=actor, action="catalog.item.review_clear", obj=item, before=before,
                 after={"needs_review": False}, note=note.strip())
    return item


# --- implementation lists ---------------------------------------------------------------------------------------

IMPL_SCALAR_FIELDS = ["name", "agency", "check_object", "method", "frequency", "basis", "result_handling", "status"]


def _normalise_points(points: Iterable) -> list[tuple[str, str]]:
    out = []
    for p in points:
        if isinstance(p, str):
            content, basis = p, ""
        elif isinstance(p, dict):
            content, basis = p.get("content", ""), p.get("basis", "")
        else:
            content, basis = p[0], (p[1] if len(p) > 1 else "")
        content, basis = (content or "").strip(), (basis or "").strip()
        if content:
            if len(content) > 500:
                raise DomainError(_("检查要点过长（不超过500字）：%(c)s…") % {"c": content[:20]}, field="check_points")
            out.append((content, basis[:300]))
    return out


def _check_agency(item: SupervisionItem, agency: Department) -> None:
    if agency.pk not in department_subtree(item.department_id):
        raise DomainError(_("实施机构“%(a)s”应为%(d)s或其内设机构") % {"a": agency, "d": item.department}, field="agency")


@transaction.atomic
def impl_list_create(*, actor, item: SupervisionItem, code: str, name: str, check_object: str, frequency: str,
                     effective_from: dt.date, check_points: Iterable = (), agency: Department | None = None,
                     reason: str = ChangeReason.INITIAL, reason_note: str = "", **fields: Any) -> ImplementationList:
    require_editor(actor, item.department)
    unknown = set(fields) - set(IMPL_SCALAR_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    if item.status != ItemStatus.ACTIVE:
        raise DomainError(_("监管事项已取消，不能新增检查实施清单"), field="item")
    code = (code or "").strip().upper()
    _validate_code(validate_impl_code, code)
    if ImplementationList.objects.filter(code=code).exists():
        raise Conflict(_("检查实施清单编码 %(c)s 已存在，不能重复") % {"c": code}, field="code")
    if not code.startswith(item.code):
        raise DomainError(_("检查实施清单编码应以所属监管事项编码 %(c)s 开头") % {"c": item.code}, field="code")
    _check_reason(reason, initial=True)
    agency = agency or item.department
    _check_agency(item, agency)
    points = _normalise_points(check_points)
    if not points:
        raise DomainError(_("请至少填写一项检查要点（检查人员逐项检查的具体内容）"), field="check_points")
    impl = ImplementationList(item=item, department=item.department, agency=agency, code=code, name=(name or "").strip(),
                              check_object=(check_object or "").strip(), frequency=(frequency or "").strip(),
                              effective_from=effective_from, **fields)
    full_clean(impl)
    impl.save()
    CheckPoint.objects.bulk_create([CheckPoint(implementation_list=impl, seq=i, content=c, basis=b) for i, (c, b) in enumerate(points, 1)])
    snap = versioning.impl_snapshot(impl, points=points)
    ImplementationListVersion.objects.create(implementation_list=impl, department=impl.department, number=1, effective_from=effective_from,
                                             reason=reason, reason_note=(reason_note or "").strip()[:500], snapshot=snap, created_by=actor)
    audit.record(actor=actor, action="catalog.impl.create", obj=impl, after=snap, note=reason_note)
    return impl


@transaction.atomic
def impl_list_update(*, actor, impl: ImplementationList, data: dict[str, Any], effective_from: dt.date, reason: str,
                     reason_note: str = "") -> tuple[ImplementationList, bool]:
    impl = ImplementationList.objects.select_for_update(of=("self",)).select_related("item", "agency").get(pk=impl.pk)
    require_editor(actor, impl.department)
    unknown = set(data) - set(IMPL_SCALAR_FIELDS) - {"check_points"}
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    before = versioning.impl_snapshot(impl)
    for name in IMPL_SCALAR_FIELDS:
        if name in data:
            value = data[name]
            setattr(impl, name, value.strip() if isinstance(value, str) else value)
    points = _normalise_points(data["check_points"]) if "check_points" in data else [(p.content, p.basis) for p in impl.check_points.all()]
    if not points:
        raise DomainError(_("请至少填写一项检查要点（检查人员逐项检查的具体内容）"), field="check_points")
    after = versioning.impl_snapshot(impl, points=points)
    if after == before:
        return impl, False
    _check_reason(reason, initial=False)
    previous = impl.versions.order_by("-number").first()
    _check_effective_date(previous, effective_from)
    _check_agency(impl.item, impl.agency)
    impl.version = (previous.number if previous else 0) + 1
    impl.effective_from = effective_from
    full_clean(impl)
    impl.save()
    if "check_points" in data:
        CheckPoint.objects.filter(implementation_list=impl).delete()
        CheckPoint.objects.bulk_create([CheckPoint(implementation_list=impl, seq=i, content=c, basis=b) for i, (c, b) in enumerate(points, 1)])
    ImplementationListVersion.objects.create(implementation_list=impl, department=impl.department, number=impl.version,
                                             effective_from=effective_from, reason=reason, reason_note=(reason_note or "").strip()[:500],
                                             snapshot=after, created_by=actor)
    keys = versioning.changed_keys(before, after)
    audit.record(actor=actor, action="catalog.impl.update", obj=impl, before={k: before.get(k) for k in keys},
                 after={k: after[k] for k in keys}, note=f"v{impl.version} {ChangeReason(reason).label} {reason_note}".strip())
    return impl, True


# --- work guidelines -------------------------------------------------------------------------------------------

GUIDELINE_FIELDS = ["content", "method", "basis", "result_handling"]


@transaction.atomic
def guideline_save(*, actor, item: SupervisionItem, content: str, method: str, basis: str, result_handling: str) -> tuple[Guideline, bool]:
    """Write or rewrite the 监管工作指引 of an item (任务分工 二(三)2). A published guideline stays published."""
    require_editor(actor, item.department)
    values = {"content": content, "method": method, "basis": basis, "result_handling": result_handling}
    values = {k: (v or "").strip() for k, v in values.items()}
    for key, label in (("content", _("监管内容")), ("method", _("监管方法")), ("basis", _("监管依据")), ("result_handling", _("检查结果处理"))):
        if not values[key]:
            raise DomainError(_("请填写%(f)s") % {"f": label}, field=key)
    row = Guideline.objects.select_for_update().filter(item=item).first()
    if row is None:
        row = Guideline(item=item, department=item.department, updated_by=actor, **values)
        full_clean(row)
        row.save()
        audit.record(actor=actor, action="catalog.guideline.create", obj=row, after=values)
        return row, True
    before = {k: getattr(row, k) for k in GUIDELINE_FIELDS}
    if before == values:
        return row, False
    for k, v in values.items():
        setattr(row, k, v)
    row.updated_by = actor
    full_clean(row)
    row.save()
    keys = [k for k in GUIDELINE_FIELDS if before[k] != values[k]]
    audit.record(actor=actor, action="catalog.guideline.update", obj=row, before={k: before[k] for k in keys},
                 after={k: values[k] for k in keys})
    return row, True


@transaction.atomic
def guideline_set_published(*, actor, guideline: Guideline, published: bool) -> Guideline:
    row = Guideline.objects.select_for_update().get(pk=guideline.pk)
    require_editor(actor, row.department)
    target = PublishStatus.PUBLISHED if published else PublishStatus.WITHDRAWN
    if row.status == target:
        return row
    before = {"status": row.status}
    row.status = target
    if published:
        row.published_at = timezone.now()
    row.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=actor, action="catalog.guideline.publish" if published else "catalog.guideline.withdraw", obj=row,
                 before=before, after={"status": row.status})
    return row
