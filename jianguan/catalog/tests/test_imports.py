"""Excel imports: every rejected row reported with its reason, accepted rows kept, re-import idempotent."""
import datetime as dt
import io

import pytest

from jianguan.catalog import excel, services
from jianguan.catalog.models import Guideline, ImplementationList, PlanRow, SupervisionItem
from jianguan.core.errors import DomainError


def book(kind, rows):
    columns = excel.KINDS[kind][1]
    return io.BytesIO(excel.workbook(kind, [excel.labelled(columns, r) for r in rows]))


ITEM = {"code": "11140430003001", "name": "药品零售企业监督检查", "department": "", "level": "county", "field": "food_drug",
        "supervision_object": "药品零售企业", "legal_basis": "《中华人民共和国药品管理法》第九十九条", "category": "key",
        "random_check": "是", "approval_to_filing": "否", "responsible_leader": "甲局长", "handling_unit": "综合行政执法队",
        "handling_staff": "张执法、李执法", "effective_from": "2026-01-01"}


def test_items_import_keeps_good_rows_and_reports_each_bad_one(personas):
    rows = [
        ITEM,
        {**ITEM, "code": "1114043000300", "name": "编码少一位"},
        {**ITEM, "code": "11140430003002", "name": "外部门人员", "handling_staff": "刘安全"},
        {**ITEM, "code": "11140430003003", "name": "错误层级", "level": "乡"},
        {**ITEM, "code": "11140430003001", "name": "文件内重复"},
        {**ITEM, "code": "11140430003004", "name": "别的部门", "department": "沁县应急管理局"},
        {**ITEM, "code": "11140430003005", "name": "依据不规范", "legal_basis": "药品管理法"},
    ]
    result = services.import_items(actor=personas.a_admin, fileobj=book("items", rows))
    assert result.created == 1
    reasons = {row: reason for row, _key, reason in result.rejected}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "14位数字" in reasons[3]
    assert "刘安全" in reasons[4]
    assert "乡" in reasons[5] and "可选" in reasons[5]
    assert "重复" in reasons[6] and "第 2 行" in reasons[6]
    assert "不是您的部门" in reasons[7]
    assert "《法律法规名称》" in reasons[8]
    item = SupervisionItem.objects.get()
    assert item.handling_unit == personas.unit_a and item.handling_staff.count() == 2 and item.random_check


def test_re_importing_the_same_file_changes_nothing_and_a_change_needs_a_reason(personas):
    services.import_items(actor=personas.a_admin, fileobj=book("items", [ITEM]))
    again = services.import_items(actor=personas.a_admin, fileobj=book("items", [ITEM]))
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 1, [])
    changed = {**ITEM, "scope": "全县药品零售企业", "effective_from": "2026-03-01"}
    refused = services.import_items(actor=personas.a_admin, fileobj=book("items", [changed]))
    assert "调整原因" in refused.rejected[0][2]
    ok = services.import_items(actor=personas.a_admin, fileobj=book("items", [{**changed, "reason": "law_change"}]))
    assert ok.updated == 1
    item = SupervisionItem.objects.get()
    assert item.version == 2 and item.versions.get(number=2).reason == "law_change"
    backdated = services.import_items(actor=personas.a_admin, fileobj=book("items", [
        {**changed, "scope": "又改", "effective_from": "2026-02-01", "reason": "correction"}]))
    assert "早于上一版本" in backdated.rejected[0][2]


def test_an_export_is_a_valid_import(personas, food_item, food_impl):
    items = SupervisionItem.objects.prefetch_related("bases__provision", "handling_staff", "versions")
    result = services.import_items(actor=personas.a_admin, fileobj=io.BytesIO(excel.workbook("items", excel.item_rows(items))))
    assert (result.unchanged, result.rejected) == (1, [])
    impls = ImplementationList.objects.prefetch_related("check_points", "versions")
    result = services.import_impl_lists(actor=personas.a_admin, fileobj=io.BytesIO(excel.workbook("impl", excel.impl_rows(impls))))
    assert (result.unchanged, result.rejected) == (1, [])


def test_implementation_lists_and_guidelines_import(personas, food_item):
    impl = {"code": "11140430001001002", "item_code": food_item.code, "name": "餐饮服务日常检查", "check_object": "餐饮服务提供者",
            "method": "onsite", "frequency": "每年1次", "check_points": "1. 许可证｜食品安全法 第三十五条\n2. 健康证\n3. 后厨卫生",
            "effective_from": "2026-01-01"}
    result = services.import_impl_lists(actor=personas.a_admin, fileobj=book("impl", [impl, {**impl, "code": "9999", "item_code": "99999999999999"}]))
    assert result.created == 1 and "不存在" in result.rejected[0][2]
    row = ImplementationList.objects.get()
    assert [(p.seq, p.content, p.basis) for p in row.check_points.all()] == [
        (1, "许可证", "食品安全法 第三十五条"), (2, "健康证", ""), (3, "后厨卫生", "")]
    guide = {"item_code": food_item.code, "content": "查许可", "method": "现场", "basis": "食品安全法", "result_handling": "责令改正"}
    assert services.import_guidelines(actor=personas.a_admin, fileobj=book("guidelines", [guide])).created == 1
    assert services.import_guidelines(actor=personas.a_admin, fileobj=book("guidelines", [guide])).unchanged == 1
    assert Guideline.objects.get().content == "查许可"


def test_plan_rows_import_refuses_items_outside_the_remit_and_closed_periods(personas, food_item, on_day):
    on_day(dt.date(2026, 5, 1))
    other = services.item_create(actor=personas.b_admin, department=personas.dept_b, code="11140430006001", name="危化品检查",
                                 supervision_object="危险化学品经营单位", effective_from=dt.date(2026, 1, 1))
    row = {"year": 2026, "item_code": food_item.code, "object_scope": "食品销售者", "ratio": "15", "frequency": "2",
           "period_start": "2026-06-01", "period_end": "2026-11-30", "method": "onsite", "cooperating_departments": "沁县应急管理局"}
    result = services.import_plan_rows(actor=personas.a_leader, fileobj=book("plans", [
        row,
        {**row, "item_code": other.code},
        {**row, "item_code": "11140430001001", "object_scope": "重复"},
        {**row, "year": 2026, "ratio": "120"},
    ]))
    assert result.created == 1
    reasons = [r for _n, _k, r in result.rejected]
    assert "不在沁县市场监督管理局的职责范围内" in reasons[0]
    assert "重复" in reasons[1]
    planned = PlanRow.objects.get()
    assert planned.frequency == 2 and [d.pk for d in planned.cooperating_departments.all()] == [personas.dept_b.pk]
    assert services.import_plan_rows(actor=personas.a_leader, fileobj=book("plans", [row])).unchanged == 1
    past = {**row, "period_start": "2026-01-01", "period_end": "2026-03-31"}
    assert "已经结束" in services.import_plan_rows(actor=personas.a_leader, fileobj=book("plans", [past])).rejected[0][2]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(personas):
    with pytest.raises(DomainError) as exc:
        services.import_items(actor=personas.a_admin, fileobj=io.BytesIO(b"not excel"))
    assert exc.value.field == "file" and ".xlsx" in exc.value.message
