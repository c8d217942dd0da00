"""Catalogue fixtures: a market-supervision item with its people, basis and an implementation list."""
from __future__ import annotations

import datetime as dt

import pytest

FOOD_CODE = "11140430001001"


@pytest.fixture
def basis(personas):
    from jianguan.catalog import services

    return services.provisions_resolve(actor=personas.a_admin, pairs=[("中华人民共和国食品安全法", "第八十七条"),
                                                                      ("食品生产经营监督检查管理办法", "第十条")])


@pytest.fixture
def food_item(personas, basis):
    from jianguan.catalog import services

    return services.item_create(
        actor=personas.a_admin, department=personas.dept_a, code=FOOD_CODE, name="食品经营者监督检查",
        supervision_object="食品经营者", scope="辖区内取得食品经营许可的经营者", method="双随机抽查、重点检查",
        field="food_drug", category="key", random_check=True, effective_from=dt.date(2026, 1, 1),
        provisions=basis, responsible_leader=personas.a_leader, handling_unit=personas.unit_a,
        handling_staff=[personas.a_inspector, personas.a_inspector2],
    )


@pytest.fixture
def food_impl(personas, food_item):
    from jianguan.catalog import services

    return services.impl_list_create(
        actor=personas.a_admin, item=food_item, code=FOOD_CODE + "001", name="食品销售者日常监督检查",
        check_object="食品销售者", frequency="每年不少于1次", method="onsite", effective_from=dt.date(2026, 1, 1),
        check_points=["经营许可证是否在有效期内并悬挂", ("从业人员健康证明", "食品安全法 第四十五条"), "进货查验记录"],
        basis="《食品安全法》第八十七条", result_handling="发现问题责令改正；涉嫌违法的立案查处",
    )


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is the given date everywhere that asks django.utils.timezone.localdate()."""
    from django.utils import timezone

    def set_day(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
        return day

    return set_day
