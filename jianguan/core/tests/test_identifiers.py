import random

import pytest
from django.core.exceptions import ValidationError

from jianguan.core.identifiers import (
    division_parent,
    generate_id_number,
    generate_uscc,
    is_valid_id_number,
    is_valid_uscc,
    validate_division_code,
    validate_id_number,
    validate_uscc,
)


@pytest.mark.parametrize("code", ["914403001922038216", "91110108551385082Q", "91330100799655058B", " 91330100799655058b "])
def test_real_uscc_codes_are_accepted(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    "code, rule",
    [
        ("91440300708461136A", "第18位校验码"),
        ("9144030070846113", "应为18位"),
        ("91440300708461136I", "不允许的字符"),
        ("B14403001922038216", "登记管理部门代码"),
        ("9444030070846113XX", "机构类别代码"),
        ("91AB03001922038216", "行政区划代码"),
        ("914403001922038226", "主体标识码校验位"),
    ],
)
def test_invalid_uscc_names_the_rule_that_failed(code, rule):
    with pytest.raises(ValidationError) as err:
        validate_uscc(code)
    assert rule in err.value.messages[0]


def test_generated_uscc_pass_both_checks_and_carry_the_area():
    rng = random.Random(1)
    codes = [generate_uscc(rng) for _ in range(2000)]
    assert all(is_valid_uscc(c) for c in codes)
    assert all(c[2:8] == "140430" for c in codes)
    gov = generate_uscc(rng, authority="1", kind="1")
    assert gov.startswith("11140430") and is_valid_uscc(gov)


def test_id_number_rules():
    validate_id_number("140430199001011230")
    validate_id_number("14043019900101123x".upper()[:-1] + "0")
    for bad, rule in [("140430199001011231", "校验码"), ("140430199002301230", "出生日期"), ("14043019900101123", "18位"),
                      ("990430199001011230", "行政区划")]:
        with pytest.raises(ValidationError) as err:
            validate_id_number(bad)
        assert rule in err.value.messages[0]


def test_generated_id_numbers_are_valid():
    rng = random.Random(7)
    assert all(is_valid_id_number(generate_id_number(rng)) for _ in range(500))


def test_division_codes():
    for ok in ["140000", "140400", "140430", "140430100", "140430100201"]:
        validate_division_code(ok)
    for bad in ["14043", "1404300", "990430", "140030", "abcdef"]:
        with pytest.raises(ValidationError):
            validate_division_code(bad)
    assert division_parent("140430100") == "140430"
    assert division_parent("140430") == "140400"
    assert division_parent("140400") == "140000"
    assert division_parent("140000") is None
