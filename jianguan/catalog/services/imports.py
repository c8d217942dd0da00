"""Excel imports of the catalogue, implementation lists, guidelines and plan rows.

Every row goes through the same service as a form would (so the same rules, versions and audit events
apply) inside its own savepoint: a refused row is reported with its Excel row number and reason, the
accepted rows are kept. Re-importing the same file changes nothing (idempotent on the item, list or plan
row's own code). Lookups (existing codes, departments, staff) are fetched once per file, not per row.
See docs/decisions/catalog-import-through-services.md for why rows are not bulk-inserted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.errors import DomainError
from jianguan.core.models import Department, User
from jianguan.core.scope import own_department_ids

from .. import excel
from ..basis import parse_basis
from ..choices import ChangeReason
from ..excel import CellError
from ..models import DepartmentPlan, Guideline, ImplementationList, PlanRow, SupervisionItem
from . import items as item_services
from . import plans as plan_services
from ._common import bureau_id_of, department_subtree, require_active_staff


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {"kind": self.kind, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [{"row": r, "key": k, "reason": m} for r, k, m in self.rejected]}


class _Context:
    """Lookups for one file: departments by name, staff by department tree."""

    def __init__(self, actor):
        self.actor = actor
        self.departments = list(Department.objects.filter(is_active=True))
        self._staff: dict[int, list[User]] = {}

    def department(self, value: str, *, default_own: bool = True) -> Department:
        name = excel.text(value)
        if not name:
            if default_own and self.actor.department_id:
                bureau = bureau_id_of(self.actor.department_id)
                return next(d for d in self.departments if d.pk == bureau)
            raise CellError(_("请填写部门"))
        for d in self.departments:
            if name in (d.name, d.short_name) or name == d.name.removeprefix("沁县"):
                return d
        raise CellError(_("部门“%(n)s”不在部门目录中") % {"n": name})

    def unit(self, value: str, department: Department) -> Department | None:
        name = excel.text(value)
        if not name:
            return None
        tree = [d for d in self.departments if d.pk in department_subtree(department.pk)]
        exact = [d for d in tree if name in (d.name, d.short_name)]
        if exact:
            return exact[0]
        # “综合行政执法队” for “沁县市场监督管理局综合行政执法队”, when it names one unit only
        suffix = [d for d in tree if d.name.endswith(name)]
        if len(suffix) == 1:
            return suffix[0]
        raise CellError(_("“%(n)s”不是%(d)s或其内设机构") % {"n": name, "d": department})

    def staff_of(self, department: Department) -> list[User]:
        if department.pk not in self._staff:
            self._staff[department.pk] = list(User.objects.filter(department_id__in=department_subtree(department.pk), is_active=True))
        return self._staff[department.pk]

    def person(self, value: str, department: Department, header: str) -> User | None:
        name = excel.text(value)
        if not name:
            return None
        m = re.match(r"^(.+?)[（(]([A-Za-z0-9_.@-]+)[）)]$", name)
        if m:
            found = [u for u in self.staff_of(department) if u.username == m.group(2)]
        else:
            found = [u for u in self.staff_of(department) if name in (u.display_name, u.username)]
        if not found:
            raise CellError(_("“%(h)s”中的“%(n)s”不是%(d)s的在岗人员") % {"h": header, "n": name, "d": department})
        if len(found) > 1:
            raise CellError(_("“%(h)s”中的“%(n)s”有重名，请写作“姓名（用户名）”") % {"h": header, "n": name})
        return found[0]


def _check_department_import(actor, department: Department) -> None:
    if not actor.is_owner and department.pk not in own_department_ids(actor):
        raise CellError(_("只能导入本部门的数据，“%(d)s”不是您的部门") % {"d": department})


def _run(kind: str, actor, fileobj, columns, handle_row) -> ImportResult:
    require_active_staff(actor)
    try:
        rows = excel.read_rows(fileobj, columns)
    except CellError as exc:
        raise DomainError(str(exc), field="file") from None
    result = ImportResult(kind=kind)
    ctx = _Context(actor)
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, raw in rows:
            key = excel.text(raw.get("code") or raw.get("item_code") or "")
            try:
                dup_key = f"{excel.text(raw.get('year', ''))}/{excel.text(raw.get('department', ''))}/{key}" if kind == "plans" else key
                if dup_key in seen:
                    raise CellError(_("与第 %(n)d 行重复") % {"n": seen[dup_key]})
                seen[dup_key] = number
                with transaction.atomic():
                    outcome = handle_row(ctx, raw)
            except CellError as exc:
                result.rejected.append((number, key, str(exc)))
            except DomainError as exc:
                result.rejected.append((number, key, exc.message))
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)
        audit.record(actor=actor, action=f"catalog.import.{kind}", object_type="catalog.import", object_id=kind,
                     object_repr=_("Excel 导入：%(k)s") % {"k": excel.KINDS[kind][0]},
                     after={"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                            "rejected": [[r, k, m] for r, k, m in result.rejected[:200]]})
    return result


# --- items ------------------------------------------------------------------------------------------------------------


def _item_row(ctx: _Context, raw: dict) -> str:
    cols = {c.key: c for c in excel.ITEM_COLUMNS}
    code = excel.text(raw.get("code"))
    existing = SupervisionItem.objects.filter(code=code).select_related("department").first()
    department = ctx.department(raw.get("department", ""), default_own=True) if excel.text(raw.get("department", "")) or existing is None \
        else existing.department
    _check_department_import(ctx.actor, department)
    data: dict = {"name": excel.text(raw.get("name")), "supervision_object": excel.text(raw.get("supervision_object"))}
    for key in ("scope", "method"):
        if key in raw:
            data[key] = excel.text(raw[key])
    for key in ("level", "field", "category", "status"):
        if key in raw:
            value = excel.choice(raw[key], cols[key])
            if value is not None:
                data[key] = value
    for key in ("random_check", "approval_to_filing"):
        if key in raw:
            data[key] = excel.boolean(raw[key], cols[key].header)
    if "legal_basis" in raw:
        cited = excel.text(raw["legal_basis"])
        pairs = parse_basis(cited)
        if cited and not pairs:
            raise CellError(_("监管依据应写作《法律法规名称》第X条，多条用分号分隔"))
        data["provisions"] = item_services.provisions_resolve(actor=ctx.actor, pairs=pairs)
    if "responsible_leader" in raw:
        data["responsible_leader"] = ctx.person(raw["responsible_leader"], department, cols["responsible_leader"].header)
    if "handling_unit" in raw:
        data["handling_unit"] = ctx.unit(raw["handling_unit"], department)
    if "handling_staff" in raw:
        data["handling_staff"] = [ctx.person(n, department, cols["handling_staff"].header) for n in excel.names(raw["handling_staff"])]
    effective = excel.date(raw.get("effective_from"), cols["effective_from"].header, default=timezone.localdate())
    reason = excel.choice(raw.get("reason", ""), cols["reason"])
    note = excel.text(raw.get("reason_note", ""))
    if existing is None:
        provisions = data.pop("provisions", [])
        staff = data.pop("handling_staff", [])
        item_services.item_create(actor=ctx.actor, department=department, code=code, effective_from=effective,
                                  provisions=provisions, handling_staff=staff, reason=reason or ChangeReason.INITIAL,
                                  reason_note=note, **data)
        return "created"
    if existing.department_id != department.pk:
        data["department"] = department
    if not reason:
        # decide whether anything changed before insisting on a reason
        _item, changed = _dry_run_item(ctx, existing, data)
        if not changed:
            return "unchanged"
        raise CellError(_("该事项有修改，请填写“调整原因”（如：法律法规立改废释、机构职能变化）"))
    _item, changed = item_services.item_update(actor=ctx.actor, item=existing, data=data, effective_from=effective,
                                               reason=reason, reason_note=note)
    return "updated" if changed else "unchanged"


def _dry_run_item(ctx, item: SupervisionItem, data: dict):
    from .. import versioning

    before = versioning.item_snapshot(item)
    probe = SupervisionItem.objects.select_related("department").get(pk=item.pk)
    for k, v in data.items():
        if k not in ("provisions", "handling_staff"):
            setattr(probe, k, v)
    provisions = data.get("provisions", [b.provision for b in item.bases.select_related("provision")])
    staff = data.get("handling_staff", list(item.handling_staff.all()))
    return probe, versioning.item_snapshot(probe, provisions=provisions, staff=staff) != before


def import_items(*, actor, fileobj) -> ImportResult:
    return _run("items", actor, fileobj, excel.ITEM_COLUMNS, _item_row)


# --- implementation lists -------------------------------------------------------------------------------------------------


def _points(value) -> list[tuple[str, str]]:
    out = []
    for line in str(value or "").splitlines():
        line = re.sub(r"^\s*\d+[.、．)）]\s*", "", line).strip()
        if not line:
            continue
        parts = re.split(r"[｜|]", line, maxsplit=1)
        out.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
    return out


def _impl_row(ctx: _Context, raw: dict) -> str:
    cols = {c.key: c for c in excel.IMPL_COLUMNS}
    code = excel.text(raw.get("code")).upper()
    item_code = excel.text(raw.get("item_code"))
    item = SupervisionItem.objects.filter(code=item_code).select_related("department").first()
    if item is None:
        raise CellError(_("监管事项编码 %(c)s 不存在，请先导入监管事项") % {"c": item_code})
    _check_department_import(ctx.actor, item.department)
    data: dict = {"name": excel.text(raw.get("name")), "check_object": excel.text(raw.get("check_object")),
                  "frequency": excel.text(raw.get("frequency")), "check_points": _points(raw.get("check_points"))}
    for key in ("basis", "result_handling"):
        if key in raw:
            data[key] = excel.text(raw[key])
    for key in ("method", "status"):
        if key in raw:
            value = excel.choice(raw[key], cols[key])
            if value is not None:
                data[key] = value
    if excel.text(raw.get("agency", "")):
        data["agency"] = ctx.unit(raw["agency"], item.department)
    effective = excel.date(raw.get("effective_from"), cols["effective_from"].header, default=timezone.localdate())
    reason = excel.choice(raw.get("reason", ""), cols["reason"])
    note = excel.text(raw.get("reason_note", ""))
    existing = ImplementationList.objects.filter(code=code).select_related("item").first()
    if existing is None:
        points = data.pop("check_points")
        item_services.impl_list_create(actor=ctx.actor, item=item, code=code, effective_from=effective, check_points=points,
                                       reason=reason or ChangeReason.INITIAL, reason_note=note, **data)
        return "created"
    if existing.item_id != item.pk:
        raise CellError(_("检查实施清单 %(c)s 属于监管事项 %(i)s，不能改挂到其他事项") % {"c": code, "i": existing.item.code})
    if not reason:
        from .. import versioning

        probe = ImplementationList.objects.select_related("item", "agency").get(pk=existing.pk)
        before = versioning.impl_snapshot(probe)
        for k, v in data.items():
            if k != "check_points":
                setattr(probe, k, v)
        if versioning.impl_snapshot(probe, points=data["check_points"]) == before:
            return "unchanged"
        raise CellError(_("该清单有修改，请填写“调整原因”"))
    _impl, changed = item_services.impl_list_update(actor=ctx.actor, impl=existing, data=data, effective_from=effective,
                                                    reason=reason, reason_note=note)
    return "updated" if changed else "unchanged"


def import_impl_lists(*, actor, fileobj) -> ImportResult:
    return _run("impl", actor, fileobj, excel.IMPL_COLUMNS, _impl_row)


# --- guidelines ------------------------------------------------------------------------------------------------------------


def _guideline_row(ctx: _Context, raw: dict) -> str:
    item_code = excel.text(raw.get("item_code"))
    item = SupervisionItem.objects.filter(code=item_code).select_related("department").first()
    if item is None:
        raise CellError(_("监管事项编码 %(c)s 不存在") % {"c": item_code})
    _check_department_import(ctx.actor, item.department)
    existed = Guideline.objects.filter(item=item).exists()
    _row, changed = item_services.guideline_save(actor=ctx.actor, item=item, content=excel.text(raw.get("content")),
                                                 method=excel.text(raw.get("method")), basis=excel.text(raw.get("basis")),
                                                 result_handling=excel.text(raw.get("result_handling")))
    if not changed:
        return "unchanged"
    return "updated" if existed else "created"


def import_guidelines(*, actor, fileobj) -> ImportResult:
    return _run("guidelines", actor, fileobj, excel.GUIDELINE_COLUMNS, _guideline_row)


# --- plan rows ------------------------------------------------------------------------------------------------------------


def _plan_row(ctx: _Context, raw: dict) -> str:
    cols = {c.key: c for c in excel.PLAN_COLUMNS}
    try:
        year = int(float(excel.text(raw.get("year"))))
    except ValueError:
        raise CellError(_("“年度”应为四位年份")) from None
    department = ctx.department(raw.get("department", ""), default_own=True)
    _check_department_import(ctx.actor, department)
    item_code = excel.text(raw.get("item_code"))
    item = SupervisionItem.objects.filter(code=item_code).first()
    if item is None:
        raise CellError(_("监管事项编码 %(c)s 不存在") % {"c": item_code})
    plan = DepartmentPlan.objects.filter(county_plan__year=year, department=department).first()
    if plan is None:
        plan = plan_services.department_plan_create(actor=ctx.actor, department=department, year=year)
    values = {
        "object_scope": excel.text(raw.get("object_scope")),
        "ratio": excel.decimal(raw.get("ratio"), cols["ratio"].header),
        "frequency": int(float(excel.text(raw.get("frequency")) or 1)),
        "period_start": excel.date(raw.get("period_start"), cols["period_start"].header),
        "period_end": excel.date(raw.get("period_end"), cols["period_end"].header),
        "note": excel.text(raw.get("note", "")),
    }
    for key in ("category", "method"):
        value = excel.choice(raw.get(key, ""), cols[key])
        if value is not None:
            values[key] = value
    coop = [ctx.department(n, default_own=False) for n in excel.names(raw.get("cooperating_departments", ""))]
    row = PlanRow.objects.filter(plan=plan, item=item).first()
    if row is None:
        plan_services.plan_row_add(actor=ctx.actor, plan=plan, item=item, cooperating_departments=coop, **values)
        return "created"
    current = {k: getattr(row, k) for k in values}
    same_coop = {d.pk for d in row.cooperating_departments.all()} == {d.pk for d in coop}
    if all(str(current[k]) == str(v) for k, v in values.items() if k != "ratio") and current["ratio"] == values["ratio"] and same_coop:
        return "unchanged"
    plan_services.plan_row_update(actor=ctx.actor, row=row, data={**values, "cooperating_departments": coop})
    return "updated"


def import_plan_rows(*, actor, fileobj) -> ImportResult:
    return _run("plans", actor, fileobj, excel.PLAN_COLUMNS, _plan_row)


IMPORTERS = {"items": import_items, "impl": import_impl_lists, "guidelines": import_guidelines, "plans": import_plan_rows}
