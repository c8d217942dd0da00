"""Query builders shared by services and selectors (no scoping here; callers scope)."""
from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from jianguan.entities.choices import EntityStatus, LicenceStatus
from jianguan.entities.models import Entity, Filing, Licence

from .models import ApprovalRoute, FilingMatter, SupervisionNotice

#: Entities still carrying on business (an entity 注销/吊销/迁出 is not pursued for a missing filing).
OPERATING_STATUSES = (EntityStatus.EXISTING, EntityStatus.OPERATING)


def route_match_q(route: ApprovalRoute, prefix: str = "") -> Q:
    """Licences this route applies to: certificate or decision name contains the keyword (and the approving
    department matches, when the route names one)."""
    q = Q(**{f"{prefix}certificate_name__contains": route.keyword}) | Q(**{f"{prefix}document_name__contains": route.keyword})
    if route.approval_department_id:
        q &= Q(**{f"{prefix}department_id": route.approval_department_id})
    return q


def licences_lacking_notice(route: ApprovalRoute) -> QuerySet[Licence]:
    existing = SupervisionNotice.objects.filter(licence=OuterRef("pk"), supervising_department_id=route.supervising_department_id)
    return Licence.objects.filter(status=LicenceStatus.VALID).filter(route_match_q(route)).exclude(Exists(existing))


def unrouted_licences() -> QuerySet[Licence]:
    """Valid licences no active route applies to: 协调办 must add a route, or the approval reaches nobody."""
    routes = list(ApprovalRoute.objects.filter(is_active=True))
    qs = Licence.objects.filter(status=LicenceStatus.VALID)
    if routes:
        qs = qs.exclude(reduce(or_, (route_match_q(r) for r in routes)))
    return qs


def filing_match_q(matter: FilingMatter, prefix: str = "") -> Q:
    return Q(**{f"{prefix}matter__contains": matter.keyword})


def unfiled_entities(matter: FilingMatter) -> QuerySet[Entity]:
    """Entities that, by industry code or by a licence they hold, carry on the matter's activity and have no
    filing for it (任务分工 一(二)5: 对未经备案从事相关经营活动的市场主体依法予以查处).

    Annotated with `by_industry` and `by_licence` so the report can say why each entity is listed.
    """
    codes = matter.industry_code_list
    keywords = matter.licence_keyword_list
    if not codes and not keywords:
        return Entity.objects.none()
    by_industry = reduce(or_, (Q(industry_code__startswith=c) for c in codes)) if codes else Q(pk__in=[])
    licence_q = reduce(or_, (Q(certificate_name__contains=k) | Q(document_name__contains=k) | Q(content__contains=k) for k in keywords)) if keywords else None
    has_licence = Exists(Licence.objects.filter(licence_q, entity=OuterRef("pk"), status=LicenceStatus.VALID)) if licence_q is not None else None
    has_filing = Exists(Filing.objects.filter(filing_match_q(matter), entity=OuterRef("pk")))
    qs = (Entity.objects.filter(status__in=OPERATING_STATUSES).annotate(has_filing=has_filing).filter(has_filing=False)
          .annotate(by_industry=ExpressionWrapper(by_industry, output_field=BooleanField()) if codes else Value(False)))
    if has_licence is not None:
        qs = qs.annotate(by_licence=has_licence).filter(Q(by_industry=True) | Q(by_licence=True))
    else:
        qs = qs.annotate(by_licence=Value(False)).filter(by_industry=True)
    return qs.order_by("name", "pk")
