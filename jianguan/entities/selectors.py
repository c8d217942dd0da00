"""Every read of the entities app that a view or the API uses, already scoped to the user.

The registry is shared county-wide: every active staff member reads every entity. An enterprise reads
only its own entity; anonymous visitors read nothing here (public pages come through the portal, masked).
Licences and filings are departmental: outside the user's scope they appear only as a restricted line
(document, department, date) on the 一户一档 profile, never with their content.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jianguan.core.choices import STAFF_ROLES
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.pii import mask_id_number, mask_name
from jianguan.core.scope import visible_department_ids

from . import search
from .choices import EntityKind, EntityStatus
from .models import Entity, EntityPerson, Filing, Licence

# --- who may read -----------------------------------------------------------------------------------------------


def is_staff_reader(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_owner or user.role in STAFF_ROLES))


def entities_for(user) -> QuerySet[Entity]:
    if is_staff_reader(user):
        return Entity.objects.all()
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_enterprise and user.uscc:
        return Entity.objects.filter(uscc=user.uscc)
    return Entity.objects.none()


def entity_get(*, user, uscc: str) -> Entity:
    entity = entities_for(user).filter(uscc=search.normalize(uscc)).first()
    if entity is None:
        raise NotFound()
    return entity


# --- search ---------------------------------------------------------------------------------------------------------


@dataclass
class SearchPage:
    entities: list[Entity]
    total: int
    total_exact: bool
    page: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def entity_search(*, user, q: str = "", rep: str = "", kind: str = "", industry: str = "", division: str = "",
                  status: str = "", page: int = 1, page_size: int = 50) -> SearchPage:
    """Search by exact USCC, by any part of a current or former name (≥ 2 characters), by legal representative
    (or any linked person's name), filtered by kind, industry, township and status. Ordered by entry."""
    base = entities_for(user)
    page = max(1, page)
    offset = (page - 1) * page_size
    if kind and kind not in EntityKind.values:
        raise DomainError(_("未知的主体类型“%(k)s”") % {"k": kind}, field="kind")
    if status and status not in EntityStatus.values:
        raise DomainError(_("未知的登记状态“%(s)s”") % {"s": status}, field="status")
    filters = search.Filters(kind=kind, industry=search.normalize(industry), division=(division or "").strip(), status=status)
    q_norm = search.normalize(q)
    if not is_staff_reader(user):
        qs = base
    elif q_norm and search.USCC_RE.match(q_norm):
        qs = base.filter(uscc=q_norm)
    elif q_norm:
        if len(q_norm) < 2:
            raise DomainError(_("名称检索请至少输入两个字"), field="q")
        if rep:  # a person has few entities: filter those by the fragment directly
            qs = base.filter(pk__in=_rep_ids(rep.strip()), search_text__contains=q_norm)
        else:
            hits = search.name_hits(q_norm, filters, offset, page_size)
            by_id = Entity.objects.in_bulk(hits.ids)
            return SearchPage([by_id[i] for i in hits.ids if i in by_id], hits.total, hits.total_exact, page, page_size, hits.has_next)
    else:
        qs = base
    if rep and not q_norm:
        qs = qs.filter(pk__in=_rep_ids(rep.strip()))
    qs = _apply_filters(qs, filters).order_by("pk")
    rows = list(qs[offset:offset + page_size + 1])
    total = qs[:search.COUNT_CAP + 1].count() if not (page == 1 and len(rows) <= page_size) else len(rows)
    return SearchPage(rows[:page_size], min(total, search.COUNT_CAP), total <= search.COUNT_CAP, page, page_size,
                      len(rows) > page_size)


def _rep_ids(name: str) -> list[int]:
    direct = list(Entity.objects.filter(legal_representative=name).values_list("pk", flat=True)[:5000])
    linked = list(EntityPerson.objects.filter(person__name=name).values_list("entity_id", flat=True)[:5000])
    return list(dict.fromkeys(direct + linked))


def _apply_filters(qs, f: search.Filters):
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.industry:
        qs = qs.filter(industry_code__startswith=f.industry)
    if f.division:
        qs = qs.filter(division_code__startswith=f.division)
    return qs


def entity_export_rows(*, user, q: str = "", rep: str = "", kind: str = "", industry: str = "", division: str = "",
                       status: str = "", limit: int = 100000):
    """Every entity of a filtered list, for the Excel export (streamed in pages)."""
    page = 1
    sent = 0
    while sent < limit:
        result = entity_search(user=user, q=q, rep=rep, kind=kind, industry=industry, division=division, status=status,
                               page=page, page_size=1000) if q else None
        if result is None:
            qs = _apply_filters(entities_for(user), search.Filters(kind, search.normalize(industry), division, status))
            if rep:
                qs = qs.filter(pk__in=_rep_ids(rep.strip()))
            yield from qs.order_by("pk").iterator(chunk_size=2000)
            return
        yield from result.entities
        sent += len(result.entities)
        if not result.has_next:
            return
        page += 1


# --- 一户一档 profile ----------------------------------------------------------------------------------------------------

#: Upper apps (records …) register providers that add their rows to the profile's timeline.
TIMELINE_PROVIDERS: list[Callable] = []


def register_timeline_provider(provider: Callable) -> None:
    """`provider(user=, entity=, kind=, department_id=, limit=, offset=)` → TimelinePart. Registered from AppConfig.ready()."""
    if provider not in TIMELINE_PROVIDERS:
        TIMELINE_PROVIDERS.append(provider)


@dataclass
class TimelineItem:
    date: object
    kind: str
    kind_label: str
    department_id: int | None
    department: str
    title: str
    summary: str = ""
    restricted: bool = False
    url: str = ""
    source: str = ""
    amount: object = None
    status: str = ""


@dataclass
class TimelinePart:
    items: list[TimelineItem] = field(default_factory=list)
    kinds: dict[str, tuple[str, int]] = field(default_factory=dict)  # kind → (label, count)
    departments: dict[int, str] = field(default_factory=dict)
    total: int = 0


TIMELINE_PAGE = 200


@dataclass
class Profile:
    entity: Entity
    viewer_mode: str  # "staff" | "enterprise"
    former_names: list
    licences: list[dict]
    filings: list[dict]
    people: list[dict]
    timeline: list[TimelineItem]
    kinds: dict[str, tuple[str, int]]
    departments: dict[int, str]
    timeline_total: int
    legal_representative: str
    offset: int = 0
    limit: int = TIMELINE_PAGE

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.timeline) < self.timeline_total

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset else None


def _visible(user, department_id) -> bool:
    ids = visible_department_ids(user)
    return ids is None or department_id in ids


def entity_profile(*, user, uscc: str, kind: str = "", department_id: int | None = None, limit: int = TIMELINE_PAGE,
                   offset: int = 0) -> Profile:
    """The 一户一档 profile: basics, licences, filings, linked persons with their other entities, and one timeline of
    every record about the entity from every department. Staff see every line; lines outside their department
    scope show only what is disclosed anyway (kind, department, date, title). Enterprises see their own entity with
    personal information masked. A fixed number of queries whatever the number of records."""
    entity = entities_for(user).prefetch_related("former_names").filter(uscc=search.normalize(uscc)).first()
    if entity is None:
        raise NotFound()
    staff = is_staff_reader(user)
    name_of = (lambda n: n) if staff else mask_name
    licences = []
    for lic in Licence.objects.filter(entity=entity).select_related("department").order_by("-decided_on", "-pk"):
        open_ = _visible(user, lic.department_id) if staff else True
        licences.append({"obj": lic, "restricted": not open_, "department": lic.department.display_name})
    filings = []
    for fil in Filing.objects.filter(entity=entity).select_related("department").order_by("-filed_on", "-pk"):
        open_ = _visible(user, fil.department_id) if staff else True
        filings.append({"obj": fil, "restricted": not open_, "department": fil.department.display_name})
    links = list(EntityPerson.objects.filter(entity=entity).select_related("person").order_by("role", "pk"))
    person_ids = [link.person_id for link in links]
    others: dict[int, list] = {}
    if staff and person_ids:
        for other in (EntityPerson.objects.filter(person_id__in=person_ids).exclude(entity=entity)
                      .select_related("entity").order_by("entity__name")[:500]):
            others.setdefault(other.person_id, []).append({"entity": other.entity, "role": other.get_role_display()})
    people = [{"link": link, "name": name_of(link.person.name), "role": link.get_role_display(), "person_id": link.person_id,
               "id_masked": mask_id_number(link.person.id_number) if staff else "", "others": others.get(link.person_id, [])}
              for link in links]
    items: list[TimelineItem] = []
    kinds: dict[str, tuple[str, int]] = {}
    departments: dict[int, str] = {}
    total = 0
    for provider in TIMELINE_PROVIDERS:
        part = provider(user=user, entity=entity, kind=kind, department_id=department_id, limit=offset + limit, offset=0)
        items.extend(part.items)
        kinds.update(part.kinds)
        departments.update(part.departments)
        total += part.total
    items.sort(key=lambda i: (i.date, i.kind), reverse=True)
    items = items[offset:]
    return Profile(entity=entity, viewer_mode="staff" if staff else "enterprise", former_names=list(entity.former_names.all()),
                   licences=licences, filings=filings, people=people, timeline=items[:limit], kinds=kinds,
                   departments=departments, timeline_total=total, legal_representative=name_of(entity.legal_representative),
                   offset=offset, limit=limit)


def person_entities(*, user, person_id: int) -> tuple[object, list[EntityPerson]]:
    """A person's entities (staff only): the one-click path from a legal representative to their other companies."""
    if not is_staff_reader(user):
        raise NotFound()
    links = list(EntityPerson.objects.filter(person_id=person_id).select_related("person", "entity").order_by("entity__name"))
    if not links:
        raise NotFound()
    return links[0].person, links


def licences_for(user) -> QuerySet[Licence]:
    return Licence.objects.visible_to(user).select_related("entity", "department")


def filings_for(user) -> QuerySet[Filing]:
    return Filing.objects.visible_to(user).select_related("entity", "department")



# --- for upper apps (credit) ------------------------------------------------------------------------------------------


def registry_queryset() -> QuerySet[Entity]:
    """Every entity, unscoped: for county-wide set-based batches (credit grading), never for display."""
    return Entity.objects.all().order_by()


def person_by_id_number(id_number: str):
    """The natural person with this 身份证号, found through the keyed lookup hash (nothing is decrypted), or None."""
    from jianguan.core.crypto import lookup_hash
    from jianguan.core.identifiers import normalize_id_number

    from .models import Person

    number = normalize_id_number(id_number)
    return Person.objects.filter(id_number_hash=lookup_hash(number)).first() if number else None


def public_lookup(q: str, limit: int = 20) -> list[Entity]:
    """Anonymous credit lookup: an exact USCC, or a name fragment of at least two characters (the public sees names
    and codes only; what else is shown is decided by the page, masked)."""
    q_norm = search.normalize(q)
    if not q_norm:
        return []
    if search.USCC_RE.match(q_norm):
        return list(Entity.objects.filter(uscc=q_norm)[:1])
    if len(q_norm) < 2:
        raise DomainError(_("名称检索请至少输入两个字"), field="q")
    hits = search.name_hits(q_norm, search.Filters(), 0, limit)
    by_id = Entity.objects.in_bulk(hits.ids)
    return [by_id[i] for i in hits.ids if i in by_id]


def people_of(entity, roles=None) -> list[EntityPerson]:
    """The natural persons linked to an entity (with the person loaded), optionally of some roles only."""
    qs = EntityPerson.objects.filter(entity=entity).select_related("person").order_by("role", "pk")
    if roles:
        qs = qs.filter(role__in=list(roles))
    return list(qs)


def person_ids_of_entity_q(roles=None):
    """A subquery: person ids linked (in `roles`, if given) to the entity named by the outer query's pk."""
    from django.db.models import OuterRef

    qs = EntityPerson.objects.filter(entity_id=OuterRef(OuterRef("pk")))
    if roles:
        qs = qs.filter(role__in=list(roles))
    return qs.values("person_id")


def licence_exists(entity_ref, keyword: str):
    """Exists(…) of a valid licence of the entity whose name, certificate or content mentions `keyword` (for the
    random-inspection object directory, built set-based)."""
    from django.db.models import Exists, Q

    from .choices import LicenceStatus

    return Exists(Licence.objects.filter(entity=entity_ref, status=LicenceStatus.VALID).filter(
        Q(certificate_name__contains=keyword) | Q(document_name__contains=keyword) | Q(content__contains=keyword)))


def filing_exists(entity_ref, keyword: str):
    """Exists(…) of a filing of the entity whose matter mentions `keyword`."""
    from django.db.models import Exists

    return Exists(Filing.objects.filter(entity=entity_ref, matter__contains=keyword))


def entity_ids_by_uscc(usccs: list[str]) -> dict[str, int]:
    """USCC → entity id for a batch of codes (chunked; no model instances)."""
    from django.db import connection

    out: dict[str, int] = {}
    if connection.vendor == "postgresql":  # one statement with one array parameter
        with connection.cursor() as cur:
            cur.execute(f"SELECT uscc, id FROM {Entity._meta.db_table} WHERE uscc = ANY(%s)", [list(usccs)])
            out.update(cur.fetchall())
        return out
    for i in range(0, len(usccs), 900):
        out.update(Entity.objects.filter(uscc__in=usccs[i:i + 900]).values_list("uscc", "id"))
    return out
