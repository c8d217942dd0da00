"""Daily: list missing annual reports after the deadline, raise three-year proposals, check commitments, digest the
check log. Each step is set-based and idempotent."""
import datetime as dt

from django.core.management.base import BaseCommand

from jianguan.credit import services


class Command(BaseCommand):
    help = "信用监管日常批处理：年报经营异常名录、满3年提请列严、信用承诺核查、查询记录摘要"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="按该日期执行（默认今天）")

    def handle(self, *args, date=None, **options):
        sweep = services.abnormal_sweep(today=date)
        self.stdout.write(f"abnormal report_year={sweep['report_year']} listed={sweep['listed']} serious_proposed={sweep['serious_proposed']}")
        checked = services.commitments_check(today=date)
        self.stdout.write(f"commitments broken={checked['broken']} fulfilled={checked['fulfilled']}")
        digests = services.check_digest()
        self.stdout.write("check_log " + " ".join(f"{d.kind}={d.first_id}-{d.last_id}" for d in digests) if digests else "check_log up-to-date")
