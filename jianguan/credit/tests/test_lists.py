"""经营异常名录 after 30 June across the year boundary, 严重违法失信名单 with consent, and the persons behind them."""
import datetime as dt

import pytest
from django.core.management import call_command

from jianguan.core.errors import Conflict, PermissionDeniedError
from jianguan.core.models import AuditEvent
from jianguan.credit import services
from jianguan.credit.choices import AbnormalMode, ListingStatus, SeriousStatus
from jianguan.credit.models import AbnormalListing, CreditNotice, ListingPerson, SeriousListing
from jianguan.credit.tests.conftest import valid_id


def test_missing_reports_are_listed_only_after_30_june_and_entities_registered_that_year_start_next_year(credit):
    old = credit.entity("沁县老字号食品有限公司", established_on=dt.date(2023, 12, 31))
    new = credit.entity("沁县新开张商贸有限公司", established_on=dt.date(2024, 1, 2))
    filed = credit.entity("沁县守信商贸有限公司", established_on=dt.date(2020, 5, 5))
    credit.report(filed, 2023, today=dt.date(2024, 6, 30))
    # 30 June 2024 is still inside the window for the 2023 reports.
    assert services.abnormal_sweep(today=dt.date(2024, 6, 30))["listed"] == 0
    result = services.abnormal_sweep(today=dt.date(2024, 7, 1))
    assert result == {"report_year": 2023, "listed": 1, "serious_proposed": 0}
    listing = AbnormalListing.objects.get()
    assert listing.entity == old and listing.report_year == 2023 and listing.listed_on == dt.date(2024, 7, 1)
    # The entity registered on 2 January 2024 owes its first report (for 2024) by 30 June 2025.
    assert not AbnormalListing.objects.filter(entity=new).exists()
    credit.report(old, 2024, today=dt.date(2025, 3, 1))
    credit.report(filed, 2024, today=dt.date(2025, 3, 1))
    assert services.abnormal_sweep(today=dt.date(2025, 7, 1))["listed"] == 1
    assert AbnormalListing.objects.filter(entity=new, report_year=2024).exists()


def test_the_sweep_is_idempotent_and_audited_once_per_run(credit):
    credit.entity("沁县老字号食品有限公司", established_on=dt.date(2020, 1, 1))
    services.abnormal_sweep(today=dt.date(2024, 7, 1))
    assert services.abnormal_sweep(today=dt.date(2024, 7, 2))["listed"] == 0
    assert AbnormalListing.objects.count() == 1
    assert AuditEvent.objects.filter(action="credit.abnormal.sweep").count() == 2


def test_individual_businesses_are_marked_instead_of_listed(credit):
    credit.entity("沁县老王小吃店", kind="individual", established_on=dt.date(2020, 1, 1))
    services.abnormal_sweep(today=dt.date(2024, 7, 1))
    assert AbnormalListing.objects.get().mode == AbnormalMode.MARK


def test_a_late_report_corrects_the_listing_and_tells_the_entity(credit, personas):
    own = credit.own_entity(established_on=dt.date(2020, 1, 1))
    services.abnormal_sweep(today=dt.date(2024, 7, 1))
    report = credit.report(own, 2023, today=dt.date(2024, 9, 1))
    assert report.late is True
    listing = AbnormalListing.objects.get()
    assert listing.status == ListingStatus.REMOVED and "补报" in listing.removal_reason
    assert CreditNotice.objects.filter(uscc=own.uscc, title__contains="移出").exists()


def test_three_years_unremedied_raises_a_proposal_for_the_serious_list(credit):
    shop = credit.entity("沁县失联商贸有限公司", established_on=dt.date(2018, 1, 1))
    services.abnormal_sweep(today=dt.date(2021, 7, 1))
    assert services.abnormal_sweep(today=dt.date(2024, 6, 30))["serious_proposed"] == 0
    assert services.abnormal_sweep(today=dt.date(2024, 7, 1))["serious_proposed"] == 1
    proposal = SeriousListing.objects.get()
    assert proposal.entity == shop and proposal.status == SeriousStatus.PROPOSED and proposal.ground == "abnormal_3y"
    assert services.abnormal_sweep(today=dt.date(2024, 7, 2))["serious_proposed"] == 0


def test_an_entity_not_obliged_this_year_cannot_file_and_a_report_is_filed_once(credit, personas):
    own = credit.own_entity(established_on=dt.date(2024, 3, 1))
    from jianguan.core.errors import DomainError

    with pytest.raises(DomainError):
        services.annual_report_file(actor=personas.enterprise, entity=own, year=2023, today=dt.date(2024, 4, 1),
                                    data={"address": "沁县", "phone": "1"})
    services.annual_report_file(actor=personas.enterprise, entity=own, year=2024, today=dt.date(2025, 4, 1),
                                data={"address": "沁县", "phone": "1"})
    with pytest.raises(Conflict):
        services.annual_report_file(actor=personas.enterprise, entity=own, year=2024, today=dt.date(2025, 4, 1),
                                    data={"address": "沁县", "phone": "1"})


def test_another_enterprise_cannot_file_for_an_entity(credit, personas):
    other = credit.entity("沁县别家公司", established_on=dt.date(2020, 1, 1))
    with pytest.raises(PermissionDeniedError):
        services.annual_report_file(actor=personas.enterprise, entity=other, year=2023, today=dt.date(2024, 4, 1),
                                    data={"address": "沁县", "phone": "1"})


def _list_serious(credit, personas, entity):
    listing = services.serious_propose(actor=personas.a_inspector, entity=entity, ground="serious_violation",
                                       facts="生产销售不符合食品安全标准的食品，情节严重", basis="市场监督管理严重违法失信名单管理办法 第十条")
    listing = services.serious_approve(actor=personas.a_leader, listing=listing)
    assert listing.status == SeriousStatus.APPROVED  # the upper level must consent (default parameter)
    return services.serious_consent(actor=personas.a_admin, listing=listing, document="长市监函〔2025〕12号",
                                    consent_on=dt.date.today())


def test_a_serious_listing_runs_proposal_approval_consent_and_links_the_legal_representative(credit, personas):
    bad = credit.entity("沁县黑心食品有限公司", rep="王某某", rep_id=valid_id("14043019800101123"))
    listing = _list_serious(credit, personas, bad)
    assert listing.status == SeriousStatus.LISTED
    assert listing.expires_on.year == listing.listed_on.year + 3 and listing.removable_from.year == listing.listed_on.year + 1
    person = ListingPerson.objects.get(listing=listing)
    assert person.name == "王某某" and person.role == "legal_rep"
    assert CreditNotice.objects.filter(uscc=bad.uscc, title__contains="严重违法失信").exists()


def test_only_a_leader_of_the_department_approves_a_serious_listing(credit, personas):
    bad = credit.entity("沁县黑心食品有限公司")
    listing = services.serious_propose(actor=personas.a_inspector, entity=bad, ground="serious_violation", facts="事实", basis="依据")
    for user in (personas.a_inspector, personas.a_admin, personas.b_leader):
        with pytest.raises(PermissionDeniedError):
            services.serious_approve(actor=user, listing=listing)
    assert SeriousListing.objects.get().status == SeriousStatus.PROPOSED


def test_without_the_upper_level_consent_parameter_approval_lists_at_once(credit, personas):
    from jianguan.core.services import parameter_set

    parameter_set(actor=personas.owner, key="credit.serious_list_upper_consent", value=False, effective_from=dt.date(2020, 1, 1),
                  reason="2025年征求意见稿取消上级同意")
    bad = credit.entity("沁县黑心食品有限公司")
    listing = services.serious_propose(actor=personas.a_inspector, entity=bad, ground="serious_violation", facts="事实", basis="依据")
    assert services.serious_approve(actor=personas.a_leader, listing=listing).status == SeriousStatus.LISTED


def test_sweep_command_runs(credit, capsys):
    credit.entity("沁县老字号食品有限公司", established_on=dt.date(2020, 1, 1))
    call_command("credit_sweep", "--date", "2024-07-01")
    out = capsys.readouterr().out
    assert "listed=1" in out and "commitments" in out
