"""The monthly batch grades every entity set-based, explains every class, and keeps history; adjustments need a
reason and a leader."""
import datetime as dt
import decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent
from jianguan.credit import grading, selectors, services
from jianguan.credit.choices import ApprovalStatus
from jianguan.credit.models import GradeAdjustment, GradeResult, GradeRun

AS_OF = dt.date(2025, 5, 10)


def test_a_class_comes_with_its_full_explanation(credit, personas):
    shop = credit.entity("沁县鑫源食品有限公司", established_on=dt.date(2015, 1, 1))
    credit.penalty(shop, on=dt.date(2024, 6, 1), fine_yuan=8000)
    credit.penalty(shop, on=dt.date(2025, 1, 20), fine_yuan=120000)
    credit.inspection(shop, on=dt.date(2025, 3, 3))
    credit.inspection(shop, on=dt.date(2025, 3, 4), result="未发现问题")
    grading.grade_all(as_of=AS_OF)
    exp = selectors.explanation(user=personas.a_inspector, entity=shop)
    rows = {r.code: r for r in exp["rows"]}
    assert rows["penalty"].value == 2 and rows["penalty"].points == 20
    assert rows["penalty_amount"].value == decimal.Decimal("128000") and rows["penalty_amount"].points == 10
    assert rows["inspection"].value == 1 and rows["inspection"].points == 5
    assert rows["serious"].value == 0 and rows["serious"].points == 0
    assert rows["annual_report"].value == 1 and rows["annual_report"].points == 10  # no 2023 report by 30 June 2024
    assert exp["grade"].score == decimal.Decimal("45") and exp["grade"].grade == "D"  # 45 ≥ 40
    assert "上限 40 分" in rows["penalty"].rule and "近36个月" in rows["penalty"].rule
    assert exp["cutoffs"]["C"] == decimal.Decimal("40")


def test_the_entity_sees_its_values_and_points_but_not_the_internal_rules(credit, personas, api_client):
    own = credit.own_entity(established_on=dt.date(2015, 1, 1))
    credit.report(own, 2023)
    credit.penalty(own, on=dt.date(2025, 1, 20))
    grading.grade_all(as_of=AS_OF)
    body = api_client(personas.enterprise).get(f"/api/v1/credit/entities/{own.uscc}").json()
    row = next(r for r in body["credit_class"]["rows"] if r["code"] == "penalty")
    assert row["value"] == "1" and row["points"] == "10" and row["rule"] == "" and row["weight"] is None
    assert body["credit_class"]["cutoffs"] is None and body["credit_class"]["grade"] == "B"


def test_every_entity_is_graded_in_a_fixed_number_of_queries_and_history_is_kept(credit, personas):
    for n in range(30):
        e = credit.entity(f"沁县第{n}商店", established_on=dt.date(2010, 1, 1))
        credit.report(e, 2023)
        if n % 3 == 0:
            credit.penalty(e, on=dt.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as ctx:
        first = grading.grade_all(as_of=AS_OF)
    assert len(ctx.captured_queries) < 20
    second = grading.grade_all(as_of=dt.date(2025, 6, 10))
    assert first.entity_count == second.entity_count == 30
    assert GradeResult.objects.filter(run=first).count() == 30 and GradeResult.objects.filter(run=second).count() == 30
    assert first.counts["B"] == 10 and first.counts["A"] == 20
    assert AuditEvent.objects.filter(action="credit.grade_run").count() == 2


def test_the_command_grades_and_reports(credit, capsys):
    credit.entity("沁县一号店")
    call_command("credit_grade", "--as-of", "2025-05-10")
    assert "entities=1" in capsys.readouterr().out
    assert GradeRun.objects.get().as_of == AS_OF


def test_a_serious_listing_forces_class_d_whatever_the_score(credit, personas):
    bad = credit.entity("沁县失信商贸有限公司", established_on=dt.date(2015, 1, 1))
    listing = services.serious_propose(actor=personas.a_inspector, entity=bad, ground="serious_violation", facts="多次销售假冒伪劣商品",
                                       basis="市场监督管理严重违法失信名单管理办法 第十条")
    services.serious_approve(actor=personas.a_leader, listing=listing, on=dt.date(2025, 1, 5))
    services.serious_consent(actor=personas.a_admin, listing=listing, document="长市监函〔2025〕3号", consent_on=dt.date(2025, 1, 20))
    grading.grade_all(as_of=AS_OF)
    view = selectors.grade_of(bad)
    assert view.grade == "D" and view.forced == ["serious"]


def test_old_runs_are_pruned_beyond_the_history_parameter(credit, personas):
    from jianguan.core.services import parameter_set

    credit.entity("沁县一号店")
    parameter_set(actor=personas.owner, key="credit.grade_history_runs", value=2, effective_from=dt.date(2020, 1, 1), reason="测试")
    runs = [grading.grade_all(as_of=AS_OF) for _ in range(3)]
    assert not GradeResult.objects.filter(run=runs[0]).exists()
    assert GradeResult.objects.filter(run=runs[2]).exists() and GradeResult.objects.filter(run=runs[1]).exists()


def test_an_adjustment_without_a_reason_is_refused_and_nothing_changes(credit, personas):
    shop = credit.entity("沁县一号店")
    grading.grade_all(as_of=AS_OF)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.adjustment_request(actor=personas.a_inspector, entity=shop, to_grade="C", reason=" ")
    assert exc.value.field == "reason" and "理由" in exc.value.message
    assert GradeAdjustment.objects.count() == 0 and AuditEvent.objects.count() == events


def test_an_adjustment_takes_effect_only_when_a_department_leader_approves_it(credit, personas, api_client):
    shop = credit.entity("沁县一号店", established_on=dt.date(2010, 1, 1))
    credit.report(shop, 2023)
    grading.grade_all(as_of=AS_OF)
    assert selectors.grade_of(shop).grade == "A"
    response = api_client(personas.a_inspector).post("/api/v1/credit/adjustments", {"uscc": shop.uscc, "to_grade": "C",
                                                     "reason": "群众反映夜间违规生产，已立案调查"}, content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert selectors.grade_of(shop).grade == "A"
    for user in (personas.a_inspector, personas.b_leader):
        denied = api_client(user).post(f"/api/v1/credit/adjustments/{pk}/decide", {"approve": True}, content_type="application/json")
        assert denied.status_code in (403, 404)
    assert GradeAdjustment.objects.get().status == ApprovalStatus.PENDING
    ok = api_client(personas.a_leader).post(f"/api/v1/credit/adjustments/{pk}/decide", {"approve": True, "note": "同意"},
                                            content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    view = selectors.grade_of(shop)
    assert view.grade == "C" and view.computed == "A" and view.adjustment is not None
    assert AuditEvent.objects.filter(action="credit.adjustment.approve", object_id=str(pk)).exists()
    assert selectors.grade_of(shop, today=view.adjustment.valid_until + dt.timedelta(days=1)).grade == "A"


def test_a_leader_cannot_approve_their_own_request(credit, personas):
    shop = credit.entity("沁县一号店")
    row = services.adjustment_request(actor=personas.a_leader, entity=shop, to_grade="D", reason="重大安全隐患")
    with pytest.raises(PermissionDeniedError):
        services.adjustment_decide(actor=personas.a_leader, adjustment=row, approve=True)


def test_a_record_corrected_by_objection_no_longer_counts(credit, personas):
    own = credit.own_entity(established_on=dt.date(2010, 1, 1))
    credit.report(own, 2023)
    record = credit.penalty(own, on=dt.date(2025, 1, 20))
    grading.grade_all(as_of=AS_OF)
    assert selectors.grade_of(own).grade == "B"
    objection = services.objection_file(actor=personas.enterprise, entity=own, item_type="record", item_id=record.pk,
                                        reason="该处罚已被行政复议撤销", today=dt.date(2025, 2, 1))
    services.objection_decide(actor=personas.a_admin, objection=objection, outcome="corrected", note="经核实，复议已撤销原处罚决定")
    grading.grade_all(as_of=AS_OF)
    assert selectors.grade_of(own).grade == "A"


def test_the_owner_publishes_a_new_indicator_version_and_the_next_run_uses_it(credit, personas, api_client):
    shop = credit.entity("沁县一号店", established_on=dt.date(2010, 1, 1))
    credit.report(shop, 2023)
    credit.penalty(shop, on=dt.date(2025, 1, 20))
    body = {"version": "2025.2", "name": "从严版", "effective_from": "2025-05-01", "a_below": 5, "b_below": 10, "c_below": 15,
            "indicators": [{"code": "penalty", "name": "行政处罚", "source": "penalty_count", "rule": "per_unit", "points": 12}]}
    denied = api_client(personas.a_leader).post("/api/v1/credit/indicator-sets", body, content_type="application/json")
    assert denied.status_code == 403
    bad = api_client(personas.owner).post("/api/v1/credit/indicator-sets", {**body, "indicators": [
        {"code": "x", "name": "x", "source": "horoscope", "points": 1}]}, content_type="application/json")
    assert bad.status_code == 400 and "数据来源" in bad.json()["message"]
    created = api_client(personas.owner).post("/api/v1/credit/indicator-sets", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    api_client(personas.owner).post(f"/api/v1/credit/indicator-sets/{created.json()['id']}/activate")
    run = grading.grade_all(as_of=AS_OF)
    assert run.indicator_set.version == "2025.2"
    exp = selectors.explanation(user=personas.owner, entity=shop)
    assert [(r.code, r.points) for r in exp["rows"]] == [("penalty", 12)] and exp["grade"].grade == "C"


def test_the_inspections_module_reads_every_class_set_based(credit, personas):
    a = credit.entity("沁县一号店", established_on=dt.date(2010, 1, 1))
    b = credit.entity("沁县二号店", established_on=dt.date(2010, 1, 1))
    credit.report(a, 2023)
    grading.grade_all(as_of=AS_OF)
    assert dict(selectors.latest_grades().values_list("entity_id", "grade")) == {a.pk: "A", b.pk: "B"}
    row = services.adjustment_request(actor=personas.a_inspector, entity=a, to_grade="D", reason="重大隐患未整改")
    services.adjustment_decide(actor=personas.a_leader, adjustment=row, approve=True)
    assert selectors.adjusted_grades() == {a.pk: "D"}
    from jianguan.credit.rules import inspection_ratio

    assert inspection_ratio("D") == (decimal.Decimal("61"), decimal.Decimal("100"))
