"""Objections and credit repair, each run through to its outcome; the refusals change nothing."""
import datetime as dt

import pytest

from jianguan.core import workdays
from jianguan.core.errors import DomainError, NotFound, PermissionDeniedError
from jianguan.core.models import AuditEvent
from jianguan.credit import selectors, services
from jianguan.credit.choices import ApprovalStatus, CommitmentKind, ListingStatus, SeriousStatus
from jianguan.credit.models import AbnormalListing, Commitment, CreditNotice, Objection, RepairApplication


def test_an_objection_runs_through_to_correction_and_the_applicant_is_told(credit, personas, api_client):
    own = credit.own_entity(established_on=dt.date(2020, 1, 1))
    listing = services.abnormal_list(actor=personas.a_admin, entity=own, ground="unreachable", facts="通过登记住所无法联系")
    response = api_client(personas.enterprise).post("/api/v1/credit/objections", {
        "uscc": own.uscc, "item_type": "abnormal", "item_id": listing.pk, "reason": "住所未变更，当日因停电未接听", "contact": "0355-1234567",
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    today = dt.date.today()
    assert body["due_on"] == workdays.deadline("deadline.credit_objection", today).due.isoformat()
    assert body["status"] == "submitted"
    decided = api_client(personas.a_leader).post(f"/api/v1/credit/objections/{body['id']}/decide",
                                                 {"outcome": "corrected", "note": "经实地核查，可以联系"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["outcome"] == "corrected"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REMOVED
    notice = CreditNotice.objects.get(uscc=own.uscc, title="信用信息异议处理结果")
    assert "异议成立" in notice.body and "经实地核查" in notice.body
    item = next(i for i in selectors.credit_record(user=personas.enterprise, entity=own) if i.type == "abnormal")
    assert item.withdrawn and not item.in_window


def test_an_upheld_objection_keeps_the_item(credit, personas):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=30))
    objection = services.objection_file(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="罚款过重")
    services.objection_decide(actor=personas.a_admin, objection=objection, outcome="upheld", note="处罚决定合法有效")
    item = next(i for i in selectors.credit_record(user=personas.enterprise, entity=own) if i.type == "record")
    assert item.in_window and not item.withdrawn
    assert "异议不成立" in CreditNotice.objects.get(uscc=own.uscc).body


def test_an_objection_on_someone_elses_item_is_refused_and_nothing_changes(credit, personas, api_client):
    other = credit.entity("沁县别家公司")
    record = credit.penalty(other, on=dt.date.today() - dt.timedelta(days=30))
    client = api_client(personas.enterprise)
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/credit/objections", {"uscc": other.uscc, "item_type": "record", "item_id": record.pk,
                                                          "reason": "不是我们"}, content_type="application/json")
    assert response.status_code == 404
    with pytest.raises(PermissionDeniedError):
        services.objection_file(actor=personas.enterprise, entity=other, item_type="record", item_id=record.pk, reason="不是我们")
    own = credit.own_entity()
    events = AuditEvent.objects.count()
    with pytest.raises(NotFound):  # another entity's record id under our own entity
        services.objection_file(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="不是我们")
    assert Objection.objects.count() == 0 and AuditEvent.objects.count() == events


def test_only_the_owning_department_decides_an_objection(credit, personas):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=30))
    objection = services.objection_file(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="有误")
    with pytest.raises(PermissionDeniedError):
        services.objection_decide(actor=personas.b_leader, objection=objection, outcome="corrected", note="x")
    assert Objection.objects.get().status == "submitted"


def test_repair_before_the_minimum_period_is_refused_with_the_date(credit, personas, api_client):
    own = credit.own_entity()
    decided = dt.date.today() - dt.timedelta(days=60)
    record = credit.penalty(own, on=decided, fine_yuan=50000)  # general: SAMR Order 45 minimum 6 months
    response = api_client(personas.enterprise).post("/api/v1/credit/repairs", {
        "uscc": own.uscc, "item_type": "record", "item_id": record.pk, "reason": "已缴纳罚款并整改", "materials": "缴款凭证",
        "pledge": "诚信经营"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "repair_too_early" and "最短公示期" in body["message"]
    assert RepairApplication.objects.count() == 0


def test_repair_after_the_minimum_period_runs_to_approval_and_publication_stops(credit, personas, client):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=200), fine_yuan=50000)
    assert any(i["title"] == record.title for i in selectors.public_record(entity=own)["items"])
    application = services.repair_apply(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk,
                                        reason="已缴纳罚款，完成整改", materials="缴款凭证、整改报告", pledge="今后诚信经营")
    assert application.due_on == workdays.deadline("deadline.credit_repair", dt.date.today()).due
    with pytest.raises(PermissionDeniedError):
        services.repair_decide(actor=personas.b_admin, application=application, approve=True, note="同意")
    services.repair_decide(actor=personas.a_admin, application=application, approve=True, note="材料齐全，同意修复")
    assert RepairApplication.objects.get().status == ApprovalStatus.APPROVED
    assert not any(i["title"] == record.title for i in selectors.public_record(entity=own)["items"])
    assert Commitment.objects.filter(entity=own, kind=CommitmentKind.REPAIR).exists()
    assert "已获批准" in CreditNotice.objects.get(uscc=own.uscc).body


def test_a_revoked_licence_can_never_be_removed_early(credit, personas):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=400), kinds=("罚款", "吊销许可证件"), fine_yuan=20000)
    with pytest.raises(DomainError) as exc:
        services.repair_apply(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="r", materials="m",
                              pledge="p")
    assert "不得提前停止公示" in exc.value.message


def test_no_early_removal_while_on_the_abnormal_list(credit, personas):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=200), fine_yuan=50000)
    services.abnormal_list(actor=personas.a_admin, entity=own, ground="unreachable", facts="无法联系")
    with pytest.raises(DomainError) as exc:
        services.repair_apply(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="r", materials="m",
                              pledge="p")
    assert "经营异常名录" in exc.value.message


def test_early_removal_from_the_serious_list_after_the_minimum_term(credit, personas):
    own = credit.own_entity()
    listing = services.serious_propose(actor=personas.a_inspector, entity=own, ground="serious_violation", facts="f", basis="b")
    services.serious_approve(actor=personas.a_leader, listing=listing)
    listed_on = dt.date.today() - dt.timedelta(days=400)
    services.serious_consent(actor=personas.a_admin, listing=listing, document="长市监函〔2024〕9号", consent_on=listed_on)
    application = services.repair_apply(actor=personas.enterprise, entity=own, item_type="serious", item_id=listing.pk,
                                        reason="已履行处罚", materials="凭证", pledge="承诺")
    services.repair_decide(actor=personas.a_leader, application=application, approve=True, note="同意提前移出")
    listing.refresh_from_db()
    assert listing.status == SeriousStatus.REMOVED and listing.removed_on == dt.date.today()


def test_a_refused_repair_keeps_the_item_published(credit, personas):
    own = credit.own_entity()
    record = credit.penalty(own, on=dt.date.today() - dt.timedelta(days=200), fine_yuan=50000)
    application = services.repair_apply(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk, reason="r",
                                        materials="m", pledge="p")
    services.repair_decide(actor=personas.a_admin, application=application, approve=False, note="罚款尚未缴清")
    assert any(i["title"] == record.title for i in selectors.public_record(entity=own)["items"])
    assert not AbnormalListing.objects.exists()


def test_commitments_are_checked_set_based_against_later_records(credit, personas):
    own = credit.own_entity()
    kept = credit.entity("沁县守信商贸有限公司")
    today = dt.date.today()
    broken = services.commitment_make(actor=personas.enterprise, entity=own, kind="approval", matter="食品经营许可告知承诺",
                                      text="承诺符合许可条件", term_end=today + dt.timedelta(days=300), made_on=today - dt.timedelta(days=100))
    fulfilled = services.commitment_make(actor=None, entity=kept, kind="public", matter="诚信经营", text="承诺",
                                         term_end=today - dt.timedelta(days=1), made_on=today - dt.timedelta(days=200))
    record = credit.penalty(own, on=today - dt.timedelta(days=10))
    result = services.commitments_check()
    assert result == {"broken": 1, "fulfilled": 1}
    broken.refresh_from_db()
    fulfilled.refresh_from_db()
    assert broken.status == "broken" and broken.breach_record_id == record.pk and broken.broken_on == record.occurred_on
    assert fulfilled.status == "fulfilled"
    item = next(i for i in selectors.credit_record(user=personas.a_inspector, entity=own) if i.type == "commitment")
    assert item.negative and item.in_window
