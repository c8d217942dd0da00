"""审管衔接: licences become notices, notices are signed for in working days, results flow back; filings are verified."""
import datetime as dt
import random

import pytest

from jianguan.catalog import selectors, services
from jianguan.catalog.models import SupervisionNotice, VerificationTask
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.identifiers import generate_uscc
from jianguan.core.models import AuditEvent
from jianguan.entities import services as entity_services


def make_entity(name, industry="", seed=None):
    return entity_services.entity_create(actor=None, uscc=generate_uscc(random.Random(seed or name), area="140430"),
                                         name=name, division_code="140430", industry_code=industry)


def grant_licence(actor, department, entity, certificate="食品经营许可证", no="JY11404300001", decided=dt.date(2026, 9, 29)):
    return entity_services.licence_create(
        actor=actor, entity=entity, department=department, document_name="准予行政许可决定书", document_no=no,
        certificate_name=certificate, licence_no=no, content="食品销售", decided_on=decided, valid_from=decided,
        valid_to=dt.date(2031, 9, 28))


@pytest.fixture
def food_route(personas, food_item):
    return services.route_create(actor=personas.owner, matter="食品经营许可", keyword="食品经营许可",
                                 supervising_department=personas.dept_a, approval_department=personas.owner_dept, item=food_item)


def test_a_licence_produces_a_notice_that_becomes_overdue_across_the_national_day_holiday(
        personas, food_route, on_day, django_capture_on_commit_callbacks):
    on_day(dt.date(2026, 9, 29))  # Tuesday before 国庆 2026-10-01..07
    entity = make_entity("沁县好味道超市")
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, entity)
    notice = SupervisionNotice.objects.get(licence=licence)
    assert notice.supervising_department == personas.dept_a and notice.approval_department == personas.owner_dept
    assert notice.item == food_route.item and notice.status == "pending"
    # 3 working days (default): 09-30, then the holiday, then 10-08 and 10-09.
    assert notice.issued_on == dt.date(2026, 9, 29) and notice.due_on == dt.date(2026, 10, 9)

    # Nine calendar days later it is still within its working-day period: nothing flagged.
    assert services.overdue_flag(on=dt.date(2026, 10, 8)) == {"notices": 0, "verification_tasks": 0}
    assert not selectors.notice_list(user=personas.a_leader, overdue=True, on=dt.date(2026, 10, 9)).exists()

    # On Saturday 10-10 (a make-up working day) it is overdue, flagged once, and both sides see it.
    assert services.overdue_flag(on=dt.date(2026, 10, 10))["notices"] == 1
    assert services.overdue_flag(on=dt.date(2026, 10, 12))["notices"] == 0
    notice.refresh_from_db()
    assert notice.overdue_flagged_on == dt.date(2026, 10, 10)
    later = dt.date(2026, 10, 12)
    assert selectors.notice_counts(user=personas.a_leader, on=later)["overdue_to_sign"] == 1
    assert selectors.notice_counts(user=personas.owner, on=later)["sent_overdue"] == 1
    assert list(selectors.notice_list(user=personas.a_inspector, side="supervising", overdue=True, on=later)) == [notice]
    assert not selectors.notice_list(user=personas.b_leader).exists()

    # The supervising department signs (late) and feeds back its result; the approval side sees it.
    on_day(later)
    services.notice_sign(actor=personas.a_inspector, notice=notice)
    services.notice_feedback(actor=personas.a_inspector, notice=notice, result="E", note="现场检查发现健康证过期，已责令改正")
    _licence, notices = selectors.licence_supervision(user=personas.owner, licence_id=licence.pk)
    fed_back = notices.get()
    assert fed_back.signed_late and fed_back.status == "fed_back"
    assert fed_back.get_result_display() == "发现问题经责令已改正" and "健康证" in fed_back.result_note


def test_the_sign_deadline_is_a_runtime_parameter(personas, food_route, on_day, django_capture_on_commit_callbacks):
    from jianguan.core.services import parameter_set

    parameter_set(actor=personas.owner, key="deadline.supervision_notice_sign", value=5, effective_from=dt.date(2026, 9, 1),
                  reason="县协调办通知")
    on_day(dt.date(2026, 9, 29))
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县甲店"))
    assert SupervisionNotice.objects.get(licence=licence).due_on == dt.date(2026, 10, 12)  # 10-10 is a make-up working day


def test_a_notice_signed_by_the_wrong_department_is_refused_and_nothing_changes(
        personas, food_route, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县乙店"))
    notice = SupervisionNotice.objects.get(licence=licence)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError) as exc:
        services.notice_sign(actor=personas.owner, notice=notice)  # the approval bureau itself
    assert "沁县市场监督管理局" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.notice_sign(actor=personas.b_leader, notice=notice)
    notice.refresh_from_db()
    assert notice.status == "pending" and notice.signed_by is None and AuditEvent.objects.count() == events
    services.notice_sign(actor=personas.a_leader, notice=notice)
    with pytest.raises(Conflict):
        services.notice_sign(actor=personas.a_admin, notice=notice)


def test_feedback_needs_a_signature_first_and_an_explanation_when_problems_were_found(
        personas, food_route, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县丙店"))
    notice = SupervisionNotice.objects.get(licence=licence)
    with pytest.raises(DomainError):
        services.notice_feedback(actor=personas.a_leader, notice=notice, result="1")
    services.notice_sign(actor=personas.a_leader, notice=notice)
    with pytest.raises(DomainError) as exc:
        services.notice_feedback(actor=personas.a_leader, notice=notice, result="A")
    assert exc.value.field == "result_note"


def test_sync_creates_notices_for_licences_the_hook_missed_and_is_idempotent(personas, food_route):
    # Licences written without their hooks running (as a raw import would).
    for i in range(3):
        grant_licence(personas.owner, personas.owner_dept, make_entity(f"沁县导入店{i}"), no=f"JY1140430010{i}")
    other = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县药店"), certificate="药品经营许可证", no="YJ001")
    assert services.notices_create() == 3
    assert services.notices_create() == 0
    assert SupervisionNotice.objects.count() == 3
    assert list(selectors.unrouted_licences(user=personas.owner)) == [other]


def test_one_licence_can_concern_two_supervising_departments(personas, food_route):
    services.route_create(actor=personas.owner, matter="食品经营许可（含消防）", keyword="食品经营许可",
                          supervising_department=personas.dept_b)
    licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县丁店"))
    assert services.notices_create(licence_ids=[licence.pk]) == 2
    assert set(SupervisionNotice.objects.values_list("supervising_department", flat=True)) == {personas.dept_a.pk, personas.dept_b.pk}


def test_only_the_owner_maintains_routes(personas):
    with pytest.raises(PermissionDeniedError):
        services.route_create(actor=personas.a_admin, matter="x", keyword="x", supervising_department=personas.dept_a)


# --- 审批改备案 --------------------------------------------------------------------------------------------------------


@pytest.fixture
def filing_matter(personas):
    item = services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430002001", name="仅销售预包装食品备案监督检查",
                                supervision_object="仅销售预包装食品的经营者", effective_from=dt.date(2026, 1, 1), approval_to_filing=True)
    return services.filing_matter_create(actor=personas.a_admin, department=personas.dept_a, name="仅销售预包装食品备案",
                                         keyword="预包装食品", item=item, industry_codes="F5221, f5227",
                                         licence_keywords="烟草专卖零售许可")


def test_each_filing_of_an_approval_to_filing_item_creates_a_verification_task(personas, filing_matter, django_capture_on_commit_callbacks):
    entity = make_entity("沁县便民小卖部", industry="F5221")
    with django_capture_on_commit_callbacks(execute=True):
        filing = entity_services.filing_create(actor=personas.owner, entity=entity, department=personas.owner_dept,
                                               matter="仅销售预包装食品备案", filing_no="YB140430001", filed_on=dt.date(2026, 3, 2))
        entity_services.filing_create(actor=personas.owner, entity=entity, department=personas.owner_dept,
                                      matter="其他备案", filing_no="QT1", filed_on=dt.date(2026, 3, 2))
    task = VerificationTask.objects.get()
    assert task.filing == filing and task.department == personas.dept_a and task.kind == "filing"
    assert services.verifications_create() == 0
    services.verification_complete(actor=personas.a_inspector, task=task, status="confirmed", note="现场核查与备案一致")
    with pytest.raises(PermissionDeniedError):
        other = VerificationTask.objects.create(kind="filing", matter=filing_matter, department=personas.dept_a, entity=entity,
                                                issued_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 30))
        services.verification_complete(actor=personas.b_inspector, task=other, status="confirmed", note="x")


def test_an_entity_carrying_on_a_filing_required_activity_without_a_filing_is_detected(personas, filing_matter):
    by_industry = make_entity("沁县无备案便利店", industry="F5227")
    by_licence = make_entity("沁县烟酒商行", industry="F5299")
    grant_licence(personas.owner, personas.owner_dept, by_licence, certificate="烟草专卖零售许可证", no="YC001")
    filed = make_entity("沁县已备案小卖部", industry="F5221")
    entity_services.filing_create(actor=None, entity=filed, department=personas.owner_dept, matter="仅销售预包装食品备案",
                                  filing_no="YB2", filed_on=dt.date(2026, 3, 2))
    unrelated = make_entity("沁县理发店", industry="O8010")
    cancelled = make_entity("沁县注销便利店", industry="F5221")
    type(cancelled).objects.filter(pk=cancelled.pk).update(status="cancelled")

    listed = {e.name: e for e in selectors.unfiled_entities(user=personas.a_leader, matter=filing_matter)}
    assert set(listed) == {"沁县无备案便利店", "沁县烟酒商行"}
    assert listed["沁县无备案便利店"].by_industry and not listed["沁县无备案便利店"].by_licence
    assert listed["沁县烟酒商行"].by_licence
    assert unrelated.name not in listed and filed.name not in listed

    assert services.unfiled_tasks_create(actor=personas.a_leader, matter=filing_matter) == 2
    assert services.unfiled_tasks_create(actor=personas.a_leader, matter=filing_matter) == 0
    assert VerificationTask.objects.filter(kind="unfiled", department=personas.dept_a).count() == 2
    # Another department sees neither the report nor the tasks.
    from jianguan.core.errors import NotFound

    with pytest.raises(NotFound):
        list(selectors.unfiled_entities(user=personas.b_leader, matter=filing_matter))
    assert not selectors.verification_list(user=personas.b_leader).exists()


def test_filing_matter_industry_codes_are_checked(personas):
    with pytest.raises(DomainError) as exc:
        services.filing_matter_create(actor=personas.a_admin, department=personas.dept_a, name="x", keyword="x", industry_codes="5221")
    assert exc.value.field == "industry_codes"


def test_a_department_that_merely_shares_data_is_not_counted_as_either_side(personas, food_route, on_day):
    from jianguan.core.models import DepartmentShare

    DepartmentShare.objects.create(owner=personas.owner_dept, grantee=personas.dept_b, reason="审管衔接信息共享")
    on_day(dt.date(2026, 9, 29))
    grant_licence(personas.owner, personas.owner_dept, make_entity("沁县辛店"))
    services.notices_create()
    later = dt.date(2026, 10, 12)
    assert selectors.notice_list(user=personas.b_leader).count() == 1  # visible through the share
    assert selectors.notice_counts(user=personas.b_leader, on=later) == {
        "to_sign": 0, "overdue_to_sign": 0, "sent_overdue": 0, "feedback_received": 0, "county_overdue": 0}
    assert not selectors.notice_list(user=personas.b_leader, side="approval").exists()
    assert selectors.notice_counts(user=personas.owner, on=later)["county_overdue"] == 1


def test_a_concurrent_run_that_already_created_a_notice_is_skipped_not_failed(personas, food_route):
    """The hook and the daily sync may overlap: a row the other inserted first is skipped by ON CONFLICT."""
    from django.db.models import F, Value

    from jianguan.catalog.sqlinsert import insert_from_select
    from jianguan.entities.models import Licence

    grant_licence(personas.owner, personas.owner_dept, make_entity("沁县壬店"))
    assert services.notices_create() == 1
    again = insert_from_select(SupervisionNotice, {
        "licence": F("pk"), "approval_department": F("department_id"),
        "supervising_department": Value(personas.dept_a.pk), "issued_on": Value(dt.date(2026, 1, 5)),
        "due_on": Value(dt.date(2026, 1, 8)), "status": Value("pending"), "signed_late": Value(False),
        "result": Value(""), "result_note": Value(""), "created_at": Value(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)),
    }, Licence.objects.all())
    assert again == [] and SupervisionNotice.objects.count() == 1
