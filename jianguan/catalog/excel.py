"""Excel layouts of the catalogue: one column list per sheet kind, used for templates, exports and imports.

The export of a kind has exactly the columns of its import template, so a department can export its
catalogue, edit it in Excel or WPS and import it again: unchanged rows are no-ops, changed rows become new
versions (with the row's effective date and reason), new codes become new entries. Choice columns hold the
Chinese labels (县、食品药品、重点、是/否 …); the template's second sheet lists the allowed values.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from jianguan.core.exports import safe_cell

from .choices import ChangeReason, CheckMethod, ItemCategory, ItemLevel, ItemStatus, PlanMethod, SupervisionField

YES = ("是", "yes", "y", "true", "1", "√")
NO = ("否", "no", "n", "false", "0", "")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    choices: type | None = None
    note: str = ""


ITEM_COLUMNS = [
    Column("code", "监管事项编码", True, note="14位数字；已存在的编码按修改处理（新版本）"),
    Column("name", "监管事项名称", True),
    Column("department", "实施部门", note="县直部门全称或简称；部门用户可留空（本部门）"),
    Column("level", "事项层级", choices=ItemLevel),
    Column("field", "监管领域", choices=SupervisionField),
    Column("supervision_object", "监管对象", True),
    Column("scope", "监管范围"),
    Column("legal_basis", "监管依据", note="如：《中华人民共和国食品安全法》第八十七条；《食品生产经营监督检查管理办法》第十条"),
    Column("method", "监管方式"),
    Column("category", "事项类别", choices=ItemCategory),
    Column("random_check", "纳入随机抽查", note="是/否"),
    Column("approval_to_filing", "审批改备案", note="是/否"),
    Column("responsible_leader", "分管负责人", note="本部门在岗人员姓名"),
    Column("handling_unit", "承办机构", note="本部门或其内设机构名称"),
    Column("handling_staff", "承办人员", note="姓名，多人用顿号分隔"),
    Column("status", "状态", choices=ItemStatus),
    Column("effective_from", "生效日期", note="留空为今天；不得早于上一版本"),
    Column("reason", "调整原因", choices=ChangeReason, note="新增留空即“首次编制”；修改必填"),
    Column("reason_note", "调整说明"),
]

IMPL_COLUMNS = [
    Column("code", "检查实施清单编码", True, note="所属监管事项编码加1至26位数字或大写字母"),
    Column("item_code", "监管事项编码", True),
    Column("name", "检查实施清单名称", True),
    Column("agency", "实施机构", note="本部门或其内设机构；留空为事项的实施部门"),
    Column("check_object", "检查对象", True),
    Column("method", "检查方式", choices=CheckMethod),
    Column("frequency", "检查频次", True),
    Column("check_points", "检查要点", True, note="每行一项；可用“｜”分隔检查内容和依据"),
    Column("basis", "检查依据"),
    Column("result_handling", "结果处理"),
    Column("status", "状态", choices=ItemStatus),
    Column("effective_from", "生效日期"),
    Column("reason", "调整原因", choices=ChangeReason),
    Column("reason_note", "调整说明"),
]

GUIDELINE_COLUMNS = [
    Column("item_code", "监管事项编码", True),
    Column("item_name", "监管事项名称", note="仅供查看，导入时不读取"),
    Column("content", "监管内容", True),
    Column("method", "监管方法", True),
    Column("basis", "监管依据", True),
    Column("result_handling", "检查结果处理", True),
]

PLAN_COLUMNS = [
    Column("year", "年度", True),
    Column("department", "部门", note="部门用户可留空（本部门）"),
    Column("item_code", "监管事项编码", True),
    Column("item_name", "监管事项名称", note="仅供查看，导入时不读取"),
    Column("object_scope", "检查对象范围", True),
    Column("category", "事项类别", choices=ItemCategory),
    Column("ratio", "抽查比例（%）", True, note="0至100"),
    Column("frequency", "抽查频次（次）", note="留空为1"),
    Column("period_start", "开始日期", True),
    Column("period_end", "结束日期", True),
    Column("method", "检查方式", choices=PlanMethod),
    Column("cooperating_departments", "配合部门", note="多个用顿号分隔"),
    Column("note", "备注"),
]

KINDS: dict[str, tuple[str, list[Column]]] = {
    "items": (_lazy("监管事项目录清单"), ITEM_COLUMNS),
    "impl": (_lazy("检查实施清单"), IMPL_COLUMNS),
    "guidelines": (_lazy("监管工作指引"), GUIDELINE_COLUMNS),
    "plans": (_lazy("年度监管计划"), PLAN_COLUMNS),
}


# --- reading cells ------------------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def boolean(value, header: str) -> bool:
    v = text(value).lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise CellError(_("“%(h)s”应填“是”或“否”，当前为“%(v)s”") % {"h": header, "v": v})


def choice(value, column: Column, default: str | None = None) -> str | None:
    v = text(value)
    if not v:
        return default
    for stored, label in column.choices.choices:
        if v in (stored, str(label)):
            return stored
    # the labels as the template writes them (Chinese, whatever the reader's language)
    from django.utils import translation

    with translation.override("zh-hans"):
        for stored, label in column.choices.choices:
            if v == str(label):
                return stored
    allowed = "、".join(str(label) for _v, label in column.choices.choices)
    raise CellError(_("“%(h)s”的取值“%(v)s”无效，可选：%(a)s") % {"h": column.header, "v": v, "a": allowed})


def date(value, header: str, default: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    v = text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in v.split("-")))
    except ValueError:
        raise CellError(_("“%(h)s”应为日期（如 2026-03-01），当前为“%(v)s”") % {"h": header, "v": text(value)}) from None


def decimal(value, header: str) -> Decimal:
    v = text(value).rstrip("%").strip()
    try:
        return Decimal(v)
    except Exception:
        raise CellError(_("“%(h)s”应为数值，当前为“%(v)s”") % {"h": header, "v": text(value)}) from None


def names(value) -> list[str]:
    v = text(value)
    for sep in ("，", ",", "；", ";", "\n", "/"):
        v = v.replace(sep, "、")
    return [n.strip() for n in v.split("、") if n.strip()]


# --- reading sheets ------------------------------------------------------------------------------------------------


def read_rows(fileobj, columns: list[Column]) -> list[tuple[int, dict]]:
    """(row number in Excel, {key: raw value}) for every non-empty data row of the first sheet.

    Raises CellError when the file is not a workbook or a required column is missing.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(fileobj)
        rows = book.get_sheet_by_index(0).to_python()
    except Exception:
        raise CellError(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件（可先下载模板）")) from None
    if not rows:
        raise CellError(_("文件是空的"))
    header = [text(h) for h in rows[0]]
    index = {}
    for col in columns:
        if col.header in header:
            index[col.key] = header.index(col.header)
        elif col.required:
            raise CellError(_("缺少必填列“%(h)s”，请使用模板的表头") % {"h": col.header})
    out = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {key: (raw[i] if i < len(raw) else "") for key, i in index.items()}
        if all(text(v) == "" for v in values.values()):
            continue
        out.append((number, values))
    return out


# --- writing ----------------------------------------------------------------------------------------------------------


def _label(column: Column, value) -> str:
    if column.choices is not None and value not in (None, ""):
        try:
            return str(column.choices(value).label)
        except ValueError:
            return str(value)
    return value


def workbook(kind: str, rows: list[list] | None = None, *, with_help: bool = False) -> bytes:
    """A workbook of `kind` with its header, the given rows, and (for templates) a sheet of instructions."""
    title, columns = KINDS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows or []:
        ws.append([safe_cell(v) for v in row])
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, min(40, len(column.header) * 3))
    if with_help:
        help_ws = wb.create_sheet(_("填写说明"))
        help_ws.append([_("列"), _("必填"), _("说明"), _("可选值")])
        for cell in help_ws[1]:
            cell.font = Font(bold=True)
        for c in columns:
            allowed = "、".join(str(label) for _v, label in c.choices.choices) if c.choices else ""
            help_ws.append([c.header, _("是") if c.required else "", c.note, allowed])
        help_ws.column_dimensions["A"].width = 18
        help_ws.column_dimensions["C"].width = 60
        help_ws.column_dimensions["D"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def labelled(columns: list[Column], values: dict) -> list:
    """A row in column order, choice values as their Chinese labels (the exchange format is Chinese)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return [_label(c, values.get(c.key, "")) for c in columns]


# --- export rows (the same columns as the import) ----------------------------------------------------------------------


def _yes(value: bool) -> str:
    return "是" if value else "否"


def item_rows(items) -> list[list]:
    """`items` with bases__provision, handling_staff, department, responsible_leader, handling_unit prefetched."""
    from .basis import format_basis

    out = []
    for item in items:
        latest = max(item.versions.all(), key=lambda v: v.number, default=None)
        values = {
            "code": item.code, "name": item.name, "department": item.department.name, "level": item.level, "field": item.field,
            "supervision_object": item.supervision_object, "scope": item.scope,
            "legal_basis": format_basis([(b.provision.law_name, b.provision.article) for b in item.bases.all()]),
            "method": item.method, "category": item.category, "random_check": _yes(item.random_check),
            "approval_to_filing": _yes(item.approval_to_filing),
            "responsible_leader": item.responsible_leader.display_name if item.responsible_leader_id else "",
            "handling_unit": item.handling_unit.name if item.handling_unit_id else "",
            "handling_staff": "、".join(sorted(u.display_name for u in item.handling_staff.all())),
            "status": item.status, "effective_from": item.effective_from,
            "reason": latest.reason if latest else "", "reason_note": latest.reason_note if latest else "",
        }
        out.append(labelled(ITEM_COLUMNS, values))
    return out


def impl_rows(impls) -> list[list]:
    out = []
    for impl in impls:
        latest = max(impl.versions.all(), key=lambda v: v.number, default=None)
        points = "\n".join(f"{p.content}｜{p.basis}" if p.basis else p.content for p in sorted(impl.check_points.all(), key=lambda p: p.seq))
        values = {
            "code": impl.code, "item_code": impl.item.code, "name": impl.name, "agency": impl.agency.name,
            "check_object": impl.check_object, "method": impl.method, "frequency": impl.frequency, "check_points": points,
            "basis": impl.basis, "result_handling": impl.result_handling, "status": impl.status,
            "effective_from": impl.effective_from, "reason": latest.reason if latest else "",
            "reason_note": latest.reason_note if latest else "",
        }
        out.append(labelled(IMPL_COLUMNS, values))
    return out


def guideline_rows(guidelines) -> list[list]:
    return [labelled(GUIDELINE_COLUMNS, {"item_code": g.item.code, "item_name": g.item.name, "content": g.content,
                                         "method": g.method, "basis": g.basis, "result_handling": g.result_handling})
            for g in guidelines]


def plan_rows(rows) -> list[list]:
    return [labelled(PLAN_COLUMNS, {
        "year": r.plan.county_plan.year, "department": r.department.name, "item_code": r.item.code, "item_name": r.item.name,
        "object_scope": r.object_scope, "category": r.category, "ratio": r.ratio, "frequency": r.frequency,
        "period_start": r.period_start, "period_end": r.period_end, "method": r.method,
        "cooperating_departments": "、".join(d.name for d in r.cooperating_departments.all()), "note": r.note,
    }) for r in rows]
