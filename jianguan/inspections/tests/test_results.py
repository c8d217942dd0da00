"""检查结果: entered on the phone by an assigned inspector, checked point by point, due for publication in 20 working
days, published as a 行政检查 record (一公开), corrected only with a reason; and the audit chain after a whole task."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.core import audit, workdays
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent
from jianguan.inspections import services
from jianguan.inspections.choices import ObjectStatus, TaskStatus, VisitStatus
from jianguan.inspections.models import CaseReferral, CheckResult, ResultCorrection, ResultPhoto, TaskObject
from jianguan.inspections.services.results import checklist
from jianguan.records.choices import RecordStatus
from jianguan.records.models import Record

CHECKED = dt.date(2026, 6, 15)


def points(obj):
    return [p for impl in checklist(obj) for p in impl.check_points.all()]


def conforming(obj, checked_on=CHECKED, **extra):
    return {"checked_on": checked_on, "result_code": "1", "answers": {str(p.pk): {"answer": "conform"} for p in points(obj)},
            "summary": "现场检查未发现问题", **extra}


def with_problem(obj, checked_on=CHECKED, **extra):
    """The second check point (从业人员健康证明) not met, with the note an inspector writes."""
    data = {**conforming(obj, checked_on), "result_code": "A", **extra}
    data["answers"][str(points(obj)[1].pk)] = {"answer": "nonconform", "note": "2名从业人员健康证明过期"}
    return data


def state():
    return {"results": CheckResult.objects.count(), "referrals": CaseReferral.objects.count(),
            "records": Record.objects.count(), "active_records": Record.objects.filter(status=RecordStatus.ACTIVE).count(),
            "corrections": ResultCorrection.objects.count(), "photos": ResultPhoto.objects.count(),
            "events": AuditEvent.objects.count(),
            "objects": sorted(TaskObject.objects.values_list("uscc", "status")),
            "tasks": sorted(TaskObject.objects.values_list("task__code", "task__status").distinct())}


@pytest.fixture
def mine(drawn_task, personas):
    """A drawn object assigned to a_inspector (A0001): each of the 4 inspectors has 2 of the 4 objects."""
    return TaskObject.objects.filter(task=drawn_task, assignments__inspector__user=personas.a_inspector,
                                     assignments__active=True).first()


def test_the_assigned_inspector_enters_a_result(personas, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    mine.refresh_from_db()
    assert mine.status == ObjectStatus.CHECKED and result.uscc == mine.uscc and result.department == personas.dept_a
    assert result.checked_on == CHECKED and result.result_code == "1" and result.published_at is None
    assert [a["answer"] for a in result.answers] == ["conform"] * 3
    assert [a["content"] for a in result.answers][0] == "经营许可证是否在有效期内并悬挂"
    codes = sorted(mine.assignments.filter(active=True).values_list("inspector__code", flat=True))
    assert sorted(p["cert_no"] for p in result.inspectors) == codes and "A0001" in codes
    assert "张执法" in {p["name"] for p in result.inspectors}
    assert result.entered_by == personas.a_inspector and result.publish_due == workdays.add_working_days(CHECKED, 20)
    event = AuditEvent.objects.get(action="inspections.result_save")
    assert event.after["result_code"] == "1" and event.after["publish_due"] == str(result.publish_due)

    # Before publication the inspector may still revise it; the audit keeps what it was.
    revised = services.result_save(actor=personas.a_inspector, task_object=mine, data=with_problem(mine, follow_up="record"))
    assert revised.pk == result.pk and revised.result_code == "A" and CheckResult.objects.count() == 1
    assert AuditEvent.objects.filter(action="inspections.result_save").latest("seq").before["result_code"] == "1"


def _missing_answer(obj):
    data = conforming(obj)
    del data["answers"][str(points(obj)[2].pk)]
    return data, f"point_{points(obj)[2].pk}", "进货查验记录"


def _nonconform_without_note(obj):
    data = conforming(obj, result_code="A", follow_up="record")
    data["answers"][str(points(obj)[0].pk)] = {"answer": "nonconform", "note": "  "}
    return data, f"point_{points(obj)[0].pk}", "请写明存在的问题"


def _unknown_answer(obj):
    data = conforming(obj)
    data["answers"][str(points(obj)[0].pk)] = "yes"
    return data, f"point_{points(obj)[0].pk}", "尚未作出结论"


def _foreign_point(obj):
    data = conforming(obj)
    data["answers"]["999999"] = "conform"
    return data, "answers", "999999"


INVALID = {
    "missing answer": _missing_answer,
    "nonconform without a note": _nonconform_without_note,
    "answer not 符合/不符合/不涉及": _unknown_answer,
    "point of another checklist": _foreign_point,
    "not a national result code": lambda o: ({**conforming(o), "result_code": "2"}, "result_code", "检查结果代码"),
    "empty result code": lambda o: ({**conforming(o), "result_code": ""}, "result_code", "检查结果代码"),
    "code 1 with a nonconforming point": lambda o: ({**with_problem(o), "result_code": "1"}, "result_code", "不符合"),
    "code F with a nonconforming point": lambda o: ({**with_problem(o), "result_code": "F"}, "result_code", "不符合"),
    "problem code without follow-up": lambda o: (with_problem(o), "follow_up", "后续处置"),
    "unknown follow-up": lambda o: (with_problem(o, follow_up="warn"), "follow_up", "后续处置"),
    "order without a deadline": lambda o: (with_problem(o, follow_up="order"), "correct_by", "整改期限"),
    "order due on the check day": lambda o: (with_problem(o, follow_up="order", correct_by=CHECKED), "correct_by", "晚于检查日期"),
    "referral without a reason": lambda o: (with_problem(o, follow_up="referral"), "follow_up_note", "移送事由"),
    "no check date": lambda o: ({**conforming(o), "checked_on": None}, "checked_on", "检查日期"),
    "check date as text": lambda o: ({**conforming(o), "checked_on": "2026-06-15"}, "checked_on", "检查日期"),
    "check date in the future": lambda o: (conforming(o, dt.date(2026, 6, 16)), "checked_on", "晚于今天"),
    "check date before the task": lambda o: (conforming(o, dt.date(2026, 6, 14)), "checked_on", "2026-06-15"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_an_incomplete_or_inconsistent_result_is_refused_by_field_and_nothing_changes(personas, mine, case):
    data, field, words = INVALID[case](mine)
    before = state()
    with pytest.raises(DomainError) as exc:
        services.result_save(actor=personas.a_inspector, task_object=mine, data=data)
    assert exc.value.field == field and words in exc.value.message
    assert state() == before


def test_a_result_is_dated_within_the_task_period(personas, food_row, food_rule, shops, inspectors, on_day):
    task = services.task_create(actor=personas.a_leader, department=personas.dept_a, name="暑期食品安全专项抽查",
                                plan_rows=[food_row], ratios={"A": "5", "B": "10", "C": "50", "D": "100"},
                                period_end=dt.date(2026, 7, 31))
    services.draw_commit(actor=personas.a_leader, task=task)
    services.draw_run(actor=personas.a_leader, task=task)
    obj = TaskObject.objects.filter(task=task).first()
    on_day(dt.date(2026, 8, 5))
    before = state()
    with pytest.raises(DomainError) as exc:
        services.result_save(actor=personas.a_leader, task_object=obj, data=conforming(obj, dt.date(2026, 8, 3)))
    assert exc.value.field == "checked_on" and "2026-07-31" in exc.value.message
    assert state() == before
    # Entered late, but checked on the last day of the period: accepted.
    services.result_save(actor=personas.a_leader, task_object=obj, data=conforming(obj, dt.date(2026, 7, 31)))


def test_an_order_to_correct_keeps_its_deadline_and_a_referral_goes_to_case_handling(personas, mine, drawn_task):
    ordered = services.result_save(actor=personas.a_inspector, task_object=mine,
                                   data=with_problem(mine, follow_up="order", correct_by=dt.date(2026, 6, 30)))
    assert ordered.follow_up == "order" and ordered.correct_by == dt.date(2026, 6, 30)
    assert not CaseReferral.objects.exists()

    referred = services.result_save(actor=personas.a_inspector, task_object=mine,
                                    data=with_problem(mine, follow_up="referral", correct_by=dt.date(2026, 6, 30),
                                                      follow_up_note="健康证明过期且拒不改正，涉嫌违反食品安全法第四十五条"))
    assert referred.correct_by is None  # only an order to correct has a deadline
    referral = CaseReferral.objects.get()
    assert referral.result == referred and referral.uscc == mine.uscc and referral.department == personas.dept_a
    assert referral.status == "pending" and "第四十五条" in referral.reason and referral.created_by == personas.a_inspector

    # Revised before publication to "corrected on the spot": the pending referral is withdrawn.
    corrected = {**with_problem(mine), "result_code": "E"}
    services.result_save(actor=personas.a_inspector, task_object=mine, data=corrected)
    assert not CaseReferral.objects.exists()


def test_a_not_applicable_point_and_code_e_need_no_follow_up(personas, mine):
    data = with_problem(mine, result_code="E")
    data["answers"][str(points(mine)[0].pk)] = {"answer": "na"}
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=data)
    assert result.result_code == "E" and result.follow_up == "none"
    assert [a["answer"] for a in result.answers] == ["na", "nonconform", "conform"]


def test_a_uscc_not_drawn_by_the_task_is_refused_by_name(personas, drawn_task, shops):
    drawn = set(TaskObject.objects.filter(task=drawn_task).values_list("uscc", flat=True))
    other = next(e.uscc for e in shops if e.uscc not in drawn)
    for uscc in (other, "91140430MA0K00000X", "", None):
        with pytest.raises(DomainError) as exc:
            services.object_in_task(drawn_task, uscc)
        assert exc.value.field == "uscc" and drawn_task.code in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.object_in_task(drawn_task, other)
    assert other in exc.value.message
    one = sorted(drawn)[0]
    assert services.object_in_task(drawn_task, f" {one.lower()} ").uscc == one


def test_only_an_assigned_inspector_or_a_manager_enters_and_publishes(personas, drawn_task, mine):
    other = (TaskObject.objects.filter(task=drawn_task).exclude(assignments__inspector__user=personas.a_inspector).first())
    before = state()
    for actor, obj in ((personas.b_inspector, mine), (personas.b_admin, mine), (personas.b_leader, mine),
                       (personas.a_inspector, other), (personas.a_reviewer, mine)):
        with pytest.raises(PermissionDeniedError):
            services.result_save(actor=actor, task_object=obj, data=conforming(obj))
    assert state() == before
    result = services.result_save(actor=personas.a_admin, task_object=other, data=conforming(other))
    before = state()
    for actor in (personas.b_inspector, personas.a_inspector):
        with pytest.raises(PermissionDeniedError):
            services.result_publish(actor=actor, result=result)
    assert state() == before
    result = services.result_publish(actor=personas.a_leader, result=result)
    assert result.published_at is not None


def test_publication_is_due_20_working_days_after_the_check_across_national_day(personas, mine, on_day):
    # 2026: 中秋 9-25…27, 国庆 10-01…07, 10-10 (Saturday) is a working day. After Friday 25 September:
    # 9-28, 29, 30 (3); 10-08, 09, 10 (6); 10-12…16 (11); 10-19…23 (16); 10-26, 27, 28, 29 (20).
    on_day(dt.date(2026, 9, 28))
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine, dt.date(2026, 9, 25)))
    counted = [dt.date(2026, 9, 25) + dt.timedelta(days=n) for n in range(1, 40)]
    working = [d for d in counted if workdays.is_working_day(d)]
    print("working days after 2026-09-25:", [d.isoformat() for d in working[:20]])  # sanity check of the hand count
    assert result.publish_due == dt.date(2026, 10, 29)


def test_publishing_makes_a_public_inspection_record_and_completes_the_task(personas, drawn_task, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    result = services.result_publish(actor=personas.a_inspector, result=result)
    record = result.record
    assert record.kind == "inspection" and record.disclose is True and record.status == RecordStatus.ACTIVE
    assert record.source_system == "jianguan.inspections" and record.source_id == f"{drawn_task.code}:{mine.uscc}"
    assert record.uscc == mine.uscc and record.entity == mine.entity and record.department == personas.dept_a
    # The aggregation store keeps the national exchange's wording of result code 1.
    assert record.occurred_on == CHECKED and record.payload["result"] == "未发现问题"
    assert sorted(record.payload["cert_nos"]) == sorted(p["cert_no"] for p in result.inspectors)
    assert "A0001" in record.payload["cert_nos"] and record.payload["plan_id"] == drawn_task.code
    assert record.payload["category"] == "双随机抽查" and record.payload["form"] == "单独检查"
    mine.refresh_from_db()
    drawn_task.refresh_from_db()
    assert mine.status == ObjectStatus.PUBLISHED and drawn_task.status == TaskStatus.DRAWN
    assert mine.visit.status == VisitStatus.DONE
    assert AuditEvent.objects.get(action="inspections.result_publish").after["late"] is False

    with pytest.raises(Conflict):
        services.result_publish(actor=personas.a_inspector, result=result)
    for obj in TaskObject.objects.filter(task=drawn_task).exclude(pk=mine.pk):
        services.result_publish(actor=personas.a_leader,
                                result=services.result_save(actor=personas.a_leader, task_object=obj, data=conforming(obj)))
    drawn_task.refresh_from_db()
    assert drawn_task.status == TaskStatus.COMPLETED
    assert Record.objects.filter(kind="inspection", disclose=True, status=RecordStatus.ACTIVE).count() == 4


def test_a_late_publication_is_marked_late(personas, mine, on_day):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    on_day(result.publish_due + dt.timedelta(days=1))
    services.result_publish(actor=personas.a_inspector, result=result)
    assert AuditEvent.objects.get(action="inspections.result_publish").after["late"] is True


def test_a_published_result_cannot_be_saved_again(personas, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    services.result_publish(actor=personas.a_inspector, result=result)
    before = state()
    with pytest.raises(Conflict) as exc:
        services.result_save(actor=personas.a_inspector, task_object=mine, data=with_problem(mine, follow_up="record"))
    assert "更正" in exc.value.message
    assert state() == before
    result.refresh_from_db()
    assert result.result_code == "1" and result.record.status == RecordStatus.ACTIVE


def test_a_correction_needs_a_manager_and_a_reason_and_replaces_the_published_record(personas, drawn_task, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    with pytest.raises(Conflict):  # not yet published: just save it again
        services.result_correct(actor=personas.a_leader, result=result, data=with_problem(mine, follow_up="record"),
                                reason="复核发现问题")
    result = services.result_publish(actor=personas.a_inspector, result=result)
    first = result.record
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.result_correct(actor=personas.a_inspector, result=result, data=with_problem(mine, follow_up="record"),
                                reason="复核发现问题")
    with pytest.raises(PermissionDeniedError):
        services.result_correct(actor=personas.b_leader, result=result, data=with_problem(mine, follow_up="record"),
                                reason="复核发现问题")
    with pytest.raises(DomainError) as exc:
        services.result_correct(actor=personas.a_leader, result=result, data=with_problem(mine, follow_up="record"),
                                reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        services.result_correct(actor=personas.a_leader, result=result, data=with_problem(mine), reason="复核发现问题")
    assert exc.value.field == "follow_up"
    assert state() == before

    corrected = services.result_correct(actor=personas.a_admin, result=result, data=with_problem(mine, follow_up="record"),
                                        reason="法制审核发现健康证明过期未记录")
    assert corrected.result_code == "A" and corrected.follow_up == "record"
    correction = ResultCorrection.objects.get()
    assert correction.before["result_code"] == "1" and correction.after["result_code"] == "A"
    assert correction.reason == "法制审核发现健康证明过期未记录" and correction.created_by == personas.a_admin
    first.refresh_from_db()
    assert first.status == RecordStatus.VOIDED
    second = corrected.record
    assert second.pk != first.pk and second.status == RecordStatus.ACTIVE and second.disclose
    assert second.payload["result"] == "发现问题待后续处理" and second.source_id == f"{drawn_task.code}:{mine.uscc}:更正1"
    assert AuditEvent.objects.filter(action="inspections.result_correct", note="法制审核发现健康证明过期未记录").exists()
    assert AuditEvent.objects.filter(action="record.void", object_id=str(first.pk)).exists()

    again = services.result_correct(actor=personas.a_leader, result=corrected, data=conforming(mine), reason="当事人提供有效证明")
    assert again.record.source_id.endswith(":更正2") and again.result_code == "1"
    assert Record.objects.filter(uscc=mine.uscc, status=RecordStatus.ACTIVE).count() == 1
    assert ResultCorrection.objects.count() == 2


def test_photos_are_images_added_before_publication(personas, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=conforming(mine))
    photo = services.photo_add(actor=personas.a_inspector, result=result, caption="门头",
                               upload=SimpleUploadedFile("door.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg"))
    assert photo.file.name.startswith(f"inspections/{mine.task_id}/{result.pk}/") and photo.file.read().startswith(b"\xff\xd8")
    with pytest.raises(DomainError) as exc:
        services.photo_add(actor=personas.a_inspector, result=result,
                           upload=SimpleUploadedFile("notes.pdf", b"%PDF-1.4", content_type="application/pdf"))
    assert exc.value.field == "photo"
    with pytest.raises(PermissionDeniedError):
        services.photo_add(actor=personas.b_inspector, result=result,
                           upload=SimpleUploadedFile("x.jpg", b"\xff\xd8", content_type="image/jpeg"))
    services.result_publish(actor=personas.a_inspector, result=result)
    with pytest.raises(Conflict):
        services.photo_add(actor=personas.a_inspector, result=result,
                           upload=SimpleUploadedFile("late.jpg", b"\xff\xd8", content_type="image/jpeg"))
    assert ResultPhoto.objects.count() == 1


def test_a_shared_visit_is_published_as_a_joint_check(personas, drawn_task, safety_row, safety_item, shops):
    services.object_rule_save(actor=personas.b_admin, item=safety_item, data={"industry_prefixes": "F52"})
    safety = services.task_create(actor=personas.b_leader, department=personas.dept_b, name="安全生产抽查",
                                  plan_rows=[safety_row], ratios={"A": "100", "B": "100", "C": "100", "D": "100"})
    services.draw_commit(actor=personas.b_leader, task=safety)
    services.draw_run(actor=personas.b_leader, task=safety)
    food = TaskObject.objects.filter(task=drawn_task).first()
    shared = TaskObject.objects.get(task=safety, entity=food.entity)
    assert shared.visit_id == food.visit_id
    # B's inspector enters B's part of the visit; the safety checklist is B's, not A's.
    result = services.result_save(actor=personas.b_inspector, task_object=shared, data=conforming(shared))
    assert [a["content"] for a in result.answers] == ["安全生产责任制", "隐患排查治理台账"]
    with pytest.raises(PermissionDeniedError):
        services.result_save(actor=personas.b_inspector, task_object=food, data=conforming(food))
    result = services.result_publish(actor=personas.b_inspector, result=result)
    assert result.record.payload["form"] == "联合检查" and result.record.department == personas.dept_b
    visit = food.visit
    visit.refresh_from_db()
    assert visit.status == VisitStatus.OPEN  # A's part is still to be published
    services.result_publish(actor=personas.a_leader,
                            result=services.result_save(actor=personas.a_leader, task_object=food, data=conforming(food)))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE


def test_the_audit_chain_holds_after_a_whole_task(personas, drawn_task, mine):
    assignment = mine.assignments.filter(active=True).exclude(inspector__user=personas.a_inspector).first()
    services.assignment_recuse(actor=assignment.inspector.user, assignment=assignment, reason="与负责人系同学")
    for obj in TaskObject.objects.filter(task=drawn_task):
        result = services.result_save(actor=personas.a_leader, task_object=obj, data=conforming(obj))
        services.result_publish(actor=personas.a_leader, result=result)
    result = CheckResult.objects.get(task_object=mine)
    services.result_correct(actor=personas.a_leader, result=result, data=with_problem(mine, follow_up="record"),
                            reason="复核更正")
    drawn_task.refresh_from_db()
    assert drawn_task.status == TaskStatus.COMPLETED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inspections.inspector_sync", "inspections.object_rule_save", "inspections.task_create",
            "inspections.draw_commit", "inspections.draw_run", "inspections.recuse", "inspections.result_save",
            "inspections.result_publish", "inspections.result_correct", "record.void"} <= actions
    verdict = audit.verify()
    assert verdict.ok, verdict.reason
    assert verdict.checked == AuditEvent.objects.count()


def test_a_correction_that_refers_the_case_sends_it_to_case_handling(personas, mine):
    result = services.result_save(actor=personas.a_inspector, task_object=mine, data=with_problem(mine, follow_up="record"))
    result = services.result_publish(actor=personas.a_inspector, result=result)
    assert not CaseReferral.objects.exists()
    corrected = services.result_correct(
        actor=personas.a_leader, result=result, reason="复查发现拒不改正",
        data=with_problem(mine, follow_up="referral", follow_up_note="健康证明过期且拒不改正，移送立案"))
    referral = CaseReferral.objects.get()
    assert referral.result == corrected and referral.uscc == mine.uscc and referral.reason == "健康证明过期且拒不改正，移送立案"
    assert referral.department == personas.dept_a and referral.status == "pending"
