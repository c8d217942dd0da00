"""`jianguan audit verify`: recompute the whole audit chain; exit 1 naming the first bad event."""
from django.core.management.base import BaseCommand, CommandError

from jianguan.core import audit


class Command(BaseCommand):
    help = "审计链操作。verify：逐条校验审计链，发现篡改时以非零状态退出并指出第一个异常事件"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = audit.verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：共校验 {result.checked} 个事件"))
            return
        where = f"第 {result.bad_seq} 号事件" if result.bad_seq is not None else "链头"
        if result.bad_id is not None:
            where += f"（数据库行 id={result.bad_id}）"
        raise CommandError(f"审计链校验失败：{where}：{result.reason}；此前 {result.checked} 个事件完好")
