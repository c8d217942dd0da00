"""Shared test fixtures: personas for every role in two departments, API clients, fast password hashing.

Personas (Healthchecks style — names tell you what to expect):
  owner            协调办/平台管理员: sees everything
  a_admin, a_leader, a_inspector, a_inspector2, a_reviewer   in department A (市场监管局; a_inspector sits in its 执法队)
  b_admin, b_leader, b_inspector, b_reviewer                  in department B (应急管理局): must not see A's data
  enterprise       an enterprise account (its own USCC only)
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass

import pytest

from jianguan.core.choices import DepartmentKind, Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

PASSWORD = "Test-Passw0rd!"


def pytest_configure(config):
    """Compile the translation catalogues so a bare `pytest` sees the same UI as `make test`."""
    from jianguan.core import i18n

    i18n.compile_all()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Personas:
    dept_a: object
    unit_a: object
    dept_b: object
    owner_dept: object
    owner: object
    a_admin: object
    a_leader: object
    a_inspector: object
    a_inspector2: object
    a_reviewer: object
    b_admin: object
    b_leader: object
    b_inspector: object
    b_reviewer: object
    enterprise: object

    def all_staff(self):
        return [self.owner, self.a_admin, self.a_leader, self.a_inspector, self.a_reviewer,
                self.b_admin, self.b_leader, self.b_inspector, self.b_reviewer]


def make_department(name, *, parent=None, kind=DepartmentKind.BUREAU):
    from jianguan.core.identifiers import generate_uscc
    from jianguan.core.models import Department

    return Department.objects.create(
        name=name, short_name=name.removeprefix("沁县"), kind=kind, parent=parent, region_code="140430",
        uscc=None if parent else generate_uscc(random.Random(name), authority="1", kind="1"),
    )


def make_user(username, role, department=None, **extra):
    from jianguan.core.services import account_create

    user, _ = account_create(actor=None, username=username, display_name=extra.pop("display_name", username), role=role,
                             department=department, password=PASSWORD, must_change_password=False, **extra)
    return user


@pytest.fixture
def personas(db) -> Personas:
    from jianguan.core.demo import enterprise_demo_uscc

    owner_dept = make_department("沁县审批服务管理局")
    dept_a = make_department("沁县市场监督管理局")
    unit_a = make_department("沁县市场监督管理局综合行政执法队", parent=dept_a, kind=DepartmentKind.UNIT)
    dept_b = make_department("沁县应急管理局")
    return Personas(
        dept_a=dept_a, unit_a=unit_a, dept_b=dept_b, owner_dept=owner_dept,
        owner=make_user("owner", Role.OWNER, owner_dept, display_name="平台管理员"),
        a_admin=make_user("a_admin", Role.DEPT_ADMIN, dept_a, display_name="甲管理员"),
        a_leader=make_user("a_leader", Role.DEPT_LEADER, dept_a, display_name="甲局长"),
        a_inspector=make_user("a_inspector", Role.INSPECTOR, unit_a, display_name="张执法", cert_no="A0001",
                              phone="13912345678", id_number="140430199001011230"),
        a_inspector2=make_user("a_inspector2", Role.INSPECTOR, unit_a, display_name="李执法", cert_no="A0002"),
        a_reviewer=make_user("a_reviewer", Role.REVIEWER, dept_a, display_name="赵法审", has_legal_qualification=True),
        b_admin=make_user("b_admin", Role.DEPT_ADMIN, dept_b, display_name="乙管理员"),
        b_leader=make_user("b_leader", Role.DEPT_LEADER, dept_b, display_name="乙局长"),
        b_inspector=make_user("b_inspector", Role.INSPECTOR, dept_b, display_name="刘安全", cert_no="B0001"),
        b_reviewer=make_user("b_reviewer", Role.REVIEWER, dept_b, display_name="孙审核"),
        enterprise=make_user("enterprise", Role.ENTERPRISE, None, display_name="沁县示范食品有限公司", uscc=enterprise_demo_uscc()),
    )


@pytest.fixture
def api_client():
    """A Django test client for the JSON API authenticated with a bearer token of the given user."""
    from django.test import Client

    from jianguan.core.services import token_create

    def make(user):
        _, token = token_create(actor=None, user=user, name="pytest", expires_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def login_client():
    """A Django test client with a browser session for the given user."""
    from django.test import Client

    def make(user, enforce_csrf=False):
        client = Client(enforce_csrf_checks=enforce_csrf)
        client.force_login(user)
        return client

    return make


# --- browser tests (Playwright driving the system Chromium) ------------------------------------------------

CHROMIUM = os.environ.get("JIANGUAN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOT_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-results")


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"浏览器测试需要 {CHROMIUM}：请以 root 运行 make test（会自动安装 chromium 和中文字体）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_login(chromium, live_server):
    """browser_login(user, phone=False) -> a Playwright page signed in as `user` (desktop or 375 px phone)."""
    contexts = []

    def login(user, phone=False):
        viewport = {"width": 375, "height": 812} if phone else {"width": 1280, "height": 900}
        context = chromium.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield login
    for context in contexts:
        context.close()


def screenshot(page, name):
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


CJK_RENDER_CHECK = """() => {
  // Without a CJK font every Han character is drawn as the same box: two different characters
  // rendered in the page's own font must differ pixel for pixel.
  const font = getComputedStyle(document.body).font;
  const draw = (ch) => { const c = document.createElement('canvas'); c.width = 40; c.height = 40;
    const x = c.getContext('2d'); x.font = font.replace(/\\d+px/, '28px'); x.fillText(ch, 4, 32);
    return Array.from(x.getImageData(0, 0, 40, 40).data).join(','); };
  return draw('监') !== draw('管') && draw('监') !== draw('\\uFFFF');
}"""

NO_HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
