"""`jianguan gen_entities --entities N [--records M]`: synthetic province-sized data for benchmarks, streamed.

Entities (valid USCCs across 山西's counties, realistic names) go in through the bulk path with their name
index; records of every kind through the import engine's COPY / executemany path. Memory stays bounded:
everything is generated and written in batches. Deterministic for a given --seed. Never for production data.
"""
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from jianguan.core.models import Department
from jianguan.entities import generator
from jianguan.entities.models import Entity
from jianguan.entities.reference import GENERIC_TOWNSHIPS, SHANXI_COUNTIES, TOWNSHIPS
from jianguan.entities.services import entities_bulk_insert
from jianguan.records.generator import record_rows
from jianguan.records.importer import insert_rows


def county_plan(total: int) -> list[tuple[str, str, dict, int]]:
    """(area code, county name, townships, count) spreading `total` entities over the counties."""
    codes = list(SHANXI_COUNTIES)
    share, extra = divmod(total, len(codes))
    plan = []
    for i, code in enumerate(codes):
        towns = TOWNSHIPS if code == "140430" else {f"{code}{100 + j:03d}": name for j, name in enumerate(GENERIC_TOWNSHIPS)}
        name = SHANXI_COUNTIES[code]
        plan.append((code, name, towns, share + (1 if i < extra else 0)))
    return plan


class Command(BaseCommand):
    help = "生成基准测试用的合成数据（市场主体及监管记录），分批写入数据库"

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=100000)
        parser.add_argument("--records", type=int, default=0, help="监管记录总数（默认不生成）")
        parser.add_argument("--seed", default="province")
        parser.add_argument("--batch", type=int, default=20000)
        parser.add_argument("--county-only", action="store_true", help="全部生成在沁县（默认分布到山西31个县区）")

    def handle(self, *args, entities, records, seed, batch, county_only, **options):
        started = time.monotonic()
        plan = ([("140430", "沁县", TOWNSHIPS, entities)] if county_only else county_plan(entities))
        inserted = 0
        for area, county, towns, count in plan:
            short = county[-3:] if len(county) > 3 and "市" in county else county
            for rows in generator.entity_rows(count, seed=f"{seed}:{area}", area=area, townships=towns, county=short, batch=batch):
                with transaction.atomic():
                    inserted += entities_bulk_insert(rows)
            self.stdout.write(f"{county}: {count} 户，累计 {inserted}（{time.monotonic() - started:.0f} 秒）")
        if records:
            dept = Department.objects.filter(parent__isnull=True).order_by("pk").first()
            if dept is None:
                dept = Department.objects.create(name="基准测试部门", region_code="140430")
            departments = {"default": dept.pk}
            written, last = 0, 0
            while written < records:
                chunk = list(Entity.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "uscc", "name")[:batch])
                if not chunk:
                    last = 0
                    continue
                last = chunk[-1][0]
                n = min(records - written, len(chunk) * 10)
                with transaction.atomic():
                    buf = []
                    for row in record_rows(chunk, departments, count=n, seed=f"{seed}:records", start=written, source="gen"):
                        buf.append(row)
                        if len(buf) >= 10000:
                            insert_rows(buf)
                            buf = []
                    insert_rows(buf)
                written += n
                self.stdout.write(f"监管记录：{written}（{time.monotonic() - started:.0f} 秒）")
        self.stdout.write(f"完成：市场主体 {inserted} 户，监管记录 {records} 条，用时 {time.monotonic() - started:.0f} 秒")
