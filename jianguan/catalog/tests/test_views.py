import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from jianguan.catalog import services
from jianguan.catalog.models import RuleStandard, SupervisionItem, SupervisionNotice
from jianguan.catalog.tests.conftest import FOOD_CODE
from jianguan.core.models import AuditEvent


@pytest.fixture
def published_rule(personas):
    rule = services.rule_create(actor=personas.a_admin, department=personas.dept_a, title="沁县食品小作坊监督管理规则", field="food_drug",
                                number="沁市监发〔2026〕3号", summary="小作坊登记、生产条件、检查频次")
    services.rule_set_status(actor=personas.a_admin, rule=rule, status="published")
    draft = services.rule_create(actor=personas.a_admin, department=personas.dept_a, title="内部草稿规则", field="food_drug")
    return rule, draft


def test_the_public_rules_page_shows_published_rules_to_anyone(published_rule, db):
    rule, draft = published_rule
    html = Client().get(reverse("public:rules")).content.decode()
    assert "沁县食品小作坊监督管理规则" in html and "沁市监发〔2026〕3号" in html
    assert "内部草稿规则" not in html
    assert Client().get(reverse("public:rule_detail", args=[rule.pk])).status_code == 200
    assert Client().get(reverse("public:rule_detail", args=[draft.pk])).status_code == 404
    filtered = Client().get(reverse("public:rules") + "?field=coal_mine").content.decode()
    assert "沁县食品小作坊监督管理规则" not in filtered


def test_a_published_guideline_is_public_and_printable(personas, food_item, food_impl):
    guideline, _ = services.guideline_save(actor=personas.a_admin, item=food_item, content="查许可、查人员、查进货",
                                           method="现场检查", basis="《食品安全法》", result_handling="责令改正")
    url = reverse("public:guideline_detail", args=[FOOD_CODE])
    assert Client().get(url).status_code == 404
    services.guideline_set_published(actor=personas.a_admin, guideline=guideline, published=True)
    html = Client().get(url).content.decode()
    assert "查许可、查人员、查进货" in html and "window.print()" in html
    assert "进货查验记录" in html  # the published guideline carries its check points
    assert "name=\"viewport\"" in html
    staff = Client()
    staff.force_login(personas.a_inspector)
    page = staff.get(reverse("catalog:guideline", args=[food_item.pk])).content.decode()
    assert "进货查验记录" in page  # the implementation list's check points are on the inspector's page


def test_item_pages_render_for_the_department_and_hide_from_others(personas, food_item, food_impl, login_client):
    a = login_client(personas.a_inspector)
    for url in (reverse("catalog:item_list"), reverse("catalog:item_detail", args=[food_item.pk]),
                reverse("catalog:item_history", args=[food_item.pk]), reverse("catalog:impl_detail", args=[food_impl.pk]),
                reverse("catalog:impl_list"), reverse("catalog:provision_list"), reverse("catalog:guideline_list")):
        assert a.get(url).status_code == 200, url
    b = login_client(personas.b_leader)
    assert b.get(reverse("catalog:item_detail", args=[food_item.pk])).status_code == 404
    assert FOOD_CODE not in b.get(reverse("catalog:item_list")).content.decode()


def test_the_history_page_shows_a_side_by_side_diff(personas, food_item, login_client):
    services.item_update(actor=personas.a_leader, item=food_item, data={"method": "信用监管、双随机抽查"},
                         effective_from=dt.date(2026, 5, 1), reason="law_change", reason_note="新办法施行")
    html = login_client(personas.a_leader).get(reverse("catalog:item_history", args=[food_item.pk])).content.decode()
    assert "v1 与 v2 对比：1 项变化" in html
    assert "双随机抽查、重点检查" in html and "信用监管、双随机抽查" in html and "新办法施行" in html


def test_editing_an_item_through_the_form_makes_a_new_version(personas, food_item, login_client):
    client = login_client(personas.a_leader)
    form = client.get(reverse("catalog:item_edit", args=[food_item.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"handling_staff": [u.pk for u in data["handling_staff"]], "responsible_leader": personas.a_leader.pk,
                 "handling_unit": personas.unit_a.pk, "name": "食品经营者日常监督检查", "effective_from": "2026-07-01",
                 "reason": "function_change", "reason_note": "职能调整", "random_check": "on"})
    data.pop("approval_to_filing", None)
    response = client.post(reverse("catalog:item_edit", args=[food_item.pk]), data)
    assert response.status_code == 302
    food_item.refresh_from_db()
    assert food_item.version == 2 and food_item.name == "食品经营者日常监督检查"


def test_another_department_cannot_edit_and_nothing_changes(personas, food_item, login_client):
    events = AuditEvent.objects.count()
    response = login_client(personas.b_admin).post(reverse("catalog:item_edit", args=[food_item.pk]), {"name": "x"})
    assert response.status_code == 404
    assert SupervisionItem.objects.get(pk=food_item.pk).name == "食品经营者监督检查" and AuditEvent.objects.count() == events


def test_gap_items_are_visible_on_the_list_and_the_leaders_home(personas, login_client):
    services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430001009", name="无人负责的事项",
                         supervision_object="x", effective_from=dt.date(2026, 1, 1))
    client = login_client(personas.a_leader)
    html = client.get(reverse("catalog:item_list") + "?gaps=1").content.decode()
    assert "无人负责的事项" in html and "未明确" in html
    home = client.get(reverse("core:home")).content.decode()
    assert "1 个监管事项未明确分管负责人、承办机构或承办人员" in home


def test_notice_pages_serve_both_sides(personas, food_item, login_client, django_capture_on_commit_callbacks):
    from jianguan.catalog.tests.test_services_linkage import grant_licence, make_entity

    services.route_create(actor=personas.owner, matter="食品经营许可", keyword="食品经营许可", supervising_department=personas.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence(personas.owner, personas.owner_dept, make_entity("沁县戊店"))
    notice = SupervisionNotice.objects.get()
    supervisor = login_client(personas.a_inspector)
    assert "沁县戊店" in supervisor.get(reverse("catalog:notice_list")).content.decode()
    assert supervisor.post(reverse("catalog:notice_detail", args=[notice.pk]), {"action": "sign"}).status_code == 302
    supervisor.post(reverse("catalog:notice_detail", args=[notice.pk]), {"action": "feedback", "result": "1", "note": ""})
    approval = login_client(personas.owner)
    page = approval.get(reverse("catalog:licence_supervision", args=[licence.pk])).content.decode()
    assert "未发现问题" in page
    assert login_client(personas.b_leader).get(reverse("catalog:notice_detail", args=[notice.pk])).status_code == 404
    assert approval.get(reverse("catalog:route_list")).status_code == 200
    assert supervisor.get(reverse("catalog:notice_list") + "?export=xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_plan_pages_let_a_department_plan_and_the_owner_approve(personas, food_item, login_client, on_day):
    on_day(dt.date(2026, 3, 1))
    leader = login_client(personas.a_leader)
    response = leader.post(reverse("catalog:plan_list"), {"department": personas.dept_a.pk, "year": 2026})
    plan_url = response["Location"]
    response = leader.post(plan_url, {"action": "add", "item": food_item.pk, "object_scope": "辖区内食品销售者", "category": "key",
                                      "ratio": "20", "frequency": 1, "period_start": "2026-04-01", "period_end": "2026-12-31",
                                      "method": "onsite"})
    assert response.status_code == 302
    leader.post(plan_url, {"action": "submit"})
    owner = login_client(personas.owner)
    owner.post(reverse("catalog:county_plan_action", args=[2026, "approve"]), {"note": "同意"})
    html = owner.get(reverse("catalog:county_plan", args=[2026])).content.decode()
    assert "已批准" in html and "食品经营者监督检查" in html and "20%" in html


def test_rule_pages_render_and_cleanup_is_tracked(personas, published_rule, login_client):
    rule, _draft = published_rule
    client = login_client(personas.a_admin)
    assert client.get(reverse("catalog:rule_list")).status_code == 200
    response = client.post(reverse("catalog:rule_detail", args=[rule.pk]),
                           {"action": "cleanup", "status": "flagged", "reason": "elastic", "note": "检查频次“必要时”弹性过大"})
    assert response.status_code == 302
    assert RuleStandard.objects.get(pk=rule.pk).cleanup_status == "flagged"
    assert "待清理" in client.get(reverse("catalog:rule_list") + "?cleanup=flagged").content.decode()


def test_excel_template_import_and_export_round_trip_through_the_pages(personas, login_client):
    from openpyxl import load_workbook

    client = login_client(personas.a_admin)
    template = client.get(reverse("catalog:excel_template", args=["items"]))
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames[1] == "填写说明"
    upload = io.BytesIO(template.content)
    upload.name = "items.xlsx"
    response = client.post(reverse("catalog:excel_import", args=["items"]), {"file": upload})
    assert "新增 1 行" in response.content.decode()
    exported = client.get(reverse("catalog:item_list") + "?export=xlsx")
    again = io.BytesIO(exported.content)
    again.name = "export.xlsx"
    response = client.post(reverse("catalog:excel_import", args=["items"]), {"file": again})
    assert "未变化 1 行" in response.content.decode()


def test_home_page_renders_for_every_role(personas, login_client):
    for user in personas.all_staff():
        assert login_client(user).get(reverse("core:home")).status_code == 200
