"""Pages and API of random inspections: the manager's task flow, the inspector's phone flow (in Chromium at phone
width), public pages, permissions (a denied request changes nothing) and the API's error shape."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from jianguan.conftest import CJK_RENDER_CHECK, NO_HORIZONTAL_OVERFLOW, screenshot


def _assigned_visit(task, user):
    from jianguan.inspections.models import Assignment

    a = Assignment.objects.filter(task_object__task=task, inspector__user=user, active=True).select_related(
        "task_object__visit", "task_object__entity").first()
    return a.task_object


def test_manager_creates_commits_and_draws_a_task_in_the_browser_pages(personas, login_client, food_row, food_rule, shops,
                                                                        inspectors):
    client = login_client(personas.a_leader)
    page = client.get("/inspections/new/")
    assert page.status_code == 200
    assert "食品经营者监督检查" in page.content.decode()
    resp = client.post("/inspections/new/", {
        "name": "食品销售者抽查", "plan_rows": [str(food_row.pk)], "ratio_A": "5", "ratio_B": "10", "ratio_C": "50",
        "ratio_D": "100", "method": "onsite", "exclude_days": "365", "period_start": "", "period_end": ""})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    code = resp["Location"].rstrip("/").split("/")[-1]
    assert client.post(f"/inspections/tasks/{code}/commit/").status_code == 302
    detail = client.get(f"/inspections/tasks/{code}/").content.decode()
    assert "种子承诺值" in detail and "抽取并分派检查人员" in detail
    client.post(f"/inspections/tasks/{code}/run/")
    detail = client.get(f"/inspections/tasks/{code}/").content.decode()
    assert "随机种子" in detail and "抽中 4 户" in detail
    export = client.get(f"/inspections/tasks/{code}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_ratio_in_the_form_is_refused_naming_the_class(personas, login_client, food_row, food_rule, shops, inspectors):
    from jianguan.inspections.models import InspectionTask

    client = login_client(personas.a_leader)
    resp = client.post("/inspections/new/", {
        "name": "x", "plan_rows": [str(food_row.pk)], "ratio_A": "120", "ratio_B": "10", "ratio_C": "50", "ratio_D": "100",
        "method": "onsite", "exclude_days": "365"})
    assert resp.status_code == 200
    assert "100" in resp.content.decode()
    assert not InspectionTask.objects.exists()


def test_inspector_and_other_department_cannot_draw_and_nothing_changes(personas, login_client, food_task):
    from jianguan.core.models import AuditEvent
    from jianguan.inspections.models import Draw

    before = AuditEvent.objects.count()
    resp = login_client(personas.a_inspector).post(f"/inspections/tasks/{food_task.code}/commit/")
    assert resp.status_code == 403
    resp = login_client(personas.b_leader).post(f"/inspections/tasks/{food_task.code}/commit/")
    assert resp.status_code == 404  # out of scope looks like not found
    assert login_client(personas.b_leader).get(f"/inspections/tasks/{food_task.code}/").status_code == 404
    assert not Draw.objects.exists()
    assert AuditEvent.objects.count() == before


def test_public_task_page_shows_commitment_then_seed_and_the_candidate_file_matches_its_hash(
        personas, client, login_client, food_task):
    from jianguan.core.crypto import sm3_hex
    from jianguan.inspections import services

    assert client.get(f"/public/inspections/tasks/{food_task.code}/").status_code == 404  # drafts are not public
    draw = services.draw_commit(actor=personas.a_leader, task=food_task)
    page = client.get(f"/public/inspections/tasks/{food_task.code}/").content.decode()
    assert draw.commitment in page and "抽取时公开" in page
    data = b"".join(client.get(f"/public/inspections/tasks/{food_task.code}/draws/1/candidates.csv").streaming_content)
    assert sm3_hex(data) == draw.candidates_hash
    services.draw_run(actor=personas.a_leader, task=food_task)
    draw.refresh_from_db()
    page = client.get(f"/public/inspections/tasks/{food_task.code}/").content.decode()
    assert draw.seed in page
    api = client.get(f"/api/v1/inspections/public/tasks/{food_task.code}").json()
    assert api["draws"][0]["seed"] == draw.seed and len(api["selected"]) == draw.selected_count
    index = client.get("/public/inspections/?tab=items").content.decode()
    assert "食品经营者监督检查" in index
    assert "张执法" in client.get("/public/inspections/?tab=inspectors").content.decode()


def test_draw_verify_command_confirms_and_detects_tampering(personas, drawn_task, capsys):
    from django.core.management import call_command

    from jianguan.inspections.models import TaskObject

    call_command("draw", "verify", drawn_task.code)
    assert "复核一致" in capsys.readouterr().out
    obj = TaskObject.objects.filter(task=drawn_task).first()
    from jianguan.entities.models import Entity

    other = Entity.objects.exclude(pk__in=TaskObject.objects.values("entity_id")).filter(industry_code__startswith="F52").first()
    TaskObject.objects.filter(pk=obj.pk).update(entity=other, uscc=other.uscc)  # behind the platform's back
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", drawn_task.code)
    assert exc.value.code == 1
    assert "不一致" in capsys.readouterr().err
    path = drawn_task.current_draw()
    from jianguan.inspections.services.tasks import candidates_path

    candidates_path(path).write_bytes(b"tampered\n")
    with pytest.raises(SystemExit):
        call_command("draw", "verify", drawn_task.code)


def test_api_result_for_an_entity_not_in_the_task_is_refused_naming_the_field(personas, api_client, drawn_task, shops, today):
    from jianguan.inspections.models import CheckResult, TaskObject

    outsider = next(e for e in shops if not TaskObject.objects.filter(entity=e).exists())
    resp = api_client(personas.a_leader).post(f"/api/v1/inspections/tasks/{drawn_task.code}/results", {
        "uscc": outsider.uscc, "checked_on": "2026-06-15", "result_code": "1"}, content_type="application/json")
    assert resp.status_code == 400
    body = resp.json()
    assert body["field"] == "uscc" and outsider.uscc in body["message"]
    assert not CheckResult.objects.exists()


def test_api_lists_tasks_and_objects_for_the_department_only(personas, api_client, drawn_task):
    mine = api_client(personas.a_admin).get("/api/v1/inspections/tasks").json()
    assert [t["code"] for t in mine["items"]] == [drawn_task.code]
    assert api_client(personas.b_admin).get("/api/v1/inspections/tasks").json()["count"] == 0
    assert api_client(personas.b_admin).get(f"/api/v1/inspections/tasks/{drawn_task.code}").status_code == 404
    objects = api_client(personas.a_admin).get(f"/api/v1/inspections/tasks/{drawn_task.code}/objects").json()
    assert objects["count"] == 4 and all(len(o["inspectors"]) == 2 for o in objects["items"])


def test_inspector_records_and_publishes_a_result_on_a_phone(personas, browser_login, drawn_task, live_server):
    from jianguan.inspections.models import CheckResult
    from jianguan.records.models import Record

    obj = _assigned_visit(drawn_task, personas.a_inspector)
    page = browser_login(personas.a_inspector, phone=True)
    page.goto(f"{live_server.url}/")
    page.get_by_text(re.compile(r"户待检查")).first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    page.get_by_text(obj.entity.name).first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(CJK_RENDER_CHECK)
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    section = page.locator(f"#o{obj.pk}")
    points = section.locator("fieldset.point")
    assert points.count() == 3
    for i in range(points.count()):
        points.nth(i).get_by_label("符合", exact=True).check()
    section.locator("select[name$=result_code]").select_option("1")
    screenshot(page, "inspections-phone-result")
    section.get_by_role("button", name="保存检查结果").click()
    page.wait_for_load_state("networkidle")
    assert "请在" in page.locator(".messages").inner_text()
    page.locator(f"#o{obj.pk}").get_by_role("button", name="公示检查结果").click()
    page.wait_for_load_state("networkidle")
    assert "已公示" in page.locator(f"#o{obj.pk}").inner_text()
    result = CheckResult.objects.get(task_object=obj)
    assert result.result_code == "1" and result.published_at is not None
    record = Record.objects.get(pk=result.record_id)
    assert record.kind == "inspection" and record.payload["result"] == "未发现问题"
    screenshot(page, "inspections-phone-published")


def test_joint_visit_page_shows_both_departments_items(personas, login_client, food_row, food_rule, safety_row, shops, inspectors):
    from jianguan.inspections import services
    from jianguan.inspections.models import TaskObject

    services.object_rule_save(actor=personas.b_admin, item=safety_row.item, data={"industry_prefixes": "F52"})
    a = services.task_create(actor=personas.a_leader, department=personas.dept_a, name="食品抽查", plan_rows=[food_row],
                             ratios={"A": "100", "B": "100", "C": "100", "D": "100"})
    b = services.task_create(actor=personas.b_leader, department=personas.dept_b, name="安全生产抽查", plan_rows=[safety_row],
                             ratios={"A": "100", "B": "100", "C": "100", "D": "100"})
    for task, leader in ((a, personas.a_leader), (b, personas.b_leader)):
        services.draw_commit(actor=leader, task=task)
        services.draw_run(actor=leader, task=task)
    obj = TaskObject.objects.filter(task=b).select_related("visit").first()
    assert obj.visit.task_objects.count() == 2
    page = login_client(personas.owner).get(f"/inspections/visits/{obj.visit.code}/").content.decode()
    assert "进一次门、查多项事" in page and "食品抽查" in page and "安全生产抽查" in page


def test_directory_pages_and_repeated_report_render(personas, login_client, food_item, food_rule, inspectors, drawn_task):
    client = login_client(personas.a_admin)
    for url in ("/inspections/items/", f"/inspections/items/{food_item.code}/", "/inspections/inspectors/", "/inspections/key/",
                "/inspections/publication/", "/inspections/repeated/", "/inspections/mine/", "/inspections/"):
        assert client.get(url).status_code == 200, url
    resp = client.post(f"/inspections/items/{food_item.code}/", {"industry_prefixes": "Z99"})
    assert resp.status_code == 200 and "格式不正确" in resp.content.decode()
    entry = inspectors["A0001"]
    assert client.get(f"/inspections/inspectors/{entry.pk}/").status_code == 200
    assert login_client(personas.b_admin).get(f"/inspections/inspectors/{entry.pk}/").status_code == 404


def test_repeated_inspections_report_lists_entities_checked_by_two_departments(personas, login_client, shops, today):
    from jianguan.records import services as record_services

    shop = shops[0]
    for dept, actor in ((personas.dept_a, personas.a_admin), (personas.dept_b, personas.b_admin)):
        record_services.record_create(
            actor=actor, kind="inspection", department=dept, uscc=shop.uscc, party_name=shop.name, title="日常检查",
            payload={"item_code": "11140430001001", "act_name": "日常检查", "act_no": f"X-{dept.pk}", "agency": dept.name,
                     "agency_code": dept.uscc, "result": "1", "checked_at": "2026-05-10T09:00:00+08:00",
                     "inspectors": ["甲"], "reported_at": "2026-05-11T09:00:00+08:00"})
    page = login_client(personas.owner).get("/inspections/repeated/?date_from=2026-01-01&date_to=2026-06-15&min_departments=2")
    html = page.content.decode()
    assert shop.name in html and shops[1].name not in html
    assert login_client(personas.owner).get(
        "/inspections/repeated/?date_from=2026-01-01&date_to=2026-06-15&min_departments=2&export=xlsx").status_code == 200
