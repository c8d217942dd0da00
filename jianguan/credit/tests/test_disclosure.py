"""Disclosure periods come from the regime in force at the decision date, never from today's rules."""
import datetime as dt

from jianguan.credit import disclosure
from jianguan.credit.choices import Severity


def test_samr_order_45_publishes_a_minor_fine_for_three_months_and_other_penalties_for_three_years(credit, personas):
    minor = disclosure.period_for(decided_on=dt.date(2024, 3, 15), severity=Severity.MINOR, department_id=personas.dept_a.pk)
    assert minor.regime_code == "samr-45-2021"
    assert (minor.min_until, minor.max_until) == (dt.date(2024, 6, 15), dt.date(2024, 6, 15))
    general = disclosure.period_for(decided_on=dt.date(2024, 3, 15), severity=Severity.GENERAL, department_id=personas.dept_a.pk)
    assert general.max_until == dt.date(2027, 3, 15)


def test_samr_order_45_never_allows_early_removal_of_a_revoked_licence(credit, personas):
    period = disclosure.period_for(decided_on=dt.date(2024, 3, 15), severity=Severity.SERIOUS, department_id=personas.dept_a.pk,
                                   penalty_kinds=["罚款", "吊销许可证件"])
    assert period.early_removal is False


def test_a_2020_decision_of_another_department_follows_the_2019_ndrc_regime(credit, personas):
    period = disclosure.period_for(decided_on=dt.date(2020, 6, 1), severity=Severity.SERIOUS, department_id=personas.dept_b.pk)
    assert period.regime_code == "ndrc-2019"
    assert (period.min_until, period.max_until) == (dt.date(2020, 12, 1), dt.date(2023, 6, 1))


def test_order_58_gives_safety_items_a_one_year_minimum(credit, personas):
    plain = disclosure.period_for(decided_on=dt.date(2024, 1, 10), severity=Severity.GENERAL, department_id=personas.dept_b.pk)
    safety = disclosure.period_for(decided_on=dt.date(2024, 1, 10), severity=Severity.GENERAL, department_id=personas.dept_b.pk,
                                   domain=disclosure.domain_of("未按规定开展安全生产教育培训"))
    assert plain.regime_code == safety.regime_code == "ndrc-2023-58"
    assert plain.min_until == dt.date(2024, 4, 10) and safety.min_until == dt.date(2025, 1, 10)
    assert plain.max_until == safety.max_until == dt.date(2027, 1, 10)


def test_the_2026_regime_does_not_publish_minor_items_and_keeps_serious_ones_one_to_three_years(credit, personas):
    minor = disclosure.period_for(decided_on=dt.date(2026, 5, 1), severity=Severity.MINOR, department_id=personas.dept_b.pk)
    serious = disclosure.period_for(decided_on=dt.date(2026, 5, 1), severity=Severity.SERIOUS, department_id=personas.dept_b.pk)
    assert minor.regime_code == "ndrc-2026" and minor.published is False
    assert (serious.min_until, serious.max_until) == (dt.date(2027, 5, 1), dt.date(2029, 5, 1))


def test_the_day_before_a_new_regime_still_follows_the_old_one(credit, personas):
    assert disclosure.regime_for(dt.date(2026, 3, 31), personas.dept_b.pk).code == "ndrc-2023-58"
    assert disclosure.regime_for(dt.date(2026, 4, 1), personas.dept_b.pk).code == "ndrc-2026"


def test_penalties_are_classified_by_kind_and_fine(db):
    assert disclosure.classify_penalty(["警告"], None) == Severity.MINOR
    assert disclosure.classify_penalty(["罚款"], 2000) == Severity.MINOR
    assert disclosure.classify_penalty(["罚款"], 50000) == Severity.GENERAL
    assert disclosure.classify_penalty(["罚款"], 200000) == Severity.SERIOUS
    assert disclosure.classify_penalty(["罚款", "吊销许可证件"], 1000) == Severity.SERIOUS


def test_the_disclosure_period_api_names_the_regime(credit, personas, api_client):
    body = api_client(personas.a_inspector).get("/api/v1/credit/disclosure-period",
                                                {"decided_on": "2019-08-01", "severity": "general"}).json()
    assert body["regime"] == "ndrc-2019" and body["max_until"] == "2020-08-01"
