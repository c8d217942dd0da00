"""Run queued imports (for deployments where the web process should not run them itself)."""
import time

from django.core.management.base import BaseCommand

from jianguan.records import services
from jianguan.records.choices import JobStatus
from jianguan.records.models import ImportJob


class Command(BaseCommand):
    help = "处理排队中的导入任务；--once 处理完即退出"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, once=False, **options):
        while True:
            ids = list(ImportJob.objects.filter(status=JobStatus.QUEUED).order_by("pk").values_list("pk", flat=True)[:10])
            for pk in ids:
                job = services.import_run(job_id=pk)
                self.stdout.write(f"#{job.pk} {job.status} accepted={job.accepted} rejected={job.rejected} unmatched={job.unmatched}")
            if once:
                return
            if not ids:
                time.sleep(2)
