"""Exports in the exchange formats, so the county can send its data up: national 互联网+监管 push records and
双公示 records, as CSV (UTF-8 with BOM, opens in Excel and WPS), XLSX or JSON. Column names and value forms are
exactly those the import reads, so an export re-imports unchanged.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from jianguan.core.exports import XLSX_TYPE, workbook_bytes
from jianguan.core.pii import mask_id_number
from jianguan.entities.models import Licence

from .choices import ImportFormat, RecordKind, RecordStatus
from .formats import FORMATS, LICENCE_CATEGORY, LICENCE_STATUS, Format
from .models import Record

EXPORT_LIMIT = 1_000_000
_CATEGORY_LABEL = {v: k for k, v in LICENCE_CATEGORY.items()}
_STATUS_LABEL = {"valid": "有效", "expired": "已过期", "revoked": "已撤销", "cancelled": "无效"}


def _value(value):
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


def record_rows(fmt: Format, records, *, unmask: bool) -> Iterator[dict]:
    today = timezone.localdate().strftime("%Y%m%d")
    now = timezone.localtime().isoformat(timespec="seconds")
    for seq, r in enumerate(records.iterator(chunk_size=2000), start=1):
        data = dict(r.payload)
        if r.party_id_number:
            key = "id_number" if fmt.key == ImportFormat.SGS_PENALTY else "party_id"
            data[key] = r.party_id_number if unmask else mask_id_number(r.party_id_number)
            if fmt.key != ImportFormat.SGS_PENALTY:
                data.setdefault("party_id_type", "身份证")
        elif r.uscc:
            data.setdefault("party_id", r.uscc)
            if fmt.key != ImportFormat.SGS_PENALTY:
                data.setdefault("party_id_type", "统一社会信用代码")
        if r.rep_id_number:
            data["legal_rep_id"] = r.rep_id_number if unmask else mask_id_number(r.rep_id_number)
        data.setdefault("party_name", r.party_name)
        if fmt.key == ImportFormat.SGS_PENALTY:
            data.setdefault("party_category", "自然人" if r.party_id_number else "法人及非法人组织")
            data.setdefault("violation_type", r.title)
            data.setdefault("content", r.summary)
            data.setdefault("agency", r.department.name)
            data.setdefault("agency_code", r.department.uscc or "")
            data.setdefault("source_unit", r.department.name)
            data.setdefault("source_unit_code", r.department.uscc or "")
        else:
            data.setdefault("agency", r.department.name)
            data.setdefault("agency_code", r.department.uscc or "")
            data["cd_id"] = data.get("cd_id") or f"{r.source_system}:{r.source_id}"
            data["cd_time"] = now
            data["cd_source"] = data.get("cd_source") or "jianguan"
            data["cd_batch"] = f"{today}{(seq - 1) // 10000 + 1:05d}"
            data["cd_operation"] = "d" if r.status == RecordStatus.VOIDED else "i"
        yield {f.label: _value(data.get(f.key)) for f in fmt.fields}


def licence_rows(fmt: Format, licences, *, unmask: bool) -> Iterator[dict]:
    for lic in licences.iterator(chunk_size=2000):
        data = {
            "party_name": lic.entity.name, "party_category": "个体工商户" if lic.entity.kind == "individual" else "法人及非法人组织",
            "party_id": lic.entity.uscc, "legal_rep": lic.entity.legal_representative, "document_name": lic.document_name,
            "document_no": lic.document_no, "category": _CATEGORY_LABEL.get(lic.category, "其他"),
            "certificate_name": lic.certificate_name, "licence_no": lic.licence_no, "content": lic.content,
            "decided_on": lic.decided_on.isoformat(), "valid_from": lic.valid_from.isoformat(), "valid_to": lic.valid_to.isoformat(),
            "agency": lic.department.name, "agency_code": lic.department.uscc or "", "status": _STATUS_LABEL.get(lic.status, "有效"),
            "source_unit": lic.department.name, "source_unit_code": lic.department.uscc or "", "note": lic.note,
        }
        yield {f.label: _value(data.get(f.key)) for f in fmt.fields}


def exchange_rows(*, user, format: str, date_from=None, date_to=None, unmask: bool = False):
    """(format, row iterator) for an export of everything of that format the user may see."""
    fmt = FORMATS[format]
    if fmt.target == "licence":
        qs = Licence.objects.visible_to(user).select_related("entity", "department").order_by("pk")
        if date_from:
            qs = qs.filter(decided_on__gte=date_from)
        if date_to:
            qs = qs.filter(decided_on__lte=date_to)
        return fmt, licence_rows(fmt, qs[:EXPORT_LIMIT], unmask=unmask)
    kind = RecordKind.INSPECTION if fmt.key == ImportFormat.NATIONAL_INSPECTION else RecordKind.PENALTY
    qs = Record.objects.visible_to(user).filter(kind=kind).select_related("department").order_by("pk")
    if fmt.key == ImportFormat.SGS_PENALTY:
        qs = qs.filter(disclose=True, status=RecordStatus.ACTIVE)
    if date_from:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_on__lte=date_to)
    return fmt, record_rows(fmt, qs[:EXPORT_LIMIT], unmask=unmask)


def _filename(fmt: Format, ext: str) -> str:
    return f"{fmt.label}-{timezone.localdate():%Y%m%d}.{ext}"


def exchange_response(fmt: Format, rows: Iterator[dict], kind: str):
    headers = [f.label for f in fmt.fields]
    if kind == "xlsx":
        response = HttpResponse(workbook_bytes(str(fmt.label)[:31], headers, ([row[h] for h in headers] for row in rows)),
                                content_type=XLSX_TYPE)
    elif kind == "json":
        def stream():
            yield "["
            for i, row in enumerate(rows):
                yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
            yield "\n]\n"

        response = StreamingHttpResponse(stream(), content_type="application/json; charset=utf-8")
    else:
        def stream():
            buf = io.StringIO()
            writer = csv.writer(buf)
            buf.write("\ufeff")
            writer.writerow(headers)
            for i, row in enumerate(rows):
                writer.writerow([row[h] for h in headers])
                if i % 500 == 0:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_filename(fmt, kind))}"
    return response


def template_bytes(fmt: Format) -> bytes:
    """The Excel import template: the columns in Chinese, and a second sheet explaining each one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = str(fmt.label)[:31]
    ws.append([f.label for f in fmt.fields])
    for i, f in enumerate(fmt.fields, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF" if f.required else "000000")
        if f.required:
            cell.fill = PatternFill("solid", fgColor="B3261E")
        ws.column_dimensions[cell.column_letter].width = max(12, min(40, len(f.label) * 2 + 2))
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "类型", "规则与可选值"])
    type_label = {"str": "文本", "date": "日期 YYYY-MM-DD", "datetime": "时间 YYYY-MM-DD HH:MM:SS", "decimal": "数值（不得为负）",
                  "bool": "是/否", "enum": "选项", "enum_list": "选项（多个用顿号分隔）", "list": "多个用顿号分隔",
                  "uscc": "统一社会信用代码（18位，校验）", "id_number": "身份证号（18位，校验）", "division6": "6位行政区划代码",
                  "digits": "数字编码", "batch": "yyyymmdd+5位序号", "operation": "i 新增 / u 修改 / d 删除"}
    for f in fmt.fields:
        rule = "、".join(f.choices) if f.choices else ""
        if f.length:
            rule = f"{f.length}位数字"
        if f.help:
            rule = f"{rule} {f.help}".strip()
        notes.append([f.label, "是" if f.required else "", type_label.get(f.type, f.type), rule])
    for col, width in zip("ABCD", (36, 6, 28, 80)):
        notes.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
