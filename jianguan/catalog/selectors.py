"""Every read of the catalogue app that a view or the API uses, already scoped to the user.

Catalogue items, implementation lists, guidelines, plans, filing matters and verification tasks are
departmental data (visible to the department, those it shares with, and 协调办). Notices are visible to both
sides of the link. Published rules, standards and guidelines are public. Legal provisions and routes are a
county-wide reference open to all staff.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from jianguan.core.errors import NotFound
from jianguan.core.scope import get_visible_or_404, own_department_ids, visible_department_ids
from jianguan.entities.models import Entity, Licence

from . import queries
from .choices import CountyPlanStatus, ItemStatus, NoticeStatus, PlanStatus, PublishStatus, VerificationStatus
from .models import (
    ApprovalRoute,
    CheckPoint,
    CountyPlan,
    DepartmentPlan,
    FilingMatter,
    Guideline,
    ImplementationList,
    ImplementationListVersion,
    ItemBasis,
    LegalProvision,
    PlanRow,
    RuleStandard,
    SupervisionItem,
    SupervisionItemVersion,
    SupervisionNotice,
    VerificationTask,
)


def _staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_department_staff


# --- items ------------------------------------------------------------------------------------------------------

def gap_q(prefix: str = "") -> Q:
    """An item without its named people (任务分工 一(一)2: 确保事有人管、责有人负) — needs `active_staff` annotated."""
    return (Q(**{f"{prefix}responsible_leader__isnull": True}) | Q(**{f"{prefix}responsible_leader__is_active": False})
            | Q(**{f"{prefix}handling_unit__isnull": True}) | Q(active_staff=0))


def item_list(*, user, q: str = "", department_id: int | None = None, field: str = "", level: str = "",
              gaps: bool = False, review: bool = False, random_check: bool | None = None,
              include_abolished: bool = False) -> QuerySet[SupervisionItem]:
    qs = (SupervisionItem.objects.visible_to(user).select_related("department", "responsible_leader", "handling_unit")
          .annotate(active_staff=Count("handling_staff", filter=Q(handling_staff__is_active=True), distinct=True)))
    if not include_abolished:
        qs = qs.filter(status=ItemStatus.ACTIVE)
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q) | Q(supervision_object__icontains=q))
    if department_id:
        qs = qs.filter(department_id=department_id)
    if field:
        qs = qs.filter(field=field)
    if level:
        qs = qs.filter(level=level)
    if gaps:
        qs = qs.filter(gap_q())
    if review:
        qs = qs.filter(needs_review=True)
    if random_check is not None:
        qs = qs.filter(random_check=random_check)
    return qs.order_by("department__sort_order", "code")


def item_gap_counts(*, user) -> dict[str, int]:
    qs = item_list(user=user)
    return {"gaps": qs.filter(gap_q()).count(), "review": qs.filter(needs_review=True).count(), "total": qs.count()}


def item_get(*, user, pk: int | None = None, code: str | None = None) -> SupervisionItem:
    lookup = {"pk": pk} if pk is not None else {"code": code}
    qs = SupervisionItem.objects.select_related("department", "responsible_leader", "handling_unit").prefetch_related(
        "handling_staff", Prefetch("bases", queryset=ItemBasis.objects.select_related("provision")))
    return get_visible_or_404(qs, user, **lookup)


def item_versions(*, user, item: SupervisionItem) -> QuerySet[SupervisionItemVersion]:
    return SupervisionItemVersion.objects.visible_to(user).filter(item=item).select_related("created_by").order_by("-number")


def item_version_at(*, user, item: SupervisionItem, on: dt.date) -> SupervisionItemVersion | None:
    """The version in force on a date: the latest-numbered version whose effective date is not after it."""
    return item_versions(user=user, item=item).filter(effective_from__lte=on).order_by("-effective_from", "-number").first()


def random_check_items(*, user) -> QuerySet[SupervisionItem]:
    """The 随机抽查事项清单: active items marked for random checks (一般/重点), for the inspections module."""
    return item_list(user=user, random_check=True)


# --- implementation lists ------------------------------------------------------------------------------------------

def impl_list_list(*, user, item: SupervisionItem | None = None, q: str = "", department_id: int | None = None) -> QuerySet[ImplementationList]:
    qs = ImplementationList.objects.visible_to(user).select_related("item", "agency", "department").annotate(points=Count("check_points"))
    if item is not None:
        qs = qs.filter(item=item)
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q) | Q(item__name__icontains=q))
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("code")


def impl_list_get(*, user, pk: int | None = None, code: str | None = None) -> ImplementationList:
    lookup = {"pk": pk} if pk is not None else {"code": code}
    qs = ImplementationList.objects.select_related("item", "agency", "department").prefetch_related(
        Prefetch("check_points", queryset=CheckPoint.objects.order_by("seq")))
    return get_visible_or_404(qs, user, **lookup)


def impl_versions(*, user, impl: ImplementationList) -> QuerySet[ImplementationListVersion]:
    return ImplementationListVersion.objects.visible_to(user).filter(implementation_list=impl).select_related("created_by").order_by("-number")


def check_points_for(*, user, impl: ImplementationList) -> list[CheckPoint]:
    """The ordered checklist of an implementation list (the inspections app's 检查细则)."""
    impl_list_get(user=user, pk=impl.pk)
    return list(impl.check_points.order_by("seq"))


# --- provisions -------------------------------------------------------------------------------------------------------

def provision_list(*, user, q: str = "", status: str = "") -> QuerySet[LegalProvision]:
    if not _staff(user):
        return LegalProvision.objects.none()
    qs = LegalProvision.objects.annotate(item_count=Count("bases", distinct=True))
    if q:
        qs = qs.filter(Q(law_name__icontains=q) | Q(article__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("law_name", "article")


def provision_get(*, user, pk: int) -> LegalProvision:
    try:
        return provision_list(user=user).get(pk=pk)
    except (LegalProvision.DoesNotExist, ValueError):
        raise NotFound() from None


def provision_items(*, user, provision: LegalProvision) -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.visible_to(user).filter(bases__provision=provision).select_related("department").order_by("code")


# --- guidelines -------------------------------------------------------------------------------------------------------

def guideline_list(*, user, department_id: int | None = None, q: str = "") -> QuerySet[Guideline]:
    qs = Guideline.objects.visible_to(user).select_related("item", "department")
    if department_id:
        qs = qs.filter(department_id=department_id)
    if q:
        qs = qs.filter(Q(item__name__icontains=q) | Q(item__code__startswith=q) | Q(content__icontains=q))
    return qs.order_by("department__sort_order", "item__code")


def guideline_for_item(*, user, item: SupervisionItem) -> Guideline | None:
    return Guideline.objects.visible_to(user).filter(item=item).first()


def public_guideline_list(*, q: str = "", field: str = "") -> QuerySet[Guideline]:
    qs = Guideline.objects.visible_to(None).select_related("item", "department")
    if q:
        qs = qs.filter(Q(item__name__icontains=q) | Q(content__icontains=q))
    if field:
        qs = qs.filter(item__field=field)
    return qs.order_by("department__sort_order", "item__code")


def public_check_lists(*, guideline: Guideline) -> QuerySet[ImplementationList]:
    """The active implementation lists (检查细则) of an item whose guideline is published: public with it."""
    if guideline.status != PublishStatus.PUBLISHED:
        return ImplementationList.objects.none()
    return ImplementationList.objects.filter(item_id=guideline.item_id, status=ItemStatus.ACTIVE).prefetch_related(
        Prefetch("check_points", queryset=CheckPoint.objects.order_by("seq"))).order_by("code")


def public_guideline_get(*, code: str) -> Guideline:
    try:
        return public_guideline_list().get(item__code=code)
    except Guideline.DoesNotExist:
        raise NotFound() from None


# --- rules and standards ------------------------------------------------------------------------------------------------

def rule_list(*, user, q: str = "", field: str = "", kind: str = "", level: str = "", status: str = "",
              cleanup: str = "", department_id: int | None = None) -> QuerySet[RuleStandard]:
    """Staff see their departments' register (drafts included) plus everything published."""
    if _staff(user):
        ids = visible_department_ids(user)
        qs = RuleStandard.objects.all() if ids is None else RuleStandard.objects.filter(
            Q(department_id__in=ids) | RuleStandard.scope_public_q())
    else:
        qs = RuleStandard.objects.visible_to(user)
    qs = qs.select_related("department")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(summary__icontains=q))
    for name, value in (("field", field), ("kind", kind), ("level", level), ("status", status), ("cleanup_status", cleanup)):
        if value:
            qs = qs.filter(**{name: value})
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("field", "kind", "title")


def rule_get(*, user, pk: int) -> RuleStandard:
    try:
        return rule_list(user=user).get(pk=pk)
    except (RuleStandard.DoesNotExist, ValueError):
        raise NotFound() from None


def public_rule_list(*, q: str = "", field: str = "", kind: str = "", level: str = "") -> QuerySet[RuleStandard]:
    return rule_list(user=None, q=q, field=field, kind=kind, level=level)


def public_rule_get(*, pk: int) -> RuleStandard:
    try:
        return public_rule_list().get(pk=pk)
    except (RuleStandard.DoesNotExist, ValueError):
        raise NotFound() from None


def rule_cleanup_counts(*, user) -> dict[str, int]:
    qs = rule_list(user=user).exclude(cleanup_status__in=["none", "revised", "abolished"])
    return {"open": qs.count()}


# --- plans -------------------------------------------------------------------------------------------------------------

def county_plan_list(*, user) -> QuerySet[CountyPlan]:
    if not _staff(user):
        return CountyPlan.objects.none()
    return CountyPlan.objects.annotate(
        plans=Count("department_plans", distinct=True),
        submitted=Count("department_plans", filter=Q(department_plans__status=PlanStatus.SUBMITTED), distinct=True),
        approved=Count("department_plans", filter=Q(department_plans__status=PlanStatus.APPROVED), distinct=True),
    ).order_by("-year")


def county_plan_get(*, user, year: int) -> CountyPlan:
    try:
        return county_plan_list(user=user).get(year=year)
    except (CountyPlan.DoesNotExist, ValueError):
        raise NotFound() from None


def department_plan_list(*, user, year: int | None = None, status: str = "") -> QuerySet[DepartmentPlan]:
    qs = (DepartmentPlan.objects.visible_to(user).select_related("county_plan", "department")
          .annotate(row_count=Count("rows")))
    if year:
        qs = qs.filter(county_plan__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-county_plan__year", "department__sort_order")


def department_plan_get(*, user, pk: int) -> DepartmentPlan:
    return get_visible_or_404(DepartmentPlan.objects.select_related("county_plan", "department"), user, pk=pk)


def plan_rows(*, user, plan: DepartmentPlan | None = None, year: int | None = None) -> QuerySet[PlanRow]:
    """Rows the user may see: their departments' own, and rows they are named to cooperate on."""
    if not _staff(user):
        return PlanRow.objects.none()
    ids = visible_department_ids(user)
    qs = PlanRow.objects.all() if ids is None else PlanRow.objects.filter(
        Q(department_id__in=ids) | Q(cooperating_departments__in=ids)).distinct()
    qs = qs.select_related("item", "plan__county_plan", "department").prefetch_related("cooperating_departments")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if year:
        qs = qs.filter(plan__county_plan__year=year)
    return qs.order_by("department__sort_order", "item__code")


def plan_rows_in_force(*, user, on: dt.date | None = None) -> QuerySet[PlanRow]:
    """Approved rows whose period covers `on`: what random inspections run (inspections app)."""
    on = on or timezone.localdate()
    return plan_rows(user=user).filter(plan__status=PlanStatus.APPROVED, period_start__lte=on, period_end__gte=on).exclude(
        plan__county_plan__status=CountyPlanStatus.CLOSED)


def county_plan_rows(*, user, county_plan: CountyPlan) -> QuerySet[PlanRow]:
    return plan_rows(user=user, year=county_plan.year)


# --- 审管衔接 -----------------------------------------------------------------------------------------------------------

def route_list(*, user) -> QuerySet[ApprovalRoute]:
    if not _staff(user):
        return ApprovalRoute.objects.none()
    return ApprovalRoute.objects.select_related("approval_department", "supervising_department", "item").annotate(
        notice_count=Count("notices")).order_by("priority", "id")


def route_get(*, user, pk: int) -> ApprovalRoute:
    try:
        return route_list(user=user).get(pk=pk)
    except (ApprovalRoute.DoesNotExist, ValueError):
        raise NotFound() from None


def notice_list(*, user, side: str = "", status: str = "", overdue: bool = False, q: str = "",
                on: dt.date | None = None) -> QuerySet[SupervisionNotice]:
    """Notices the user may see; `side` 'supervising' or 'approval' narrows to those where the user's own
    department (not a department that merely shares its data) is that side."""
    on = on or timezone.localdate()
    qs = SupervisionNotice.objects.visible_to(user).select_related(
        "licence__entity", "approval_department", "supervising_department", "item", "signed_by", "result_by")
    own = own_department_ids(user)
    if side == "supervising":
        qs = qs.filter(supervising_department_id__in=own)
    elif side == "approval":
        qs = qs.filter(approval_department_id__in=own)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(on))
    if q:
        qs = qs.filter(Q(licence__entity__name__icontains=q) | Q(licence__document_no__icontains=q) | Q(licence__entity__uscc=q.upper()))
    return qs.order_by("-issued_on", "-id")


def overdue_q(on: dt.date) -> Q:
    """Pending past the due date — whether or not the daily scan has flagged it yet."""
    return Q(status=NoticeStatus.PENDING, due_on__lt=on)


def notice_get(*, user, pk: int) -> SupervisionNotice:
    return get_visible_or_404(SupervisionNotice.objects.select_related(
        "licence__entity", "approval_department", "supervising_department", "item", "route", "signed_by", "result_by"), user, pk=pk)


def notice_counts(*, user, on: dt.date | None = None) -> dict[str, int]:
    """Both sides of the user's own department; for 协调办 also the county-wide overdue count."""
    on = on or timezone.localdate()
    own = own_department_ids(user)
    qs = SupervisionNotice.objects.visible_to(user)
    mine = qs.filter(supervising_department_id__in=own)
    sent = qs.filter(approval_department_id__in=own)
    return {
        "to_sign": mine.filter(status=NoticeStatus.PENDING).count(),
        "overdue_to_sign": mine.filter(overdue_q(on)).count(),
        "sent_overdue": sent.filter(overdue_q(on)).count(),
        "feedback_received": sent.filter(status=NoticeStatus.FED_BACK).count(),
        "county_overdue": qs.filter(overdue_q(on)).count() if user.is_owner else 0,
    }


def licence_supervision(*, user, licence_id: int) -> tuple[Licence, QuerySet[SupervisionNotice]]:
    """The licence with the notices about it and their results: what flows back to the approval record.

    Visible to the approving department (the licence is its data) and to a department notified of it.
    """
    notices = notice_list(user=user).filter(licence_id=licence_id)
    if not Licence.objects.visible_to(user).filter(pk=licence_id).exists() and not notices.exists():
        raise NotFound()
    try:
        licence = Licence.objects.select_related("entity", "department").get(pk=licence_id)
    except (Licence.DoesNotExist, ValueError):
        raise NotFound() from None
    return licence, notices


def unrouted_licences(*, user) -> QuerySet[Licence]:
    """Valid licences no route applies to (for 协调办 and the approving department)."""
    return queries.unrouted_licences().filter(pk__in=Licence.objects.visible_to(user).values("pk")).select_related(
        "entity", "department").order_by("-decided_on", "-pk")


# --- 审批改备案 ---------------------------------------------------------------------------------------------------------

def filing_matter_list(*, user) -> QuerySet[FilingMatter]:
    return FilingMatter.objects.visible_to(user).select_related("item", "department").annotate(
        open_tasks=Count("tasks", filter=Q(tasks__status=VerificationStatus.PENDING))).order_by("department__sort_order", "name")


def filing_matter_get(*, user, pk: int) -> FilingMatter:
    return get_visible_or_404(FilingMatter.objects.select_related("item", "department"), user, pk=pk)


def unfiled_entities(*, user, matter: FilingMatter) -> QuerySet[Entity]:
    """The report: entities whose industry or licences show the matter's activity and that have no filing."""
    filing_matter_get(user=user, pk=matter.pk)
    open_task = VerificationTask.objects.filter(entity=OuterRef("pk"), matter=matter, status=VerificationStatus.PENDING)
    return queries.unfiled_entities(matter).annotate(has_open_task=Exists(open_task))


def verification_list(*, user, status: str = "", kind: str = "", overdue: bool = False,
                      on: dt.date | None = None) -> QuerySet[VerificationTask]:
    on = on or timezone.localdate()
    qs = VerificationTask.objects.visible_to(user).select_related("matter", "department", "entity", "filing", "done_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(status=VerificationStatus.PENDING, due_on__lt=on)
    return qs.order_by("status", "due_on", "-id")


def verification_get(*, user, pk: int) -> VerificationTask:
    return get_visible_or_404(VerificationTask.objects.select_related("matter", "department", "entity", "filing"), user, pk=pk)


def published_counts() -> dict[str, int]:
    return {"rules": RuleStandard.objects.filter(status=PublishStatus.PUBLISHED).count(),
            "guidelines": Guideline.objects.filter(status=PublishStatus.PUBLISHED).count()}


def checklists_for_items(item_ids) -> list[ImplementationList]:
    """Active implementation lists of the items with their ordered check points, unscoped: the 检查细则 an inspector
    of any department in a joint visit works through (public information once published)."""
    return list(ImplementationList.objects.filter(item_id__in=list(item_ids), status=ItemStatus.ACTIVE)
                .select_related("item", "agency")
                .prefetch_related(Prefetch("check_points", queryset=CheckPoint.objects.order_by("seq"))).order_by("code"))


def plan_rows_by_ids(ids) -> list[PlanRow]:
    """Plan rows with their plan, county plan and item, fresh from the database (unscoped: the caller checks)."""
    return list(PlanRow.objects.filter(pk__in=list(ids)).select_related("plan__county_plan", "item", "department")
                .order_by("item__code"))


def public_random_items() -> QuerySet[SupervisionItem]:
    """The published 随机抽查事项清单: every active item marked for random checks, county-wide (anonymous pages)."""
    return (SupervisionItem.objects.filter(status=ItemStatus.ACTIVE, random_check=True).select_related("department")
            .annotate(lists=Count("implementation_lists", distinct=True)).order_by("department__sort_order", "code"))
