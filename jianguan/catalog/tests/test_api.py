import datetime as dt
import json

from django.test import Client

from jianguan.catalog import services
from jianguan.catalog.models import SupervisionItem, SupervisionNotice
from jianguan.catalog.tests.conftest import FOOD_CODE
from jianguan.core.models import AuditEvent


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_items_are_read_with_people_basis_and_gaps_scoped_to_the_department(personas, food_item, api_client):
    body = api_client(personas.a_inspector).get("/api/v1/catalog/items").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == FOOD_CODE and item["responsible_leader"]["display_name"] == "甲局长"
    assert [p["article"] for p in item["legal_basis"]] == ["第八十七条", "第十条"] and item["has_gap"] is False
    assert api_client(personas.b_inspector).get("/api/v1/catalog/items").json()["count"] == 0
    hidden = api_client(personas.b_inspector).get(f"/api/v1/catalog/items/{FOOD_CODE}")
    missing = api_client(personas.b_inspector).get("/api/v1/catalog/items/99999999999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()


def test_an_item_changes_through_the_api_and_its_diff_is_readable(personas, food_item, api_client):
    client = api_client(personas.a_leader)
    r = post(client, f"/api/v1/catalog/items/{FOOD_CODE}/versions",
             {"effective_from": "2026-06-01", "reason": "law_change", "scope": "全县食品经营者",
              "legal_basis": "《中华人民共和国食品安全法》第八十七条"})
    assert r.status_code == 200 and r.json()["version"] == 2
    diff = {row["key"]: row for row in client.get(f"/api/v1/catalog/items/{FOOD_CODE}/diff?a=1&b=2").json()}
    assert diff["scope"]["changed"] and diff["legal_basis"]["changed"] and not diff["name"]["changed"]
    assert len(client.get(f"/api/v1/catalog/items/{FOOD_CODE}/versions").json()) == 2


def test_an_earlier_effective_date_is_refused_by_the_api_with_the_field_named(personas, food_item, api_client):
    client = api_client(personas.a_leader)
    events = AuditEvent.objects.count()
    r = post(client, f"/api/v1/catalog/items/{FOOD_CODE}/versions",
             {"effective_from": "2025-01-01", "reason": "correction", "name": "改名"})
    assert r.status_code == 400 and r.json()["field"] == "effective_from"
    assert SupervisionItem.objects.get().name == "食品经营者监督检查" and AuditEvent.objects.count() == events


def test_creating_an_item_with_a_malformed_or_duplicate_code_is_refused(personas, food_item, api_client):
    client = api_client(personas.a_admin)
    base = {"department_id": personas.dept_a.pk, "name": "x", "supervision_object": "y", "effective_from": "2026-01-01"}
    r = post(client, "/api/v1/catalog/items", {**base, "code": "12345"})
    assert r.status_code == 400 and r.json()["field"] == "code"
    r = post(client, "/api/v1/catalog/items", {**base, "code": FOOD_CODE})
    assert r.status_code == 409 and r.json()["field"] == "code"
    r = post(client, "/api/v1/catalog/items", {**base, "code": "11140430009001", "legal_basis": "《安全生产法》第二十条",
                                              "handling_staff_ids": [personas.a_inspector.pk]})
    assert r.status_code == 201 and r.json()["legal_basis"][0]["law_name"] == "安全生产法"
    assert SupervisionItem.objects.count() == 2


def test_implementation_lists_carry_their_ordered_check_points(personas, food_impl, api_client):
    body = api_client(personas.a_inspector).get(f"/api/v1/catalog/implementation-lists/{food_impl.code}").json()
    assert [p["seq"] for p in body["check_points"]] == [1, 2, 3]
    assert body["check_points"][1] == {"seq": 2, "content": "从业人员健康证明", "basis": "食品安全法 第四十五条"}


def test_public_rules_need_no_login_and_show_only_published(personas, db):
    rule = services.rule_create(actor=personas.a_admin, department=personas.dept_a, title="特种设备使用单位检查规则", field="special_equipment")
    assert Client().get("/api/v1/catalog/public/rules").json()["count"] == 0
    services.rule_set_status(actor=personas.a_admin, rule=rule, status="published")
    body = Client().get("/api/v1/catalog/public/rules").json()
    assert body["count"] == 1 and "cleanup_status" not in body["items"][0]
    assert Client().get("/api/v1/catalog/rules").status_code == 401


def test_notices_are_signed_and_answered_through_the_api(personas, food_item, api_client, django_capture_on_commit_callbacks):
    from jianguan.catalog.tests.test_services_linkage import grant_licence, make_entity

    services.route_create(actor=personas.owner, matter="食品经营许可", keyword="食品经营许可", supervising_department=personas.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县己店"))
    notice = SupervisionNotice.objects.get()
    wrong = post(api_client(personas.owner), f"/api/v1/catalog/notices/{notice.pk}/sign", {})
    assert wrong.status_code == 403 and "沁县市场监督管理局" in wrong.json()["message"]
    assert post(api_client(personas.b_admin), f"/api/v1/catalog/notices/{notice.pk}/sign", {}).status_code == 404
    client = api_client(personas.a_inspector)
    assert post(client, f"/api/v1/catalog/notices/{notice.pk}/sign", {}).json()["status"] == "signed"
    r = post(client, f"/api/v1/catalog/notices/{notice.pk}/feedback", {"result": "A", "note": "发现超范围经营，已立案"})
    assert r.json()["result_label"] == "发现问题待后续处理"
    back = api_client(personas.owner).get(f"/api/v1/catalog/licences/{licence.pk}/supervision").json()
    assert back[0]["result"] == "A" and back[0]["result_note"] == "发现超范围经营，已立案"


def test_plan_rows_in_force_are_what_random_inspections_read(personas, food_item, api_client, on_day):
    on_day(dt.date(2026, 3, 1))
    plan = services.department_plan_create(actor=personas.a_leader, department=personas.dept_a, year=2026)
    services.plan_row_add(actor=personas.a_leader, plan=plan, item=food_item, object_scope="全部食品销售者", ratio="5",
                          period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 9, 30))
    client = api_client(personas.a_inspector)
    assert client.get("/api/v1/catalog/plan-rows?in_force=true&on=2026-05-01").json()["count"] == 0  # not approved yet
    services.department_plan_submit(actor=personas.a_leader, plan=plan)
    services.department_plan_decide(actor=personas.owner, plan=plan, approve=True)
    rows = client.get("/api/v1/catalog/plan-rows?in_force=true&on=2026-05-01").json()["items"]
    assert len(rows) == 1 and rows[0]["item_code"] == FOOD_CODE and rows[0]["ratio"] in ("5.00", 5.0, "5")
    assert client.get("/api/v1/catalog/plan-rows?in_force=true&on=2026-10-01").json()["count"] == 0
