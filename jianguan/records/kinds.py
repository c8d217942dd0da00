"""The typed payload of each record kind: the exchange fields of RULES.md for 检查 and 处罚, and the fields the
county's outside sources carry for the others. `validate_payload` is what record_create and the API use;
imports go through records/formats.py, whose fields are these same keys.
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import RecordKind
from .fields import Field, FieldError, json_value
from .formats import INSPECTION_FIELDS, PENALTY_FIELDS

_NO_CONTROL = {"cd_id", "cd_time", "cd_source", "cd_batch", "cd_operation"}


def _relaxed(fields: list[Field], keep_required: set[str]) -> list[Field]:
    out = []
    for f in fields:
        if f.key in _NO_CONTROL or f.key.startswith("party_") or f.key in ("registered_address", "business_address", "division"):
            continue
        out.append(Field(f.key, f.label, f.type, f.key in keep_required, f.max_length, f.choices, f.aliases, f.length, f.pii, f.help))
    return out


KIND_FIELDS: dict[str, list[Field]] = {
    RecordKind.INSPECTION: _relaxed(INSPECTION_FIELDS, {"result", "checked_at"}),
    RecordKind.PENALTY: _relaxed(PENALTY_FIELDS, {"decision_no", "decided_on", "penalty_kinds"}),
    RecordKind.COERCION: [
        Field("decision_no", "强制决定书文号", required=True, max_length=100),
        Field("measure", "强制措施种类", "enum", required=True,
              choices=["限制公民人身自由", "查封场所、设施或者财物", "扣押财物", "冻结存款、汇款", "其他行政强制措施", "行政强制执行"]),
        Field("basis", "强制依据", required=True, max_length=2000),
        Field("started_on", "实施日期", "date", required=True),
        Field("ended_on", "解除日期", "date"),
        Field("objects", "涉及财物或场所", max_length=1000),
    ],
    RecordKind.OTHER_ACTION: [
        Field("action_type", "行为类型", required=True, max_length=100, help="如 行政确认、行政奖励、行政裁决"),
        Field("document_no", "文书号", max_length=100),
        Field("content", "内容", required=True, max_length=2000),
        Field("decided_on", "决定日期", "date", required=True),
    ],
    RecordKind.JUDGMENT: [
        Field("court", "法院", required=True, max_length=200),
        Field("case_no", "案号", required=True, max_length=100),
        Field("cause", "案由", required=True, max_length=200),
        Field("party_role", "当事人地位", "enum", choices=["原告", "被告", "第三人", "上诉人", "被上诉人", "申请执行人", "被执行人"]),
        Field("judged_on", "裁判日期", "date", required=True),
        Field("outcome", "裁判结果", max_length=2000),
        Field("amount", "涉案金额", "decimal", help="元"),
    ],
    RecordKind.DISHONEST: [
        Field("court", "执行法院", required=True, max_length=200),
        Field("case_no", "执行案号", required=True, max_length=100),
        Field("basis_no", "执行依据文号", max_length=100),
        Field("obligation", "生效法律文书确定的义务", max_length=2000),
        Field("performance", "被执行人的履行情况", "enum", choices=["全部未履行", "部分未履行", "已履行"]),
        Field("behaviour", "失信被执行人行为具体情形", max_length=1000),
        Field("published_on", "发布时间", "date", required=True),
        Field("removed_on", "移除时间", "date"),
    ],
    RecordKind.SPOT_CHECK: [
        Field("task_no", "抽检任务编号", max_length=100),
        Field("product", "样品名称", required=True, max_length=200),
        Field("batch", "生产日期/批号", max_length=100),
        Field("standard", "检验依据", max_length=500),
        Field("result", "检验结论", "enum", required=True, choices=["合格", "不合格", "问题样品"]),
        Field("failed_items", "不合格项目", "list"),
        Field("sampled_on", "抽样日期", "date", required=True),
        Field("lab", "检验机构", max_length=200),
    ],
    RecordKind.COMPLAINT: [
        Field("ticket_no", "工单编号", required=True, max_length=100),
        Field("channel", "来源渠道", "enum", choices=["12345", "12315", "来信", "来访", "网络", "其他"]),
        Field("category", "诉求类别", "enum", required=True, choices=["投诉", "举报", "咨询", "建议"]),
        Field("content", "诉求内容", required=True, max_length=4000),
        Field("received_on", "受理日期", "date", required=True),
        Field("handled", "办理结果", max_length=2000),
        Field("substantiated", "是否属实", "bool"),
    ],
}

#: The payload field that gives a record of each kind its date when none is given.
DATE_FIELD = {RecordKind.INSPECTION: "checked_at", RecordKind.PENALTY: "decided_on", RecordKind.COERCION: "started_on",
              RecordKind.OTHER_ACTION: "decided_on", RecordKind.JUDGMENT: "judged_on", RecordKind.DISHONEST: "published_on",
              RecordKind.SPOT_CHECK: "sampled_on", RecordKind.COMPLAINT: "received_on"}


def validate_payload(kind: str, payload: dict) -> tuple[dict, dict, list[tuple[str, str]]]:
    """(clean values, JSON payload, errors). Keys may be the field key or its Chinese name; unknown keys are refused."""
    fields = KIND_FIELDS[kind]
    by_name = {f.key: f for f in fields} | {f.label: f for f in fields}
    errors: list[tuple[str, str]] = []
    for key in payload:
        if key not in by_name:
            errors.append((key, _("“%(k)s”不是%(kind)s记录的字段") % {"k": key, "kind": RecordKind(kind).label}))
    clean = {}
    for f in fields:
        value = payload.get(f.key, payload.get(f.label))
        if value is None or value == "" or value == []:
            if f.required:
                errors.append((f.key, _("“%(l)s”必填") % {"l": f.label}))
            continue
        try:
            clean[f.key] = f.convert(value, f)
        except FieldError as exc:
            errors.append((f.key, f"{f.label}：{exc}"))
    if kind == RecordKind.INSPECTION and clean.get("reported_at") and clean.get("checked_at") and clean["reported_at"] < clean["checked_at"]:
        errors.append(("reported_at", _("报送时间不能早于检查时间")))
    if kind == RecordKind.PENALTY and clean.get("closed_on") and clean.get("filed_on") and clean["closed_on"] < clean["filed_on"]:
        errors.append(("closed_on", _("结案日期不能早于立案时间")))
    for a, b in (("started_on", "ended_on"), ("published_on", "removed_on")):
        if clean.get(a) and clean.get(b) and clean[b] < clean[a]:
            errors.append((b, _("结束日期不能早于开始日期")))
    return clean, {k: json_value(v) for k, v in clean.items()}, errors
