"""Inspections fixtures: a random-check food item with its checklist, an approved plan row, a safety item of department
B, a registry of food shops, and an inspector directory. Today is pinned to 2026-06-15 (inside the plan period)."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from jianguan.catalog.tests.conftest import FOOD_CODE, basis, food_impl, food_item, on_day  # noqa: F401

TODAY = dt.date(2026, 6, 15)
SAFETY_CODE = "11140430002001"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today(on_day):  # noqa: F811
    return on_day(TODAY)


def approve_plan(personas, department, leader, rows):
    """A department plan with `rows` [(item, ratio)], submitted and approved by 协调办; returns the plan rows."""
    from jianguan.catalog import services

    plan = services.department_plan_create(actor=leader, department=department, year=2026)
    out = [services.plan_row_add(actor=leader, plan=plan, item=item, object_scope="辖区内经营者", ratio=str(ratio),
                                 frequency=1, period_start=dt.date(2026, 6, 1), period_end=dt.date(2026, 12, 31),
                                 method="onsite")
           for item, ratio in rows]
    services.department_plan_submit(actor=leader, plan=plan)
    services.department_plan_decide(actor=personas.owner, plan=plan, approve=True, note="同意")
    return out


@pytest.fixture
def food_row(personas, today, food_item, food_impl):  # noqa: F811
    return approve_plan(personas, personas.dept_a, personas.a_leader, [(food_item, 10)])[0]


@pytest.fixture
def safety_item(personas, today):
    from jianguan.catalog import services

    provisions = services.provisions_resolve(actor=personas.b_admin, pairs=[("中华人民共和国安全生产法", "第六十五条")])
    item = services.item_create(
        actor=personas.b_admin, department=personas.dept_b, code=SAFETY_CODE, name="生产经营单位安全生产监督检查",
        supervision_object="生产经营单位", scope="辖区内生产经营单位", method="双随机抽查", field="work_safety",
        category="general", random_check=True, effective_from=dt.date(2026, 1, 1), provisions=provisions,
        responsible_leader=personas.b_leader, handling_unit=personas.dept_b, handling_staff=[personas.b_inspector])
    services.impl_list_create(
        actor=personas.b_admin, item=item, code=SAFETY_CODE + "001", name="安全生产检查", check_object="生产经营单位",
        frequency="每年1次", method="onsite", effective_from=dt.date(2026, 1, 1),
        check_points=["安全生产责任制", "隐患排查治理台账"], basis="《安全生产法》", result_handling="责令改正")
    return item


@pytest.fixture
def safety_row(personas, safety_item):
    return approve_plan(personas, personas.dept_b, personas.b_leader, [(safety_item, 20)])[0]


@pytest.fixture
def shops(db):
    """40 food shops (industry F52, 存续) and 5 factories (C13), plus one cancelled shop."""
    from jianguan.core.identifiers import generate_uscc
    from jianguan.entities.models import Entity

    rng = random.Random("shops")
    rows = [Entity(uscc=generate_uscc(rng), name=f"沁县第{i}食品店", division_code="140430100000", industry_code="F5221",
                   status="existing", kind="enterprise") for i in range(40)]
    rows += [Entity(uscc=generate_uscc(rng), name=f"沁县第{i}食品厂", division_code="140430101000", industry_code="C1391",
                    status="operating", kind="enterprise") for i in range(5)]
    rows.append(Entity(uscc=generate_uscc(rng), name="沁县已注销食品店", division_code="140430100000", industry_code="F5221",
                       status="cancelled", kind="enterprise"))
    return Entity.objects.bulk_create(rows)


@pytest.fixture
def inspectors(personas):
    """Directory entries: a_inspector, a_inspector2 and two more food inspectors of A; b_inspector and one more of B."""
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role
    from jianguan.inspections import services

    for user in (personas.a_inspector, personas.a_inspector2):
        user.enforcement_fields = "食品药品"
        user.save(update_fields=["enforcement_fields"])
    make_user("a_inspector3", Role.INSPECTOR, personas.unit_a, display_name="王执法", cert_no="A0003", enforcement_fields="食品药品")
    make_user("a_inspector4", Role.INSPECTOR, personas.unit_a, display_name="陈执法", cert_no="A0004", enforcement_fields="食品药品")
    make_user("b_inspector2", Role.INSPECTOR, personas.dept_b, display_name="周安全", cert_no="B0002", enforcement_fields="安全生产")
    personas.b_inspector.enforcement_fields = "安全生产"
    personas.b_inspector.save(update_fields=["enforcement_fields"])
    services.inspector_sync(actor=personas.owner)
    from jianguan.inspections.models import Inspector

    return {e.code: e for e in Inspector.objects.select_related("user")}


@pytest.fixture
def food_rule(personas, food_item):  # noqa: F811
    from jianguan.inspections import services

    return services.object_rule_save(actor=personas.a_admin, item=food_item, data={"industry_prefixes": "F52"})


@pytest.fixture
def food_task(personas, food_row, food_rule, shops, inspectors):
    from jianguan.inspections import services

    return services.task_create(actor=personas.a_leader, department=personas.dept_a, name="2026年食品销售者双随机抽查",
                                plan_rows=[food_row], ratios={"A": "5", "B": "10", "C": "50", "D": "100"})


@pytest.fixture
def drawn_task(personas, food_task):
    from jianguan.inspections import services

    services.draw_commit(actor=personas.a_leader, task=food_task)
    services.draw_run(actor=personas.a_leader, task=food_task)
    food_task.refresh_from_db()
    return food_task
