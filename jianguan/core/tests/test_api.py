import json

import pytest
from django.test import Client

from jianguan.core.models import AuditEvent, User


def test_openapi_document_is_valid_openapi_3(db):
    from openapi_spec_validator import validate

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_api_docs_page_loads_only_local_assets(db):
    html = Client().get("/api/v1/docs").content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_health_needs_no_login(db):
    assert Client().get("/api/v1/health").json()["status"] == "ok"


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer jg_" + "x" * 40, "Basic abc", "Bearer " + "jg_" + "x" * 200])
def test_missing_or_malformed_tokens_get_the_error_shape(db, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated" and "令牌" in body["message"] and "field" in body


def test_me_with_token(personas, api_client):
    body = api_client(personas.a_inspector).get("/api/v1/me").json()
    assert body["username"] == "a_inspector" and body["role_label"] == "执法人员"
    assert body["id_number_masked"] == "140430********1230" and body["phone_masked"] == "139****5678"
    assert "id_number" not in body and "password" not in body


def test_user_list_is_scoped_both_ways(personas, api_client):
    a = {u["username"] for u in api_client(personas.a_admin).get("/api/v1/users").json()["items"]}
    b = {u["username"] for u in api_client(personas.b_admin).get("/api/v1/users").json()["items"]}
    assert "a_inspector" in a and "b_inspector" not in a
    assert "b_inspector" in b and "a_inspector" not in b
    owner = api_client(personas.owner).get("/api/v1/users?page=1").json()
    assert owner["count"] == User.objects.count()


def test_out_of_scope_looks_exactly_like_not_found(personas, api_client):
    client = api_client(personas.b_admin)
    hidden = client.get(f"/api/v1/users/{personas.a_inspector.pk}")
    missing = client.get("/api/v1/users/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_denied_write_changes_nothing(personas, api_client):
    client = api_client(personas.b_admin)
    events = AuditEvent.objects.count()
    response = client.patch(
        f"/api/v1/users/{personas.a_inspector.pk}", data=json.dumps({"display_name": "改掉"}), content_type="application/json")
    assert response.status_code == 404
    assert User.objects.get(pk=personas.a_inspector.pk).display_name == "张执法"
    assert AuditEvent.objects.count() == events


def test_create_user_validation_error_names_the_field(personas, api_client):
    client = api_client(personas.a_admin)
    count = User.objects.count()
    r = client.post("/api/v1/users", data=json.dumps({"username": "x1", "display_name": "x", "role": "inspector"}),
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "username"  # min length 3
    r = client.post("/api/v1/users", data=json.dumps({"username": "new_zf", "display_name": "新人", "role": "inspector",
                                                      "department_id": personas.unit_a.pk}), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "cert_no" and "执法证号" in r.json()["message"]
    r = client.post("/api/v1/users", data=json.dumps({"username": "new_zf", "display_name": "新人", "role": "reviewer",
                                                      "department_id": personas.unit_a.pk, "id_number": "140430199001011231"}),
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "id_number"
    r = client.post("/api/v1/users", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "validation_error"
    assert User.objects.count() == count


def test_create_user_then_login_with_initial_password(personas, api_client):
    r = api_client(personas.a_admin).post("/api/v1/users", data=json.dumps(
        {"username": "new_zf", "display_name": "新人", "role": "inspector", "department_id": personas.unit_a.pk,
         "cert_no": "A0100"}), content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["user"]["department_id"] == personas.unit_a.pk
    assert User.objects.get(username="new_zf").check_password(body["initial_password"])


def test_department_admin_cannot_create_an_owner_via_api(personas, api_client):
    count = User.objects.count()
    r = api_client(personas.a_admin).post("/api/v1/users", data=json.dumps(
        {"username": "boss", "display_name": "x", "role": "owner", "department_id": personas.dept_a.pk}),
        content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert User.objects.count() == count


def test_session_writes_need_csrf(personas, login_client):
    client = login_client(personas.a_admin, enforce_csrf=True)
    r = client.patch(f"/api/v1/users/{personas.a_inspector2.pk}", data=json.dumps({"display_name": "无令牌"}),
                     content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    assert User.objects.get(pk=personas.a_inspector2.pk).display_name == "李执法"
    assert client.get("/api/v1/me").status_code == 200  # reads are fine


def test_reveal_through_api_is_audited(personas, api_client):
    r = api_client(personas.a_admin).post(f"/api/v1/users/{personas.a_inspector.pk}/reveal",
                                          data=json.dumps({"field": "phone"}), content_type="application/json")
    assert r.json()["value"] == "13912345678"
    assert AuditEvent.objects.filter(action="pii.reveal", actor_id=personas.a_admin.pk).count() == 1


def test_audit_verify_is_for_the_owner(personas, api_client):
    assert api_client(personas.a_admin).get("/api/v1/audit/verify").status_code == 403
    assert api_client(personas.owner).get("/api/v1/audit/verify").json()["ok"] is True


def test_object_history_through_api_is_scoped(personas, api_client):
    url = f"/api/v1/audit/events?object_type=core.user&object_id={personas.a_inspector.pk}"
    assert api_client(personas.a_admin).get(url).json()["count"] >= 1
    assert api_client(personas.b_admin).get(url).status_code == 404


def test_identifier_validation_endpoint(personas, api_client):
    client = api_client(personas.a_inspector)
    r = client.post("/api/v1/identifiers/validate", data=json.dumps({"kind": "uscc", "value": "91440300708461136A"}),
                    content_type="application/json").json()
    assert r["valid"] is False and "校验码" in r["message"]


def test_deadline_endpoint(personas, api_client):
    r = api_client(personas.a_inspector).get("/api/v1/calendar/deadline?rule=deadline.inspection_result_publicity&start=2026-09-25")
    body = r.json()
    assert body["due"] == "2026-10-29" and body["unit"] == "working"  # 国庆 10-01..07 and weekends skipped
    bad = api_client(personas.a_inspector).get("/api/v1/calendar/deadline?rule=nope&start=2026-09-25")
    assert bad.status_code == 400 and bad.json()["field"] == "rule"
    bad = api_client(personas.a_inspector).get("/api/v1/calendar/deadline?rule=deadline.penalty_publicity&start=2026-02-30")
    assert bad.status_code == 400 and bad.json()["field"] == "start"


def test_param_api(personas, api_client):
    r = api_client(personas.a_admin).post("/api/v1/params", data=json.dumps(
        {"key": "security.lockout_threshold", "value": 6, "effective_from": "2030-01-01", "reason": "x"}), content_type="application/json")
    assert r.status_code == 403
    r = api_client(personas.owner).post("/api/v1/params", data=json.dumps(
        {"key": "security.lockout_threshold", "value": 6, "effective_from": "2030-01-01", "reason": "等保整改"}), content_type="application/json")
    assert r.status_code == 201
    listed = {p["key"]: p for p in api_client(personas.owner).get("/api/v1/params?at=2030-06-01").json()}
    assert listed["security.lockout_threshold"]["value"] == 6


def test_expired_and_revoked_tokens_are_refused(personas):
    import datetime as dt

    from django.utils import timezone

    from jianguan.core import services
    from jianguan.core.models import ApiToken

    row, token = services.token_create(actor=None, user=personas.a_admin, name="t", expires_days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 401


def test_over_long_fields_are_refused_by_name(personas, api_client):
    client = api_client(personas.a_admin)
    r = client.patch(f"/api/v1/users/{personas.a_inspector2.pk}", data=json.dumps({"display_name": "长" * 51}),
                     content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "display_name" and "50" in r.json()["message"]
    assert User.objects.get(pk=personas.a_inspector2.pk).display_name == "李执法"
