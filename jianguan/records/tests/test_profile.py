"""The 一户一档 profile: every kind of record from every department on one timeline, masked by role, bounded queries."""

import json

import pytest

from jianguan.entities.services import person_link
from jianguan.entities.tests.factories import make_entity
from jianguan.records import services
from jianguan.records.choices import RecordKind

PAYLOADS = {
    RecordKind.INSPECTION: {"result": "未发现问题", "checked_at": "2025-05-01 09:00:00"},
    RecordKind.PENALTY: {"decision_no": "沁市监罚〔2025〕1号", "decided_on": "2025-05-02", "penalty_kinds": "警告"},
    RecordKind.COERCION: {"decision_no": "沁市监强〔2025〕1号", "measure": "扣押财物", "basis": "食品安全法 第一百一十条", "started_on": "2025-05-03"},
    RecordKind.OTHER_ACTION: {"action_type": "行政奖励", "content": "诚信经营示范店", "decided_on": "2025-05-04"},
    RecordKind.JUDGMENT: {"court": "沁县人民法院", "case_no": "（2025）晋0430民初1号", "cause": "买卖合同纠纷", "judged_on": "2025-05-05"},
    RecordKind.DISHONEST: {"court": "沁县人民法院", "case_no": "（2025）晋0430执1号", "published_on": "2025-05-06"},
    RecordKind.SPOT_CHECK: {"product": "小米", "result": "合格", "sampled_on": "2025-05-07"},
    RecordKind.COMPLAINT: {"ticket_no": "12345-2025-0001", "category": "投诉", "content": "缺斤短两", "received_on": "2025-05-08"},
}


def add(actor, entity, kind, department, n=0):
    return services.record_create(actor=actor, kind=kind, department=department, uscc=entity.uscc, party_name=entity.name,
                                  title=f"{RecordKind(kind).label}{n}", payload=PAYLOADS[kind], source_id=f"{kind}-{n}")


@pytest.fixture
def archive(personas):
    entity = make_entity("沁县鑫源食品有限公司", legal_representative="王小明")
    for kind in RecordKind.values:
        add(personas.a_admin, entity, kind, personas.dept_a)
    add(personas.b_admin, entity, RecordKind.INSPECTION, personas.dept_b, n=99)
    other = make_entity("沁县鑫源宾馆")
    person_link(actor=None, entity=entity, name="王小明", role="legal_rep", id_number="140430199001011230")
    person_link(actor=None, entity=other, name="王小明", role="shareholder", id_number="140430199001011230")
    return entity


def test_the_profile_shows_a_record_of_each_kind_and_the_persons_other_entities(personas, login_client, archive):
    page = login_client(personas.a_inspector).get(f"/entities/{archive.uscc}/").content.decode()
    for kind in RecordKind:
        assert f"{kind.label}0" in page
    assert "沁县鑫源宾馆" in page and "140430********1230" in page


def test_records_of_other_departments_show_only_what_is_disclosed(personas, login_client, archive):
    page = login_client(personas.b_inspector).get(f"/entities/{archive.uscc}/").content.decode()
    assert "行政检查99" in page and "行政处罚0" in page and "详情限数据所属部门查看" in page


def test_the_timeline_filters_by_kind_and_department(personas, api_client, archive):
    client = api_client(personas.owner)
    body = client.get(f"/api/v1/entities/{archive.uscc}?kind=inspection").json()
    assert {r["title"] for r in body["records"]} == {"行政检查0", "行政检查99"} and body["records_total"] == 2
    body = client.get(f"/api/v1/entities/{archive.uscc}?department_id={personas.dept_b.pk}").json()
    assert [r["title"] for r in body["records"]] == ["行政检查99"]
    assert body["record_kinds"]["inspection"] == 2 and len(body["record_kinds"]) == 8


def test_an_enterprise_sees_its_own_archive_with_names_masked(personas, login_client, archive):
    personas.enterprise.uscc = archive.uscc
    personas.enterprise.save(update_fields=["uscc"])
    client = login_client(personas.enterprise)
    page = client.get(f"/entities/{archive.uscc}/").content.decode()
    assert "王*明" in page and "王小明" not in page and "140430********1230" not in page
    other = make_entity("别人家的公司")
    assert client.get(f"/entities/{other.uscc}/").status_code == 404


def test_the_printable_version_has_the_whole_archive(personas, login_client, archive):
    page = login_client(personas.a_leader).get(f"/entities/{archive.uscc}/print/").content.decode()
    assert "市场主体一户一档" in page and "行政强制0" in page and "topbar" not in page


def test_the_profile_takes_the_same_number_of_queries_for_10_or_200_records(personas, login_client, archive,
                                                                         django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_client(personas.a_inspector)
    urls = [f"/entities/{archive.uscc}/", f"/api/v1/entities/{archive.uscc}"]
    baseline = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        baseline.append(len(few.captured_queries))
    for n in range(1, 200):
        add(personas.a_admin, archive, RecordKind.INSPECTION, personas.dept_a, n=n)
    for url, count in zip(urls, baseline):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_record_create_validates_the_payload_of_its_kind(personas):
    from jianguan.core.errors import DomainError

    entity = make_entity("沁县测试商行")
    with pytest.raises(DomainError) as err:
        services.record_create(actor=personas.a_admin, kind=RecordKind.SPOT_CHECK, department=personas.dept_a, uscc=entity.uscc,
                               party_name=entity.name, title="抽检", payload={"product": "小米", "result": "还行", "sampled_on": "2025-01-01"})
    assert err.value.field == "payload.result"
    with pytest.raises(DomainError) as err:
        services.record_create(actor=personas.b_admin, kind=RecordKind.COMPLAINT, department=personas.dept_a, uscc=entity.uscc,
                               party_name=entity.name, title="x", payload=PAYLOADS[RecordKind.COMPLAINT])
    assert err.value.code == "permission_denied"


def test_records_api_lists_only_the_departments_records(personas, api_client, archive):
    a = api_client(personas.a_inspector).get("/api/v1/records").json()
    b = api_client(personas.b_inspector).get("/api/v1/records").json()
    assert a["count"] == 8 and b["count"] == 1
    hidden = a["items"][0]["id"]
    assert api_client(personas.b_inspector).get(f"/api/v1/records/{hidden}").status_code == 404


def test_records_api_creates_a_record_and_refuses_a_bad_uscc(personas, api_client):
    entity = make_entity("沁县接口测试公司")
    client = api_client(personas.a_admin)
    body = {"kind": "complaint", "uscc": entity.uscc, "party_name": entity.name, "title": "投诉", "payload": PAYLOADS["complaint"]}
    r = client.post("/api/v1/records", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201 and r.json()["occurred_on"] == "2025-05-08" and r.json()["entity_uscc"] == entity.uscc
    body["uscc"] = "91440300708461136A"
    r = client.post("/api/v1/records", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "uscc"


def test_pending_queue_page_lets_staff_match_a_record(personas, login_client):
    entity = make_entity("沁县正确的公司")
    record = services.record_create(actor=personas.a_admin, kind=RecordKind.COMPLAINT, department=personas.dept_a,
                                    uscc=make_entity("临时").uscc,
                                    party_name="写错代码的公司", title="投诉", payload=PAYLOADS["complaint"])
    from jianguan.records.models import Record

    Record.objects.filter(pk=record.pk).update(entity=None, match_status="pending")
    client = login_client(personas.a_inspector)
    assert "写错代码的公司" in client.get("/records/pending/").content.decode()
    assert "写错代码的公司" not in login_client(personas.b_inspector).get("/records/pending/").content.decode()
    denied = login_client(personas.b_admin).post(f"/records/{record.pk}/match/", {"uscc": entity.uscc})
    assert denied.status_code == 404
    client.post(f"/records/{record.pk}/match/", {"uscc": entity.uscc, "next": "/records/pending/"})
    assert Record.objects.get(pk=record.pk).entity_id == entity.pk




def test_a_long_timeline_is_paged(personas, login_client, archive):
    for n in range(1, 200):
        add(personas.a_admin, archive, RecordKind.COMPLAINT, personas.dept_a, n=n)
    client = login_client(personas.a_inspector)
    first = client.get(f"/entities/{archive.uscc}/").content.decode()
    assert "共 208 条" in first and "offset=200" in first
    rest = client.get(f"/entities/{archive.uscc}/?offset=200").content.decode()
    assert rest.count('<span class="badge">') == 8
