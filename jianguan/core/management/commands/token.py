"""`jianguan token create USERNAME` prints a new bearer token; `list` and `revoke PREFIX` manage them."""
from django.core.management.base import BaseCommand, CommandError

from jianguan.core import services
from jianguan.core.errors import DomainError
from jianguan.core.models import ApiToken, User


class Command(BaseCommand):
    help = "接口令牌：create USERNAME [--name 用途] [--days N] | list | revoke PREFIX"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target", nargs="?", help="create：用户名；revoke：令牌前缀")
        parser.add_argument("--name", default="命令行签发", help="令牌用途")
        parser.add_argument("--days", type=int, default=365, help="有效期天数（1–3650），默认365")

    def handle(self, *args, action, target, name, days, **options):
        if action == "list":
            for row in ApiToken.objects.select_related("user").order_by("-created_at"):
                state = "已吊销" if row.revoked_at else f"有效期至 {row.expires_at:%Y-%m-%d}" if row.expires_at else "长期"
                self.stdout.write(f"{row.prefix}…  {row.user.username:<12} {row.name}  {state}")
            return
        if not target:
            raise CommandError("请指定用户名（create）或令牌前缀（revoke）")
        try:
            if action == "create":
                user = User.objects.filter(username=target).first()
                if user is None:
                    raise CommandError(f"用户“{target}”不存在")
                _, token = services.token_create(actor=None, user=user, name=name, expires_days=days)
                self.stdout.write(token)
            else:
                rows = list(ApiToken.objects.filter(prefix=target[:8], revoked_at__isnull=True))
                if len(rows) != 1:
                    raise CommandError(f"前缀“{target}”匹配到 {len(rows)} 个有效令牌，需恰好一个")
                services.token_revoke(actor=None, token=rows[0])
                self.stdout.write(f"已吊销 {rows[0].prefix}…")
        except DomainError as exc:
            raise CommandError(f"{exc.field or ''} {exc.message}".strip()) from None
