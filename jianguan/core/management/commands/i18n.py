from django.core.management.base import BaseCommand, CommandError

from jianguan.core import i18n


class Command(BaseCommand):
    help = "界面翻译：compile 生成 .mo；sync 把新的中文原文加入英文词表；check 列出未翻译的原文"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["compile", "sync", "check"])

    def handle(self, *args, action, **options):
        if action == "compile":
            for path in i18n.compile_all():
                self.stdout.write(f"compiled {path}")
        elif action == "sync":
            for lang in i18n.LANGUAGES:
                self.stdout.write(f"{lang}: added {i18n.sync(lang)} new strings")
        else:
            problems = {lang: i18n.missing(lang) for lang in i18n.LANGUAGES}
            for lang, items in problems.items():
                for msgid in items:
                    self.stdout.write(f"{lang}: untranslated: {msgid}")
            if any(problems.values()):
                raise CommandError("存在未翻译的界面文字")
            self.stdout.write("all strings translated")
