"""The exchange formats the county imports and exports: national 互联网+监管 push records (行政检查行为, 行政处罚行为)
and 双公示 records (行政处罚, 行政许可). Column names are the Chinese field names of the exchange (RULES.md);
docs/formats.md describes each column, its type and its rules.

A format checks the rules between fields (dates in order, major cases reviewed …) and turns checked rows into
records: the common record columns (the exchange fields go to the payload, built by the import engine). Both
work on a batch of rows column by column (check_batch, records_batch); licences become drafts row by row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import compress
from operator import lt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .choices import ImportFormat, RecordKind
from .fields import Field, FieldError, conv_id_number, conv_uscc, wan_to_yuan

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
    """A validated licence row, ready to be written."""

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


# The record columns `Format.records_batch` gives, in this order (plain values: ISO dates, decimal strings).
RECORD_TUPLE = ("source_system", "source_id", "operation", "uscc", "party_name", "agency_code", "agency_name", "occurred_on",
                "title", "summary", "amount", "disclose", "disclose_until", "party_id_number", "rep_id_number")
(R_SYSTEM, R_SOURCE_ID, R_OPERATION, R_USCC, R_PARTY_NAME, R_AGENCY_CODE, R_AGENCY_NAME, R_OCCURRED_ON, R_TITLE, R_SUMMARY,
 R_AMOUNT, R_DISCLOSE, R_DISCLOSE_UNTIL, R_PARTY_ID_NUMBER, R_REP_ID_NUMBER) = range(len(RECORD_TUPLE))

_ID_MEMO: dict = {}  # (kind, raw) → (normalised, problem): identifiers repeat over a file's rows


def _identifier(kind: str, value) -> tuple:
    """(normalised value, problem or None) of a party identifier checked as a 身份证号 ("id") or a USCC ("code")."""
    hit = _ID_MEMO.get((kind, value))
    if hit is None:
        try:
            hit = ((conv_id_number if kind == "id" else conv_uscc)(value or "", None), None)
        except FieldError as exc:
            hit = (value, str(exc))
        if len(_ID_MEMO) > 200_000:
            _ID_MEMO.clear()
        _ID_MEMO[(kind, value)] = hit
    return hit


def _identifiers(kinds: list, values) -> tuple[list | None, dict[int, str]]:
    """Check each value as its kind says (None: not checked). Returns (the normalised column, or None when nothing
    changed; {row: problem})."""
    pairs = list(zip(kinds, values))
    local = {pair: (_identifier(*pair) if pair[0] else (pair[1], None)) for pair in set(pairs)}
    problems = {}
    if any(hit[1] for hit in local.values()):
        problems = {i: hit[1] for i, hit in enumerate(map(local.__getitem__, pairs)) if hit[1]}
    changed = None
    if any(hit[0] != pair[1] for pair, hit in local.items()):
        changed = [hit[0] for hit in map(local.__getitem__, pairs)]
    return changed, problems


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
    def check_batch(self, col, n: int, skip=()) -> tuple[dict[int, list[tuple[str, str]]], dict[str, list]]:
        """The rules between fields over a batch of `n` rows, rule by rule. `col(key)` is a field's typed column (dates
        and times as ISO strings, see columnar.py; None where blank). Rows in `skip` are already rejected and not
        checked. Returns the problems per row, in rule order (messages are only translated when a rule fails), and
        the columns the rules normalised (identifiers in upper case)."""
        errors: dict[int, list] = {}
        fixed: dict[str, list] = {}
        label = self.labels
        key = self.key

        def fail(rows, name: str, message) -> None:
            for i in rows:
                if i not in skip:
                    errors.setdefault(i, []).append((label[name], message() if callable(message) else message))

        def later(a: str, b: str) -> list[int]:
            """Rows where `b` is before `a`, both given."""
            va, vb = col(a), col(b)
            if None in va or None in vb:
                return [i for i, x, y in zip(range(n), va, vb) if x is not None and y is not None and y < x]
            return list(compress(range(n), map(lt, vb, va)))

        if key in _NATIONAL:
            party = col("party_id")
            kinds = ["id" if t == "身份证" else ("code" if p else None) for t, p in zip(col("party_id_type"), party)]
            changed, problems = _identifiers(kinds, party)
            if changed is not None:
                fixed["party_id"] = changed
            for i, problem in problems.items():
                fail([i], "party_id", problem)
            if key == ImportFormat.NATIONAL_INSPECTION:
                fail(later("checked_at", "reported_at"), "reported_at", lambda: _("报送时间不能早于检查时间"))
                return errors, fixed
            fail(later("filed_on", "closed_on"), "closed_on", lambda: _("结案日期不能早于立案时间"))
            fail(later("filed_on", "decided_on"), "decided_on", lambda: _("作出处罚决定日期不能早于立案时间"))
            fail(later("decided_on", "closed_on"), "closed_on", lambda: _("结案日期不能早于作出处罚决定日期"))
            fail([i for i, r, d in zip(range(n), col("reported_at"), col("decided_on")) if r is not None and d is not None and r[:10] < d],
                 "reported_at", lambda: _("报送时间不能早于作出处罚决定日期"))
            fail([i for i, m, r in zip(range(n), col("major"), col("legal_review")) if m and r is False],
                 "legal_review", lambda: _("重大案件须经法制审核后方可作出决定（行政处罚法 第五十八条）"))
            fail([i for i, k, f in zip(range(n), col("penalty_kinds"), col("fine")) if f is None and "罚款" in (k or ())],
                 "fine", lambda: _("处罚种类含罚款时须填写罚款金额"))
            return errors, fixed
        person = [c == "自然人" for c in col("party_category")]
        ids, party = col("id_number"), col("party_id")
        changed, problems = _identifiers(["id" if p else None for p in person], ids)
        if changed is not None:
            fixed["id_number"] = changed
        for i, problem in problems.items():
            fail([i], "id_number", problem)
        changed, problems = _identifiers([None if p else "code" for p in person], party)
        if changed is not None:
            fixed["party_id"] = changed
        for i, problem in problems.items():
            fail([i], "party_id", problem)
        if key == ImportFormat.SGS_PENALTY:
            fail(later("decided_on", "disclose_until"), "disclose_until", lambda: _("公示截止期不能早于处罚决定日期"))
            fail([i for i, k, f in zip(range(n), col("penalty_kinds"), col("fine")) if f is None and "罚款" in (k or ())],
                 "fine", lambda: _("处罚类别含罚款时须填写罚款金额"))
        else:
            fail(later("valid_from", "valid_to"), "valid_to", lambda: _("有效期至不能早于有效期自"))
            fail([i for i, p in enumerate(person) if p], "party_category", lambda: _("自然人许可不归集到市场主体库，请向自然人信用系统报送"))
        return errors, fixed

    def check(self, clean: dict) -> list[tuple[str, str]]:
        """The rules between fields of one row (typed values as `check_batch` takes them); normalises `clean` in place."""
        errors, fixed = self.check_batch(lambda k: [clean.get(k)], 1)
        for k, values in fixed.items():
            clean[k] = values[0]
        return errors.get(0, [])

    # -- the records ---------------------------------------------------------------------------------------
    def records_batch(self, col, n: int) -> list:
        """The records the rows of a checked batch become, as columns in RECORD_TUPLE order (each a sequence of n values).
        Rows that were rejected get values too (the caller skips them); a value a rule did not foresee raises."""
        key = self.key
        none, empty = [None] * n, [""] * n
        agency_codes, agencies = _text(col("agency_code")), _text(col("agency"))
        if key in _NATIONAL:
            types, party = col("party_id_type"), col("party_id")
            if "身份证" in types:
                person = [t == "身份证" for t in types]
                usccs = ["" if p else (v or "") for p, v in zip(person, party)]
                numbers = [(v or "") if p else "" for p, v in zip(person, party)]
            else:
                usccs, numbers = _text(party), empty
            suffix = ":inspection" if key == ImportFormat.NATIONAL_INSPECTION else ":penalty"
            systems = _mapped(col("cd_source"), lambda s: f"{s or '互联网+监管'}{suffix}")
            operations = col("cd_operation")
            if None in operations:
                operations = [o or "i" for o in operations]
            if key == ImportFormat.NATIONAL_INSPECTION:
                occurred = [v[:10] if v else None for v in col("checked_at")]
                return [systems, col("act_no"), operations, usccs, col("party_name"), agency_codes, agencies, occurred,
                        col("act_name"), col("result"), none, [True] * n, none, numbers, empty]
            kinds = col("penalty_kinds")
            summaries = [f"{'、'.join(k)}；{r or f[:200]}" if k is not None else None
                         for k, r, f in zip(kinds, col("result"), _text(col("facts")))]
            disclose = [not (p == "简易程序" and k == ["警告"]) for p, k in zip(col("procedure"), kinds)]
            return [systems, col("act_no"), operations, usccs, col("party_name"), agency_codes, agencies, col("decided_on"),
                    col("act_name"), summaries, _amounts(col("fine")), disclose, none, numbers, empty]
        person = [c == "自然人" for c in col("party_category")]
        usccs = ["" if p else (v or "") for p, v in zip(person, col("party_id"))]
        numbers = [(v or "") if p else "" for p, v in zip(person, col("id_number"))]
        sources = [f"{a}:{d}" for a, d in zip(agency_codes, col("decision_no"))]
        return [["双公示:penalty"] * n, sources, ["i"] * n, usccs, col("party_name"), agency_codes, agencies, col("decided_on"),
                col("violation_type"), col("content"), _amounts(col("fine")), [True] * n, col("disclose_until"), numbers,
                _text(col("legal_rep_id"))]

    def draft(self, clean: dict, payload_json: str, control_json: str = "") -> Draft:
        """The licence a checked row (typed values as `check_batch` takes them) becomes."""
        person = clean.get("party_category") == "自然人"
        day = dt.date.fromisoformat
        values = {"document_name": clean["document_name"], "document_no": clean["document_no"],
                  "category": LICENCE_CATEGORY[clean["category"]], "certificate_name": clean.get("certificate_name") or "",
                  "licence_no": clean.get("licence_no") or "", "content": clean["content"], "decided_on": day(clean["decided_on"]),
                  "valid_from": day(clean["valid_from"]), "valid_to": day(clean["valid_to"]), "status": LICENCE_STATUS[clean["status"]],
                  "note": clean.get("note") or ""}
        return Draft(target=self.target, source_system="双公示:licence", source_id=f"{clean['agency_code']}:{clean['document_no']}",
                     operation="i", uscc="" if person else (clean.get("party_id") or ""), party_name=clean["party_name"],
                     agency_code=clean.get("agency_code") or "", agency_name=clean.get("agency") or "", values=values,
                     payload_json=payload_json, party_id_number=(clean.get("id_number") or "") if person else "",
                     rep_id_number=clean.get("legal_rep_id") or "", control_json=control_json)


def _text(values):
    """The values with None as ""."""
    return [v or "" for v in values] if None in values else values


def _mapped(values, function) -> list:
    """function(v) for each value, computed once per distinct value."""
    table = {v: function(v) for v in set(values)}
    return list(map(table.__getitem__, values))


def _amounts(fines) -> list:
    """万元 → 元 as decimal strings (None stays None)."""
    return _mapped(fines, lambda v: None if v is None else str(wan_to_yuan(v)))


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
