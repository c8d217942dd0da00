"""The exchange formats the county imports and exports: national 互联网+监管 push records (行政检查行为, 行政处罚行为)
and 双公示 records (行政处罚, 行政许可). Column names are the Chinese field names of the exchange (RULES.md);
docs/formats.md describes each column, its type and its rules.

A format turns one cleaned row into a draft: the common record columns plus a payload of the exchange
fields (JSON-safe, personal information masked), and checks the rules between fields (dates in order,
major cases reviewed …).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jianguan.core.pii import mask_id_number

from .choices import ImportFormat, RecordKind
from .fields import Field, FieldError, conv_id_number, conv_uscc, json_value, wan_to_yuan

PENALTY_KINDS = ["警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件",
                 "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他"]  # 行政处罚法 第九条
INSPECTION_RESULTS = {
    "1": "未发现问题", "3": "违反其他部门规定", "4": "违反其他部门规定", "5": "违反其他部门规定", "6": "登记住所无法联系",
    "7": "已关闭停业或清算", "8": "不配合检查情节严重", "9": "注销", "10": "吊销", "11": "撤销", "12": "迁出",
    "A": "发现问题待后续处理", "B": "未按规定公示应当公示的信息", "C": "公示信息隐瞒真实情况弄虚作假", "D": "违反其他规定",
    "E": "发现问题经责令已改正", "F": "未发现开展本次抽查涉及的经营活动",
}
PARTY_NATURES = ["法人及非法人组织", "个体工商户", "自然人"]
PARTY_ALIASES = {"法人": "法人及非法人组织", "企业": "法人及非法人组织", "非法人组织": "法人及非法人组织", "个体": "个体工商户"}
ID_TYPES = ["统一社会信用代码", "身份证"]
ID_ALIASES = {"居民身份证": "身份证", "身份证号": "身份证", "USCC": "统一社会信用代码", "统一代码": "统一社会信用代码"}

CD_FIELDS = [
    Field("cd_id", "cd_id", required=True, max_length=64),
    Field("cd_time", "cd_time", "datetime"),
    Field("cd_source", "cd_source", max_length=40),
    Field("cd_batch", "cd_batch", "batch", required=True),
    Field("cd_operation", "cd_operation", "operation", required=True),
]

NATIONAL_PARTY = [
    Field("party_name", "行政相对人名称", required=True, max_length=200),
    Field("party_nature", "行政相对人性质", "enum", choices=PARTY_NATURES, aliases=PARTY_ALIASES),
    Field("party_id_type", "行政相对人证件类型", "enum", required=True, choices=ID_TYPES, aliases=ID_ALIASES),
    Field("party_id", "行政相对人编码", required=True, max_length=18, help="统一社会信用代码或身份证号"),
    Field("registered_address", "注册地址", max_length=300),
    Field("business_address", "经营地址", max_length=300),
    Field("division", "行政区划代码", "division6"),
]

AGENCY = [
    Field("agency", "实施机构", required=True, max_length=200),
    Field("agency_code", "实施机构编码", "uscc", required=True, help="实施机构的统一社会信用代码"),
    Field("entrusted", "受委托部门", max_length=200),
]

INSPECTION_FIELDS = [
    Field("plan_id", "双随机计划id", max_length=64),
    Field("item_code", "监管事项目录编码", "digits", required=True, length=14),
    Field("checklist_code", "检查实施清单编码", max_length=64),
    Field("act_name", "检查行为名称", required=True, max_length=300),
    Field("act_no", "检查行为编号", required=True, max_length=100),
    *AGENCY,
    Field("object_type", "监管对象类型", max_length=50),
    *NATIONAL_PARTY,
    Field("form", "检查形式", "enum", choices=["单独检查", "联合检查"], aliases={"单部门检查": "单独检查", "部门联合检查": "联合检查"}),
    Field("category", "检查类别", "enum", choices=["双随机抽查", "重点检查", "日常检查", "专项检查", "投诉举报核查", "其他检查"],
          aliases={"双随机": "双随机抽查", "随机抽查": "双随机抽查", "其他": "其他检查"}),
    Field("method", "检查方式", "enum", choices=["现场检查", "书面检查", "网络检查", "其他"], aliases={"现场": "现场检查", "书面": "书面检查", "网络": "网络检查"}),
    Field("result", "检查结果", "enum", required=True, choices=list(dict.fromkeys(INSPECTION_RESULTS.values())), aliases=INSPECTION_RESULTS),
    Field("checked_at", "检查时间", "datetime", required=True),
    Field("inspectors", "检查人员", "list", required=True),
    Field("cert_nos", "执法证号", "list"),
    Field("reported_at", "报送时间", "datetime", required=True),
    Field("reporter", "报送人员", max_length=50),
    *CD_FIELDS,
]

PENALTY_FIELDS = [
    Field("act_name", "处罚行为名称", required=True, max_length=300),
    Field("act_no", "处罚行为编号", required=True, max_length=100),
    Field("item_code", "监管事项目录编码", "digits", length=14),
    *AGENCY,
    *NATIONAL_PARTY,
    Field("case_source", "案件来源", max_length=50),
    Field("facts", "违法事实", required=True, max_length=4000),
    Field("basis", "处罚依据", required=True, max_length=2000),
    Field("procedure", "处罚程序", "enum", choices=["简易程序", "普通程序"], aliases={"简易": "简易程序", "普通": "普通程序"}),
    Field("hearing", "是否听证", "bool"),
    Field("filed_on", "立案时间", "date"),
    Field("criminal", "是否涉刑", "bool"),
    Field("major", "是否重大案件", "bool"),
    Field("legal_review", "是否法制审核", "bool"),
    Field("legal_review_on", "法制审核日期", "date"),
    Field("legal_review_opinion", "法制审核意见", max_length=1000),
    Field("collective", "是否集体讨论", "bool"),
    Field("collective_on", "集体讨论日期", "date"),
    Field("collective_conclusion", "集体讨论结论", max_length=1000),
    Field("decision_no", "处罚文书号", required=True, max_length=100),
    Field("decided_on", "作出处罚决定日期", "date", required=True),
    Field("penalty_kinds", "处罚种类", "enum_list", required=True, choices=PENALTY_KINDS),
    Field("fine", "罚款金额", "decimal", help="万元"),
    Field("result", "处罚结果", max_length=1000),
    Field("reconsideration", "行政复议", max_length=200),
    Field("litigation", "行政诉讼", max_length=200),
    Field("execution_mode", "执行方式", max_length=100),
    Field("execution_result", "执行结果", max_length=200),
    Field("fine_paid", "实缴罚款", "decimal", help="万元"),
    Field("closed_on", "结案日期", "date"),
    Field("transferred_at", "移送时间", "date"),
    Field("reported_at", "报送时间", "datetime"),
    Field("reporter", "报送人员", max_length=50),
    *CD_FIELDS,
]

SGS_PARTY = [
    Field("party_name", "行政相对人名称", required=True, max_length=200),
    Field("party_category", "行政相对人类别", "enum", required=True, choices=PARTY_NATURES, aliases=PARTY_ALIASES),
    Field("party_id", "行政相对人代码_1(统一社会信用代码)", max_length=18),
    Field("party_code_2", "行政相对人代码_2(工商注册号)", max_length=50),
    Field("party_code_3", "行政相对人代码_3(组织机构代码)", max_length=50),
    Field("party_code_4", "行政相对人代码_4(税务登记号)", max_length=50),
    Field("party_code_5", "行政相对人代码_5(事业单位证书号)", max_length=50),
    Field("party_code_6", "行政相对人代码_6(社会组织登记证号)", max_length=50),
    Field("legal_rep", "法定代表人", max_length=50),
    Field("legal_rep_id_type", "法定代表人证件类型", max_length=20),
    Field("legal_rep_id", "法定代表人证件号码", max_length=30, pii=True),
    Field("id_type", "证件类型", max_length=20),
    Field("id_number", "证件号码", max_length=30, pii=True),
]

SGS_SOURCE = [
    Field("source_unit", "数据来源单位", required=True, max_length=200),
    Field("source_unit_code", "数据来源单位统一社会信用代码", "uscc", required=True),
    Field("note", "备注", max_length=1000),
]

SGS_PENALTY_FIELDS = [
    *SGS_PARTY,
    Field("decision_no", "行政处罚决定书文号", required=True, max_length=100),
    Field("violation_type", "违法行为类型", required=True, max_length=200),
    Field("facts", "违法事实", required=True, max_length=4000),
    Field("basis", "处罚依据", required=True, max_length=2000),
    Field("penalty_kinds", "处罚类别", "enum_list", required=True, choices=PENALTY_KINDS),
    Field("content", "处罚内容", required=True, max_length=2000),
    Field("fine", "罚款金额(万元)", "decimal"),
    Field("confiscation", "没收违法所得、没收非法财物的金额(万元)", "decimal"),
    Field("licence_affected", "暂扣或吊销证照名称及编号", max_length=200),
    Field("decided_on", "处罚决定日期", "date", required=True),
    Field("valid_until", "处罚有效期", "date"),
    Field("disclose_until", "公示截止期", "date"),
    Field("agency", "处罚机关", required=True, max_length=200),
    Field("agency_code", "处罚机关统一社会信用代码", "uscc", required=True),
    *SGS_SOURCE,
]

LICENCE_STATUS = {"有效": "valid", "无效": "cancelled", "已过期": "expired", "已撤销": "revoked", "吊销": "revoked", "已注销": "cancelled"}
LICENCE_CATEGORY = {"普通": "ordinary", "特许": "franchise", "认可": "recognition", "核准": "approval", "登记": "registration", "其他": "other"}

SGS_LICENCE_FIELDS = [
    *SGS_PARTY,
    Field("document_name", "行政许可决定文书名称", required=True, max_length=200),
    Field("document_no", "行政许可决定文书号", required=True, max_length=100),
    Field("category", "许可类别", "enum", required=True, choices=list(LICENCE_CATEGORY), aliases={"普通许可": "普通", "特许经营": "特许"}),
    Field("certificate_name", "许可证书名称", max_length=200),
    Field("licence_no", "许可编号", max_length=100),
    Field("content", "许可内容", required=True, max_length=4000),
    Field("decided_on", "许可决定日期", "date", required=True),
    Field("valid_from", "有效期自", "date", required=True),
    Field("valid_to", "有效期至", "date", required=True, help="2099-12-31 表示长期"),
    Field("agency", "许可机关", required=True, max_length=200),
    Field("agency_code", "许可机关统一社会信用代码", "uscc", required=True),
    Field("status", "当前状态", "enum", required=True, choices=list(LICENCE_STATUS), aliases={"1": "有效", "2": "无效", "正常": "有效"}),
    *SGS_SOURCE,
]


@dataclass
class Draft:
    """A validated row, ready to be written."""

    target: str  # "record" | "licence"
    source_system: str
    source_id: str
    operation: str  # i / u / d
    uscc: str
    party_name: str
    agency_code: str
    agency_name: str
    values: dict = field(default_factory=dict)  # common columns
    payload_json: str = "{}"
    party_id_number: str = ""
    rep_id_number: str = ""
    control_json: str = ""


class Compact(NamedTuple):
    """A validated record row in plain values (ISO dates, decimal strings), ready for executemany or COPY, and cheap
    to send between processes."""

    source_system: str
    source_id: str
    operation: str
    uscc: str
    party_name: str
    agency_code: str
    agency_name: str
    occurred_on: str
    title: str
    summary: str
    amount: str | None
    disclose: bool
    disclose_until: str | None
    payload_json: str
    party_id_number: str
    rep_id_number: str
    control_json: str


@dataclass
class Format:
    key: str
    label: str
    kind: str | None
    target: str
    fields: list[Field]
    example: dict = field(default_factory=dict)

    def __post_init__(self):
        self.labels = {f.key: f.label for f in self.fields}
        self.by_label = {f.label: f for f in self.fields}
        self.by_key = {f.key: f for f in self.fields}
        self.required = [f for f in self.fields if f.required]

    # -- rules between fields ------------------------------------------------------------------------------
    def check(self, clean: dict) -> list[tuple[str, str]]:
        """The rules between fields of one row. Runs once per row of a million-row import: messages are only
        translated when a rule fails."""
        errors = []
        label = self.labels
        get = clean.get
        key = self.key

        def later(a: str, b: str) -> bool:
            va, vb = get(a), get(b)
            return va is not None and vb is not None and vb < va

        if key in _NATIONAL:
            party_id = get("party_id") or ""
            try:
                if get("party_id_type") == "身份证":
                    clean["party_id"] = conv_id_number(party_id, None)
                elif party_id:
                    clean["party_id"] = conv_uscc(party_id, None)
            except FieldError as exc:
                errors.append((label["party_id"], str(exc)))
            if key == ImportFormat.NATIONAL_INSPECTION:
                if later("checked_at", "reported_at"):
                    errors.append((label["reported_at"], _("报送时间不能早于检查时间")))
                return errors
            if later("filed_on", "closed_on"):
                errors.append((label["closed_on"], _("结案日期不能早于立案时间")))
            if later("filed_on", "decided_on"):
                errors.append((label["decided_on"], _("作出处罚决定日期不能早于立案时间")))
            if later("decided_on", "closed_on"):
                errors.append((label["closed_on"], _("结案日期不能早于作出处罚决定日期")))
            if get("reported_at") is not None and get("decided_on") is not None and clean["reported_at"].date() < clean["decided_on"]:
                errors.append((label["reported_at"], _("报送时间不能早于作出处罚决定日期")))
            if get("major") and get("legal_review") is False:
                errors.append((label["legal_review"], _("重大案件须经法制审核后方可作出决定（行政处罚法 第五十八条）")))
            if "罚款" in (get("penalty_kinds") or ()) and get("fine") is None:
                errors.append((label["fine"], _("处罚种类含罚款时须填写罚款金额")))
            return errors
        try:
            if get("party_category") == "自然人":
                clean["id_number"] = conv_id_number(get("id_number") or "", None)
            else:
                clean["party_id"] = conv_uscc(get("party_id") or "", None)
        except FieldError as exc:
            errors.append((label["id_number" if get("party_category") == "自然人" else "party_id"], str(exc)))
        if key == ImportFormat.SGS_PENALTY:
            if later("decided_on", "disclose_until"):
                errors.append((label["disclose_until"], _("公示截止期不能早于处罚决定日期")))
            if "罚款" in (get("penalty_kinds") or ()) and get("fine") is None:
                errors.append((label["fine"], _("处罚类别含罚款时须填写罚款金额")))
        else:
            if later("valid_from", "valid_to"):
                errors.append((label["valid_to"], _("有效期至不能早于有效期自")))
            if get("party_category") == "自然人":
                errors.append((label["party_category"], _("自然人许可不归集到市场主体库，请向自然人信用系统报送")))
        return errors

    # -- the draft -----------------------------------------------------------------------------------------
    def payload_of(self, clean: dict) -> tuple[dict, dict]:
        """(payload, exchange control fields) as JSON-safe dicts, personal information masked."""
        payload, control = {}, {}
        for f in self.fields:
            value = clean.get(f.key)
            if value is None or value == "" or value == []:
                continue
            (control if f.key.startswith("cd_") else payload)[f.key] = json_value(value)
        for key in ("legal_rep_id", "id_number"):
            if key in payload:
                payload[key] = mask_id_number(payload[key])
        if clean.get("party_id_type") == "身份证" and "party_id" in payload:
            payload["party_id"] = mask_id_number(payload["party_id"])
        return payload, control

    def draft(self, clean: dict, payload_json: str = "", control_json: str = "", compact: bool = False):
        """The record (or licence) a cleaned row becomes. `payload_json`/`control_json` come pre-encoded from the batch
        validator; without them they are built here."""
        if not payload_json:
            payload, control = self.payload_of(clean)
            payload_json = json.dumps(payload, ensure_ascii=False)
            control_json = json.dumps(control, ensure_ascii=False) if control else ""
        person = clean.get("party_id_type") == "身份证" or clean.get("party_category") == "自然人"
        party_id_number = ""
        if person:
            party_id_number = (clean.get("party_id") if self.kind and clean.get("party_id_type") == "身份证" else clean.get("id_number")) or ""
        rep_id = clean.get("legal_rep_id") or ""
        uscc = "" if person else (clean.get("party_id") or "")
        op = clean.get("cd_operation", "i")
        if self.key == ImportFormat.NATIONAL_INSPECTION:
            values = {"occurred_on": clean["checked_at"].date(),
                      "title": clean["act_name"], "summary": clean["result"], "amount": None, "disclose": True, "disclose_until": None}
            source = (f"{clean.get('cd_source') or '互联网+监管'}:inspection", clean["act_no"])
        elif self.key == ImportFormat.NATIONAL_PENALTY:
            kinds = "、".join(clean["penalty_kinds"])
            values = {"occurred_on": clean["decided_on"], "title": clean["act_name"],
                      "summary": f"{kinds}；{clean.get('result') or clean['facts'][:200]}", "amount": wan_to_yuan(clean.get("fine")),
                      "disclose": not (clean.get("procedure") == "简易程序" and clean["penalty_kinds"] == ["警告"]), "disclose_until": None}
            source = (f"{clean.get('cd_source') or '互联网+监管'}:penalty", clean["act_no"])
        elif self.key == ImportFormat.SGS_PENALTY:
            values = {"occurred_on": clean["decided_on"], "title": clean["violation_type"], "summary": clean["content"],
                      "amount": wan_to_yuan(clean.get("fine")), "disclose": True, "disclose_until": clean.get("disclose_until")}
            source = ("双公示:penalty", f"{clean['agency_code']}:{clean['decision_no']}")
        else:
            values = {"document_name": clean["document_name"], "document_no": clean["document_no"],
                      "category": LICENCE_CATEGORY[clean["category"]], "certificate_name": clean.get("certificate_name") or "",
                      "licence_no": clean.get("licence_no") or "", "content": clean["content"], "decided_on": clean["decided_on"],
                      "valid_from": clean["valid_from"], "valid_to": clean["valid_to"], "status": LICENCE_STATUS[clean["status"]],
                      "note": clean.get("note") or ""}
            source = ("双公示:licence", f"{clean['agency_code']}:{clean['document_no']}")
        if compact:
            return Compact(source[0], source[1], op, uscc, clean["party_name"], clean.get("agency_code") or "",
                           clean.get("agency") or "", values["occurred_on"].isoformat(), values["title"], values["summary"],
                           None if values["amount"] is None else str(values["amount"]), values["disclose"],
                           None if values["disclose_until"] is None else values["disclose_until"].isoformat(),
                           payload_json, party_id_number, rep_id, control_json)
        return Draft(target=self.target, source_system=source[0], source_id=source[1], operation=op, uscc=uscc,
                     party_name=clean["party_name"], agency_code=clean.get("agency_code") or "", agency_name=clean.get("agency") or "",
                     values=values, payload_json=payload_json, party_id_number=party_id_number, rep_id_number=rep_id,
                     control_json=control_json)


_NATIONAL = (ImportFormat.NATIONAL_INSPECTION, ImportFormat.NATIONAL_PENALTY)

FORMATS: dict[str, Format] = {
    ImportFormat.NATIONAL_INSPECTION: Format(ImportFormat.NATIONAL_INSPECTION, _lazy("互联网+监管 行政检查行为"), RecordKind.INSPECTION,
                                             "record", INSPECTION_FIELDS),
    ImportFormat.NATIONAL_PENALTY: Format(ImportFormat.NATIONAL_PENALTY, _lazy("互联网+监管 行政处罚行为"), RecordKind.PENALTY,
                                          "record", PENALTY_FIELDS),
    ImportFormat.SGS_PENALTY: Format(ImportFormat.SGS_PENALTY, _lazy("双公示 行政处罚"), RecordKind.PENALTY, "record", SGS_PENALTY_FIELDS),
    ImportFormat.SGS_LICENCE: Format(ImportFormat.SGS_LICENCE, _lazy("双公示 行政许可"), None, "licence", SGS_LICENCE_FIELDS),
}


def get_format(key: str) -> Format:
    from jianguan.core.errors import DomainError

    try:
        return FORMATS[key]
    except KeyError:
        raise DomainError(_("未知的数据格式“%(k)s”，可选：%(all)s") % {"k": key, "all": "、".join(FORMATS)}, field="format") from None
