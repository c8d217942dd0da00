import datetime as dt

import pytest

from jianguan.core import services, workdays
from jianguan.core.choices import HolidayKind

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.invalidate()
    yield
    workdays.invalidate()


def test_official_calendar_for_covered_years(db):
    assert not workdays.is_working_day(D(2026, 10, 1))  # 国庆节
    assert workdays.is_working_day(D(2026, 9, 30))
    assert not workdays.is_working_day(D(2026, 11, 28))  # Saturday


def test_twenty_working_days_cross_the_national_day_holiday(db):
    # Decision on 2026-09-25 (Fri): 国庆/中秋 2026-10-01..08 rest, with make-up Saturdays per the official arrangement.
    due = workdays.add_working_days(D(2026, 9, 25), 20)
    plain_weekdays = D(2026, 9, 25)
    n = 0
    while n < 20:
        plain_weekdays += dt.timedelta(days=1)
        if plain_weekdays.weekday() < 5:
            n += 1
    assert due > plain_weekdays  # the holiday pushed it back
    assert workdays.is_working_day(due)
    assert workdays.working_days_between(D(2026, 9, 25), due) == 20


def test_years_beyond_the_package_use_the_admin_table(personas):
    assert workdays.year_source(2027) == "assumed"
    assert workdays.is_working_day(D(2027, 2, 8))  # a Monday, nothing entered yet
    services.holiday_set(actor=personas.owner, date=D(2027, 2, 8), kind=HolidayKind.HOLIDAY, name="春节")
    services.holiday_set(actor=personas.owner, date=D(2027, 2, 6), kind=HolidayKind.WORKDAY, name="春节调休")
    workdays.invalidate()
    assert workdays.year_source(2027) == "table"
    assert not workdays.is_working_day(D(2027, 2, 8))
    assert workdays.is_working_day(D(2027, 2, 6))  # a Saturday made a working day


def test_deadline_carries_its_citation_and_flags_missing_holiday_data(db):
    d = workdays.deadline("deadline.penalty_publicity", D(2026, 12, 20))
    assert d.days == 20 and d.unit == "working"
    assert "45" in d.citation
    assert d.due.year == 2027 and d.assumed is True
    assert "个工作日" in d.description


def test_natural_day_deadline_ending_on_a_rest_day_moves_to_the_next_working_day(db):
    # 2026-10-01 lands in the 国庆 holiday (10-01..10-07): the period ends on the next working day.
    assert workdays.add_natural_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_only_the_owner_maintains_holidays(personas):
    from jianguan.core.errors import PermissionDeniedError
    from jianguan.core.models import Holiday

    with pytest.raises(PermissionDeniedError):
        services.holiday_set(actor=personas.a_admin, date=D(2027, 1, 1), kind=HolidayKind.HOLIDAY, name="元旦")
    assert not Holiday.objects.exists()
