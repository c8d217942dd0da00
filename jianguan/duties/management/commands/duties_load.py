"""Load (or top up) the seed's task division from jianguan/duties/data/task_division.json."""
import json

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.duties.services import division_load


class Command(BaseCommand):
    help = "载入任务分工（19项目标任务及其措施、牵头和责任单位），可重复执行；新增的县直部门自动加入“县直各部门”的措施"

    def handle(self, *args, **options):
        try:
            result = division_load()
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
