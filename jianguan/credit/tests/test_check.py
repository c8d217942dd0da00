"""逢办必查 / 逢查必报: class, lists and measures with their basis; the legal representative carries a listing to his other
entities; every check is logged, bad input is refused and logs nothing."""
import datetime as dt

import pytest

from jianguan.core.models import AuditEvent
from jianguan.credit import grading, services
from jianguan.credit.models import CheckDigest, CheckReport, CreditCheck
from jianguan.credit.tests.conftest import valid_id

REP_ID = valid_id("14043019750505321")


def _catalogue():
    for code, trigger, scenario, kind, name in [
        ("XZ-SER-01", "serious", "procurement", "restriction", "限制参加政府采购活动"),
        ("XZ-SER-02", "serious", "market_access", "restriction", "从严审查行政许可"),
        ("XZ-PER-01", "serious_person", "market_access", "restriction", "限制担任法定代表人、负责人"),
        ("XZ-PER-02", "serious_person", "high_consumption", "restriction", "限制高消费"),
        ("JL-A-01", "grade_A", "market_access", "incentive", "容缺受理、绿色通道"),
    ]:
        services.measure_save(actor=None, code=code, data={"name": name, "kind": kind, "trigger": trigger, "scenario": scenario,
                                                           "content": name, "legal_basis": "国务院关于建立完善守信联合激励和失信联合惩戒制度的指导意见（国发〔2016〕33号）",
                                                           "effective_from": dt.date(2020, 1, 1)})


@pytest.fixture
def listed(credit, personas):
    """A serious-listed entity whose legal representative also runs another entity."""
    _catalogue()
    bad = credit.entity("沁县黑心食品有限公司", rep="王某某", rep_id=REP_ID)
    other = credit.entity("沁县王氏商贸有限公司", rep="王某某", rep_id=REP_ID)
    clean = credit.entity("沁县守信商贸有限公司", rep="李某", established_on=dt.date(2010, 1, 1))
    listing = services.serious_propose(actor=personas.a_inspector, entity=bad, ground="serious_violation", facts="事实", basis="依据")
    services.serious_approve(actor=personas.a_leader, listing=listing)
    services.serious_consent(actor=personas.a_admin, listing=listing, document="长市监函〔2025〕1号", consent_on=dt.date.today())
    return {"bad": bad, "other": other, "clean": clean}


def test_a_serious_listing_restricts_the_entity_in_a_scenario_with_the_legal_basis(listed, personas, api_client):
    body = api_client(personas.b_inspector).get("/api/v1/credit/check", {"uscc": listed["bad"].uscc, "scenario": "procurement"}).json()
    assert body["found"] and "serious" in body["triggers"]
    assert [m["code"] for m in body["measures"]] == ["XZ-SER-01"]
    assert "国发〔2016〕33号" in body["measures"][0]["legal_basis"]
    assert body["lists"][0]["type"] == "serious" and body["lists"][0]["expires_on"]
    assert body["outcome"] == "hit"


def test_the_listing_reaches_another_entity_through_its_legal_representative(listed, personas, api_client):
    body = api_client(personas.b_inspector).get("/api/v1/credit/check", {"uscc": listed["other"].uscc, "scenario": "market_access"}).json()
    assert "serious" not in body["triggers"] and "serious_person" in body["triggers"]
    assert [m["code"] for m in body["measures"]] == ["XZ-PER-01"]
    assert body["related"][0]["entity_name"] == "沁县黑心食品有限公司" and body["related"][0]["person_name"] == "王*某"


def test_a_natural_person_is_checked_by_id_number_through_the_lookup_hash(listed, personas, api_client):
    body = api_client(personas.a_inspector).get("/api/v1/credit/check", {"id_number": REP_ID, "scenario": "high_consumption"}).json()
    assert body["subject"]["id_masked"] == REP_ID[:6] + "********" + REP_ID[-4:] and body["subject"]["name"] == "王*某"
    assert [m["code"] for m in body["measures"]] == ["XZ-PER-02"]
    log = CreditCheck.objects.order_by("-pk").first()
    assert log.subject == "person" and log.person_hash and REP_ID not in log.person_hash and log.uscc == ""


def test_a_clean_entity_gets_its_class_and_the_incentives_of_that_class(listed, personas, api_client):
    credit_report = __import__("jianguan.credit.tests.conftest", fromlist=["file_report"]).file_report
    credit_report(listed["clean"], dt.date.today().year - 2)
    credit_report(listed["clean"], dt.date.today().year - 1, today=dt.date.today())
    grading.grade_all()
    body = api_client(personas.a_inspector).get("/api/v1/credit/check", {"uscc": listed["clean"].uscc, "scenario": "market_access"}).json()
    assert body["grade"]["code"] == "A" and body["related"] == [] and [m["code"] for m in body["measures"]] == ["JL-A-01"]


def test_an_unknown_entity_is_logged_as_unknown(credit, personas, api_client, new_uscc):
    body = api_client(personas.a_inspector).get("/api/v1/credit/check", {"uscc": new_uscc(), "scenario": "invoice"}).json()
    assert body["found"] is False and body["outcome"] == "unknown" and CreditCheck.objects.count() == 1


@pytest.mark.parametrize("query, field", [
    ({"uscc": "91440300708461136A", "scenario": "procurement"}, "uscc"),
    ({"id_number": "140430198001011239", "scenario": "procurement"}, "id_number"),
    ({"uscc": "914403001922038216", "scenario": "lottery"}, "scenario"),
    ({"scenario": "procurement"}, "uscc"),
])
def test_bad_input_is_refused_clearly_and_logs_nothing(credit, personas, api_client, query, field):
    response = api_client(personas.a_inspector).get("/api/v1/credit/check", query)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and body["message"]
    assert CreditCheck.objects.count() == 0


def test_enterprises_and_anonymous_visitors_cannot_check(credit, personas, api_client, client):
    assert api_client(personas.enterprise).get("/api/v1/credit/check", {"uscc": "914403001922038216", "scenario": "invoice"}).status_code == 403
    assert client.get("/api/v1/credit/check", {"uscc": "914403001922038216", "scenario": "invoice"}).status_code == 401
    assert CreditCheck.objects.count() == 0


def test_a_check_writes_one_log_row_and_no_audit_event(listed, personas, api_client):
    client = api_client(personas.a_inspector)
    events = AuditEvent.objects.count()
    client.get("/api/v1/credit/check", {"uscc": listed["bad"].uscc, "scenario": "procurement"})
    assert AuditEvent.objects.count() == events
    assert CreditCheck.objects.count() == 1


def test_the_department_reports_what_it_did_and_another_department_cannot(listed, personas, api_client):
    body = api_client(personas.a_inspector).get("/api/v1/credit/check", {"uscc": listed["bad"].uscc, "scenario": "procurement"}).json()
    url = f"/api/v1/credit/checks/{body['check_id']}/report"
    denied = api_client(personas.b_inspector).post(url, {"action": "restricted"}, content_type="application/json")
    assert denied.status_code == 404 and CheckReport.objects.count() == 0
    ok = api_client(personas.a_inspector2).post(url, {"action": "restricted", "note": "不予受理投标"}, content_type="application/json")
    assert ok.status_code == 201 and CheckReport.objects.get().action == "restricted"
    log = api_client(personas.a_admin).get("/api/v1/credit/checks").json()
    assert log["count"] == 1 and api_client(personas.b_admin).get("/api/v1/credit/checks").json()["count"] == 0


def test_the_digest_folds_checks_into_the_audit_chain_and_detects_tampering(listed, personas, api_client):
    client = api_client(personas.a_inspector)
    for _ in range(3):
        client.get("/api/v1/credit/check", {"uscc": listed["bad"].uscc, "scenario": "procurement"})
    digests = services.check_digest()
    assert [d.count for d in digests] == [3]
    assert AuditEvent.objects.filter(action="credit.check_log.digest").count() == 1
    assert services.check_digest_verify() == []
    CreditCheck.objects.filter(pk=CreditCheck.objects.order_by("pk").first().pk).update(measures="")
    assert services.check_digest_verify()
    assert services.check_digest() == []  # nothing new since


def test_no_reward_applies_to_an_entity_whose_legal_representative_is_behind_a_listing(listed, personas, api_client):
    from jianguan.credit.models import GradeAdjustment

    GradeAdjustment.objects.create(entity=listed["other"], uscc=listed["other"].uscc, department=personas.dept_a, from_grade="B",
                                   to_grade="A", reason="测试", requested_by=personas.a_inspector, status="approved",
                                   decided_at=__import__("django.utils.timezone", fromlist=["now"]).now())
    body = api_client(personas.a_inspector).get("/api/v1/credit/check", {"uscc": listed["other"].uscc, "scenario": "market_access"}).json()
    assert body["grade"]["code"] == "A" and [m["code"] for m in body["measures"]] == ["XZ-PER-01"]
