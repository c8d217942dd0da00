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
