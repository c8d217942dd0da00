"""Writes of the annual supervision plans (任务分工 一(三)1: 统筹协调制定全县监管计划).

Rules enforced here:
- a department plans only items of its own remit, still in force;
- a row's period lies inside the plan year and has not already ended (no planning of a closed period);
  a plan that is submitted or approved, or a county plan that is approved or closed, takes no new rows;
- the ratio is a percentage from 0 to 100, the frequency at least once;
- 协调办 (the owner role) returns or approves department plans and approves the county plan.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import audit
from jianguan.core.errors import Conflict, DomainError
from jianguan.core.models import Department

from ..choices import CountyPlanStatus, ItemStatus, PlanMethod, PlanStatus
from ..models import CountyPlan, DepartmentPlan, PlanRow, SupervisionItem
from ._common import department_subtree, full_clean, require_editor, require_owner

ROW_FIELDS = ["object_scope", "category", "ratio", "frequency", "period_start", "period_end", "method", "note"]


def _county_plan_for(year: int, actor) -> CountyPlan:
    plan = CountyPlan.objects.filter(year=year).first()
    if plan is None:
        plan = CountyPlan.objects.create(year=year, title=_("%(region)s%(year)d年度事中事后监管计划")
                                         % {"region": settings.JIANGUAN_REGION_NAME, "year": year})
        audit.record(actor=actor, action="catalog.county_plan.open", obj=plan, department_id=None, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def department_plan_create(*, actor, department: Department, year: int, note: str = "") -> DepartmentPlan:
    require_editor(actor, department)
    if department.parent_id is not None:
        raise DomainError(_("年度监管计划由县直部门编制，“%(d)s”是内设机构") % {"d": department}, field="department")
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise DomainError(_("只能编制上一年、本年或下一年的计划"), field="year")
    county = _county_plan_for(year, actor)
    if county.status != CountyPlanStatus.OPEN:
        raise DomainError(_("%(y)d年度全县监管计划已%(s)s，不再接收新的部门计划") % {"y": year, "s": county.get_status_display()}, field="year")
    if DepartmentPlan.objects.filter(county_plan=county, department=department).exists():
        raise Conflict(_("%(d)s的%(y)d年度计划已存在") % {"d": department, "y": year}, field="year")
    plan = DepartmentPlan.objects.create(county_plan=county, department=department, note=(note or "").strip())
    audit.record(actor=actor, action="catalog.plan.create", obj=plan, after={"year": year, "department": department.name})
    return plan


def _lock_plan(plan: DepartmentPlan) -> DepartmentPlan:
    return DepartmentPlan.objects.select_for_update(of=("self",)).select_related("county_plan", "department").get(pk=plan.pk)


def _check_plan_open(plan: DepartmentPlan) -> None:
    if plan.county_plan.status == CountyPlanStatus.CLOSED:
        raise DomainError(_("%(y)d年度计划已关闭，不能再修改") % {"y": plan.year}, field="plan")
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise DomainError(_("计划%(s)s，不能再修改；如需调整请联系协调办退回") % {"s": plan.get_status_display()}, field="plan")


def _clean_row_values(plan: DepartmentPlan, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    try:
        out["ratio"] = Decimal(str(out["ratio"]).strip().rstrip("%"))
    except (InvalidOperation, KeyError):
        raise DomainError(_("抽查比例应为0至100之间的数值（百分比）"), field="ratio") from None
    if not Decimal(0) <= out["ratio"] <= Decimal(100):
        raise DomainError(_("抽查比例应为0至100之间的数值（百分比），当前为 %(r)s") % {"r": out["ratio"]}, field="ratio")
    try:
        out["frequency"] = int(out.get("frequency") or 1)
    except (TypeError, ValueError):
        raise DomainError(_("抽查频次应为正整数"), field="frequency") from None
    if out["frequency"] < 1:
        raise DomainError(_("抽查频次至少为1次"), field="frequency")
    start, end = out.get("period_start"), out.get("period_end")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise DomainError(_("请填写计划开始和结束日期"), field="period_start")
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期"), field="period_end")
    if start.year != plan.year or end.year != plan.year:
        raise DomainError(_("计划期间应在%(y)d年度之内") % {"y": plan.year}, field="period_start")
    if end < timezone.localdate():
        raise DomainError(_("计划期间（至 %(e)s）已经结束，不能为已结束的期间编制计划") % {"e": end.isoformat()}, field="period_end")
    if out.get("method", PlanMethod.ONSITE) not in PlanMethod.values:
        raise DomainError(_("检查方式应为现场检查、书面检查或网络检查"), field="method")
    out["object_scope"] = (out.get("object_scope") or "").strip()
    if not out["object_scope"]:
        raise DomainError(_("请填写检查对象范围"), field="object_scope")
    return out


def _check_item(plan: DepartmentPlan, item: SupervisionItem) -> None:
    if item.department_id not in department_subtree(plan.department_id):
        raise DomainError(_("监管事项“%(i)s”属于%(d)s，不在%(p)s的职责范围内，不能列入本部门计划")
                          % {"i": item.name, "d": item.department, "p": plan.department}, field="item")
    if item.status != ItemStatus.ACTIVE:
        raise DomainError(_("监管事项“%(i)s”已取消，不能列入计划") % {"i": item.name}, field="item")


def _check_cooperating(plan: DepartmentPlan, departments) -> list[Department]:
    departments = list(departments or [])
    for d in departments:
        if d.pk == plan.department_id or d.parent_id is not None:
            raise DomainError(_("配合部门应为本部门以外的县直部门：%(d)s") % {"d": d}, field="cooperating_departments")
    return departments


@transaction.atomic
def plan_row_add(*, actor, plan: DepartmentPlan, item: SupervisionItem, cooperating_departments=(), **values: Any) -> PlanRow:
    plan = _lock_plan(plan)
    require_editor(actor, plan.department)
    unknown = set(values) - set(ROW_FIELDS)
    if unknown:
        raise DomainError(_("不允许设置字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    _check_plan_open(plan)
    _check_item(plan, item)
    values = _clean_row_values(plan, values)
    values.setdefault("category", item.category)
    if PlanRow.objects.filter(plan=plan, item=item).exists():
        raise Conflict(_("监管事项“%(i)s”已在本计划中") % {"i": item.name}, field="item")
    coop = _check_cooperating(plan, cooperating_departments)
    row = PlanRow(plan=plan, department=plan.department, item=item, **values)
    full_clean(row)
    row.save()
    row.cooperating_departments.set(coop)
    after = audit.snapshot(row)
    after["cooperating_departments"] = [d.name for d in coop]
    audit.record(actor=actor, action="catalog.plan_row.add", obj=row, after=after)
    return row


@transaction.atomic
def plan_row_update(*, actor, row: PlanRow, data: dict[str, Any]) -> PlanRow:
    row = PlanRow.objects.select_for_update(of=("self",)).select_related("item").get(pk=row.pk)
    plan = _lock_plan(row.plan)
    require_editor(actor, plan.department)
    unknown = set(data) - set(ROW_FIELDS) - {"cooperating_departments"}
    if unknown:
        raise DomainError(_("不允许修改字段：%(f)s") % {"f": "、".join(sorted(unknown))}, field=sorted(unknown)[0])
    _check_plan_open(plan)
    before = audit.snapshot(row, ROW_FIELDS)
    merged = {k: data.get(k, getattr(row, k)) for k in ROW_FIELDS}
    values = _clean_row_values(plan, merged)
    for k, v in values.items():
        setattr(row, k, v)
    full_clean(row)
    row.save()
    if "cooperating_departments" in data:
        row.cooperating_departments.set(_check_cooperating(plan, data["cooperating_departments"]))
    audit.record(actor=actor, action="catalog.plan_row.update", obj=row, before=before, after=audit.snapshot(row, ROW_FIELDS))
    return row


@transaction.atomic
def plan_row_delete(*, actor, row: PlanRow) -> None:
    plan = _lock_plan(row.plan)
    require_editor(actor, plan.department)
    _check_plan_open(plan)
    audit.record(actor=actor, action="catalog.plan_row.delete", obj=row, before=audit.snapshot(row))
    row.delete()


@transaction.atomic
def department_plan_submit(*, actor, plan: DepartmentPlan) -> DepartmentPlan:
    plan = _lock_plan(plan)
    require_editor(actor, plan.department)
    _check_plan_open(plan)
    if not plan.rows.exists():
        raise DomainError(_("计划中还没有任何监管事项，不能报送"), field="plan")
    before = {"status": plan.status}
    plan.status, plan.submitted_at, plan.submitted_by = PlanStatus.SUBMITTED, timezone.now(), actor
    plan.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit.record(actor=actor, action="catalog.plan.submit", obj=plan, before=before, after={"status": plan.status})
    return plan


@transaction.atomic
def department_plan_decide(*, actor, plan: DepartmentPlan, approve: bool, note: str = "") -> DepartmentPlan:
    """协调办 approves a submitted department plan, or returns it with a reason."""
    require_owner(actor)
    plan = _lock_plan(plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise DomainError(_("只有已报送的计划可以审批，当前状态：%(s)s") % {"s": plan.get_status_display()}, field="plan")
    if plan.county_plan.status == CountyPlanStatus.CLOSED:
        raise DomainError(_("%(y)d年度计划已关闭") % {"y": plan.year}, field="plan")
    if not approve and not (note or "").strip():
        raise DomainError(_("退回须填写意见"), field="note")
    before = {"status": plan.status}
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.decided_at, plan.decision_note = timezone.now(), (note or "").strip()[:500]
    plan.save(update_fields=["status", "decided_at", "decision_note"])
    audit.record(actor=actor, action="catalog.plan.approve" if approve else "catalog.plan.return", obj=plan,
                 before=before, after={"status": plan.status}, note=plan.decision_note)
    return plan


@transaction.atomic
def county_plan_approve(*, actor, county_plan: CountyPlan, note: str = "") -> int:
    """协调办 approves the county plan: every submitted department plan is approved with it (one UPDATE).

    Returns how many department plans were approved. Plans still in draft stay out; they can be submitted
    and approved one by one later.
    """
    require_owner(actor)
    county = CountyPlan.objects.select_for_update().get(pk=county_plan.pk)
    if county.status != CountyPlanStatus.OPEN:
        raise DomainError(_("全县计划已%(s)s") % {"s": county.get_status_display()}, field="status")
    submitted = DepartmentPlan.objects.filter(county_plan=county, status=PlanStatus.SUBMITTED)
    if not submitted.exists() and not county.department_plans.filter(status=PlanStatus.APPROVED).exists():
        raise DomainError(_("还没有部门报送计划，不能批准全县计划"), field="status")
    now = timezone.now()
    approved = submitted.update(status=PlanStatus.APPROVED, decided_at=now, decision_note=(note or "").strip()[:500])
    county.status, county.approved_at, county.approved_by, county.approval_note = CountyPlanStatus.APPROVED, now, actor, (note or "").strip()[:500]
    county.save(update_fields=["status", "approved_at", "approved_by", "approval_note"])
    audit.record(actor=actor, action="catalog.county_plan.approve", obj=county, department_id=None,
                 after={"status": county.status, "department_plans_approved": approved}, note=county.approval_note)
    return approved


@transaction.atomic
def county_plan_close(*, actor, county_plan: CountyPlan, note: str) -> CountyPlan:
    """Close a year's plan: no department may change its rows any more."""
    require_owner(actor)
    county = CountyPlan.objects.select_for_update().get(pk=county_plan.pk)
    if county.status == CountyPlanStatus.CLOSED:
        return county
    if not (note or "").strip():
        raise DomainError(_("请填写关闭说明"), field="note")
    before = {"status": county.status}
    county.status = CountyPlanStatus.CLOSED
    county.save(update_fields=["status"])
    audit.record(actor=actor, action="catalog.county_plan.close", obj=county, department_id=None, before=before,
                 after={"status": county.status}, note=note.strip())
    return county
