import io

from jianguan.entities.models import Entity

from .factories import make_entity, uscc


def test_search_page_finds_by_fragment_and_exports_to_excel(personas, login_client):
    make_entity("沁县鑫源食品有限公司", legal_representative="张三")
    make_entity("沁县其他公司")
    client = login_client(personas.a_inspector)
    page = client.get("/entities/?q=鑫源").content.decode()
    assert "沁县鑫源食品有限公司" in page and "沁县其他公司" not in page
    response = client.get("/entities/?q=鑫源&export=xlsx")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and rows[1][1] == "沁县鑫源食品有限公司" and len(rows) == 2


def test_a_one_character_query_explains_itself(personas, login_client):
    page = login_client(personas.a_inspector).get("/entities/?q=鑫").content.decode()
    assert "至少输入两个字" in page


def test_leaders_create_entities_through_the_form(personas, login_client):
    code = uscc()
    r = login_client(personas.a_leader).post("/entities/new/", {"uscc": code, "name": "沁县表单公司", "kind": "enterprise",
                                                                "division_code": "140430100"})
    assert r.status_code == 302 and Entity.objects.filter(uscc=code).exists()
    bad = login_client(personas.a_leader).post("/entities/new/", {"uscc": "123", "name": "x", "kind": "enterprise",
                                                                  "division_code": "140430100"})
    assert "18位" in bad.content.decode()


def test_inspectors_cannot_open_the_create_form(personas, login_client):
    assert login_client(personas.a_inspector).get("/entities/new/").status_code == 403


def test_status_change_and_person_link_from_the_profile(personas, login_client):
    e = make_entity("沁县状态公司")
    client = login_client(personas.a_admin)
    client.post(f"/entities/{e.uscc}/status/", {"status": "revoked", "reason": "吊销营业执照"})
    client.post(f"/entities/{e.uscc}/people/", {"name": "钱七", "role": "legal_rep", "id_number": ""})
    e.refresh_from_db()
    assert e.status == "revoked" and e.legal_representative == "钱七"
    person = e.people.get().person
    page = client.get(f"/entities/people/{person.pk}/").content.decode()
    assert "沁县状态公司" in page


def test_the_page_works_on_a_phone_layout(personas, login_client):
    e = make_entity("沁县手机公司")
    page = login_client(personas.a_inspector).get(f"/entities/{e.uscc}/").content.decode()
    assert page.count('class="card table-wrap"') >= 2 and 'name="viewport"' in page
