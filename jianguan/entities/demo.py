"""沁县 demo registry: ≈20,000 entities (deterministic), the demo enterprise account's own company, people linked to
several entities. Idempotent and fast on re-run: a marker entity is looked up first."""
from __future__ import annotations

import random
import time

from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import enterprise_demo_uscc
from jianguan.core.identifiers import generate_id_number

from . import generator
from .models import Entity, EntityPerson, Person
from .services import entities_bulk_insert

DEMO_ENTITIES = 20000


def load(stdout=None, count: int = DEMO_ENTITIES) -> int:
    marker = enterprise_demo_uscc()
    if Entity.objects.filter(uscc=marker).exists():
        return 0
    started = time.monotonic()
    inserted = 0
    with transaction.atomic():
        inserted += entities_bulk_insert([{
            "uscc": marker, "name": "沁县示范食品有限公司", "kind": "enterprise", "legal_representative": "王示范",
            "division_code": "140430100", "industry_code": "C14", "business_scope": "食品生产、预包装食品销售",
            "registered_address": "山西省长治市沁县定昌镇示范路1号", "registration_authority": "沁县市场监督管理局",
            "status": "operating", "former_names": ["沁县示范小米加工厂"],
        }])
        for batch in generator.entity_rows(count - 1, seed="qinxian-demo"):
            inserted += entities_bulk_insert(batch)
        _link_people()
        audit.record(actor=None, action="demo.load", object_type="entities.entity", object_id="", object_repr="沁县演示市场主体",
                     after={"entities": inserted})
    if stdout is not None:
        stdout.write(f"市场主体演示数据：{inserted} 户（{time.monotonic() - started:.1f} 秒）")
    return inserted


def _link_people() -> None:
    """Legal representatives of companies and cooperatives as persons; about one in ten also holds a second entity."""
    rng = random.Random("qinxian-demo-people")
    rows = list(Entity.objects.exclude(kind="individual").order_by("pk").values_list("pk", "legal_representative"))
    seen: set[str] = set()
    persons = []
    for _, name in rows:
        number = generate_id_number(rng)
        while number in seen:
            number = generate_id_number(rng)
        seen.add(number)
        persons.append(Person(name=name, id_number=number))
    Person.objects.bulk_create(persons, batch_size=2000)
    links = [EntityPerson(entity_id=pk, person_id=p.pk, role="legal_rep") for (pk, _), p in zip(rows, persons)]
    for (pk, _), p in zip(rows, persons):
        if rng.random() < 0.1:
            other = rng.choice(rows)[0]
            if other != pk:
                links.append(EntityPerson(entity_id=other, person_id=p.pk, role=rng.choice(["shareholder", "supervisor", "director"])))
    EntityPerson.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
