"""Load the 沁县 demo data of every app (idempotent) and print the demo accounts."""
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "载入沁县演示数据（可重复执行）并列出演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="只载入，不打印账号")

    def handle(self, *args, quiet=False, **options):
        accounts = []
        for config in apps.get_app_configs():
            if not config.name.startswith("jianguan."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            result = module.load(stdout=self.stdout)
            if isinstance(result, list):  # core's accounts, and any an app adds (e.g. more inspectors)
                accounts += [a for a in result if a not in accounts]
        if quiet:
            return
        from jianguan.core.demo import DEMO_PASSWORD

        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, display, role in accounts:
            self.stdout.write(f"  {username:<12} {role:<10} {display}")
