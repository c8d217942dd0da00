"""Entities endpoints: /api/v1/entities — search, 一户一档 profile with records, create, change."""

import datetime as dt
import decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema, Status

from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError
from jianguan.core.identifiers import validate_uscc

from . import selectors, services
from .choices import EntityKind, EntityStatus, PersonRole

router = Router(tags=["市场主体 entities"])


class EntityOut(Schema):
    uscc: str
    name: str
    kind: str
    kind_label: str
    legal_representative: str
    registered_capital: decimal.Decimal | None
    established_on: dt.date | None
    registered_address: str
    business_address: str
    division_code: str
    industry_code: str
    business_scope: str
    status: str
    status_label: str
    registration_authority: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(EntityKind(obj.kind).label)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(EntityStatus(obj.status).label)


class SearchOut(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    has_next: bool
    items: list[EntityOut]


@router.get("/entities", response={200: SearchOut, **ERRORS}, summary="检索市场主体（统一社会信用代码、名称片段≥2字、法定代表人）")
def entity_search(request, q: str = "", rep: str = "", kind: str = "", industry: str = "", division: str = "", status: str = "",
                  page: int = Query(1, ge=1, le=10000), page_size: int = Query(50, ge=1, le=200)):
    result = selectors.entity_search(user=request.auth, q=q[:100], rep=rep[:50], kind=kind, industry=industry[:5],
                                     division=division[:12], status=status, page=page, page_size=page_size)
    return {"count": result.total, "count_exact": result.total_exact, "page": result.page, "page_size": result.page_size,
            "has_next": result.has_next, "items": result.entities}


class LicenceOut(Schema):
    document_name: str
    document_no: str | None
    department: str
    decided_on: dt.date
    valid_to: dt.date | None
    status: str | None
    content: str | None
    restricted: bool


class FilingOut(Schema):
    matter: str
    filing_no: str | None
    department: str
    filed_on: dt.date
    restricted: bool


class OtherEntityOut(Schema):
    uscc: str
    name: str
    role: str


class PersonOut(Schema):
    person_id: int
    name: str
    role: str
    id_number_masked: str
    other_entities: list[OtherEntityOut]


class RecordLineOut(Schema):
    date: dt.date
    kind: str
    kind_label: str
    department: str
    title: str
    summary: str
    restricted: bool
    source: str
    amount: decimal.Decimal | None
    status: str


class ProfileOut(Schema):
    entity: EntityOut
    former_names: list[str]
    licences: list[LicenceOut]
    filings: list[FilingOut]
    people: list[PersonOut]
    records: list[RecordLineOut]
    records_total: int
    record_kinds: dict[str, int]


@router.get("/entities/{uscc}", response={200: ProfileOut, **ERRORS}, summary="一户一档：主体档案及各部门记录")
def entity_profile(request, uscc: str, kind: str = "", department_id: int | None = None,
                   records_offset: int = Query(0, ge=0, le=1_000_000), records_limit: int = Query(200, ge=1, le=2000)):
    """`records` is one page of the timeline (newest first); `records_total` counts every record matching the filters."""
    p = selectors.entity_profile(user=request.auth, uscc=uscc, kind=kind, department_id=department_id, offset=records_offset,
                                 limit=records_limit)
    return {
        "entity": _entity_view(p),
        "former_names": [f.name for f in p.former_names],
        "licences": [{"document_name": row["obj"].document_name, "document_no": None if row["restricted"] else row["obj"].document_no,
                      "department": row["department"], "decided_on": row["obj"].decided_on,
                      "valid_to": None if row["restricted"] else row["obj"].valid_to,
                      "status": None if row["restricted"] else row["obj"].status,
                      "content": None if row["restricted"] else row["obj"].content, "restricted": row["restricted"]}
                     for row in p.licences],
        "filings": [{"matter": row["obj"].matter, "filing_no": None if row["restricted"] else row["obj"].filing_no,
                     "department": row["department"], "filed_on": row["obj"].filed_on, "restricted": row["restricted"]}
                    for row in p.filings],
        "people": [{"person_id": x["person_id"], "name": x["name"], "role": x["role"], "id_number_masked": x["id_masked"],
                    "other_entities": [{"uscc": o["entity"].uscc, "name": o["entity"].name, "role": o["role"]} for o in x["others"]]}
                   for x in p.people],
        "records": [{"date": i.date, "kind": i.kind, "kind_label": i.kind_label, "department": i.department, "title": i.title,
                     "summary": i.summary, "restricted": i.restricted, "source": i.source, "amount": i.amount, "status": i.status}
                    for i in p.timeline],
        "records_total": p.timeline_total,
        "record_kinds": {k: v[1] for k, v in p.kinds.items()},
    }


def _entity_view(p):
    """The entity as this viewer may see it: the representative's name masked for non-staff viewers."""
    entity = p.entity
    entity.legal_representative = p.legal_representative
    return entity


class EntityIn(Schema):
    uscc: str = Field(..., max_length=18)
    name: str = Field(..., min_length=2, max_length=200)
    division_code: str = Field(..., max_length=12)
    kind: EntityKind = EntityKind.ENTERPRISE
    legal_representative: str = Field("", max_length=50)
    registered_capital: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    established_on: dt.date | None = None
    registered_address: str = Field("", max_length=300)
    business_address: str = Field("", max_length=300)
    industry_code: str = Field("", max_length=5)
    business_scope: str = Field("", max_length=5000)
    registration_authority: str = Field("", max_length=100)
    former_names: list[str] = []


def _check_uscc(value: str) -> None:
    try:
        validate_uscc(value)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc, field="uscc") from None


@router.post("/entities", response={201: EntityOut, **ERRORS}, summary="新增市场主体")
def entity_create(request, payload: EntityIn):
    data = payload.dict()
    _check_uscc(data["uscc"])
    entity = services.entity_create(actor=request.auth, uscc=data.pop("uscc"), name=data.pop("name"),
                                    division_code=data.pop("division_code"), **data)
    return Status(201, entity)


class EntityPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: EntityKind | None = None
    legal_representative: str | None = Field(None, max_length=50)
    registered_capital: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    established_on: dt.date | None = None
    registered_address: str | None = Field(None, max_length=300)
    business_address: str | None = Field(None, max_length=300)
    division_code: str | None = Field(None, max_length=12)
    industry_code: str | None = Field(None, max_length=5)
    business_scope: str | None = Field(None, max_length=5000)
    registration_authority: str | None = Field(None, max_length=100)
    status: EntityStatus | None = None
    status_reason: str = Field("", max_length=300)


@router.patch("/entities/{uscc}", response={200: EntityOut, **ERRORS}, summary="修改市场主体（改名自动记入曾用名）")
def entity_update(request, uscc: str, payload: EntityPatch):
    entity = selectors.entity_get(user=request.auth, uscc=uscc)
    data = payload.dict(exclude_unset=True)
    status = data.pop("status", None)
    reason = data.pop("status_reason", "")
    data = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}
    with transaction.atomic():  # a refused status change leaves the other fields unchanged too
        if data:
            entity = services.entity_update(actor=request.auth, entity=entity, data=data)
        if status:
            entity = services.entity_set_status(actor=request.auth, entity=entity, status=str(status.value), reason=reason)
    return entity


class PersonLinkIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    role: PersonRole
    id_number: str = Field("", max_length=18)
    share_ratio: decimal.Decimal | None = Field(None, ge=0, le=100)
    since: dt.date | None = None


@router.post("/entities/{uscc}/people", response={201: PersonOut, **ERRORS}, summary="关联自然人（法定代表人、股东、负责人…）")
def person_link(request, uscc: str, payload: PersonLinkIn):
    entity = selectors.entity_get(user=request.auth, uscc=uscc)
    link = services.person_link(actor=request.auth, entity=entity, name=payload.name, role=payload.role.value,
                                id_number=payload.id_number, share_ratio=payload.share_ratio, since=payload.since)
    from jianguan.core.pii import mask_id_number

    return Status(201, {"person_id": link.person_id, "name": link.person.name, "role": link.get_role_display(),
                        "id_number_masked": mask_id_number(link.person.id_number), "other_entities": []})
