import datetime as dt
import io
import json

from django.core.management import call_command

from jianguan.catalog import services
from jianguan.catalog.models import SupervisionNotice
from jianguan.catalog.tests.test_services_linkage import grant_licence, make_entity


def test_the_daily_sync_fills_gaps_and_flags_overdue_once(personas, food_item, on_day):
    services.route_create(actor=personas.owner, matter="食品经营许可", keyword="食品经营许可", supervising_department=personas.dept_a)
    on_day(dt.date(2026, 9, 29))
    grant_licence(personas.owner, personas.owner_dept, make_entity("沁县庚店"))  # hook not run: the transaction never commits in tests
    out = io.StringIO()
    call_command("catalog_sync", stdout=out)
    assert json.loads(out.getvalue())["notices_created"] == 1
    out = io.StringIO()
    call_command("catalog_sync", "--date", "2026-10-12", stdout=out)
    result = json.loads(out.getvalue())
    assert result["notices_created"] == 0 and result["notices_flagged_overdue"] == 1
    assert SupervisionNotice.objects.get().overdue_flagged_on == dt.date(2026, 10, 12)


def test_the_import_command_reports_rejected_rows(personas, tmp_path):
    from jianguan.catalog import excel

    rows = [excel.labelled(excel.ITEM_COLUMNS, {"code": "11140430001001", "name": "好", "supervision_object": "x"}),
            excel.labelled(excel.ITEM_COLUMNS, {"code": "123", "name": "坏", "supervision_object": "x"})]
    path = tmp_path / "items.xlsx"
    path.write_bytes(excel.workbook("items", rows))
    out = io.StringIO()
    try:
        call_command("catalog_import", "items", str(path), "--as", "a_admin", stdout=out)
    except Exception as exc:  # CommandError: one row rejected
        assert "1 行被拒绝" in str(exc)
    body = json.loads(out.getvalue())
    assert body["created"] == 1 and body["rejected"][0]["row"] == 3 and "14位数字" in body["rejected"][0]["reason"]
