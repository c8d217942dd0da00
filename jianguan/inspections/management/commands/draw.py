"""`jianguan draw verify TASK_CODE`: recompute a task's draws from what is published and say whether they match.

For every draw of the task: SM3(seed) must equal the commitment published before the draw; SM3 of the published
candidate file must equal the published list hash; JG-DRAW-1 over that list, the seed and the published ratios
must give exactly the objects the platform drew (compared with the stored objects and the published selected-list
hash). Exit status 0 when every check holds, 1 naming the first failure otherwise.
"""
from django.core.management.base import BaseCommand, CommandError

from jianguan.core.crypto import sm3_hex
from jianguan.inspections import draw as drawlib
from jianguan.inspections.choices import DrawStatus
from jianguan.inspections.models import InspectionTask, TaskObject
from jianguan.inspections.services.tasks import read_candidates


class Command(BaseCommand):
    help = "复核随机抽取：jianguan draw verify 任务编号"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="按公开的承诺值、候选名单、种子和比例重新计算抽取结果")
        verify.add_argument("task", help="任务编号（如 SJ20260001）或任务 ID")

    def handle(self, *args, action: str, task: str, **options):
        lookup = {"pk": int(task)} if task.isdigit() else {"code": task.strip().upper()}
        obj = InspectionTask.objects.filter(**lookup).first()
        if obj is None:
            raise CommandError(f"没有任务 {task}")
        draws = list(obj.draws.order_by("number"))
        if not draws:
            raise CommandError(f"任务 {obj.code} 尚未公布承诺值，没有可复核的抽取")
        failures = []
        for d in draws:
            label = f"{obj.code} 第{d.number}次抽取"
            try:
                data, rows = read_candidates(d)
            except (OSError, ValueError) as exc:
                failures.append(f"{label}：候选名单文件无法读取（{exc}）")
                continue
            digest = sm3_hex(data)
            self.stdout.write(f"{label}：候选名单 {len(rows)} 户，SM3 {digest} "
                              + ("与公布值一致" if digest == d.candidates_hash else "≠ 公布值 " + d.candidates_hash))
            if digest != d.candidates_hash:
                failures.append(f"{label}：候选名单与公布的哈希不一致")
                continue
            if not d.seed:
                self.stdout.write(f"{label}：种子尚未公开（{d.get_status_display()}），只能核对候选名单")
                continue
            try:
                ok_commit = drawlib.commitment(d.seed) == d.commitment
            except drawlib.DrawInputError as exc:
                failures.append(f"{label}：种子格式不正确（{exc}）")
                continue
            self.stdout.write(f"{label}：SM3(种子) " + ("与承诺值一致" if ok_commit else "≠ 承诺值"))
            if not ok_commit:
                failures.append(f"{label}：公开的种子与事先公布的承诺值不一致")
                continue
            if d.status == DrawStatus.COMMITTED or not d.drawn_at:
                continue
            selected = drawlib.draw(drawlib.canonical(rows), d.seed, d.ratios)
            selected_hash = sm3_hex("".join(f"{u}\n" for u in selected))
            stored = sorted(TaskObject.objects.filter(draw=d).values_list("uscc", flat=True))
            if d.status == DrawStatus.SUPERSEDED:
                ok = selected_hash == d.selected_hash
            else:
                ok = selected == stored and selected_hash == d.selected_hash
            self.stdout.write(f"{label}：重新计算抽中 {len(selected)} 户，平台记录 {len(stored) if d.status != DrawStatus.SUPERSEDED else d.selected_count} 户 "
                              + ("一致" if ok else "不一致"))
            if not ok:
                missing = sorted(set(selected) - set(stored))[:5]
                extra = sorted(set(stored) - set(selected))[:5]
                failures.append(f"{label}：抽取结果与重新计算不一致（应抽未抽 {missing}，不应抽而抽 {extra}）")
        if failures:
            for f in failures:
                self.stderr.write(f)
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"{obj.code}：全部 {len(draws)} 次抽取复核一致"))
