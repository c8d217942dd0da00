"""Identifier rules: 统一社会信用代码 (GB 32100-2015), 居民身份证号 (GB 11643-1999), 行政区划代码 (GB/T 2260).

Each validator raises django.core.exceptions.ValidationError with a Chinese message that names the
rule that failed, so a county clerk can fix the cell. The generators make codes that pass every check,
for demo and benchmark data only.
"""
from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# --- 统一社会信用代码 ------------------------------------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I O S V Z
USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: Position 1: 登记管理部门代码; position 2: 机构类别代码 allowed under it (GB 32100-2015 表1).
USCC_AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": (_lazy("机构编制"), "139"),
    "2": (_lazy("外交"), "19"),
    "3": (_lazy("司法行政"), "123459"),
    "4": (_lazy("文化"), "19"),
    "5": (_lazy("民政"), "1239"),
    "6": (_lazy("旅游"), "19"),
    "7": (_lazy("宗教"), "129"),
    "8": (_lazy("工会"), "19"),
    "9": (_lazy("市场监管"), "123"),
    "A": (_lazy("中央军委改革和编制办公室"), "19"),
    "N": (_lazy("农业"), "1239"),
    "Y": (_lazy("其他"), "1"),
}


def _org_code_check(body8: str) -> str:
    total = sum(ORG_CODE_ALPHABET.index(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> None:
    """Raise ValidationError naming the GB 32100-2015 rule the code breaks."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位（GB 32100-2015）") % {"n": len(code)}, code="uscc_length"
        )
    bad = [c for c in code if c not in USCC_VALUES]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(c)s”：只能使用数字和除 I、O、S、V、Z 以外的大写字母（GB 32100-2015）")
            % {"c": bad[0]},
            code="uscc_charset",
        )
    authority = USCC_AUTHORITIES.get(code[0])
    if authority is None:
        raise ValidationError(
            _("统一社会信用代码第1位“%(c)s”不是有效的登记管理部门代码（GB 32100-2015）") % {"c": code[0]},
            code="uscc_authority",
        )
    if code[1] not in authority[1]:
        raise ValidationError(
            _("统一社会信用代码第2位“%(c)s”不是%(a)s登记管理部门下的机构类别代码（GB 32100-2015）")
            % {"c": code[1], "a": authority[0]},
            code="uscc_kind",
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为6位数字的行政区划代码（GB/T 2260）"), code="uscc_area")
    body = code[8:17]
    if any(c not in ORG_CODE_ALPHABET for c in body[:8]) or not (body[8].isdigit() or body[8] == "X"):
        raise ValidationError(_("统一社会信用代码第9至17位主体标识码格式不正确（GB 11714）"), code="uscc_org_code")
    if _org_code_check(body[:8]) != body[8]:
        raise ValidationError(_("统一社会信用代码第9至17位主体标识码校验位错误（GB 11714）"), code="uscc_org_check")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码第18位校验码错误（GB 32100-2015）"), code="uscc_check")


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


def generate_uscc(rng: random.Random, *, area: str = "140430", authority: str = "9", kind: str = "1") -> str:
    """A code that passes both checks. Demo data only: it identifies nobody."""
    body8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = f"{authority}{kind}{area}{body8}{_org_code_check(body8)}"
    return first17 + uscc_check_char(first17)


# --- 居民身份证号 ------------------------------------------------------------------------------------------
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """Raise ValidationError naming the GB 11643-1999 rule the number breaks."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号应为18位，当前为%(n)d位（GB 11643-1999）") % {"n": len(number)}, code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号前17位应为数字，第18位为数字或X（GB 11643-1999）"), code="id_charset")
    try:
        validate_division_code(number[:6])
    except ValidationError as exc:
        raise ValidationError(_("身份证号第1至6位不是有效的行政区划代码（GB/T 2260）"), code="id_area") from exc
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号第7至14位出生日期不存在"), code="id_birth") from exc
    if birth < dt.date(1900, 1, 1) or birth > dt.date.today():
        raise ValidationError(_("身份证号第7至14位出生日期超出合理范围"), code="id_birth")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号第18位校验码错误（GB 11643-1999）"), code="id_check")


def is_valid_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except ValidationError:
        return False
    return True


def generate_id_number(rng: random.Random, *, area: str = "140430") -> str:
    """A synthetic number that passes the checks. Demo data only; birth dates are drawn at random."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
    first17 = f"{area}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


# --- 行政区划代码 --------------------------------------------------------------------------------------------
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}  # fmt: skip

#: The names this installation needs; other codes validate by structure alone.
DIVISION_NAMES = {
    "140000": "山西省",
    "140400": "长治市",
    "140430": "沁县",
}


def validate_division_code(value: str) -> None:
    """6 digits (省/市/县), 9 digits (乡镇街道) or 12 digits (村/社区), starting with a province code."""
    code = (value or "").strip()
    if len(code) not in (6, 9, 12) or not code.isdigit():
        raise ValidationError(
            _("行政区划代码应为6位（县级及以上）、9位（乡镇）或12位（村社区）数字（GB/T 2260）"), code="division_format"
        )
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("行政区划代码前2位“%(p)s”不是省级行政区代码（GB/T 2260）") % {"p": code[:2]}, code="division_province"
        )
    if code[2:4] == "00" and code[4:6] != "00":
        raise ValidationError(_("行政区划代码第3至4位为00时第5至6位也应为00（GB/T 2260）"), code="division_structure")


def division_name(code: str) -> str:
    return DIVISION_NAMES.get(code, code)


def division_parent(code: str) -> str | None:
    """The enclosing division: township → county → city → province → None."""
    if len(code) == 12:
        return code[:9]
    if len(code) == 9:
        return code[:6]
    if code[4:6] != "00":
        return code[:4] + "00"
    if code[2:4] != "00":
        return code[:2] + "0000"
    return None
