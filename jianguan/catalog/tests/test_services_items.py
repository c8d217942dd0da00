import datetime as dt

import pytest

from jianguan.catalog import selectors, services, versioning
from jianguan.catalog.models import ImplementationList, LegalProvision, SupervisionItem, SupervisionItemVersion
from jianguan.catalog.tests.conftest import FOOD_CODE
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent


def test_a_new_item_is_version_one_with_its_people_and_basis(food_item, personas):
    assert food_item.version == 1
    version = food_item.versions.get()
    assert version.reason == "initial" and version.effective_from == dt.date(2026, 1, 1)
    assert version.snapshot["legal_basis"] == ["《中华人民共和国食品安全法》第八十七条", "《食品生产经营监督检查管理办法》第十条"]
    assert version.snapshot["handling_staff"] == sorted(["张执法", "李执法"])
    assert version.snapshot["responsible_leader"] == "甲局长"
    assert AuditEvent.objects.filter(action="catalog.item.create", object_id=str(food_item.pk)).exists()


@pytest.mark.parametrize("code", ["1114043000100", "111404300010011", "1114043000100A", " "])
def test_malformed_item_codes_are_refused_and_nothing_is_created(personas, code):
    before = (SupervisionItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        services.item_create(actor=personas.a_admin, department=personas.dept_a, code=code, name="x",
                             supervision_object="y", effective_from=dt.date(2026, 1, 1))
    assert exc.value.field == "code" and "14位数字" in exc.value.message
    assert (SupervisionItem.objects.count(), AuditEvent.objects.count()) == before


def test_a_duplicate_item_code_is_refused(food_item, personas):
    with pytest.raises(Conflict) as exc:
        services.item_create(actor=personas.b_admin, department=personas.dept_b, code=FOOD_CODE, name="重复",
                             supervision_object="y", effective_from=dt.date(2026, 1, 1))
    assert exc.value.field == "code" and FOOD_CODE in exc.value.message
    assert SupervisionItem.objects.count() == 1


def test_people_named_on_an_item_must_belong_to_its_department(personas):
    with pytest.raises(DomainError) as exc:
        services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430001002", name="x",
                             supervision_object="y", effective_from=dt.date(2026, 1, 1), handling_staff=[personas.b_inspector])
    assert exc.value.field == "handling_staff" and "刘安全" in exc.value.message
    assert not SupervisionItem.objects.exists()


def test_another_department_cannot_write_our_catalogue(personas):
    with pytest.raises(PermissionDeniedError):
        services.item_create(actor=personas.b_admin, department=personas.dept_a, code="11140430001002", name="x",
                             supervision_object="y", effective_from=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDeniedError):
        services.item_create(actor=personas.a_inspector, department=personas.dept_a, code="11140430001002", name="x",
                             supervision_object="y", effective_from=dt.date(2026, 1, 1))
    assert not SupervisionItem.objects.exists()


def test_every_change_is_a_new_version_with_a_readable_diff(food_item, personas):
    item, changed = services.item_update(
        actor=personas.a_leader, item=food_item, effective_from=dt.date(2026, 3, 1), reason="law_change",
        reason_note="食品安全法修正", data={"scope": "辖区内全部食品经营者（含网络食品经营者）", "handling_staff": [personas.a_inspector]})
    assert changed and item.version == 2 and item.effective_from == dt.date(2026, 3, 1)
    v1, v2 = item.versions.order_by("number")
    rows = {r.key: r for r in versioning.diff(versioning.ITEM_FIELDS, v1.snapshot, v2.snapshot)}
    assert rows["scope"].changed and rows["scope"].new == "辖区内全部食品经营者（含网络食品经营者）"
    assert rows["handling_staff"].changed and rows["handling_staff"].new == "张执法"
    assert not rows["name"].changed and not rows["legal_basis"].changed
    event = AuditEvent.objects.filter(action="catalog.item.update").get()
    assert set(event.after) == {"scope", "handling_staff"}


def test_saving_an_unchanged_item_makes_no_version(food_item, personas):
    _, changed = services.item_update(actor=personas.a_admin, item=food_item, data={"name": "食品经营者监督检查"},
                                      effective_from=dt.date(2026, 2, 1), reason="correction")
    assert not changed and food_item.versions.count() == 1


def test_an_effective_date_before_the_previous_version_is_refused(food_item, personas):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.item_update(actor=personas.a_admin, item=food_item, data={"name": "改名"},
                             effective_from=dt.date(2025, 12, 31), reason="correction")
    assert exc.value.field == "effective_from" and "2026-01-01" in exc.value.message
    food_item.refresh_from_db()
    assert food_item.name == "食品经营者监督检查" and food_item.version == 1
    assert SupervisionItemVersion.objects.count() == 1 and AuditEvent.objects.count() == events


def test_the_version_in_force_on_a_date_is_found(food_item, personas):
    services.item_update(actor=personas.a_admin, item=food_item, data={"name": "食品经营监督检查"},
                         effective_from=dt.date(2026, 6, 1), reason="function_change")
    assert selectors.item_version_at(user=personas.a_admin, item=food_item, on=dt.date(2026, 5, 31)).number == 1
    assert selectors.item_version_at(user=personas.a_admin, item=food_item, on=dt.date(2026, 6, 1)).number == 2


def test_repealing_an_article_flags_every_item_resting_on_it_for_review(food_item, personas, basis):
    other = services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430001003", name="网络食品检查",
                                 supervision_object="网络食品经营者", effective_from=dt.date(2026, 1, 1), provisions=[basis[1]])
    untouched = services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430001004", name="其他",
                                     supervision_object="x", effective_from=dt.date(2026, 1, 1), provisions=[basis[0]])
    flagged = services.provision_set_status(actor=personas.owner, provision=basis[1], status="repealed",
                                            on=dt.date(2026, 4, 1), note="被《食品经营许可和备案管理办法》取代")
    assert flagged == 2
    assert set(SupervisionItem.objects.filter(needs_review=True).values_list("code", flat=True)) == {FOOD_CODE, other.code}
    assert not SupervisionItem.objects.get(pk=untouched.pk).needs_review
    assert "已废止" in SupervisionItem.objects.get(pk=other.pk).review_note
    assert selectors.item_gap_counts(user=personas.a_leader)["review"] == 2
    # The flag clears only once the basis no longer rests on the repealed article.
    with pytest.raises(DomainError):
        services.item_review_clear(actor=personas.a_admin, item=food_item, note="仍然有效")
    new_basis = services.provisions_resolve(actor=personas.a_admin, pairs=[("食品经营许可和备案管理办法", "第五十条")])
    item, _ = services.item_update(actor=personas.a_admin, item=food_item, data={"provisions": [basis[0], *new_basis]},
                                   effective_from=dt.date(2026, 4, 2), reason="law_change")
    assert not item.needs_review


def test_an_amended_article_flags_items_until_the_department_reviews_them(food_item, personas, basis):
    services.provision_set_status(actor=personas.a_admin, provision=basis[0], status="amended", on=dt.date(2026, 4, 1), note="2026年修正")
    food_item.refresh_from_db()
    assert food_item.needs_review
    services.item_review_clear(actor=personas.a_admin, item=food_item, note="修正未涉及本条")
    food_item.refresh_from_db()
    assert not food_item.needs_review


def test_an_item_without_named_people_is_a_gap(food_item, personas):
    services.item_create(actor=personas.a_admin, department=personas.dept_a, code="11140430001009", name="无人负责的事项",
                         supervision_object="x", effective_from=dt.date(2026, 1, 1))
    gaps = selectors.item_list(user=personas.a_leader, gaps=True)
    assert [i.code for i in gaps] == ["11140430001009"]
    # A named person who leaves makes a gap too.
    from jianguan.core.services import account_set_active

    account_set_active(actor=personas.a_admin, user=personas.a_leader, active=False, reason="调离")
    assert {i.code for i in selectors.item_list(user=personas.a_admin, gaps=True)} == {"11140430001009", FOOD_CODE}


def test_implementation_list_versions_carry_the_ordered_check_points(food_impl, personas):
    assert [p.content for p in food_impl.check_points.order_by("seq")] == ["经营许可证是否在有效期内并悬挂", "从业人员健康证明", "进货查验记录"]
    impl, changed = services.impl_list_update(
        actor=personas.a_admin, impl=food_impl, effective_from=dt.date(2026, 2, 1), reason="correction",
        data={"check_points": ["经营许可证是否在有效期内并悬挂", "进货查验记录", "贮存条件与温度记录"]})
    assert changed and impl.version == 2
    v1, v2 = impl.versions.order_by("number")
    rows = {r.key: r for r in versioning.diff(versioning.IMPL_FIELDS, v1.snapshot, v2.snapshot)}
    assert rows["check_points"].changed and "3. 贮存条件与温度记录" in rows["check_points"].new


def test_an_implementation_list_code_must_extend_its_item_code(food_item, personas):
    with pytest.raises(DomainError) as exc:
        services.impl_list_create(actor=personas.a_admin, item=food_item, code="11140430009999001", name="x", check_object="y",
                                  frequency="1", effective_from=dt.date(2026, 1, 1), check_points=["a"])
    assert exc.value.field == "code"
    assert not ImplementationList.objects.exists()


def test_a_provision_is_recorded_once(personas):
    services.provision_create(actor=personas.a_admin, law_name="《安全生产法》", article="第二十条")
    with pytest.raises(Conflict):
        services.provision_create(actor=personas.b_admin, law_name="安全生产法", article="第二十条")
    assert LegalProvision.objects.count() == 1
