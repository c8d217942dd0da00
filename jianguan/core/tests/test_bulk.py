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



def test_datetimes_are_stored_as_django_stores_them_whatever_the_first_row_holds(db):
    """SQLite: a datetime column that is empty in the first row is still written as naive UTC text, so the database
    compares it in time order (an offset like +08:00 in the text would sort it wrongly)."""
    from jianguan.records.models import ImportJob

    now = timezone.now()
    started = dt.datetime(2025, 1, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # 02:00 UTC
    base = {"format": "national_inspection", "channel": "cli", "file_name": "a.csv", "file_path": "", "file_size": 0,
            "status": "done", "processed_bytes": 0, "rows": 0, "accepted": 0, "inserted": 0, "updated": 0, "voided": 0,
            "unchanged": 0, "rejected": 0, "unmatched": 0, "notes": "{}", "error": "", "report_path": "", "created_at": now,
            "started_at": None}
    columns = list(base)
    rows = [list(base.values()), [dict(base, file_name="b.csv", started_at=started)[c] for c in columns]]
    assert bulk.insert_rows(ImportJob, columns, rows) == 2
    assert ImportJob.objects.get(file_name="b.csv").started_at == started
    assert list(ImportJob.objects.filter(started_at__lt=dt.datetime(2025, 1, 2, 3, 0, tzinfo=dt.timezone.utc))
                .values_list("file_name", flat=True)) == ["b.csv"]
