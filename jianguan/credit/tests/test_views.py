"""Pages: the public credit page shows only what is in window, masked; the report verifies; staff and enterprise pages."""
import datetime as dt
import io
import re

import pytest

from jianguan.credit import grading, services
from jianguan.credit.models import CreditCheck, CreditReport


@pytest.fixture
def shop(credit):
    entity = credit.entity("沁县鑫源食品有限公司", rep="张三丰", established_on=dt.date(2015, 1, 1))
    today = dt.date.today()
    credit.penalty(entity, on=today - dt.timedelta(days=30), title="经营超过保质期的食品", fine_yuan=50000)
    credit.penalty(entity, on=today - dt.timedelta(days=4 * 365), title="未按规定进行进货查验记录", fine_yuan=5000)
    credit.penalty(entity, on=today - dt.timedelta(days=120), title="仅予警告的轻微违法", kinds=("罚款",), fine_yuan=500)
    return entity


def test_the_public_page_shows_only_what_is_in_window_masked(shop, client):
    html = client.get(f"/public/credit/{shop.uscc}/").content.decode()
    assert "经营超过保质期的食品" in html
    assert "未按规定进行进货查验记录" not in html  # past its three-year maximum
    assert "仅予警告的轻微违法" not in html  # minor fine under SAMR Order 45: three months only
    assert "张*丰" in html and "张三丰" not in html


def test_the_public_search_finds_by_name_and_code(shop, client):
    assert shop.uscc in client.get("/public/credit/", {"q": "鑫源"}).content.decode()
    assert "鑫源" in client.get("/public/credit/", {"q": shop.uscc}).content.decode()
    assert "至少输入两个字" in client.get("/public/credit/", {"q": "鑫"}).content.decode()


def test_the_public_api_shows_the_same_window(shop, client):
    body = client.get(f"/api/v1/credit/public/{shop.uscc}").json()
    assert [i["title"] for i in body["items"]] == ["经营超过保质期的食品"]
    assert body["legal_representative"] == "张*丰"


def test_the_credit_report_is_a_docx_with_a_code_the_public_page_verifies(shop, client):
    from docx import Document

    response = client.post(f"/public/credit/{shop.uscc}/report/", {"format": "docx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    code = re.search(r"报告验证码：([0-9A-Z]{12})", text).group(1)
    row = CreditReport.objects.get(code=code)
    assert row.uscc == shop.uscc and [i["title"] for i in row.items] == ["经营超过保质期的食品"]
    page = client.get("/public/credit/verify/", {"code": code}).content.decode()
    assert "报告真实有效" in page and shop.name in page
    assert "验证码无效" in client.get("/public/credit/verify/", {"code": "NOPE"}).content.decode()
    assert client.get(f"/api/v1/credit/public/reports/{code}").json()["uscc"] == shop.uscc


def test_staff_see_the_credit_record_with_the_explanation(shop, personas, login_client):
    grading.grade_all()
    html = login_client(personas.b_inspector).get(f"/credit/entities/{shop.uscc}/").content.decode()
    assert "信用风险分类" in html and "行政处罚" in html and "计分规则" in html
    assert "其他部门的记录" in html  # department B sees A's penalties as restricted lines


def test_the_counter_page_checks_logs_and_takes_the_report(shop, personas, login_client):
    client = login_client(personas.a_inspector)
    html = client.get("/credit/check/", {"scenario": "procurement", "uscc": shop.uscc}).content.decode()
    assert "适用的奖惩措施" in html and shop.name in html
    check = CreditCheck.objects.get()
    response = client.post(f"/credit/check/{check.pk}/report/", {"action": "no_measure", "note": ""})
    assert response.status_code == 302
    assert "未采取措施" in client.get("/credit/checks/").content.decode()
    bad = client.get("/credit/check/", {"scenario": "nope", "uscc": shop.uscc}).content.decode()
    assert "errorlist" in bad and CreditCheck.objects.count() == 1


def test_enterprise_sees_its_class_items_and_forms_but_not_staff_pages(credit, personas, login_client):
    own = credit.own_entity(established_on=dt.date(2015, 1, 1))
    credit.penalty(own, on=dt.date.today() - dt.timedelta(days=200), fine_yuan=50000)
    grading.grade_all()
    client = login_client(personas.enterprise)
    html = client.get("/credit/me/").content.decode()
    assert "信用风险分类" in html and "申请信用修复" in html and "报送年度报告" in html and "计分规则" not in html
    assert client.get("/credit/").status_code == 403
    assert client.get("/credit/check/").status_code == 403
    response = client.post("/credit/me/commitment/", {"kind": "public", "matter": "食品安全承诺", "text": "承诺不经营过期食品",
                                                       "term_end": (dt.date.today() + dt.timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    assert "食品安全承诺" in client.get("/credit/me/").content.decode()


@pytest.mark.parametrize("url", ["/credit/", "/credit/abnormal/", "/credit/serious/", "/credit/remedies/", "/credit/measures/",
                                 "/credit/rules/", "/credit/checks/", "/credit/check/"])
def test_staff_pages_render(credit, personas, login_client, url):
    grading.grade_all()
    assert login_client(personas.a_admin).get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in_for_staff_pages(client, db):
    response = client.get("/credit/check/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_leader_decides_from_the_remedies_page(credit, personas, login_client):
    own = credit.own_entity()
    listing = services.abnormal_list(actor=personas.a_admin, entity=own, ground="unreachable", facts="无法联系")
    objection = services.objection_file(actor=personas.enterprise, entity=own, item_type="abnormal", item_id=listing.pk, reason="可联系")
    client = login_client(personas.a_leader)
    assert "可联系" in client.get("/credit/remedies/").content.decode()
    client.post(f"/credit/remedies/objection/{objection.pk}/", {"outcome": "corrected", "note": "核实可联系"})
    objection.refresh_from_db()
    assert objection.outcome == "corrected"
