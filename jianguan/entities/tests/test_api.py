import json

from jianguan.core.models import AuditEvent
from jianguan.entities.models import Entity

from .factories import make_entity, uscc


def post(client, body):
    return client.post("/api/v1/entities", data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_search_finds_a_company_by_a_two_character_fragment(personas, api_client):
    make_entity("沁县鑫源食品有限公司")
    make_entity("沁县康宁大药房")
    body = api_client(personas.a_inspector).get("/api/v1/entities?q=鑫源").json()
    assert [e["name"] for e in body["items"]] == ["沁县鑫源食品有限公司"] and body["count"] == 1 and body["count_exact"]
    assert api_client(personas.a_inspector).get("/api/v1/entities?q=鑫").json()["field"] == "q"


def test_an_invalid_uscc_is_refused_with_the_error_shape_naming_the_field(personas, api_client):
    client = api_client(personas.a_admin)
    count, events = Entity.objects.count(), AuditEvent.objects.count()
    r = post(client, {"uscc": "91440300708461136A", "name": "错误代码公司", "division_code": "140430100"})
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "uscc" and body["code"] == "uscc_check" and "校验码" in body["message"]
    assert Entity.objects.count() == count and AuditEvent.objects.count() == events


def test_create_then_read_then_patch(personas, api_client):
    client = api_client(personas.a_admin)
    code = uscc()
    r = post(client, {"uscc": code, "name": "沁县新开张饭店", "division_code": "140430101", "industry_code": "H6210",
                      "registered_capital": "100000.00", "former_names": ["沁县老饭店"]})
    assert r.status_code == 201 and r.json()["kind_label"] == "企业"
    assert client.get("/api/v1/entities?q=老饭店").json()["count"] == 1
    r = client.patch(f"/api/v1/entities/{code}", data=json.dumps({"status": "operating"}), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = client.patch(f"/api/v1/entities/{code}", data=json.dumps(
        {"name": "沁县新开张餐饮有限公司", "status": "operating", "status_reason": "开业"}), content_type="application/json")
    assert r.status_code == 200 and r.json()["name"] == "沁县新开张餐饮有限公司" and r.json()["status_label"] == "在业"
    profile = client.get(f"/api/v1/entities/{code}").json()
    assert set(profile["former_names"]) == {"沁县老饭店", "沁县新开张饭店"}


def test_inspectors_read_but_cannot_create_or_patch(personas, api_client):
    e = make_entity("沁县只读公司")
    client = api_client(personas.a_inspector)
    assert client.get(f"/api/v1/entities/{e.uscc}").status_code == 200
    r = client.patch(f"/api/v1/entities/{e.uscc}", data=json.dumps({"name": "改名"}), content_type="application/json")
    assert r.status_code == 403 and Entity.objects.get(pk=e.pk).name == "沁县只读公司"
    assert post(client, {"uscc": uscc(), "name": "沁县新公司", "division_code": "140430100"}).status_code == 403


def test_unknown_uscc_is_not_found(personas, api_client):
    assert api_client(personas.a_inspector).get(f"/api/v1/entities/{uscc()}").status_code == 404


def test_linking_a_person_through_the_api_masks_the_id_number(personas, api_client):
    e = make_entity("沁县人员公司")
    r = api_client(personas.a_admin).post(f"/api/v1/entities/{e.uscc}/people", data=json.dumps(
        {"name": "赵六", "role": "legal_rep", "id_number": "140430199001011230"}), content_type="application/json")
    assert r.status_code == 201 and r.json()["id_number_masked"] == "140430********1230"
