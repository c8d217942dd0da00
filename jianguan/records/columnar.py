"""Column-wise conversion of a batch of raw cells: the import engine checks each field's whole column at once.

`convert_column` gives, for one field and one batch, the typed values, the JSON fragments of the payload
(`"key":value`, or None when the cell is blank) and the problems (None when the whole column is fine;
otherwise per row None, BLANK or the Chinese message of the rule broken). The rules and messages are those
of `fields.py`: every cell that is not in the common shape goes through `Field.clean`.

Common shapes are checked for a whole column with one regular expression over the joined column, and their
fragments built with a few string operations on the joined column (no Python work per cell): dates and times
`YYYY-MM-DD HH:MM:SS` (calendar included), fixed-length codes, 批次号, lists. Columns with few distinct values
convert each distinct value once (remembered across batches, bounded). Typed dates are ISO strings
(`YYYY-MM-DD`) and typed times naive local ISO strings (`YYYY-MM-DD HH:MM:SS[.ffffff]`): they compare in
time order and need no objects.
"""
from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from jianguan.core.pii import mask_id_number

from .fields import _LIST_SPLIT, FieldError

BLANK = "<blank>"
MEMO_LIMIT = 50_000  # distinct raw values remembered per field (bounded memory)
encode = json.encoder.encode_basestring  # the C encoder, non-ASCII kept as is


def json_key(key: str) -> str:
    return encode(key) + ":"


def plain(value) -> str:
    """A non-text cell (Excel number or date, JSON number) as text."""
    import datetime as dt

    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


# --- one cell ----------------------------------------------------------------------------------------------------

def convert_value(f, raw, prefix: str) -> tuple:
    """(typed value, JSON fragment, problem or None) for one raw cell of a typed field."""
    if raw is None or raw == "" or raw == [] or (raw.__class__ is str and raw.isspace()):
        return None, None, BLANK
    if f.type == "list" and raw.__class__ is str:
        return _list_value(raw, prefix)
    try:
        value, jv = f.clean(raw)
    except FieldError as exc:
        return None, None, str(exc)
    if f.type == "datetime":
        value = value.isoformat(" ")
    elif f.type == "date":
        value = value.isoformat()
    if jv.__class__ is str:
        return value, prefix + encode(jv), None
    return value, prefix + json.dumps(jv, ensure_ascii=False), None


def _list_value(v: str, prefix: str) -> tuple:
    items = [x.strip() for x in _LIST_SPLIT.split(v)] if v else []
    items = [x for x in items if x]
    if not items:
        return None, None, BLANK
    return items, prefix + "[" + ",".join(map(encode, items)) + "]", None


# --- whole columns in their common shape ---------------------------------------------------------------------------

_YEAR = r"(?!0000)\d{4}"
_MONTH_DAY = r"(?:(?:0[13578]|1[02]){s}(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11){s}(?:0[1-9]|[12]\d|30)|02{s}(?:0[1-9]|1\d|2[0-8]))"
_LEAP_YEAR = r"(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"


def _date_pattern(sep: str) -> str:
    """A day that exists, in years 0001–9999 (what `datetime.date` accepts)."""
    return rf"(?:{_YEAR}{sep}{_MONTH_DAY.format(s=sep)}|(?!0000){_LEAP_YEAR}{sep}02{sep}29)"


_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
_DATETIME_COLUMN = re.compile(rf"(?:{_date_pattern('-')} {_TIME}\n)*", re.ASCII)
_BATCH_COLUMN = re.compile(rf"(?:{_date_pattern('')}\d{{5}}\n)*", re.ASCII)
_DIGITS_COLUMN: dict[int, re.Pattern] = {}
_SEPARATORS = ",，、;；|"
_ITEM = r'[^\s"\\\x00-\x1f' + re.escape(_SEPARATORS) + "]+"
_LIST_COLUMN = re.compile(rf"(?:(?:{_ITEM}(?:[{re.escape(_SEPARATORS)}]{_ITEM})*)?\n)*")
_SEPARATOR_SPLIT = re.compile(f"[{re.escape(_SEPARATORS)}]")


def _joined(col, width: int = 0) -> str | None:
    """The column joined with line breaks (and one at the end), or None when a cell holds a line break itself or,
    for fixed-width shapes, when the total length rules the shape out."""
    text = "\n".join(col) + "\n"
    if width and len(text) != (width + 1) * len(col):
        return None
    if text.count("\n") != len(col):
        return None
    return text


def _quoted_fragments(col, prefix: str, suffix: str = "") -> list[str]:
    """`prefix"value<suffix>"` for every cell, built on the joined column (the cells hold no quote, backslash or
    control character: their shapes were checked)."""
    head = prefix + '"'
    tail = suffix + '"'
    return (head + (tail + "\n" + head).join(col) + tail).split("\n")


def _datetime_column(f, col, prefix):
    text = _joined(col, 19)
    if text is None or _DATETIME_COLUMN.fullmatch(text) is None:
        return None
    head = prefix + '"'
    frags = (head + ('+08:00"\n' + head).join(col) + '+08:00"').replace(" ", "T").split("\n")
    return list(col), frags, None


def _digits_column(f, col, prefix):
    if not f.length:
        return None
    pattern = _DIGITS_COLUMN.get(f.length)
    if pattern is None:
        pattern = _DIGITS_COLUMN[f.length] = re.compile(rf"(?:[0-9]{{{f.length}}}\n)*", re.ASCII)
    text = _joined(col, f.length)
    if text is None or pattern.fullmatch(text) is None:
        return None
    return list(col), _quoted_fragments(col, prefix), None


def _batch_column(f, col, prefix):
    text = _joined(col, 13)
    if text is None or _BATCH_COLUMN.fullmatch(text) is None:
        return None
    return list(col), _quoted_fragments(col, prefix), None


class SplitLists:
    """Typed values of a list column that passed the column check: split only if a rule asks for them (none does:
    lists only go to the payload)."""

    __slots__ = ("raw",)

    def __init__(self, raw):
        self.raw = raw

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i):
        v = self.raw[i]
        return _SEPARATOR_SPLIT.split(v) if v else None

    def __iter__(self):
        return (self[i] for i in range(len(self.raw)))


def _list_column(f, col, prefix):
    text = _joined(col)
    if text is None or _LIST_COLUMN.fullmatch(text) is None:
        return None
    head = prefix + '["'
    text = head + ('"]\n' + head).join(col) + '"]'
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, '","')
    frags = text.split("\n")
    problems = None
    if "" in col:
        frags = [fr if v else None for v, fr in zip(col, frags)]
        problems = [None if v else BLANK for v in col]
    return SplitLists(col), frags, problems


_COLUMN_FAST = {"datetime": _datetime_column, "digits": _digits_column, "batch": _batch_column, "list": _list_column}


# --- any column --------------------------------------------------------------------------------------------------

def convert_column(f, col, texts: bool) -> tuple:
    """(typed values, JSON fragments, problems or None) of one field over one batch. `texts`: every cell is a str
    (CSV), so the column-wide shapes may be tried."""
    prefix = f.prefix
    n = len(col)
    if f.type == "str":
        return _str_column(f, col, texts, prefix, n)
    if texts:
        fast = _COLUMN_FAST.get(f.type)
        if fast is not None:
            out = fast(f, col, prefix)
            if out is not None:
                return out
    memo = f.batch_memo
    distinct = set(col) if texts or all(v is None or v.__class__ is str for v in col) else None
    if distinct is None:  # numbers, dates, lists from Excel or JSON: converted one by one (True == 1 as a key)
        results = [convert_value(f, v, prefix) for v in col]
    else:
        if len(distinct) > MEMO_LIMIT // 2:  # unique values (ids, times in other shapes): remembering would not pay
            results = [convert_value(f, v, prefix) for v in col]
        else:
            if len(memo) + len(distinct) > MEMO_LIMIT:
                memo.clear()
            local = {}
            get = memo.get
            for v in distinct:
                hit = get(v)
                if hit is None:
                    hit = memo[v] = convert_value(f, v, prefix)
                local[v] = hit
            results = list(map(local.__getitem__, col))
    if not results:
        return [], [], None
    typed, frags, problems = zip(*results)
    if problems.count(None) == n:
        problems = None
    return typed, frags, problems


def _str_column(f, col, texts: bool, prefix: str, n: int) -> tuple:
    if texts:
        values = list(map(str.strip, col))
    else:
        values = [v.strip() if v.__class__ is str else ("" if v is None else plain(v)) for v in col]
    problems = None
    blank = "" in values
    if blank:
        problems = [BLANK if not v else None for v in values]
        typed = [v or None for v in values]
    else:
        typed = values
    if n and max(map(len, values)) > f.max_length:
        message = _("超过最大长度 %(n)d 个字符") % {"n": f.max_length}
        problems = problems or [None] * n
        for i, v in enumerate(values):
            if len(v) > f.max_length:
                problems[i] = message
    if f.pii:
        frags = [prefix + encode(mask_id_number(v)) if v else None for v in values]
    else:
        distinct = set(values)
        if len(distinct) * 4 < n:
            fragment = {v: prefix + encode(v) for v in distinct}
            if blank:
                fragment[""] = None
            frags = list(map(fragment.__getitem__, values))
        else:
            frags = list(map(prefix.__add__, map(encode, values)))
            if blank:
                frags = [fr if v else None for v, fr in zip(values, frags)]
    return typed, frags, problems
