"""Credit test data: entities with people and records, built through the lower apps' services."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from jianguan.core.identifiers import generate_id_number
from jianguan.entities.tests.factories import make_entity, uscc

_rng = random.Random(55)


@pytest.fixture(autouse=True)
def _fresh_caches():
    from jianguan.core import workdays
    from jianguan.credit import checks, disclosure

    checks.invalidate()
    disclosure.invalidate()
    workdays.invalidate()
    yield
    checks.invalidate()
    disclosure.invalidate()


class Credit:
    """Builds the credit world for tests: department A is the market-supervision bureau bound to SAMR Order 45."""

    def __init__(self, personas):
        from jianguan.credit.models import DisclosureRegime
        from jianguan.credit.services import regime_bind_departments

        self.p = personas
        regime_bind_departments(actor=None, regime=DisclosureRegime.objects.get(code="samr-45-2021"), departments=[personas.dept_a])

    def entity(self, name: str, *, rep: str = "", rep_id: str = "", **fields):
        from jianguan.entities.services import person_link

        entity = make_entity(name, **fields)
        if rep:
            person_link(actor=None, entity=entity, name=rep, role="legal_rep", id_number=rep_id or generate_id_number(_rng))
            entity.refresh_from_db()
        return entity

    def own_entity(self, name: str = "沁县示范食品有限公司", **fields):
        """The entity of the `enterprise` persona (its USCC)."""
        return self.entity(name, uscc=self.p.enterprise.uscc, **fields)

    def penalty(self, entity, *, on: dt.date, kinds=("罚款",), fine_yuan=5000, department=None, title="经营超过保质期的食品",
                disclose=True, basis="《中华人民共和国食品安全法》第一百二十四条"):
        from jianguan.records.services import record_create

        department = department or self.p.dept_a
        return record_create(actor=None, kind="penalty", department=department, uscc=entity.uscc, party_name=entity.name,
                             title=title, occurred_on=on, amount=fine_yuan, disclose=disclose,
                             payload={"decision_no": f"沁市监罚〔{on.year}〕{_rng.randrange(10**6)}号", "decided_on": on.isoformat(),
                                      "penalty_kinds": list(kinds), "basis": basis, "facts": title})

    def inspection(self, entity, *, on: dt.date, result="发现问题待后续处理", department=None):
        from jianguan.records.services import record_create

        return record_create(actor=None, kind="inspection", department=department or self.p.dept_a, uscc=entity.uscc,
                             party_name=entity.name, title="食品经营许可事项检查", occurred_on=on, disclose=True,
                             payload={"result": result, "checked_at": f"{on.isoformat()} 10:00:00"})


@pytest.fixture
def credit(personas):
    return Credit(personas)


@pytest.fixture
def new_uscc():
    return uscc


def file_report(entity, year: int, *, today: dt.date | None = None):
    from jianguan.credit.services import annual_report_file

    return annual_report_file(actor=None, entity=entity, year=year, today=today or dt.date(year + 1, 3, 1),
                              data={"address": "山西省长治市沁县定昌镇", "phone": "0355-7000000", "employees": 5})


Credit.report = staticmethod(file_report)


def valid_id(first17: str) -> str:
    from jianguan.core.identifiers import id_check_char

    return first17 + id_check_char(first17)
