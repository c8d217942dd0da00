"""Sign in as every role in headless Chromium, desktop and phone: Chinese renders, nothing overflows."""
import pytest

from jianguan.conftest import CJK_RENDER_CHECK, NO_HORIZONTAL_OVERFLOW, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["owner", "a_admin", "a_leader", "a_inspector", "a_reviewer", "enterprise"]


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_signs_in_and_chinese_renders(personas, browser_login, persona):
    page = browser_login(getattr(personas, persona))
    assert "工作台" in page.title() or "您好" in page.content()
    assert page.locator("h1").first.inner_text().startswith("您好")
    assert page.evaluate(CJK_RENDER_CHECK), "中文字体缺失：汉字被渲染成方框"
    screenshot(page, f"home-{persona}")


@pytest.mark.parametrize("persona", ["owner", "a_inspector", "enterprise"])
def test_phone_width_layout_does_not_break(personas, browser_login, persona):
    page = browser_login(getattr(personas, persona), phone=True)
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    nav = page.locator("nav.nav")
    assert not nav.is_visible()  # collapsed behind the menu button
    page.click("[data-menu-toggle]")
    assert nav.is_visible()
    screenshot(page, f"phone-{persona}")


def test_account_list_and_reveal_on_a_phone(personas, browser_login, live_server):
    page = browser_login(personas.a_admin, phone=True)
    page.goto(f"{live_server.url}/accounts/{personas.a_inspector.pk}/")
    assert "140430********1230" in page.content()
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    page.locator("#pii-id button").click()
    page.wait_for_selector("#pii-id:has-text('140430199001011230')")
    screenshot(page, "phone-account-reveal")


def test_login_page_and_wrong_password(db, browser_login, chromium, live_server):
    context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.evaluate(CJK_RENDER_CHECK)
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.click("main form button[type=submit]")
    assert "用户名或密码不正确" in page.content()
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    screenshot(page, "phone-login-error")
    context.close()


def test_no_request_leaves_the_host(personas, chromium, live_server):
    context = chromium.new_context()
    page = context.new_page()
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "owner")
    from jianguan.conftest import PASSWORD

    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path in ["/departments/", "/accounts/", "/audit/", "/params/", "/calendar/", "/api/v1/docs"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert foreign == []
    context.close()


def test_english_interface_fits_a_phone_too(personas, browser_login):
    page = browser_login(personas.a_inspector, phone=True)
    page.click("[data-menu-toggle]")
    page.click(".lang-switch button")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    screenshot(page, "phone-english")
