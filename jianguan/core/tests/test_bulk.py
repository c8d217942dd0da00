"""core.bulk.insert_rows: COPY on PostgreSQL, executemany on SQLite — values come back exactly as given."""
import datetime as dt

from django.utils import timezone

from jianguan.core import bulk
from jianguan.core.models import Holiday


def test_rows_round_trip_with_awkward_text_nulls_dates_and_datetimes(db):
    now = timezone.now().replace(microsecond=123456)
    names = ["国庆\t节", "back\\slash", "line\nbreak", "cr\rhere", r"\N literally", "普通"]
    rows = [(dt.date(2031, 10, i + 1), "holiday", name, now, None) for i, name in enumerate(names)]
    assert bulk.insert_rows(Holiday, ["date", "kind", "name", "updated_at", "updated_by"], rows) == len(names)
    got = {h.date: h for h in Holiday.objects.filter(date__year=2031)}
    for day, _kind, name, stamp, _by in rows:
        assert got[day].name == name
        assert got[day].updated_at == stamp
        assert got[day].updated_by_id is None


def test_many_rows_cross_the_block_size(db):
    start = dt.date(2040, 1, 1)
    rows = ((start + dt.timedelta(days=i), "workday", f"第{i}天", timezone.now()) for i in range(20005))
    assert bulk.insert_rows(Holiday, ["date", "kind", "name", "updated_at"], rows) == 20005
    assert Holiday.objects.filter(date__gte=start).count() == 20005
