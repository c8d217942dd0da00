"""Imports: each format through the CLI, the page upload and the API; bad rows reported, neighbours kept, re-import a no-op."""
import decimal
import json
import subprocess

import pytest
from django.core.management import call_command

from jianguan.core.models import AuditEvent
from jianguan.entities.models import Licence
from jianguan.records.choices import MatchStatus, RecordKind, RecordStatus
from jianguan.records.models import ImportJob, PendingLicence, Record


def run_cli(*args):
    out, err = __import__("io").StringIO(), __import__("io").StringIO()
    try:
        call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_imports_national_inspections_reports_a_bad_row_and_keeps_its_neighbours(files):
    rows = files.rows("national_inspection", 5)
    rows[1]["行政相对人编码"] = "91440300708461136A"  # check character wrong
    rows[3]["报送时间"] = "2020-01-01 08:00:00"  # before the inspection
    path = files.csv("inspections.csv", rows)
    code, out, err = run_cli("national_inspection", path)
    assert code == 1
    assert out.strip() == "accepted=3 rejected=2 unmatched=0"
    assert "第3行" in err and "校验码" in err and "第5行" in err and "报送时间不能早于检查时间" in err
    assert Record.objects.filter(kind=RecordKind.INSPECTION).count() == 3
    assert AuditEvent.objects.filter(action="records.import").count() == 1


def test_reimporting_the_same_file_changes_nothing(files):
    path = files.csv("inspections.csv", files.rows("national_inspection", 20))
    assert run_cli("national_inspection", path)[0] == 0
    before = list(Record.objects.order_by("pk").values_list("pk", "updated_at", "row_hash"))
    code, out, _ = run_cli("national_inspection", path)
    assert code == 0 and out.strip() == "accepted=20 rejected=0 unmatched=0"
    assert list(Record.objects.order_by("pk").values_list("pk", "updated_at", "row_hash")) == before
    assert ImportJob.objects.order_by("-pk").first().unchanged == 20


def test_cd_operation_u_updates_and_d_voids(files):
    rows = files.rows("national_inspection", 3)
    run_cli("national_inspection", files.csv("a.csv", rows))
    rows[0]["cd_operation"], rows[0]["检查结果"] = "u", "发现问题经责令已改正"
    rows[1]["cd_operation"] = "d"
    run_cli("national_inspection", files.csv("b.csv", rows[:2]))
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.updated, job.voided) == (1, 1)
    first, second = Record.objects.order_by("pk")[:2]
    assert first.summary == "发现问题经责令已改正" and second.status == RecordStatus.VOIDED


def test_unknown_uscc_waits_in_the_queue_and_is_matched_when_the_entity_arrives(files, personas, django_capture_on_commit_callbacks):
    newcomer = files.unknown_uscc()
    rows = files.rows("national_inspection", 2, usccs=[(newcomer, "沁县新来的商店")])
    code, out, _ = run_cli("national_inspection", files.csv("x.csv", rows))
    assert code == 0 and out.strip() == "accepted=2 rejected=0 unmatched=2"
    assert Record.objects.filter(match_status=MatchStatus.PENDING, entity__isnull=True).count() == 2
    from jianguan.entities.services import entity_create

    with django_capture_on_commit_callbacks(execute=True):
        entity = entity_create(actor=personas.a_admin, uscc=newcomer, name="沁县新来的商店", division_code="140430100")
    assert Record.objects.filter(entity=entity, match_status=MatchStatus.MATCHED).count() == 2


def test_gbk_files_are_detected(files):
    path = files.csv("gbk.csv", files.rows("national_inspection", 2), encoding="gbk")
    code, out, err = run_cli("national_inspection", path)
    assert code == 0 and "GBK" in err and Record.objects.count() == 2


def test_a_file_in_an_unknown_encoding_is_refused_and_nothing_lands(files):
    path = files.tmp / "utf16.csv"
    path.write_bytes("检查行为名称\n".encode("utf-16"))
    code, _, err = run_cli("national_inspection", path)
    assert code == 2 and "UTF-16" in err and Record.objects.count() == 0


def test_missing_columns_refuse_the_file_and_extra_columns_are_reported(files):
    rows = files.rows("national_inspection", 2)
    for row in rows:
        del row["检查时间"]
        row["多余列"] = "x"
    code, _, err = run_cli("national_inspection", files.csv("missing.csv", rows))
    assert code == 2 and "缺少必需的列：检查时间" in err and Record.objects.count() == 0


def test_impossible_dates_negative_amounts_and_bad_enumerations_are_reported_per_row(files):
    rows = files.rows("national_penalty", 4)
    rows[0]["作出处罚决定日期"] = "2025-02-30"
    rows[1]["罚款金额"] = "-1"
    rows[2]["处罚种类"] = "打板子"
    rows[3]["结案日期"] = "2000-01-01"
    code, out, err = run_cli("national_penalty", files.csv("bad.csv", rows))
    assert code == 1 and out.strip() == "accepted=0 rejected=4 unmatched=0"
    assert "不存在" in err and "负数" in err and "不在允许的取值范围内" in err and "结案日期不能早于" in err


def test_xlsx_merged_cells_and_formulas_are_reported(files):
    rows = files.rows("national_penalty", 4)
    path = files.xlsx("penalties.xlsx", rows, merge="A3:B3", formula_at="AM5")
    code, out, err = run_cli("national_penalty", path)
    assert code == 1 and out.strip() == "accepted=2 rejected=2 unmatched=0"
    assert "合并单元格" in err and "公式" in err
    penalty = Record.objects.filter(kind=RecordKind.PENALTY).first()
    assert penalty.amount == decimal.Decimal(penalty.payload["fine"]) * 10000


def test_sgs_penalty_json_fines_in_wan_yuan_are_stored_in_yuan(files):
    rows = files.rows("sgs_penalty", 2)
    rows[0]["罚款金额(万元)"] = "0.35"
    code, out, _ = run_cli("sgs_penalty", files.json("sgs.json", rows))
    assert code == 0
    record = Record.objects.get(source_id__endswith=rows[0]["行政处罚决定书文号"])
    assert record.amount == decimal.Decimal("3500.00") and record.disclose
    assert record.payload["legal_rep_id"].count("*") == 8  # the representative's ID number is masked in the payload
    assert record.rep_id_number == rows[0]["法定代表人证件号码"]


def test_sgs_licences_land_on_the_entity_or_wait_and_call_the_licence_hook(files, personas, django_capture_on_commit_callbacks):
    from jianguan.entities import services as entity_services

    seen = []
    entity_services.on_licences_recorded(seen.extend)
    newcomer = files.unknown_uscc()
    rows = files.rows("sgs_licence", 2) + files.rows("sgs_licence", 1, start=10, usccs=[(newcomer, "沁县未登记饭店")])
    with django_capture_on_commit_callbacks(execute=True):
        code, out, _ = run_cli("sgs_licence", files.xlsx("licences.xlsx", rows))
    assert code == 0 and out.strip() == "accepted=3 rejected=0 unmatched=1"
    assert Licence.objects.filter(entity=files.company).count() == 2 and PendingLicence.objects.count() == 1
    assert sorted(seen) == sorted(Licence.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        entity_services.entity_create(actor=None, uscc=newcomer, name="沁县未登记饭店", division_code="140430100")
    assert PendingLicence.objects.count() == 0 and Licence.objects.filter(entity__uscc=newcomer).count() == 1
    entity_services._LICENCE_HOOKS.remove(seen.extend)


def test_another_department_cannot_import_rows_of_department_a(files, personas):
    path = files.csv("a.csv", files.rows("national_inspection", 2))
    code, out, err = run_cli("national_inspection", path, "--user", "b_admin")
    assert code == 1 and out.strip() == "accepted=0 rejected=2 unmatched=0" and "不是本部门" in err
    assert Record.objects.count() == 0


def test_page_upload_runs_the_import_and_offers_the_rejected_rows_as_excel(files, personas, login_client):
    rows = files.rows("national_penalty", 3)
    rows[2]["行政相对人编码"] = "123"
    path = files.xlsx("p.xlsx", rows)
    client = login_client(personas.a_admin)
    with open(path, "rb") as fh:
        response = client.post("/records/import/", {"format": "national_penalty", "file": fh})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/records/import/{job.pk}/")
    page = client.get(f"/records/import/{job.pk}/").content.decode()
    assert "已完成" in page and "统一社会信用代码应为18位" in page
    progress = client.get(f"/records/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="job-progress"' in progress and "<html" not in progress and "hx-trigger" not in progress
    report = client.get(f"/records/import/{job.pk}/report.xlsx")
    from openpyxl import load_workbook
    import io

    sheet = load_workbook(io.BytesIO(report.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["行号", "字段", "原因"] and values[1][0] == "4" and "行政相对人编码" in values[1][1]
    assert Record.objects.count() == 2


def test_inspectors_cannot_open_the_import_page(personas, login_client):
    assert login_client(personas.a_inspector).get("/records/import/").status_code == 403


def test_bulk_api_imports_json_rows_and_is_idempotent(files, personas, api_client):
    client = api_client(personas.a_admin)
    body = {"format": "national_penalty", "records": files.rows("national_penalty", 3)}
    body["records"][1]["处罚种类"] = ""
    r = client.post("/api/v1/records/import", data=json.dumps(body, ensure_ascii=False), content_type="application/json")
    assert r.status_code == 200
    data = r.json()
    assert (data["accepted"], data["rejected"], data["inserted"]) == (2, 1, 2)
    assert data["errors"][0]["row"] == 2 and "处罚种类" in data["errors"][0]["field"]
    again = client.post("/api/v1/records/import", data=json.dumps(body, ensure_ascii=False), content_type="application/json").json()
    assert (again["inserted"], again["unchanged"]) == (0, 2) and Record.objects.count() == 2


def test_api_file_upload_imports_csv(files, personas, api_client):
    path = files.csv("up.csv", files.rows("national_inspection", 4))
    with open(path, "rb") as fh:
        r = api_client(personas.a_admin).post("/api/v1/records/import/file?format=national_inspection", {"file": fh})
    assert r.status_code == 200 and r.json()["accepted"] == 4


def test_templates_have_the_chinese_column_names(personas, login_client):
    from openpyxl import load_workbook
    import io

    r = login_client(personas.a_inspector).get("/records/templates/sgs_licence.xlsx")
    book = load_workbook(io.BytesIO(r.content))
    assert book.active["A1"].value == "行政相对人名称" and "填写说明" in book.sheetnames


@pytest.mark.parametrize("format,kind", [("national_inspection", "csv"), ("national_penalty", "xlsx"), ("sgs_penalty", "json"),
                                         ("sgs_licence", "csv")])
def test_exports_in_the_exchange_format_reimport_without_change(files, personas, login_client, format, kind):
    run_cli(format, files.csv("in.csv", files.rows(format, 3)))
    response = login_client(personas.a_admin).get(f"/records/export/?format={format}&type={kind}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = files.tmp / f"out.{kind}"
    path.write_bytes(content)
    code, out, err = run_cli(format, path)
    assert code == 0, err
    job = ImportJob.objects.order_by("-pk").first()
    assert job.accepted == 3 and job.inserted == 0 and job.rejected == 0


BAD = {"national_inspection": ("检查时间", "2025-13-01 10:00:00"), "national_penalty": ("作出处罚决定日期", "昨天"),
       "sgs_penalty": ("行政相对人代码_1(统一社会信用代码)", "91440300708461136A"), "sgs_licence": ("有效期至", "2000-01-01")}


def _import_through(channel, files, personas, fmt, rows, login_client, api_client):
    if channel == "cli":
        code, out, _ = run_cli(fmt, files.csv(f"{fmt}.csv", rows))
        return ImportJob.objects.order_by("-pk").first()
    if channel == "ui":
        path = files.xlsx(f"{fmt}.xlsx", rows)
        with open(path, "rb") as fh:
            login_client(personas.a_admin).post("/records/import/", {"format": fmt, "file": fh})
        return ImportJob.objects.order_by("-pk").first()
    body = {"format": fmt, "records": rows}
    r = api_client(personas.a_admin).post("/api/v1/records/import", data=json.dumps(body, ensure_ascii=False),
                                          content_type="application/json")
    assert r.status_code == 200
    return ImportJob.objects.get(pk=r.json()["id"])


@pytest.mark.parametrize("channel", ["cli", "ui", "api"])
@pytest.mark.parametrize("fmt", ["national_inspection", "national_penalty", "sgs_penalty", "sgs_licence"])
def test_every_format_through_every_channel_keeps_good_rows_reports_bad_ones_and_reimports_as_a_no_op(
        files, personas, login_client, api_client, channel, fmt):
    rows = files.rows(fmt, 4)
    column, value = BAD[fmt]
    rows[2][column] = value
    job = _import_through(channel, files, personas, fmt, rows, login_client, api_client)
    assert (job.accepted, job.rejected, job.inserted) == (3, 1, 3)
    assert job.notes["errors"][0]["field"] == column
    again = _import_through(channel, files, personas, fmt, rows, login_client, api_client)
    assert (again.accepted, again.rejected, again.inserted, again.updated, again.unchanged) == (3, 1, 0, 0, 3)


def test_a_forked_validation_worker_gives_the_same_result(files, settings):
    settings.JIANGUAN_IMPORT_WORKERS = 1
    settings.JIANGUAN_IMPORT_WORKER_MIN_BYTES = 0
    rows = files.rows("national_inspection", 30)
    rows[7]["检查时间"] = "2025-02-30 09:00:00"
    code, out, err = run_cli("national_inspection", files.csv("w.csv", rows), "--batch", "10")
    assert out.strip() == "accepted=29 rejected=1 unmatched=0" and "第9行" in err
    assert Record.objects.count() == 29


def test_a_file_over_the_size_limit_is_refused_before_anything_is_read(files, monkeypatch):
    from jianguan.records import services

    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", 1000)
    code, _, _ = (None, None, None)
    with pytest.raises(Exception) as err:
        services.import_job_create(actor=None, format="national_inspection", channel="api", file_name="big.csv",
                                   source_path=files.csv("big.csv", files.rows("national_inspection", 20)))
    assert "超过" in str(err.value) and Record.objects.count() == 0


def test_queued_jobs_are_run_by_the_worker_command(files, settings):
    from io import StringIO

    from jianguan.records import services

    job = services.import_job_create(actor=None, format="national_inspection", channel="ui", file_name="q.csv",
                                     source_path=files.csv("q.csv", files.rows("national_inspection", 3)))
    out = StringIO()
    call_command("import_worker", "--once", stdout=out)
    assert f"#{job.pk} done accepted=3" in out.getvalue()
