"""逢办必查: the credit check a department runs whenever it handles business for an entity or a person.

Hot path, kept small: one query assembles the subject, its current class, list flags and the persons-behind-listings
flag (correlated EXISTS on indexed columns); details are read only on a hit; the measure catalogue is cached in the
process; and the check is logged with one insert into an append-only table (see models.CreditCheck and
docs/decisions/0005-credit-check-log.md for why that log is not an audit-chain event per check).
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core import params
from jianguan.core.context import current_request_id
from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.identifiers import normalize_id_number, normalize_uscc, validate_id_number, validate_uscc
from jianguan.core.pii import mask_id_number, mask_name
from jianguan.core.crypto import lookup_hash
from jianguan.entities import selectors as entity_selectors
from jianguan.entities.choices import PersonRole
from jianguan.records import selectors as record_selectors

from .choices import (ApprovalStatus, CheckOutcome, CheckSubject, CommitmentStatus, Grade, GRADE_SHORT, ListingStatus,
                      MeasureKind, RunStatus, Scenario, SeriousStatus, Trigger)
from .disclosure import add_months

_CACHE_TTL = 30.0
_cache: dict = {}
_lock = threading.Lock()

#: Persons behind an entity whose listing restricts them (SAMR Order 44: 法定代表人、负责人).
RESPONSIBLE_ROLES = [PersonRole.LEGAL_REPRESENTATIVE, PersonRole.PRINCIPAL, PersonRole.OPERATOR]


def invalidate() -> None:
    with _lock:
        _cache.clear()


def measures_for(scenario: str, today: dt.date) -> dict[str, list[dict]]:
    """trigger → measures of the scenario in force today (cached per process for 30 s; edits invalidate it)."""
    now = time.monotonic()
    key = (scenario, today)
    with _lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < _CACHE_TTL:
            return hit[1]
    from .models import Measure

    out: dict[str, list[dict]] = {}
    for m in Measure.objects.filter(scenario=scenario, is_active=True, effective_from__lte=today).order_by("order", "code"):
        out.setdefault(m.trigger, []).append({
            "code": m.code, "name": m.name, "kind": m.kind, "kind_label": str(MeasureKind(m.kind).label), "trigger": m.trigger,
            "trigger_label": str(Trigger(m.trigger).label), "content": m.content, "legal_basis": m.legal_basis,
            "implementer": m.implementer})
    with _lock:
        _cache[key] = (now, out)
    return out


def _role_label(role: str) -> str:
    return str(PersonRole(role).label) if role in PersonRole.values else role


def _require_checker(user) -> None:
    if not entity_selectors.is_staff_reader(user):
        raise PermissionDeniedError(_("只有部门工作人员可以进行逢办必查"))


def _scenario(value: str) -> str:
    if value not in Scenario.values:
        raise DomainError(_("未知的业务场景“%(s)s”，可选：%(all)s") % {"s": value, "all": "、".join(Scenario.values)}, field="scenario",
                          code="unknown_scenario")
    return value


def latest_run_subquery():
    from .models import GradeRun

    return GradeRun.objects.filter(status=RunStatus.DONE).order_by("-pk").values("pk")[:1]


_LOG_COLUMNS = ("created_at", "user_id", "department_id", "scenario", "subject", "uscc", "person_hash", "entity_id", "grade", "lists",
                "measures", "outcome", "request_id")


@dataclass
class LoggedCheck:
    pk: int
    created_at: dt.datetime


def _log(*, user, scenario, subject, uscc="", person_hash="", entity_id=None, grade="", lists=(), measures=(), outcome) -> LoggedCheck:
    """One small INSERT into the append-only log (see docs/decisions/0005-credit-check-log.md)."""
    from django.db import connection

    from .models import CreditCheck

    now = timezone.now()
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in _LOG_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_LOG_COLUMNS))
    if connection.vendor == "postgresql":
        # Asynchronous commit for this one row, set in the same statement (one round trip, autocommit): no wait for
        # the WAL flush. A crash of the database server may lose the last fraction of a second of log rows; it never
        # corrupts anything (docs/decisions/0005-credit-check-log.md).
        sql = (f"INSERT INTO {q(CreditCheck._meta.db_table)} ({columns}) SELECT {placeholders} "
               f"FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit RETURNING {q('id')}")
    else:
        sql = f"INSERT INTO {q(CreditCheck._meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {q('id')}"
    values = [connection.ops.adapt_datetimefield_value(now), user.pk, user.department_id, scenario, subject, uscc, person_hash,
              entity_id, grade, ",".join(lists)[:60], ",".join(m["code"] for m in measures), outcome, current_request_id()[:40]]
    with connection.cursor() as cur:
        cur.execute(sql, values)
        pk = cur.fetchone()[0]
    return LoggedCheck(pk=pk, created_at=now)


def _grade_block(grade: str, computed: str, adjusted: bool, ungraded: bool) -> dict:
    return {"code": grade, "label": str(Grade(grade).label), "risk": str(GRADE_SHORT[grade]), "computed": computed or None,
            "adjusted": adjusted, "ungraded": ungraded}


_USCC = "\x00uscc"
_TODAY = dt.date(1901, 1, 1)
_CUTOFF = dt.date(1901, 1, 2)
_ENTITY_SQL: dict = {}


def _entity_query():
    """The subject, its current class, any approved adjustment and the list flags in one query, with sentinel values
    where the per-check values go. Built by the ORM (so it is right on SQLite and PostgreSQL) and compiled once per
    process: compiling this query costs more than running it."""
    from .models import AbnormalListing, Commitment, GradeAdjustment, GradeResult, ListingPerson, SeriousListing

    listed_serious = SeriousListing.objects.filter(status=SeriousStatus.LISTED, expires_on__gte=_TODAY)
    return (entity_selectors.registry_queryset().filter(uscc=_USCC).annotate(
        grade=Subquery(GradeResult.objects.filter(run_id=Subquery(latest_run_subquery()), entity_id=OuterRef("pk")).values("grade")[:1]),
        adjusted=Subquery(GradeAdjustment.objects.filter(entity_id=OuterRef("pk"), status=ApprovalStatus.APPROVED)
                          .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=_TODAY)).order_by("-decided_at").values("to_grade")[:1]),
        abnormal=Exists(AbnormalListing.objects.filter(entity_id=OuterRef("pk"), status=ListingStatus.LISTED)),
        serious=Exists(listed_serious.filter(entity_id=OuterRef("pk"))),
        person_serious=Exists(ListingPerson.objects.filter(person_id__in=entity_selectors.person_ids_of_entity_q(RESPONSIBLE_ROLES),
                                                           listing__in=listed_serious).exclude(listing__entity_id=OuterRef("pk"))),
        dishonest=Exists(record_selectors.credit_facts().filter(entity_id=OuterRef("pk"), kind="dishonest",
                                                                payload__removed_on__isnull=True)),
        broken=Exists(Commitment.objects.filter(entity_id=OuterRef("pk"), status=CommitmentStatus.BROKEN, broken_on__gte=_CUTOFF)),
    ).values("pk", "uscc", "name", "kind", "status", "grade", "adjusted", "abnormal", "serious", "person_serious", "dishonest",
             "broken"))


ROW_FIELDS = ("pk", "uscc", "name", "kind", "status", "grade", "adjusted", "abnormal", "serious", "person_serious", "dishonest", "broken")


def _entity_row(code: str, today: dt.date) -> dict | None:
    from django.db import connection

    template = _ENTITY_SQL.get(connection.vendor)
    if template is None:
        qs = _entity_query()
        sql, params = qs.query.sql_with_params()
        template = _ENTITY_SQL[connection.vendor] = (sql, list(params))
    sql, params = template
    cutoff = add_months(today, -36)
    # SQLite receives dates as ISO strings, PostgreSQL as dates: map both forms of each sentinel.
    values = {_USCC: code, _TODAY: today, _CUTOFF: cutoff, str(_TODAY): str(today), str(_CUTOFF): str(cutoff)}
    bound = [values.get(p, p) if isinstance(p, (str, dt.date)) else p for p in params]
    with connection.cursor() as cur:
        cur.execute(sql, bound)
        raw = cur.fetchone()
        columns = [c[0] for c in cur.description] if raw is not None else []
    if raw is None:
        return None
    row = dict(zip(columns, raw))
    row["pk"] = row.pop("id", row.get("pk"))
    for flag in ("abnormal", "serious", "person_serious", "dishonest", "broken"):
        row[flag] = bool(row[flag])
    return row


def check_entity(*, user, uscc: str, scenario: str) -> dict:
    """Class, list memberships and the measures that apply to the entity in `scenario`; logged (逢查必报)."""
    from .models import AbnormalListing, Commitment, GradeAdjustment, GradeResult, ListingPerson, SeriousListing

    _require_checker(user)
    scenario = _scenario(scenario)
    code = normalize_uscc(uscc)
    try:
        validate_uscc(code)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc, field="uscc") from None
    today = timezone.localdate()
    row = _entity_row(code, today)
    if row is None:
        log = _log(user=user, scenario=scenario, subject=CheckSubject.ENTITY, uscc=code, outcome=CheckOutcome.UNKNOWN)
        return {"check_id": log.pk, "checked_at": log.created_at, "scenario": scenario, "scenario_label": str(Scenario(scenario).label),
                "found": False, "subject": {"type": CheckSubject.ENTITY, "uscc": code, "name": ""}, "grade": None, "lists": [],
                "related": [], "triggers": [], "measures": [], "outcome": CheckOutcome.UNKNOWN,
                "message": _("主体库中没有该统一社会信用代码，请核实后办理")}
    ungraded = row["grade"] is None
    computed = row["grade"] or params.get("credit.default_grade")
    grade = row["adjusted"] or computed
    triggers = [f"grade_{grade}"]
    lists, related = [], []
    if row["abnormal"]:
        triggers.append(Trigger.ABNORMAL)
        for a in AbnormalListing.objects.filter(entity_id=row["pk"], status=ListingStatus.LISTED).select_related("department"):
            lists.append({"type": "abnormal", "id": a.pk, "label": str(a.get_mode_display()), "ground": a.get_ground_display(),
                          "listed_on": a.listed_on, "expires_on": None, "department": a.department.display_name})
    if row["serious"] or row["person_serious"]:  # details only on a hit: most checks are one query and one insert
        listed_serious = SeriousListing.objects.filter(status=SeriousStatus.LISTED, expires_on__gte=today)
    if row["serious"]:
        triggers.append(Trigger.SERIOUS)
        for s in listed_serious.filter(entity_id=row["pk"]).select_related("department"):
            lists.append({"type": "serious", "id": s.pk, "label": _("严重违法失信名单"), "ground": s.get_ground_display(),
                          "listed_on": s.listed_on, "expires_on": s.expires_on, "department": s.department.display_name})
    if row["person_serious"]:
        triggers.append(Trigger.SERIOUS_PERSON)
        person_ids = [link.person_id for link in entity_selectors.people_of(row["pk"], RESPONSIBLE_ROLES)]
        for lp in (ListingPerson.objects.filter(person_id__in=person_ids, listing__in=listed_serious)
                   .exclude(listing__entity_id=row["pk"]).select_related("listing", "listing__entity")):
            related.append({"listing_id": lp.listing_id, "entity_name": lp.listing.entity.name, "uscc": lp.listing.uscc,
                            "person_name": mask_name(lp.name), "role": _role_label(lp.role), "expires_on": lp.listing.expires_on})
    if row["dishonest"]:
        triggers.append(Trigger.DISHONEST)
    if row["broken"]:
        triggers.append(Trigger.COMMITMENT_BROKEN)
    catalogue = measures_for(scenario, today)
    measures = [m for t in triggers for m in catalogue.get(t, [])]
    if len(triggers) > 1:  # any dishonesty trigger besides the class: no reward measure applies (守信激励 is for the trustworthy)
        measures = [m for m in measures if m["kind"] != MeasureKind.INCENTIVE]
    outcome = CheckOutcome.HIT if measures else CheckOutcome.CLEAR
    log = _log(user=user, scenario=scenario, subject=CheckSubject.ENTITY, uscc=code, entity_id=row["pk"], grade=grade,
               lists=[t for t in triggers if not t.startswith("grade_")], measures=measures, outcome=outcome)
    return {"check_id": log.pk, "checked_at": log.created_at, "scenario": scenario, "scenario_label": str(Scenario(scenario).label),
            "found": True, "subject": {"type": CheckSubject.ENTITY, "uscc": row["uscc"], "name": row["name"]},
            "grade": _grade_block(grade, computed if row["adjusted"] else "", bool(row["adjusted"]), ungraded),
            "lists": lists, "related": related, "triggers": triggers, "measures": measures, "outcome": outcome, "message": ""}


def check_person(*, user, id_number: str, scenario: str) -> dict:
    """The same check for a natural person, through the persons behind listed entities (found by the keyed lookup
    hash of the ID number; nothing is decrypted)."""
    from .models import ListingPerson, SeriousListing

    _require_checker(user)
    scenario = _scenario(scenario)
    number = normalize_id_number(id_number)
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc, field="id_number") from None
    today = timezone.localdate()
    digest = lookup_hash(number)
    person = entity_selectors.person_by_id_number(number)
    related = []
    if person is not None:
        listed_serious = SeriousListing.objects.filter(status=SeriousStatus.LISTED, expires_on__gte=today)
        for lp in ListingPerson.objects.filter(person=person, listing__in=listed_serious).select_related("listing", "listing__entity"):
            related.append({"listing_id": lp.listing_id, "entity_name": lp.listing.entity.name, "uscc": lp.listing.uscc,
                            "person_name": mask_name(lp.name), "role": _role_label(lp.role), "expires_on": lp.listing.expires_on})
    triggers = [Trigger.SERIOUS_PERSON] if related else []
    catalogue = measures_for(scenario, today)
    measures = [m for t in triggers for m in catalogue.get(t, [])]
    outcome = CheckOutcome.HIT if measures else (CheckOutcome.CLEAR if person is not None else CheckOutcome.UNKNOWN)
    log = _log(user=user, scenario=scenario, subject=CheckSubject.PERSON, person_hash=digest, lists=triggers, measures=measures,
               outcome=outcome)
    return {"check_id": log.pk, "checked_at": log.created_at, "scenario": scenario, "scenario_label": str(Scenario(scenario).label),
            "found": person is not None,
            "subject": {"type": CheckSubject.PERSON, "name": mask_name(person.name) if person else "", "id_masked": mask_id_number(number)},
            "grade": None, "lists": [], "related": related, "triggers": triggers, "measures": measures, "outcome": outcome,
            "message": "" if person is not None else _("未发现与该身份证号关联的失信主体")}
