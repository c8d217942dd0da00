"""The scheduler's daily 审管衔接 job: notices and verification tasks for anything the hooks missed, then overdue flags."""
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from jianguan.catalog.services import sync_all


class Command(BaseCommand):
    help = "审管衔接：为缺少监管告知的许可补发告知、为审批改备案的备案补建核查任务，并标记逾期未签收/未核查（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断逾期（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError("--date 应为 YYYY-MM-DD") from None
        result = sync_all(on=on)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
