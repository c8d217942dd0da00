"""Synthetic supervision records for the demo and for benchmarks: every kind, realistic dates, valid payloads.

Rows come out as lists in importer.RECORD_COLUMNS order and go in through `insert_rows` (executemany on SQLite,
COPY on PostgreSQL): the same set-based path imports use.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import random

from django.utils import timezone

from .choices import MatchStatus, RecordKind, RecordStatus
from .formats import INSPECTION_RESULTS
from .samples import INSPECTORS, ITEMS, VIOLATIONS

RESULTS = list(dict.fromkeys(INSPECTION_RESULTS.values()))
KIND_WEIGHTS = [(RecordKind.INSPECTION, 50), (RecordKind.COMPLAINT, 14), (RecordKind.SPOT_CHECK, 12), (RecordKind.PENALTY, 10),
                (RecordKind.OTHER_ACTION, 5), (RecordKind.COERCION, 3), (RecordKind.JUDGMENT, 4), (RecordKind.DISHONEST, 2)]
_KINDS = [k for k, _ in KIND_WEIGHTS]
_KW = [w for _, w in KIND_WEIGHTS]
PRODUCTS = ["小米", "挂面", "食用植物油", "白酒", "月饼", "糕点", "鲜肉", "蔬菜", "化肥", "电线电缆"]


def _payload(rng: random.Random, kind: str, day: dt.date, seq: int) -> tuple[str, str, decimal.Decimal | None, dict]:
    """(title, summary, amount in 元, payload)."""
    if kind == RecordKind.INSPECTION:
        result = RESULTS[0] if rng.random() < 0.9 else rng.choice(RESULTS[1:])  # about one check in ten finds something
        inspectors = rng.sample(INSPECTORS, 2)
        return rng.choice(ITEMS), result, None, {
            "act_name": rng.choice(ITEMS), "act_no": f"JC{day:%Y%m%d}{seq:08d}", "result": result,
            "checked_at": f"{day.isoformat()}T10:00:00+08:00", "inspectors": inspectors, "method": "现场检查"}
    if kind == RecordKind.PENALTY:
        violation, _, basis = rng.choice(VIOLATIONS)
        fine = decimal.Decimal(rng.choice(["0.1", "0.2", "0.5", "1", "3"]))
        return f"对{violation}的行政处罚", f"警告、罚款；罚款{fine}万元", (fine * 10000).quantize(decimal.Decimal("0.01")), {
            "decision_no": f"沁罚〔{day:%Y}〕{seq}号", "decided_on": day.isoformat(), "penalty_kinds": ["警告", "罚款"],
            "fine": str(fine), "facts": f"当事人{violation}", "basis": basis}
    if kind == RecordKind.COMPLAINT:
        category = rng.choice(["投诉", "举报", "投诉", "咨询"])
        content = rng.choice(["缺斤短两", "销售过期食品", "服务态度差", "价格欺诈", "无证经营", "虚假宣传"])
        return f"12345{category}：{content}", rng.choice(["已办结，诉求属实，已责令整改", "已办结，诉求不属实", "已调解"]), None, {
            "ticket_no": f"12345-{day:%Y%m%d}-{seq:06d}", "channel": rng.choice(["12345", "12315"]), "category": category,
            "content": content, "received_on": day.isoformat()}
    if kind == RecordKind.SPOT_CHECK:
        product = rng.choice(PRODUCTS)
        result = rng.choices(["合格", "不合格"], weights=[93, 7])[0]
        return f"{product}监督抽检", result, None, {"product": product, "result": result, "sampled_on": day.isoformat(),
                                                  "lab": "长治市检验检测中心"}
    if kind == RecordKind.OTHER_ACTION:
        action = rng.choice(["行政奖励", "行政确认", "责令改正"])
        return action, f"{action}决定", None, {"action_type": action, "content": f"{action}决定", "decided_on": day.isoformat()}
    if kind == RecordKind.COERCION:
        return "查封扣押", "扣押涉嫌不符合食品安全标准的食品", None, {
            "decision_no": f"沁强〔{day:%Y}〕{seq}号", "measure": "扣押财物", "basis": "《中华人民共和国食品安全法》第一百一十条",
            "started_on": day.isoformat()}
    if kind == RecordKind.JUDGMENT:
        cause = rng.choice(["买卖合同纠纷", "劳动争议", "借款合同纠纷"])
        return f"民事判决：{cause}", "判决被告支付货款", None, {
            "court": "沁县人民法院", "case_no": f"（{day:%Y}）晋0430民初{seq % 9999}号", "cause": cause, "judged_on": day.isoformat()}
    return "失信被执行人", "全部未履行", None, {
        "court": "沁县人民法院", "case_no": f"（{day:%Y}）晋0430执{seq % 9999}号", "performance": "全部未履行",
        "published_on": day.isoformat()}


def record_rows(entities: list[tuple[int | None, str, str]], departments: dict[str, int], *, count: int, seed: str,
                start: int = 0, end_day: dt.date | None = None, years: int = 3, source: str = "demo"):
    """`count` rows over `years` years up to `end_day` about `entities` [(id or None, uscc, name)]."""
    end_day = end_day or timezone.localdate()
    span = 365 * years
    now = timezone.now()
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        # Records concentrate on few entities, as they do in a county: a third of the entities carry half the records
        # and many have none (u³ puts ~46% of the rows on the first tenth of the list).
        entity_id, uscc, name = entities[int(len(entities) * rng.random() ** 3)]
        kind = rng.choices(_KINDS, weights=_KW)[0]
        day = end_day - dt.timedelta(days=rng.randrange(span))
        title, summary, amount, payload = _payload(rng, kind, day, i)
        dept = departments.get(kind) or departments["default"]
        text = json.dumps(payload, ensure_ascii=False)
        yield [kind, entity_id, uscc, name, dept, day, title, summary, amount, source, f"{source}-{i}", text,
               hashlib.sha1(text.encode()).hexdigest(), RecordStatus.ACTIVE,
               MatchStatus.MATCHED if entity_id else MatchStatus.PENDING, kind in (RecordKind.PENALTY, RecordKind.INSPECTION),
               None, "", "", "", None, now, now]
