from jianguan.core import i18n


def test_every_interface_string_has_an_english_translation():
    assert i18n.missing("en") == []


def test_extractor_finds_strings_from_python_and_templates():
    found = i18n.extract()
    assert "统一社会信用代码应为18位，当前为%(n)d位（GB 32100-2015）" in found
    assert "修改密码" in found
    assert "第 %(n)s / %(total)s 页，共 %(count)s 条" in found
