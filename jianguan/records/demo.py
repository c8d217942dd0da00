"""沁县 demo records: ≈200,000 supervision records of every kind over three years, a few hundred waiting in the
待匹配 queue, and food/drug/catering licences. Deterministic, bulk-inserted, and skipped on re-run."""
from __future__ import annotations

import datetime as dt
import random
import time

from django.db import transaction

from jianguan.core import audit
from jianguan.core.identifiers import generate_uscc
from jianguan.core.models import Department
from jianguan.entities.models import Entity, Licence

from .choices import RecordKind
from .generator import record_rows
from .importer import insert_rows
from .models import Record

DEMO_RECORDS = 200000
DEMO_END = dt.date(2026, 10, 31)
KIND_DEPARTMENTS = {
    RecordKind.INSPECTION: "沁县市场监督管理局", RecordKind.PENALTY: "沁县市场监督管理局", RecordKind.SPOT_CHECK: "沁县市场监督管理局",
    RecordKind.COERCION: "沁县市场监督管理局", RecordKind.COMPLAINT: "沁县审批服务管理局", RecordKind.OTHER_ACTION: "沁县应急管理局",
    RecordKind.JUDGMENT: "沁县发展和科技局", RecordKind.DISHONEST: "沁县发展和科技局",
}


def load(stdout=None, count: int = DEMO_RECORDS) -> int:
    if Record.objects.filter(source_system="demo").exists():
        return 0
    names = dict(Department.objects.values_list("name", "pk"))
    if "沁县市场监督管理局" not in names:
        return 0
    started = time.monotonic()
    departments = {k: names[v] for k, v in KIND_DEPARTMENTS.items() if v in names}
    departments["default"] = names["沁县市场监督管理局"]
    entities = list(Entity.objects.order_by("pk").values_list("pk", "uscc", "name"))
    if not entities:
        return 0
    rng = random.Random("qinxian-demo-pending")
    # A few sources carry USCCs the registry does not have yet: they wait in the 待匹配 queue.
    strangers = [(None, generate_uscc(rng), f"沁县外来经营者{i}号商行") for i in range(60)]
    with transaction.atomic():
        batch = []
        for row in record_rows(entities, departments, count=count - 300, seed="qinxian-demo", end_day=DEMO_END):
            batch.append(row)
            if len(batch) >= 10000:
                insert_rows(batch)
                batch = []
        insert_rows(batch)
        insert_rows(list(record_rows(strangers, departments, count=300, seed="qinxian-demo-stray", start=count, end_day=DEMO_END)))
        licences = _licences(names["沁县市场监督管理局"])
        audit.record(actor=None, action="demo.load", object_type="records.record", object_id="", object_repr="沁县演示监管记录",
                     after={"records": count, "licences": licences})
    if stdout is not None:
        stdout.write(f"监管记录演示数据：{count} 条，行政许可 {licences} 件（{time.monotonic() - started:.1f} 秒）")
    return count


def _licences(department_id: int) -> int:
    rng = random.Random("qinxian-demo-licences")
    rows = Entity.objects.filter(industry_code__in=["F5221", "H6210", "F5251", "C14", "H62", "F5225", "C13", "C15"]) \
        .order_by("pk").values_list("pk", "industry_code", "established_on")
    items = []
    for i, (pk, industry, established) in enumerate(rows):
        drug = industry == "F5251"
        day = max(established or dt.date(2020, 1, 1), dt.date(2019, 1, 1)) + dt.timedelta(days=rng.randrange(0, 400))
        day = min(day, DEMO_END)
        items.append(Licence(
            entity_id=pk, department_id=department_id, document_name="药品经营许可决定书" if drug else "食品经营许可决定书",
            document_no=f"沁市监许〔{day:%Y}〕{i + 1}号", category="ordinary", certificate_name="药品经营许可证" if drug else "食品经营许可证",
            licence_no=f"{'晋AA' if drug else 'JY1'}140430{i + 1:07d}", content="药品零售" if drug else "预包装食品销售、热食类食品制售",
            decided_on=day, valid_from=day, valid_to=day + dt.timedelta(days=365 * 5), status="valid", source_system="demo",
            source_id=f"demo-licence-{i}"))
    Licence.objects.bulk_create(items, batch_size=2000)
    return len(items)
