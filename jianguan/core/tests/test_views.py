import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jianguan.conftest import PASSWORD
from jianguan.core.models import AuditEvent, User


def test_login_page_is_chinese_and_self_contained(db):
    response = Client().get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html and 'lang="zh-CN"' in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_anonymous_home_redirects_to_login(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona, marker", [
    ("owner", "平台概况"), ("a_admin", "部门动态"), ("a_leader", "部门动态"), ("a_inspector", "执法资格"),
    ("a_reviewer", "法制审核"), ("enterprise", "本企业"),
])
def test_each_role_signs_in_and_sees_its_home(personas, persona, marker):
    client = Client()
    response = client.post("/login/", {"username": persona if persona != "owner" else "owner", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert marker in html, html[:2000]
    assert AuditEvent.objects.filter(action="account.login", actor_id=getattr(personas, persona).pk).exists()


def test_menu_follows_the_role(personas, login_client):
    owner_html = login_client(personas.owner).get("/").content.decode()
    inspector_html = login_client(personas.a_inspector).get("/").content.decode()
    assert "运行参数" in owner_html and "审计日志" in owner_html
    assert "运行参数" not in inspector_html and "人员账号" not in inspector_html
    assert login_client(personas.a_inspector).get("/params/").status_code == 403


def test_wrong_password_is_refused_without_revealing_which_part(personas):
    html = Client().post("/login/", {"username": "a_admin", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in html
    html = Client().post("/login/", {"username": "ghost", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in html


def test_locked_account_is_told_when_it_unlocks(personas):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "a_admin", "password": "nope"})
    html = client.post("/login/", {"username": "a_admin", "password": PASSWORD}).content.decode()
    assert "已锁定" in html


def test_temporary_password_forces_a_change_first(personas):
    User.objects.filter(pk=personas.a_reviewer.pk).update(must_change_password=True)
    client = Client()
    response = client.post("/login/", {"username": "a_reviewer", "password": PASSWORD})
    assert response["Location"] == "/password/"
    assert client.get("/departments/")["Location"] == "/password/"
    client.post("/password/", {"old_password": PASSWORD, "new_password": "Fresh-Pass-2026", "new_password2": "Fresh-Pass-2026"})
    assert client.get("/departments/").status_code == 200


def test_logout_needs_post_and_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.a_admin)
    response = client.post("/logout/")
    assert response.status_code == 403 and "数据没有任何改动" in response.content.decode()
    assert client.get("/").status_code == 200  # still signed in


def test_inactive_session_expires(personas, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_text_is_escaped_everywhere(personas, login_client):
    from jianguan.core import services

    services.account_update(actor=personas.a_admin, user=personas.a_inspector2, data={"display_name": "<script>alert(1)</script>"})
    html = login_client(personas.a_admin).get("/accounts/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_user_pages_are_scoped(personas, login_client):
    assert login_client(personas.b_admin).get(f"/accounts/{personas.a_inspector.pk}/").status_code == 404
    assert login_client(personas.a_admin).get(f"/accounts/{personas.a_inspector.pk}/").status_code == 200


def test_denied_form_post_changes_nothing(personas, login_client):
    before = (User.objects.count(), AuditEvent.objects.count())
    response = login_client(personas.b_admin).post(f"/accounts/{personas.a_inspector.pk}/disable/", {"reason": "越权"})
    assert response.status_code == 404
    assert User.objects.get(pk=personas.a_inspector.pk).is_active
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_account_page_masks_and_reveal_is_audited(personas, login_client):
    client = login_client(personas.a_admin)
    html = client.get(f"/accounts/{personas.a_inspector.pk}/").content.decode()
    assert "140430********1230" in html and "140430199001011230" not in html
    revealed = client.post(f"/accounts/{personas.a_inspector.pk}/reveal/id_number/").content.decode()
    assert "140430199001011230" in revealed
    assert AuditEvent.objects.filter(action="pii.reveal", actor_id=personas.a_admin.pk).exists()


def test_create_account_through_the_form_shows_the_temporary_password_once(personas, login_client):
    client = login_client(personas.a_admin)
    response = client.post("/accounts/new/", {"username": "zf_new", "display_name": "新执法", "role": "inspector",
                                              "department": personas.unit_a.pk, "cert_no": "A0200"})
    html = response.content.decode()
    assert "临时密码只显示这一次" in html
    user = User.objects.get(username="zf_new")
    assert user.must_change_password and user.department_id == personas.unit_a.pk


def test_form_errors_name_the_field_in_chinese(personas, login_client):
    html = login_client(personas.a_admin).post("/accounts/new/", {"username": "zf_new", "display_name": "新执法",
                                                                   "role": "inspector", "department": personas.unit_a.pk}).content.decode()
    assert "执法人员必须填写执法证号" in html
    assert not User.objects.filter(username="zf_new").exists()


def test_excel_export_is_protected_against_formula_injection(personas, login_client):
    from jianguan.core import services

    services.account_update(actor=personas.a_admin, user=personas.a_inspector2, data={"display_name": "=HYPERLINK(\"x\")"})
    response = login_client(personas.a_admin).get("/accounts/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_english_switch(personas, login_client):
    client = login_client(personas.a_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Department" in html and "工作台" not in html


def test_owner_audit_page_and_verify(personas, login_client):
    client = login_client(personas.owner)
    assert "审计日志" in client.get("/audit/").content.decode()
    response = client.post("/audit/verify/", follow=True)
    assert "审计链完整" in response.content.decode()


def test_object_history_page_scoped(personas, login_client):
    url = f"/history/core.user/{personas.a_inspector.pk}/"
    assert login_client(personas.a_admin).get(url).status_code == 200
    assert login_client(personas.b_admin).get(url).status_code == 404


def test_calendar_page_computes_a_deadline(personas, login_client):
    html = login_client(personas.a_inspector).get("/calendar/?rule=deadline.inspection_result_publicity&start=2026-09-25").content.decode()
    assert "2026年10月29日" in html


def test_owner_records_a_holiday_and_others_cannot(personas, login_client):
    from jianguan.core.models import Holiday

    assert login_client(personas.a_admin).post("/calendar/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}).status_code == 403
    assert not Holiday.objects.exists()
    login_client(personas.owner).post("/calendar/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert Holiday.objects.get().name == "元旦"


def test_parameter_page_adds_a_version(personas, login_client):
    from jianguan.core.models import Parameter

    client = login_client(personas.owner)
    html = client.post("/params/", {"key": "security.lockout_threshold", "value": "abc", "effective_from": "2030-01-01",
                                    "reason": "x"}).content.decode()
    assert "不是有效的整数" in html and not Parameter.objects.exists()
    client.post("/params/", {"key": "security.lockout_threshold", "value": "6", "effective_from": "2030-01-01", "reason": "整改"})
    assert Parameter.objects.get().value == 6


def test_token_page_issues_a_token_once(personas, login_client):
    html = login_client(personas.a_admin).post("/tokens/", {"username": "a_inspector", "name": "执法终端", "expires_days": 30}).content.decode()
    assert "令牌只显示这一次" in html and "jg_" in html
    html = login_client(personas.a_admin).post("/tokens/", {"username": "b_inspector", "name": "越权", "expires_days": 30}).content.decode()
    assert "不在您的管理范围内" in html


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/").content.decode()
    assert 'lang="zh-CN"' in html and "登录" in html


def test_owner_reaches_the_back_office_and_others_do_not(personas, login_client):
    assert login_client(personas.owner).get("/admin/").status_code == 200
    assert login_client(personas.a_admin).get("/admin/").status_code == 302


def test_owner_creates_a_unit_and_shares_data_through_the_ui(personas, login_client):
    from jianguan.core.models import Department, DepartmentShare

    client = login_client(personas.owner)
    response = client.post("/departments/new/", {"name": "沁县应急管理局煤矿安全监管股", "kind": "unit", "parent": personas.dept_b.pk,
                                                 "region_code": "140430", "sort_order": 10})
    unit = Department.objects.get(name="沁县应急管理局煤矿安全监管股")
    assert response["Location"] == f"/departments/{unit.pk}/"
    assert AuditEvent.objects.filter(action="department.create", object_id=str(unit.pk)).exists()
    html = client.post("/departments/new/", {"name": "坏部门", "kind": "bureau", "region_code": "140430", "uscc": "91440300708461136A",
                                             "sort_order": 1}).content.decode()
    assert "校验码" in html and not Department.objects.filter(name="坏部门").exists()
    client.post(f"/departments/{personas.dept_a.pk}/share/", {"grantee": personas.dept_b.pk, "scope": "read", "reason": "联合检查"})
    assert DepartmentShare.objects.filter(owner=personas.dept_a, grantee=personas.dept_b).exists()


def test_only_the_owner_manages_departments(personas, login_client):
    from jianguan.core.models import Department

    count = Department.objects.count()
    assert login_client(personas.a_admin).post("/departments/new/", {"name": "x", "kind": "bureau", "region_code": "140430",
                                                                      "sort_order": 1}).status_code == 403
    assert login_client(personas.a_admin).post(f"/departments/{personas.dept_a.pk}/share/", {"grantee": personas.dept_b.pk,
                                                                                             "scope": "read", "reason": "x"}).status_code == 403
    assert Department.objects.count() == count


def test_back_office_is_read_only(personas, login_client):
    client = login_client(personas.owner)
    assert client.get("/admin/core/department/").status_code == 200
    assert client.get("/admin/core/department/add/").status_code == 403
