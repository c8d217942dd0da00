"""`jianguan import FORMAT FILE`: import one file as the platform (or as --user), print the counts.

Exit status 0 when every row was accepted, 1 when any row was rejected, 2 when the file itself was refused.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.models import Department, User
from jianguan.records import services
from jianguan.records.choices import ImportFormat, JobChannel, JobStatus


class Command(BaseCommand):
    help = "导入数据文件：jianguan import 格式 文件（格式：" + "、".join(ImportFormat.values) + "）"

    def add_arguments(self, parser):
        parser.add_argument("format", choices=ImportFormat.values)
        parser.add_argument("file")
        parser.add_argument("--department", default="", help="实施机构未登记时记录归入的部门（名称、简称或统一社会信用代码）")
        parser.add_argument("--user", default="", help="以该账号的身份和权限导入（默认：系统）")
        parser.add_argument("--batch", type=int, default=0, help="每批行数（默认 5000）")

    def handle(self, *args, format, file, department, user, batch, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"账号不存在或已停用：{user}")
        dept = None
        if department:
            dept = (Department.objects.filter(uscc=department.upper()).first() or Department.objects.filter(name=department).first()
                    or Department.objects.filter(short_name=department).first())
            if dept is None:
                raise CommandError(f"部门不存在：{department}")
        job = services.import_job_create(actor=actor, format=format, channel=JobChannel.CLI, file_name=path.name,
                                         source_path=path, department=dept)
        job = services.import_run(job_id=job.pk, batch_size=batch or None)
        for note in (job.notes or {}).get("notes", []):
            self.stderr.write(note)
        for err in (job.notes or {}).get("errors", [])[:20]:
            self.stderr.write(f"第{err['row']}行 {err['message']}")
        if job.status == JobStatus.FAILED:
            self.stderr.write(job.error)
        self.stdout.write(f"accepted={job.accepted} rejected={job.rejected} unmatched={job.unmatched}")
        if job.report_path:
            self.stderr.write(f"拒收明细：{job.report_path}")
        if job.status == JobStatus.FAILED:
            raise SystemExit(2)
        if job.rejected:
            raise SystemExit(1)
