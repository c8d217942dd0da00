"""Typed exchange fields: each converts one raw cell (text from CSV, a number or date from Excel, a JSON value)
into its clean value, or raises FieldError with a Chinese message naming the rule. Kept small and fast:
an import runs these a few dozen times per row over a million rows.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from jianguan.core.identifiers import is_valid_id_number, is_valid_uscc, validate_id_number, validate_uscc

TZ = ZoneInfo("Asia/Shanghai")
WAN = decimal.Decimal(10000)
CENT = decimal.Decimal("0.01")
_LIST_SPLIT = re.compile(r"[,，、;；|]+")
_DATE_CN = re.compile(r"^(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})日?$")


class FieldError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def conv_str(value, spec):
    text = _text(value)
    if spec.max_length and len(text) > spec.max_length:
        raise FieldError(_("超过最大长度 %(n)d 个字符") % {"n": spec.max_length})
    return text


def conv_date(value, spec):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        if len(text) == 10 and text[4] == "-":
            return dt.date.fromisoformat(text)
        if len(text) >= 16 and text[4] == "-" and text[10] in " T":
            return dt.datetime.fromisoformat(text).date()
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        m = _DATE_CN.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise FieldError(_("日期“%(v)s”不存在") % {"v": text}) from None
    raise FieldError(_("日期“%(v)s”格式不正确，应为 YYYY-MM-DD") % {"v": text})


def conv_datetime(value, spec):
    """A naive datetime in Asia/Shanghai local time (inputs with an offset are converted)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(TZ).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = _text(value)
    try:
        if len(text) >= 16 and text[4] == "-":
            parsed = dt.datetime.fromisoformat(text.replace("/", "-"))
            return parsed.astimezone(TZ).replace(tzinfo=None) if parsed.tzinfo else parsed
    except ValueError:
        raise FieldError(_("时间“%(v)s”不存在") % {"v": text}) from None
    day = conv_date(text, spec)
    return dt.datetime(day.year, day.month, day.day)


def conv_decimal(value, spec):
    if isinstance(value, bool):
        raise FieldError(_("应为数值"))
    try:
        number = decimal.Decimal(str(value).strip().replace(",", "")) if not isinstance(value, decimal.Decimal) else value
    except decimal.InvalidOperation:
        raise FieldError(_("“%(v)s”不是数值") % {"v": _text(value)}) from None
    if not number.is_finite():
        raise FieldError(_("“%(v)s”不是数值") % {"v": _text(value)})
    if number < 0:
        raise FieldError(_("金额不能为负数"))
    if number > decimal.Decimal("1e12"):
        raise FieldError(_("金额超出合理范围"))
    return number


_TRUE = {"是", "1", "true", "y", "yes", "TRUE", "Y", "有"}
_FALSE = {"否", "0", "false", "n", "no", "FALSE", "N", "无"}


def conv_bool(value, spec):
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(_("应填“是”或“否”，实为“%(v)s”") % {"v": text})


def conv_enum(value, spec):
    text = _text(value)
    if text in spec.choices:
        return text
    alias = spec.aliases.get(text)
    if alias:
        return alias
    raise FieldError(_("“%(v)s”不在允许的取值范围内（%(c)s）") % {"v": text, "c": "、".join(spec.choices[:12])})


def conv_enum_list(value, spec):
    items = [x.strip() for x in (value if isinstance(value, list) else _LIST_SPLIT.split(_text(value))) if str(x).strip()]
    return [conv_enum(x, spec) for x in items]


def conv_list(value, spec):
    if isinstance(value, list):
        return [str(x).strip() for x in value if str(x).strip()]
    return [x.strip() for x in _LIST_SPLIT.split(_text(value)) if x.strip()]


_VALID_USCC: set[str] = set()
_VALID_ID: set[str] = set()


def conv_uscc(value, spec):
    if value.__class__ is str and value in _VALID_USCC:
        return value
    code = _text(value).upper()
    if code in _VALID_USCC:
        return code
    if is_valid_uscc(code):
        if len(_VALID_USCC) > 500_000:
            _VALID_USCC.clear()
        _VALID_USCC.add(code)
    else:
        try:
            validate_uscc(code)
        except Exception as exc:  # ValidationError: its message names the GB 32100 rule
            raise FieldError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    return code


def conv_id_number(value, spec):
    number = _text(value).upper()
    if number in _VALID_ID:
        return number
    if is_valid_id_number(number):
        if len(_VALID_ID) > 200_000:
            _VALID_ID.clear()
        _VALID_ID.add(number)
    else:
        try:
            validate_id_number(number)
        except Exception as exc:
            raise FieldError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    return number


def conv_division6(value, spec):
    code = _text(value)
    if len(code) != 6 or not code.isdigit():
        raise FieldError(_("行政区划代码应为6位数字（GB/T 2260）"))
    return code


def conv_digits(value, spec):
    code = _text(value)
    if not code.isdigit() or (spec.length and len(code) != spec.length):
        raise FieldError(_("应为%(n)d位数字") % {"n": spec.length})
    return code


def conv_batch(value, spec):
    text = _text(value)
    if len(text) != 13 or not text.isdigit():
        raise FieldError(_("批次号应为 yyyymmdd 加5位序号，共13位数字"))
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise FieldError(_("批次号前8位“%(d)s”不是有效日期") % {"d": text[:8]}) from None
    return text


def conv_operation(value, spec):
    text = _text(value).lower() or "i"
    if text not in ("i", "u", "d"):
        raise FieldError(_("操作类型应为 i（新增）、u（修改）或 d（删除）"))
    return text


CONVERTERS = {
    "str": conv_str, "date": conv_date, "datetime": conv_datetime, "decimal": conv_decimal, "bool": conv_bool,
    "enum": conv_enum, "enum_list": conv_enum_list, "list": conv_list, "uscc": conv_uscc, "id_number": conv_id_number,
    "division6": conv_division6, "digits": conv_digits, "batch": conv_batch, "operation": conv_operation,
}


@dataclass
class Field:
    """One exchange field: `label` is its Chinese column name in files and templates, `key` its JSON name."""

    key: str
    label: str
    type: str = "str"
    required: bool = False
    max_length: int = 0
    choices: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    length: int = 0
    pii: bool = False  # personal information: never kept in the payload in clear
    help: str = ""

    def __post_init__(self):
        self.convert = CONVERTERS[self.type]
        if self.type == "str" and not self.max_length:
            self.max_length = 2000
        self.memo: dict = {}
        self.batch_memo: dict = {}  # the import engine's own: raw → (value, JSON fragment, error)
        self.prefix = json.encoder.encode_basestring(self.key) + ":"  # how the payload's JSON names it

    def clean(self, raw):
        """(value, JSON value) for a non-blank raw cell, memoised: exchange files repeat the same codes, dates and
        options over and over. Raises FieldError."""
        if self.type == "str":
            text = raw.strip() if raw.__class__ is str else _text(raw)
            if len(text) > self.max_length:
                raise FieldError(_("超过最大长度 %(n)d 个字符") % {"n": self.max_length})
            return text, text
        if raw.__class__ is not str:  # numbers, dates, lists from Excel or JSON: not memoised (True == 1 as a key)
            value = self.convert(raw, self)
            return value, json_value(value)
        hit = self.memo.get(raw)
        if hit is None:
            try:
                value = self.convert(raw, self)
                hit = (value, json_value(value), None)
            except FieldError as exc:
                hit = (None, None, str(exc))
            if len(self.memo) > 100_000:
                self.memo.clear()
            self.memo[raw] = hit
        if hit[2] is not None:
            raise FieldError(hit[2])
        return hit[0], hit[1]


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip()) or value == []


def json_value(value):
    """A clean value as it is kept in the JSON payload."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="seconds") + "+08:00"
        return value.astimezone(TZ).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def wan_to_yuan(value: decimal.Decimal | None) -> decimal.Decimal | None:
    return None if value is None else (value * WAN).quantize(CENT)
