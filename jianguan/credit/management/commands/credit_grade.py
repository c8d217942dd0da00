"""Monthly: recompute every entity's credit-risk class (set-based) and keep the run in history."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.credit import grading


class Command(BaseCommand):
    help = "重算全部市场主体的信用风险分类（每月由调度程序调用）"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="基准日 YYYY-MM-DD（默认今天）")

    def handle(self, *args, as_of=None, **options):
        try:
            run = grading.grade_all(as_of=as_of)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        counts = " ".join(f"{g}={n}" for g, n in sorted(run.counts.items()))
        self.stdout.write(f"run={run.pk} as_of={run.as_of} entities={run.entity_count} {counts} ms={run.duration_ms}")
