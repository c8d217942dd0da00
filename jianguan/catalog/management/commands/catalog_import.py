"""Import a catalogue workbook from the command line, as a named user (the same rules as the web import)."""
import json

from django.core.management.base import BaseCommand, CommandError

from jianguan.catalog.services import IMPORTERS
from jianguan.core.errors import DomainError
from jianguan.core.models import User


class Command(BaseCommand):
    help = "从 Excel 导入监管事项(items)、检查实施清单(impl)、监管工作指引(guidelines)或年度计划(plans)"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="以该账号的身份和权限导入")

    def handle(self, *args, kind, path, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号 {username} 不存在或已停用")
        try:
            with open(path, "rb") as handle:
                result = IMPORTERS[kind](actor=user, fileobj=handle)
        except (OSError, DomainError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        if result.rejected:
            raise CommandError(f"{len(result.rejected)} 行被拒绝（见上）")
