import datetime as dt
import json

import pytest

from jianguan.core.demo import load_departments
from jianguan.core.models import AuditEvent
from jianguan.duties import services
from jianguan.duties.models import Assignment, Measure, ProgressReport


@pytest.fixture
def county(personas):
    load_departments()
    services.division_load()


def test_the_division_is_read_with_every_measure_and_its_departments(personas, county, api_client):
    targets = api_client(personas.a_inspector).get("/api/v1/duties/targets").json()
    assert len(targets) == 19 and sum(len(t["measures"]) for t in targets) == 78
    first = targets[0]["measures"][0]
    assert first["code"] == "1.1"
    roles = {a["department_name"]: a["role"] for a in first["assignments"]}
    assert roles["沁县审批服务管理局"] == "lead" and roles["中共沁县县委机构编制委员会办公室"] == "responsible"


def test_progress_is_reported_through_the_api_and_appears_in_the_matrix(personas, county, api_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = Measure.objects.get(target__no=9, no=2)
    client = api_client(personas.a_leader)
    r = client.post(f"/api/v1/duties/measures/{measure.pk}/reports", data=json.dumps(
        {"period": "2026-Q3", "status": "in_progress", "text": "一单两库已建立"}), content_type="application/json")
    assert r.status_code == 201 and r.json()["department_id"] == personas.dept_a.pk
    matrix = client.get("/api/v1/duties/matrix?period=2026-Q3").json()
    row = next(row for row in matrix["rows"] if row["code"] == "9.2")
    cell = next(c for c in row["cells"] if c["department_id"] == personas.dept_a.pk)
    assert cell == {"department_id": personas.dept_a.pk, "role": "lead", "status": "in_progress"}


def test_a_report_on_a_measure_not_assigned_is_refused_and_nothing_changes(personas, county, api_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = Measure.objects.get(target__no=9, no=2)
    Assignment.objects.filter(measure=measure, department=personas.dept_b).delete()
    client = api_client(personas.b_leader)
    events = AuditEvent.objects.count()
    r = client.post(f"/api/v1/duties/measures/{measure.pk}/reports", data=json.dumps(
        {"period": "2026-Q3", "status": "done", "text": "x"}), content_type="application/json")
    assert r.status_code == 403 and "9.2" in r.json()["message"]
    assert not ProgressReport.objects.exists() and AuditEvent.objects.count() == events


def test_only_the_owner_urges_through_the_api(personas, county, api_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = Measure.objects.get(target__no=1, no=1)
    body = {"measure_id": measure.pk, "department_id": personas.dept_b.pk, "content": "请加快梳理", "deadline": "2026-08-31"}
    r = api_client(personas.a_leader).post("/api/v1/duties/urges", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 403
    r = api_client(personas.owner).post("/api/v1/duties/urges", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    assert len(api_client(personas.b_admin).get("/api/v1/duties/urges").json()) == 1
    assert api_client(personas.a_admin).get("/api/v1/duties/urges").json() == []
