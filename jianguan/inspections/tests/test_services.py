"""双随机、一公开 through the services: the two directories, task creation, candidate lists, the commit-reveal draw,
inspector assignment and recusal, and joint visits. Today is 2026-06-15 unless a test moves it."""
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from jianguan.catalog import services as catalog_services
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent
from jianguan.core.scope import bureau_tree_ids
from jianguan.inspections import candidates, draw as drawlib, services
from jianguan.inspections.choices import ConflictKind, DrawStatus, ObjectStatus, TaskStatus
from jianguan.inspections.models import (Assignment, DirectoryAdjustment, Draw, InspectionTask, Inspector, InspectorConflict,
                                         KeyEntry, ObjectRule, TaskObject, Visit)
from jianguan.inspections.tests.conftest import approve_plan

ALL = {"A": "100", "B": "100", "C": "100", "D": "100"}
NONE = {"A": "0", "B": "0", "C": "0", "D": "0"}


def state():
    """Row counts of everything a refused request must leave alone, and the audit log's length."""
    models = (InspectionTask, Draw, TaskObject, Assignment, Visit, Inspector, InspectorConflict, ObjectRule,
              DirectoryAdjustment, KeyEntry, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def new_task(personas, rows, ratios=None, **kw):
    return services.task_create(actor=personas.a_leader, department=personas.dept_a, name="食品销售者专项抽查",
                                plan_rows=rows, ratios=ratios, **kw)


def run(personas, task, actor=None):
    actor = actor or personas.a_leader
    services.draw_commit(actor=actor, task=task)
    drawn = services.draw_run(actor=actor, task=task)
    task.refresh_from_db()
    return drawn


def candidate_usccs(task):
    rows, _ids = candidates.build(task)
    return {c.uscc: c for c in rows}


def active_codes(obj):
    return sorted(obj.assignments.filter(active=True).values_list("inspector__code", flat=True))


# --- 执法检查人员名录库 ------------------------------------------------------------------------------------------------


def test_sync_enters_inspectors_with_a_certificate_and_maps_their_fields(personas, inspectors):
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role

    assert set(inspectors) == {"A0001", "A0002", "A0003", "A0004", "B0001", "B0002"}
    a1 = inspectors["A0001"]
    assert a1.user == personas.a_inspector and a1.department == personas.unit_a and a1.fields == ["food_drug"]
    assert inspectors["B0002"].department == personas.dept_b and inspectors["B0002"].fields == ["work_safety"]
    assert all(e.available for e in inspectors.values())

    make_user("a_inspector5", Role.INSPECTOR, personas.unit_a, display_name="吴执法", cert_no="A0005",
              enforcement_fields="食品药品、特种设备")
    retired = make_user("a_inspector6", Role.INSPECTOR, personas.unit_a, display_name="郑执法", cert_no="A0006")
    retired.is_active = False  # a deactivated account does not enter the directory
    retired.save(update_fields=["is_active"])
    counts = services.inspector_sync(actor=personas.a_admin, department=personas.dept_a)
    assert counts == {"created": 1, "updated": 0, "skipped": 0}
    assert Inspector.objects.get(code="A0005").fields == ["food_drug", "special_equipment"]
    assert not Inspector.objects.filter(user__username="a_inspector6").exists()
    assert AuditEvent.objects.filter(action="inspections.inspector_sync").count() == 2


def test_sync_keeps_the_known_fields_of_an_account_that_also_lists_unknown_ones(personas, inspectors):
    """执法领域 is free text on the account: an unknown word must not turn the entry into one without any field
    restriction (empty = 不限); common wording such as 食品安全 (the demo's) counts as its field."""
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role

    make_user("a_inspector5", Role.INSPECTOR, personas.unit_a, display_name="吴执法", cert_no="A0005",
              enforcement_fields="城管执法、特种设备")
    make_user("a_inspector6", Role.INSPECTOR, personas.unit_a, display_name="郑执法", cert_no="A0006",
              enforcement_fields="食品安全、特种设备")
    services.inspector_sync(actor=personas.a_admin, department=personas.dept_a)
    assert Inspector.objects.get(code="A0005").fields == ["special_equipment"]
    assert Inspector.objects.get(code="A0006").fields == ["food_drug", "special_equipment"]


def test_only_the_owner_syncs_the_whole_county_and_a_bureau_only_its_own(personas, inspectors):
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.inspector_sync(actor=personas.a_admin)
    with pytest.raises(PermissionDeniedError):
        services.inspector_sync(actor=personas.b_admin, department=personas.dept_a)
    with pytest.raises(PermissionDeniedError):
        services.inspector_sync(actor=personas.a_inspector, department=personas.dept_a)
    assert state() == before


def test_inspector_update_maps_labels_and_requires_a_reason_to_make_unavailable(personas, inspectors):
    entry = services.inspector_update(actor=personas.a_admin, inspector=inspectors["A0003"], fields="食品药品、特种设备",
                                      township_code="140430100")
    assert entry.fields == ["food_drug", "special_equipment"] and entry.township_code == "140430100"
    before = state()
    with pytest.raises(DomainError) as exc:
        services.inspector_update(actor=personas.a_admin, inspector=inspectors["A0003"], available=False)
    assert exc.value.field == "unavailable_note"
    with pytest.raises(DomainError) as exc:
        services.inspector_update(actor=personas.a_admin, inspector=inspectors["A0003"], fields="特种设备、城管执法")
    assert exc.value.field == "fields" and "城管执法" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.inspector_update(actor=personas.b_admin, inspector=inspectors["A0003"], available=False, unavailable_note="借调")
    assert state() == before
    entry.refresh_from_db()
    assert entry.available and entry.fields == ["food_drug", "special_equipment"]


# --- 检查对象名录库 --------------------------------------------------------------------------------------------------


def test_object_rule_is_saved_and_decides_the_directory(personas, food_item, food_rule, shops):
    assert food_rule.industry_prefixes == ["F52"] and food_rule.department == personas.dept_a
    directory = set(candidates.item_directory(food_item).values_list("uscc", flat=True))
    assert directory == {e.uscc for e in shops if e.industry_code.startswith("F52") and e.status == "existing"}
    assert len(directory) == 40
    rule = services.object_rule_save(actor=personas.a_leader, item=food_item,
                                     data={"industry_prefixes": "F52、C13", "statuses": ["existing", "operating"],
                                           "division_prefixes": "140430101"})
    assert rule.pk == food_rule.pk and rule.industry_prefixes == ["F52", "C13"]
    assert candidates.item_directory(food_item).count() == 5  # the factories, in 140430101
    event = AuditEvent.objects.filter(action="inspections.object_rule_save").latest("seq")
    assert event.before["industry_prefixes"] == ["F52"] and event.after["industry_prefixes"] == ["F52", "C13"]


@pytest.mark.parametrize("data, field, words", [
    ({"industry_prefixes": "52F"}, "industry_prefixes", "行业代码前缀"),
    ({"industry_prefixes": "F52, x1"}, "industry_prefixes", "x1"),
    ({"division_prefixes": "1404"}, "division_prefixes", "乡镇区划前缀"),
    ({"statuses": "注销"}, "statuses", "存续或在业"),
    ({"statuses": ["existing", "cancelled"]}, "statuses", "cancelled"),
    ({"kinds": "公司"}, "kinds", "主体类型"),
])
def test_a_bad_object_rule_is_refused_by_field_and_nothing_changes(personas, food_item, food_rule, data, field, words):
    before = state()
    with pytest.raises(DomainError) as exc:
        services.object_rule_save(actor=personas.a_admin, item=food_item, data=data)
    assert exc.value.field == field and words in exc.value.message
    assert state() == before
    food_rule.refresh_from_db()
    assert food_rule.industry_prefixes == ["F52"] and food_rule.statuses == []


def test_an_item_not_on_the_random_check_list_gets_no_object_directory(personas, basis):
    item = catalog_services.item_create(
        actor=personas.a_admin, department=personas.dept_a, code="11140430001009", name="广告发布监督检查",
        supervision_object="广告发布者", effective_from=dt.date(2026, 1, 1), field="market_order", random_check=False,
        provisions=basis)
    before = state()
    with pytest.raises(DomainError) as exc:
        services.object_rule_save(actor=personas.a_admin, item=item, data={"industry_prefixes": "L72"})
    assert exc.value.field == "item" and "随机抽查事项清单" in exc.value.message
    assert state() == before


def test_manual_additions_and_removals_change_the_candidates_and_need_a_reason(personas, food_item, food_task, shops):
    factory, shop = shops[40], shops[0]
    assert factory.uscc not in candidate_usccs(food_task) and shop.uscc in candidate_usccs(food_task)
    before = state()
    with pytest.raises(DomainError) as exc:
        services.directory_adjust(actor=personas.a_admin, item=food_item, entity=factory, action="add", reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        services.directory_adjust(actor=personas.a_admin, item=food_item, entity=factory, action="drop", reason="x")
    assert exc.value.field == "action"
    with pytest.raises(DomainError) as exc:  # a cancelled entity cannot be added
        services.directory_adjust(actor=personas.a_admin, item=food_item, entity=shops[45], action="add", reason="门店兼营")
    assert exc.value.field == "entity" and "注销" in exc.value.message
    assert state() == before

    added = services.directory_adjust(actor=personas.a_admin, item=food_item, entity=factory, action="add",
                                      reason="厂区设有直营门店，销售预包装食品")
    services.directory_adjust(actor=personas.a_admin, item=food_item, entity=shop, action="remove", reason="已停止食品经营")
    found = candidate_usccs(food_task)
    assert factory.uscc in found and shop.uscc not in found and len(found) == 40
    assert added.reason == "厂区设有直营门店，销售预包装食品" and added.created_by == personas.a_admin
    with pytest.raises(Conflict):
        services.directory_adjust(actor=personas.a_admin, item=food_item, entity=factory, action="add", reason="再次纳入")
    # Adding back a removed entity replaces the removal: the history stays, one adjustment is active.
    services.directory_adjust(actor=personas.a_admin, item=food_item, entity=shop, action="add", reason="恢复经营")
    assert shop.uscc in candidate_usccs(food_task)
    assert DirectoryAdjustment.objects.filter(entity=shop).count() == 2
    assert DirectoryAdjustment.objects.filter(entity=shop, active=True).get().action == "add"
    assert AuditEvent.objects.filter(action="inspections.directory_adjust").count() == 3


def test_a_key_entity_is_always_drawn_even_at_ratio_zero_and_outside_the_directory(personas, food_row, food_rule, shops,
                                                                                    inspectors):
    factory = shops[41]  # C13: not in the food directory
    entry = services.key_entry_add(actor=personas.a_leader, department=personas.dept_a, entity=factory,
                                   reason="2025年抽检不合格", item=food_row.item)
    assert entry.valid_from == dt.date(2026, 6, 15)
    task = new_task(personas, [food_row], NONE)
    found = candidate_usccs(task)
    assert found[factory.uscc].key and len(found) == 41
    drawn = run(personas, task)
    objects = list(TaskObject.objects.filter(task=task))
    assert [(o.uscc, o.is_key) for o in objects] == [(factory.uscc, True)]
    assert drawn.selected_count == 1 and drawn.strata["B"] == {"candidates": 41, "key": 1, "quota": 0}
    with pytest.raises(Conflict):
        services.key_entry_add(actor=personas.a_leader, department=personas.dept_a, entity=factory, reason="重复",
                               item=food_row.item)


def test_a_key_entry_ended_yesterday_no_longer_forces_the_entity_in(personas, food_row, food_rule, shops, inspectors, on_day):
    entry = services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=shops[41], reason="投诉较多")
    services.key_entry_end(actor=personas.a_admin, entry=entry, reason="整改到位", on=dt.date(2026, 6, 20))
    task = new_task(personas, [food_row], NONE)
    assert shops[41].uscc in candidate_usccs(task)
    on_day(dt.date(2026, 6, 21))
    assert shops[41].uscc not in candidate_usccs(task)


def test_key_entries_are_for_the_departments_own_items(personas, food_item, safety_item, shops):
    before = state()
    with pytest.raises(DomainError) as exc:
        services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=shops[0], reason="x",
                               item=safety_item)
    assert exc.value.field == "item"
    with pytest.raises(DomainError) as exc:
        services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=shops[0], reason="x",
                               valid_from=dt.date(2026, 7, 1), valid_to=dt.date(2026, 6, 30))
    assert exc.value.field == "valid_to"
    assert state() == before


@pytest.mark.parametrize("who", ["b_admin", "b_leader", "a_inspector", "a_reviewer"])
def test_only_managers_of_the_department_change_its_directories(personas, food_item, food_rule, shops, inspectors, who):
    actor = getattr(personas, who)
    before = state()
    attempts = [
        lambda: services.object_rule_save(actor=actor, item=food_item, data={"industry_prefixes": "F"}),
        lambda: services.directory_adjust(actor=actor, item=food_item, entity=shops[40], action="add", reason="x"),
        lambda: services.key_entry_add(actor=actor, department=personas.dept_a, entity=shops[0], reason="x"),
        lambda: services.inspector_update(actor=actor, inspector=inspectors["A0002"], available=False, unavailable_note="病假"),
        lambda: services.conflict_declare(actor=actor, inspector=inspectors["A0002"], entity=shops[0], reason="亲属"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError):
            attempt()
    assert state() == before
    food_rule.refresh_from_db()
    assert food_rule.industry_prefixes == ["F52"]


def test_an_administrator_of_the_unit_manages_the_bureaus_directories(personas, food_item, food_rule, shops):
    """Owner and both managers of A may; so may a manager sitting in A's 执法队 (same bureau)."""
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role

    unit_admin = make_user("a_unit_admin", Role.DEPT_ADMIN, personas.unit_a, display_name="队管理员")
    services.directory_adjust(actor=unit_admin, item=food_item, entity=shops[40], action="add", reason="兼营食品")
    services.object_rule_save(actor=personas.owner, item=food_item, data={"industry_prefixes": "F52"})
    assert DirectoryAdjustment.objects.filter(active=True).count() == 1


def test_conflicts_are_declared_by_the_inspector_once_and_withdrawn_by_a_manager(personas, inspectors, shops):
    row = services.conflict_declare(actor=personas.a_inspector, inspector=inspectors["A0001"], entity=shops[0],
                                    reason="法定代表人系本人配偶")
    assert row.kind == ConflictKind.DECLARED and row.department == personas.unit_a and row.active
    with pytest.raises(Conflict):
        services.conflict_declare(actor=personas.a_admin, inspector=inspectors["A0001"], entity=shops[0], reason="重复")
    with pytest.raises(PermissionDeniedError):  # an inspector cannot declare for a colleague
        services.conflict_declare(actor=personas.a_inspector2, inspector=inspectors["A0001"], entity=shops[1], reason="x")
    with pytest.raises(PermissionDeniedError):
        services.conflict_withdraw(actor=personas.a_inspector, conflict=row, reason="已离婚")
    services.conflict_withdraw(actor=personas.a_leader, conflict=row, reason="已离婚")
    row.refresh_from_db()
    assert not row.active


# --- 抽查任务 --------------------------------------------------------------------------------------------------------


def test_a_task_takes_its_period_items_and_default_ratios_from_the_plan(personas, food_row, food_rule, shops, inspectors):
    task = new_task(personas, [food_row])
    # Plan ratio 10 % moved into each class's range (A 0–5, B 5–20, C 21–60, D 61–100).
    assert task.ratios == {"A": "5", "B": "10", "C": "21", "D": "61"}
    assert task.status == TaskStatus.DRAFT and task.code == "SJ20260001" and not task.is_joint
    assert (task.period_start, task.period_end) == (dt.date(2026, 6, 15), dt.date(2026, 12, 31))
    assert list(task.items.all()) == [food_row.item] and task.exclude_days == 365 and task.method == "onsite"
    event = AuditEvent.objects.get(action="inspections.task_create")
    assert event.after["items"] == [food_row.item.code] and event.after["ratios"]["C"] == "21"
    assert new_task(personas, [food_row]).code == "SJ20260002"


def test_default_ratios_follow_the_class_ranges_in_force(personas, food_row, food_rule, shops, inspectors):
    from jianguan.core.services import parameter_set

    parameter_set(actor=personas.owner, key="credit.inspection_ratio_max_A", value="3", effective_from=dt.date(2026, 6, 1),
                  reason="省局文件调整")
    parameter_set(actor=personas.owner, key="credit.inspection_ratio_min_B", value="12.5",
                  effective_from=dt.date(2026, 6, 1), reason="省局文件调整")
    assert new_task(personas, [food_row]).ratios == {"A": "3", "B": "12.5", "C": "21", "D": "61"}


@pytest.mark.parametrize("ratios, field", [
    ({"A": "-1", "B": "10", "C": "50", "D": "100"}, "ratio_A"),
    ({"A": "5", "B": "100.5", "C": "50", "D": "100"}, "ratio_B"),
    ({"A": "5", "B": "10", "C": "5.255", "D": "100"}, "ratio_C"),
    ({"A": "5", "B": "10", "C": "50", "D": "abc"}, "ratio_D"),
    ({"A": "5", "B": "10", "C": "50"}, "ratio_D"),
    ({"A": "5", "B": "", "C": "50", "D": "100"}, "ratio_B"),
    ({"A": 5, "B": 10, "C": 50, "D": 100, "E": 1}, "ratios"),
    ({"A": "5", "B": True, "C": "50", "D": "100"}, "ratio_B"),
])
def test_bad_ratios_are_refused_by_class_and_nothing_is_created(personas, food_row, food_rule, shops, inspectors, ratios,
                                                                 field):
    before = state()
    with pytest.raises(DomainError) as exc:
        new_task(personas, [food_row], ratios)
    assert exc.value.field == field
    if field.startswith("ratio_"):
        assert f"{field[-1]}类" in exc.value.message
    assert state() == before


def test_ratios_are_stored_in_a_canonical_form(personas, food_row, food_rule, shops, inspectors):
    task = new_task(personas, [food_row], {"A": 0, "B": "7.50", "C": 33.3, "D": "100.00"})
    assert task.ratios == {"A": "0", "B": "7.5", "C": "33.3", "D": "100"}


def test_a_plan_row_whose_period_has_ended_is_refused(personas, food_row, food_rule, shops, inspectors, on_day):
    on_day(dt.date(2027, 1, 4))
    before = state()
    with pytest.raises(DomainError) as exc:
        new_task(personas, [food_row])
    assert exc.value.field == "plan_rows" and "2026-12-31" in exc.value.message and "结束" in exc.value.message
    assert state() == before


def test_a_plan_row_of_an_unapproved_plan_is_refused(personas, today, food_item, food_impl):
    plan = catalog_services.department_plan_create(actor=personas.a_leader, department=personas.dept_a, year=2026)
    row = catalog_services.plan_row_add(actor=personas.a_leader, plan=plan, item=food_item, object_scope="辖区内经营者",
                                        ratio="10", frequency=1, period_start=dt.date(2026, 6, 1),
                                        period_end=dt.date(2026, 12, 31), method="onsite")
    catalog_services.department_plan_submit(actor=personas.a_leader, plan=plan)
    before = state()
    with pytest.raises(DomainError) as exc:
        new_task(personas, [row])
    assert exc.value.field == "plan_rows" and "尚未批准" in exc.value.message
    assert state() == before


def test_a_plan_row_of_a_closed_county_plan_is_refused(personas, food_row, food_rule, shops, inspectors):
    catalog_services.county_plan_close(actor=personas.owner, county_plan=food_row.plan.county_plan, note="年度计划执行完毕")
    before = state()
    with pytest.raises(DomainError) as exc:
        new_task(personas, [food_row])
    assert exc.value.field == "plan_rows" and "已关闭" in exc.value.message
    assert state() == before


def test_another_departments_plan_row_needs_that_department_as_participant(personas, food_row, safety_row, shops,
                                                                          inspectors):
    before = state()
    with pytest.raises(DomainError) as exc:
        new_task(personas, [food_row, safety_row])
    assert exc.value.field == "plan_rows" and safety_row.item.name in exc.value.message
    with pytest.raises(DomainError) as exc:
        new_task(personas, [])
    assert exc.value.field == "plan_rows"
    assert state() == before
    joint = new_task(personas, [food_row, safety_row], participants=[personas.dept_b])
    assert joint.is_joint and set(joint.items.all()) == {food_row.item, safety_row.item}
    assert joint.ratios == {"A": "5", "B": "20", "C": "21", "D": "61"}  # the larger plan ratio, 20 %


def test_only_a_manager_of_the_initiating_department_creates_a_task(personas, food_row, food_rule, shops, inspectors):
    before = state()
    for actor in (personas.b_leader, personas.a_inspector):
        with pytest.raises(PermissionDeniedError):
            services.task_create(actor=actor, department=personas.dept_a, name="抽查", plan_rows=[food_row])
    assert state() == before


def test_task_fields_are_checked(personas, food_row, food_rule, shops, inspectors):
    before = state()
    cases = [
        (dict(targeted=True), "filters"),
        (dict(targeted=True, filters={"kinds": [], "industry_prefixes": []}), "filters"),
        (dict(period_start=dt.date(2026, 5, 1)), "period_start"),
        (dict(period_end=dt.date(2027, 1, 31)), "period_start"),
        (dict(period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 8, 1)), "period_end"),
        (dict(exclude_days=5000), "exclude_days"),
        (dict(method="phone"), "method"),
    ]
    for kw, field in cases:
        with pytest.raises(DomainError) as exc:
            new_task(personas, [food_row], **kw)
        assert exc.value.field == field, kw
    with pytest.raises(DomainError) as exc:
        services.task_create(actor=personas.a_leader, department=personas.dept_a, name=" ", plan_rows=[food_row])
    assert exc.value.field == "name"
    assert state() == before


def test_a_targeted_task_draws_only_among_entities_matching_its_filters(personas, food_row, shops, inspectors):
    task = new_task(personas, [food_row], ALL, targeted=True, filters={"division_prefixes": ["140430101"]})
    assert task.filters == {"division_prefixes": ["140430101"]}
    found = candidate_usccs(task)  # no object rule: every entity in business, narrowed to the township
    assert set(found) == {e.uscc for e in shops[40:45]}


def test_cancelling_a_committed_task_supersedes_its_draw(personas, food_task):
    services.draw_commit(actor=personas.a_leader, task=food_task)
    with pytest.raises(DomainError):
        services.task_cancel(actor=personas.a_leader, task=food_task, reason="")
    services.task_cancel(actor=personas.a_leader, task=food_task, reason="上级部署专项行动，合并实施")
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.CANCELLED
    assert Draw.objects.get().status == DrawStatus.SUPERSEDED
    with pytest.raises(Conflict):
        services.draw_run(actor=personas.a_leader, task=food_task)
    assert not TaskObject.objects.exists()


# --- 候选名单 ---------------------------------------------------------------------------------------------------------


def test_closed_entities_are_never_candidates(personas, food_task, shops):
    found = candidate_usccs(food_task)
    assert shops[45].uscc not in found and len(found) == 40
    from jianguan.entities.models import Entity

    Entity.objects.filter(pk=shops[3].pk).update(status="revoked")
    services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=shops[45], reason="注销前投诉")
    found = candidate_usccs(food_task)
    assert shops[3].uscc not in found and shops[45].uscc not in found and len(found) == 39


def test_entities_checked_recently_or_drawn_by_another_open_task_are_not_candidates(personas, drawn_task, food_row, shops,
                                                                                   on_day):
    objects = list(TaskObject.objects.filter(task=drawn_task))
    checked = objects[0]
    result = services.result_save(actor=personas.a_leader, task_object=checked, data=_conforming(checked, dt.date(2026, 6, 15)))
    services.result_publish(actor=personas.a_leader, result=result)

    on_day(dt.date(2026, 6, 20))
    second = new_task(personas, [food_row], ALL)
    found = candidate_usccs(second)
    assert checked.uscc not in found  # checked for this item within 365 days
    assert not {o.uscc for o in objects[1:]} & set(found)  # still waiting in the first task
    assert len(found) == 40 - len(objects)

    # With no exclusion period the checked one comes back; the ones of the open task stay out.
    third = new_task(personas, [food_row], ALL, exclude_days=0)
    found = candidate_usccs(third)
    assert checked.uscc in found and not {o.uscc for o in objects[1:]} & set(found)

    # Once the first task's other objects are checked they are "recently checked" instead of "drawn by an open task".
    for obj in objects[1:]:
        services.result_save(actor=personas.a_leader, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 20)))
    assert len(candidate_usccs(second)) == 40 - len(objects)
    on_day(dt.date(2026, 6, 25))
    assert len(candidate_usccs(third)) == 40


def test_a_check_for_another_item_does_not_exclude(personas, drawn_task, safety_row, safety_item, shops):
    obj = TaskObject.objects.filter(task=drawn_task).first()
    result = services.result_save(actor=personas.a_leader, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 15)))
    services.result_publish(actor=personas.a_leader, result=result)
    services.object_rule_save(actor=personas.b_admin, item=safety_item, data={"industry_prefixes": "F52"})
    task = services.task_create(actor=personas.b_leader, department=personas.dept_b, name="安全生产抽查",
                                plan_rows=[safety_row], ratios=ALL)
    found = candidate_usccs(task)
    assert obj.uscc in found and len(found) == 40


def test_the_credit_class_comes_from_the_latest_grading_else_the_default(personas, food_task, shops):
    from django.utils import timezone

    from jianguan.core.services import parameter_set
    from jianguan.credit.choices import RunStatus
    from jianguan.credit.models import GradeResult, GradeRun, IndicatorSet

    indicator_set = IndicatorSet.objects.order_by("pk").first()
    old = GradeRun.objects.create(indicator_set=indicator_set, as_of=dt.date(2026, 4, 30), status=RunStatus.DONE,
                                  started_at=timezone.now())
    GradeResult.objects.create(run=old, entity=shops[0], score=90, grade="D", values="")
    GradeResult.objects.create(run=old, entity=shops[1], score=90, grade="D", values="")
    latest = GradeRun.objects.create(indicator_set=indicator_set, as_of=dt.date(2026, 5, 31), status=RunStatus.DONE,
                                     started_at=timezone.now())
    GradeResult.objects.create(run=latest, entity=shops[0], score=0, grade="A", values="")
    GradeResult.objects.create(run=latest, entity=shops[2], score=50, grade="C", values="")
    GradeRun.objects.create(indicator_set=indicator_set, as_of=dt.date(2026, 6, 14), started_at=timezone.now())  # running
    found = candidate_usccs(food_task)
    assert found[shops[0].uscc].grade == "A" and found[shops[2].uscc].grade == "C"
    assert found[shops[1].uscc].grade == "B"  # not in the latest run: the default class
    assert Counter(c.grade for c in found.values()) == {"A": 1, "B": 38, "C": 1}

    parameter_set(actor=personas.owner, key="credit.default_grade", value="D", effective_from=dt.date(2026, 6, 10),
                  reason="新设主体从严")
    found = candidate_usccs(food_task)
    assert found[shops[1].uscc].grade == "D" and found[shops[0].uscc].grade == "A"

    draw = services.draw_commit(actor=personas.a_leader, task=food_task)
    assert draw.strata["D"] == {"candidates": 38, "key": 0, "quota": 38}  # D at 100 %
    assert draw.strata["C"] == {"candidates": 1, "key": 0, "quota": 1}


# --- 抽取：承诺、揭示、复核 ------------------------------------------------------------------------------------------


def test_commit_publishes_the_commitment_and_the_candidate_file_hash_but_not_the_seed(personas, food_task):
    draw = services.draw_commit(actor=personas.a_leader, task=food_task)
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.COMMITTED and draw.status == DrawStatus.COMMITTED
    assert draw.seed == "" and draw.number == 1 and draw.algorithm == "JG-DRAW-1"
    data = (Path(settings.MEDIA_ROOT) / draw.candidates_file).read_bytes()
    assert draw.candidates_hash == sm3(data) and draw.candidate_count == 40 == data.count(b"\n")
    assert len(draw.commitment) == 64 and draw.seed_sealed and draw.commitment not in draw.seed_sealed
    event = AuditEvent.objects.get(action="inspections.draw_commit")
    assert event.after["commitment"] == draw.commitment and event.after["candidates_hash"] == draw.candidates_hash
    assert "seed" not in event.after and not TaskObject.objects.exists()
    with pytest.raises(Conflict):
        services.draw_commit(actor=personas.a_leader, task=food_task)


def test_the_revealed_seed_matches_the_commitment_and_reproduces_the_selection(personas, food_task):
    committed = services.draw_commit(actor=personas.a_leader, task=food_task)
    drawn = services.draw_run(actor=personas.a_leader, task=food_task)
    assert drawn.pk == committed.pk and drawn.status == DrawStatus.REVEALED and drawn.drawn_by == personas.a_leader
    assert sm3(bytes.fromhex(drawn.seed)) == committed.commitment
    data = (Path(settings.MEDIA_ROOT) / drawn.candidates_file).read_bytes()
    rows = []
    for line in data.decode().splitlines():
        uscc, grade, key = line.split(",")
        rows.append(drawlib.Candidate(uscc, grade, key == "1"))
    expected = drawlib.draw(rows, drawn.seed, drawn.ratios)
    objects = list(TaskObject.objects.filter(task=food_task).order_by("uscc"))
    assert [o.uscc for o in objects] == expected and len(expected) == 4  # ceil(40 × 10 %) of class B
    assert all(o.draw_id == drawn.pk and o.grade == "B" and o.status == ObjectStatus.ASSIGNED for o in objects)
    assert drawn.selected_count == 4 and drawn.selected_hash == sm3("".join(f"{u}\n" for u in expected).encode())
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.DRAWN
    event = AuditEvent.objects.get(action="inspections.draw_run")
    assert event.after["seed"] == drawn.seed and event.after["selected"] == 4

    before = state()
    with pytest.raises(Conflict):
        services.draw_run(actor=personas.a_leader, task=food_task)
    assert state() == before


def test_only_managers_commit_and_run_draws(personas, food_task):
    before = state()
    for actor in (personas.a_inspector, personas.b_leader):
        with pytest.raises(PermissionDeniedError):
            services.draw_commit(actor=actor, task=food_task)
    assert state() == before
    services.draw_commit(actor=personas.a_admin, task=food_task)
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.draw_run(actor=personas.b_admin, task=food_task)
    assert state() == before and Draw.objects.get().seed == ""


def test_a_redraw_needs_a_leader_and_a_reason_and_keeps_the_first_draw_published(personas, drawn_task):
    first = Draw.objects.get()
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.draw_redo(actor=personas.a_admin, task=drawn_task, reason="检查人员调整")
    with pytest.raises(DomainError) as exc:
        services.draw_redo(actor=personas.a_leader, task=drawn_task, reason="  ")
    assert exc.value.field == "reason"
    assert state() == before

    second = services.draw_redo(actor=personas.a_leader, task=drawn_task, reason="名录库漏录5家主体，补录后重新抽取")
    assert second.number == 2 and second.reason == "名录库漏录5家主体，补录后重新抽取" and second.seed == ""
    first.refresh_from_db()
    assert first.status == DrawStatus.SUPERSEDED and len(first.seed) == 64  # still published
    assert sm3(bytes.fromhex(first.seed)) == first.commitment
    assert not TaskObject.objects.exists() and not Visit.objects.exists() and not Assignment.objects.exists()
    drawn_task.refresh_from_db()
    assert drawn_task.status == TaskStatus.COMMITTED
    assert AuditEvent.objects.filter(action="inspections.draw_redo", note__contains="漏录").exists()

    third = services.draw_run(actor=personas.a_leader, task=drawn_task)
    assert third.pk == second.pk and TaskObject.objects.filter(draw=second).count() == 4
    assert not TaskObject.objects.filter(draw=first).exists() and third.seed != first.seed


def test_a_commitment_not_yet_drawn_is_opened_when_redone(personas, food_task):
    first = services.draw_commit(actor=personas.a_leader, task=food_task)
    second = services.draw_redo(actor=personas.a_leader, task=food_task, reason="候选名单范围有误")
    first.refresh_from_db()
    assert first.status == DrawStatus.SUPERSEDED and sm3(bytes.fromhex(first.seed)) == first.commitment
    assert second.number == 2 and second.status == DrawStatus.COMMITTED


def test_no_redraw_once_a_result_is_entered(personas, drawn_task):
    obj = TaskObject.objects.first()
    services.result_save(actor=personas.a_leader, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 15)))
    before = state()
    with pytest.raises(Conflict) as exc:
        services.draw_redo(actor=personas.a_leader, task=drawn_task, reason="重新抽取")
    assert "已有检查结果" in exc.value.message
    assert state() == before and Draw.objects.get().status == DrawStatus.REVEALED


def test_a_tampered_candidate_file_stops_the_draw(personas, food_task, shops):
    draw = services.draw_commit(actor=personas.a_leader, task=food_task)
    path = Path(settings.MEDIA_ROOT) / draw.candidates_file
    lines = path.read_bytes().decode().splitlines(keepends=True)
    lines[0] = lines[0].replace(",B,0", ",B,1")  # someone marks an entity as key supervision
    path.write_bytes("".join(lines).encode())
    before = state()
    with pytest.raises(DomainError) as exc:
        services.draw_run(actor=personas.a_leader, task=food_task)
    assert exc.value.field == "candidates" and "哈希" in exc.value.message
    assert state() == before
    draw.refresh_from_db()
    food_task.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and draw.seed == "" and food_task.status == TaskStatus.COMMITTED


def test_too_few_available_inspectors_refuses_the_commitment(personas, food_task, inspectors):
    for code in ("A0002", "A0003", "A0004"):
        services.inspector_update(actor=personas.a_admin, inspector=inspectors[code], available=False, unavailable_note="外出学习")
    before = state()
    with pytest.raises(DomainError) as exc:
        services.draw_commit(actor=personas.a_leader, task=food_task)
    assert exc.value.field == "inspectors" and "只有1名" in exc.value.message
    assert state() == before
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.DRAFT


def test_inspectors_of_other_fields_or_deactivated_accounts_do_not_count(personas, food_task, inspectors):
    services.inspector_update(actor=personas.a_admin, inspector=inspectors["A0003"], fields="特种设备")
    services.inspector_update(actor=personas.a_admin, inspector=inspectors["A0004"], fields="特种设备")
    personas.a_inspector2.is_active = False
    personas.a_inspector2.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as exc:
        services.draw_commit(actor=personas.a_leader, task=food_task)
    assert exc.value.field == "inspectors"
    assert not Draw.objects.exists()


def test_an_object_with_fewer_than_two_eligible_inspectors_refuses_the_whole_draw(personas, food_task, shops, inspectors):
    key = shops[7]
    services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=key, reason="投诉举报较多")
    draw = services.draw_commit(actor=personas.a_leader, task=food_task)
    for code in ("A0001", "A0002", "A0003"):
        services.conflict_declare(actor=inspectors[code].user, inspector=inspectors[code], entity=key, reason="近亲属在该店任职")
    before = state()
    with pytest.raises(DomainError) as exc:
        services.draw_run(actor=personas.a_leader, task=food_task)
    assert exc.value.field == "inspectors" and key.uscc in exc.value.message and "只有1名" in exc.value.message
    assert state() == before
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and draw.seed == ""
    # One more inspector without a conflict, and the same commitment can be drawn.
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role

    make_user("a_inspector5", Role.INSPECTOR, personas.unit_a, display_name="吴执法", cert_no="A0005",
              enforcement_fields="食品药品")
    services.inspector_sync(actor=personas.a_admin, department=personas.dept_a)
    services.draw_run(actor=personas.a_leader, task=food_task)
    obj = TaskObject.objects.get(entity=key)
    assert obj.is_key and active_codes(obj) == ["A0004", "A0005"]


# --- 检查人员分派 -----------------------------------------------------------------------------------------------------


def test_every_object_gets_two_distinct_eligible_inspectors_and_the_load_is_balanced(personas, food_row, food_rule, shops,
                                                                                   inspectors):
    task = new_task(personas, [food_row], ALL)
    run(personas, task)
    objects = list(TaskObject.objects.filter(task=task).prefetch_related("assignments__inspector"))
    assert len(objects) == 40
    department_ids = bureau_tree_ids(personas.dept_a.pk)
    load = Counter()
    for obj in objects:
        active = [a.inspector for a in obj.assignments.all() if a.active]
        assert len(active) == 2 and len({i.code for i in active}) == 2
        for inspector in active:
            assert inspector.department_id in department_ids and "food_drug" in inspector.fields
            load[inspector.code] += 1
    assert set(load) == {"A0001", "A0002", "A0003", "A0004"}
    assert max(load.values()) - min(load.values()) <= 1


def test_declared_conflicts_are_never_assigned(personas, food_row, food_rule, shops, inspectors):
    for shop in shops[:20]:
        services.conflict_declare(actor=personas.a_inspector, inspector=inspectors["A0001"], entity=shop, reason="曾在该店入股")
    for shop in shops[15:30]:
        services.conflict_declare(actor=personas.a_admin, inspector=inspectors["A0002"], entity=shop, reason="近亲属经营")
    task = new_task(personas, [food_row], ALL)
    run(personas, task)
    assert TaskObject.objects.filter(task=task).count() == 40
    banned = {(c.inspector.code, c.entity_id) for c in InspectorConflict.objects.select_related("inspector")}
    pairs = {(a.inspector.code, a.task_object.entity_id) for a in Assignment.objects.select_related("inspector", "task_object")}
    assert not banned & pairs
    # Shops 15–19 conflict with both A0001 and A0002: only A0003 and A0004 are left.
    for shop in shops[15:20]:
        assert active_codes(TaskObject.objects.get(task=task, entity=shop)) == ["A0003", "A0004"]
    for obj in TaskObject.objects.filter(task=task):
        assert len(active_codes(obj)) == 2


def test_inspectors_who_checked_the_entity_recently_are_not_assigned_again(personas, drawn_task, food_row, shops, on_day):
    obj = TaskObject.objects.filter(task=drawn_task).first()
    previous = active_codes(obj)
    services.result_save(actor=personas.a_leader, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 15)))
    entity = obj.entity
    on_day(dt.date(2026, 7, 1))
    services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=entity, reason="检查发现问题，跟踪复查")
    task = new_task(personas, [food_row], NONE)
    run(personas, task)
    again = TaskObject.objects.get(task=task)
    assert again.entity == entity
    assert not set(active_codes(again)) & set(previous)
    assert sorted(active_codes(again)) == sorted({"A0001", "A0002", "A0003", "A0004"} - set(previous))


def test_open_assignments_elsewhere_weigh_on_the_next_draw(personas, drawn_task, food_row, shops, inspectors):
    """The first task left each inspector with 2 open objects; a new inspector starts at 0 and is picked first."""
    from jianguan.conftest import make_user
    from jianguan.core.choices import Role

    make_user("a_inspector5", Role.INSPECTOR, personas.unit_a, display_name="吴执法", cert_no="A0005", enforcement_fields="食品药品")
    make_user("a_inspector6", Role.INSPECTOR, personas.unit_a, display_name="郑执法", cert_no="A0006", enforcement_fields="食品药品")
    services.inspector_sync(actor=personas.a_admin, department=personas.dept_a)
    services.key_entry_add(actor=personas.a_admin, department=personas.dept_a, entity=shops[44], reason="跟踪检查")
    task = new_task(personas, [food_row], NONE)
    run(personas, task)
    assert active_codes(TaskObject.objects.get(task=task)) == ["A0005", "A0006"]


def test_a_recusal_ends_the_assignment_and_draws_another_inspector(personas, drawn_task, inspectors):
    assignment = Assignment.objects.filter(inspector=inspectors["A0001"], active=True).first()
    obj = assignment.task_object
    before_codes = active_codes(obj)
    with pytest.raises(PermissionDeniedError):  # another inspector cannot recuse a colleague
        services.assignment_recuse(actor=personas.b_inspector, assignment=assignment, reason="x")
    with pytest.raises(DomainError) as exc:
        services.assignment_recuse(actor=personas.a_inspector, assignment=assignment, reason="")
    assert exc.value.field == "reason"
    assert active_codes(obj) == before_codes

    new = services.assignment_recuse(actor=personas.a_inspector, assignment=assignment, reason="该店负责人系本人表兄")
    assignment.refresh_from_db()
    assert not assignment.active and assignment.ended_reason == "该店负责人系本人表兄"
    assert new.active and new.attempt == 1 and new.inspector.code not in before_codes
    assert len(active_codes(obj)) == 2 and "A0001" not in active_codes(obj)
    conflict = InspectorConflict.objects.get(inspector=inspectors["A0001"], entity=obj.entity)
    assert conflict.kind == ConflictKind.RECUSAL and conflict.active and conflict.reason == "该店负责人系本人表兄"
    event = AuditEvent.objects.get(action="inspections.recuse")
    assert event.after == {"recused": "A0001", "replacement": new.inspector.code, "attempt": 1}
    with pytest.raises(Conflict):
        services.assignment_recuse(actor=personas.a_inspector, assignment=assignment, reason="再次申请")
    with pytest.raises(PermissionDeniedError):  # no longer assigned: cannot enter the result either
        services.result_save(actor=personas.a_inspector, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 15)))

    # A second recusal on the same object is attempt 2 and still never returns anyone already involved.
    second = services.assignment_recuse(actor=personas.a_leader, assignment=new, reason="借调外单位")
    assert second.attempt == 2 and second.inspector.code not in set(before_codes) | {new.inspector.code}
    # Nobody is left for a third recusal.
    with pytest.raises(DomainError) as exc:
        services.assignment_recuse(actor=personas.a_leader, assignment=second, reason="病假")
    assert exc.value.field == "inspectors"
    assert len(active_codes(obj)) == 2


def test_a_recusal_is_refused_once_the_result_is_entered(personas, drawn_task):
    obj = TaskObject.objects.filter(task=drawn_task).first()
    services.result_save(actor=personas.a_leader, task_object=obj, data=_conforming(obj, dt.date(2026, 6, 15)))
    assignment = obj.assignments.filter(active=True).first()
    before = state()
    with pytest.raises(Conflict) as exc:
        services.assignment_recuse(actor=assignment.inspector.user, assignment=assignment, reason="亲属关系")
    assert "已录入检查结果" in exc.value.message
    assert state() == before


# --- 联合抽查与合并入户 -----------------------------------------------------------------------------------------------


def test_two_departments_drawing_the_same_shops_visit_them_once(personas, drawn_task, safety_row, safety_item, shops):
    services.object_rule_save(actor=personas.b_admin, item=safety_item, data={"industry_prefixes": "F52"})
    safety = services.task_create(actor=personas.b_leader, department=personas.dept_b, name="食品销售场所安全生产抽查",
                                  plan_rows=[safety_row], ratios=ALL)
    run(personas, safety, actor=personas.b_leader)
    food_objects = list(TaskObject.objects.filter(task=drawn_task))
    assert TaskObject.objects.filter(task=safety).count() == 40
    for food in food_objects:
        visit = food.visit
        members = list(visit.task_objects.order_by("department_id"))
        assert [o.department for o in members] == [personas.dept_a, personas.dept_b]
        assert {o.task for o in members} == {drawn_task, safety}
    assert Visit.objects.count() == 40  # 4 shared visits, 36 visits of the safety task alone
    assert AuditEvent.objects.filter(action="inspections.draw_run").latest("seq").after["joint_visits"] == 4
    for obj in TaskObject.objects.filter(task=safety):
        assert active_codes(obj) == ["B0001", "B0002"]


def test_a_task_in_a_later_period_does_not_join_the_visit(personas, drawn_task, safety_row, safety_item, shops, on_day):
    services.object_rule_save(actor=personas.b_admin, item=safety_item, data={"industry_prefixes": "F52"})
    on_day(dt.date(2026, 6, 1))
    safety = services.task_create(actor=personas.b_leader, department=personas.dept_b, name="安全生产抽查",
                                  plan_rows=[safety_row], ratios=ALL, period_end=dt.date(2026, 6, 10))
    run(personas, safety, actor=personas.b_leader)
    assert not Visit.objects.filter(task_objects__task=safety).filter(task_objects__task=drawn_task).exists()


def test_a_joint_task_draws_inspectors_from_both_departments(personas, food_row, safety_row, food_rule, shops, inspectors):
    task = new_task(personas, [food_row, safety_row], ALL, participants=[personas.dept_b])
    run(personas, task)
    objects = list(TaskObject.objects.filter(task=task))
    assert len(objects) == 45  # the food directory (40 shops) ∪ the safety directory (no rule: all 45 in business)
    codes = Counter(a.inspector.code for a in Assignment.objects.filter(active=True).select_related("inspector"))
    assert set(codes) == {"A0001", "A0002", "A0003", "A0004", "B0001", "B0002"}
    assert max(codes.values()) - min(codes.values()) <= 1
    for obj in objects:
        assert len(active_codes(obj)) == 2 and obj.department == personas.dept_a
    departments = {a.inspector.department_id for a in Assignment.objects.select_related("inspector")}
    assert departments == {personas.unit_a.pk, personas.dept_b.pk}


def _conforming(obj, checked_on):
    """A result with every check point of the object's checklist answered 符合."""
    from jianguan.inspections.services.results import checklist

    points = [p for impl in checklist(obj) for p in impl.check_points.all()]
    return {"checked_on": checked_on, "result_code": "1", "answers": {str(p.pk): {"answer": "conform"} for p in points}}
