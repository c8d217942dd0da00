"""The import engine's fast paths: column-wise checks agree with the field rules cell by cell, batched reading keeps row
numbers, rows spread over batches and transactions stay idempotent, and the helper thread's errors fail the import."""
import gc
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from jianguan.records import importer
from jianguan.records.columnar import BLANK, convert_column, convert_value
from jianguan.records.fields import Field
from jianguan.records.models import ImportJob, Record
from jianguan.records.readers import CsvSource
from jianguan.records.tests.test_import import run_cli

ROOT = Path(__file__).resolve().parents[3]


def _cells(rng: random.Random, kind: str) -> list[str]:
    if kind == "datetime":
        good = [f"{rng.randrange(1, 10000):04d}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} "
                f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}" for _ in range(30)]
        odd = ["2024-02-29 10:00:00", "2023-02-29 10:00:00", "2000-02-29 00:00:00", "1900-02-29 00:00:00", "2023-04-31 10:00:00",
               "2023-01-01 24:00:00", "2023-01-01 23:60:00", "0000-01-01 10:00:00", "2023-01-01T10:00:00", "2023-01-01 10:00",
               "2023/01/01 10:00:00", " 2023-01-01 10:00:00", "2023-01-01 10:00:00+08:00", "2023-01-01 10:00:00.5", "", "  ", "x",
               "２０２３-01-01 10:00:00", "2023-01-01 10:00:00\n2023-01-01 10:00:00"]
    elif kind == "digits":
        good = [str(rng.randrange(10 ** 13, 10 ** 14)) for _ in range(30)]
        odd = ["1234567890123", "123456789012345", "１２３４５６７８９０１２３４", "1234567890123x", "", " 12345678901234", "٣" * 14, "²" * 14]
    elif kind == "batch":
        good = [f"{rng.randrange(1, 10000):04d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(10 ** 5):05d}"
                for _ in range(30)]
        odd = ["2024022912345", "2023022912345", "2023133112345", "0000010112345", "202301011234", "", "20230101123456"]
    else:
        good = ["张三、李四", "14043001234、14043005678", "王五", "a,b", "a|b；c", "x，y;z"]
        odd = ["", " ", "张三、、李四", "、张三", "张三、", " 张三 、李四 ", 'a"b', "a\\b", "a b", "张三\u3000、李四", "a\x01b", "a\nb"]
    return good, odd


@pytest.mark.parametrize("kind", ["datetime", "digits", "batch", "list"])
def test_column_checks_give_what_the_field_rules_give_cell_by_cell(kind):
    f = Field("k", "字段", kind, required=True, length=14 if kind == "digits" else 0)
    rng = random.Random(kind)
    good, odd = _cells(rng, kind)
    for _ in range(300):
        col = [rng.choice(good) for _ in range(rng.randrange(1, 12))]
        if rng.random() < 0.5:
            col[rng.randrange(len(col))] = rng.choice(odd)
        typed, frags, problems = convert_column(f, col, texts=True)
        expected = [convert_value(f, v, f.prefix) for v in col]
        got_typed = [typed[i] for i in range(len(col))]
        assert got_typed == [e[0] for e in expected], col
        assert list(frags) == [e[1] for e in expected], col
        assert (list(problems) if problems is not None else [None] * len(col)) == [e[2] for e in expected], col


def test_typed_dates_and_times_are_iso_text_in_time_order():
    f = Field("t", "时间", "datetime")
    typed, frags, problems = convert_column(f, ["2025-01-02 08:00:00", "2025-01-02T10:00:00+09:00", "2025年1月2日"], texts=True)
    assert list(typed) == ["2025-01-02 08:00:00", "2025-01-02 09:00:00", "2025-01-02 00:00:00"]
    assert frags[1] == '"t":"2025-01-02T09:00:00+08:00"' and problems is None
    assert convert_column(f, [""], texts=True)[2] == (BLANK,)


def test_batched_reading_numbers_rows_as_reading_row_by_row(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_bytes("a,b,c\r\n1,x,y\r\n\r\n\"two\r\nlines\",\"and\nmore\",z\r\n3,b,c,extra\r\n,,\r\n4,b,c\r\n".encode())
    expected = [(n, cells, problem) for n, cells, problem in CsvSource(path)]
    assert [n for n, _c, _p in expected] == [2, 6, 7, 9]
    for size in (1, 2, 3, 10):
        got = []
        for numbers, rows, problems in CsvSource(path).batches(size):
            got += [(n, r, problems.get(i, "")) for i, (n, r) in enumerate(zip(numbers, rows))]
        assert got == expected


def test_a_bad_row_after_a_cell_with_line_breaks_is_reported_with_its_line(files):
    rows = files.rows("national_inspection", 3)
    rows[0]["注册地址"] = "山西省\n长治市"
    rows[2]["检查时间"] = "2025-02-30 09:00:00"
    code, out, err = run_cli("national_inspection", files.csv("breaks.csv", rows))
    assert out.strip() == "accepted=2 rejected=1 unmatched=0" and "第5行" in err
    assert Record.objects.get(source_id=rows[0]["检查行为编号"]).payload["registered_address"] == "山西省\n长治市"


def test_rows_of_one_key_in_several_batches_and_transactions(files, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    rows = files.rows("national_inspection", 8)
    again = dict(rows[1], cd_operation="u", 检查结果="发现问题经责令已改正")
    unknown_void = dict(files.rows("national_inspection", 1, start=50)[0], cd_operation="d")
    path = files.csv("keys.csv", rows + [again, unknown_void])
    code, out, err = run_cli("national_inspection", path, "--batch", "3")
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.inserted, job.updated, job.voided, job.rejected) == (8, 1, 1, 0), err
    assert Record.objects.get(source_id=rows[1]["检查行为编号"]).summary == "发现问题经责令已改正"
    assert Record.objects.get(source_id=unknown_void["检查行为编号"]).status == "voided"
    before = list(Record.objects.order_by("pk").values_list("pk", "row_hash", "status", "updated_at"))
    run_cli("national_inspection", path, "--batch", "4")
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.inserted, job.updated, job.voided, job.unchanged) == (0, 2, 0, 8)  # the record's first row, then its update
    assert list(Record.objects.order_by("pk").values_list("pk", "row_hash", "status")) == [b[:3] for b in before]


def test_a_first_load_past_its_memory_bound_looks_keys_up(files, monkeypatch):
    monkeypatch.setattr(importer, "FRESH_LIMIT", 4)
    rows = files.rows("national_inspection", 10)
    path = files.csv("bound.csv", rows + [dict(rows[0], 检查结果="发现问题经责令已改正")])
    code, out, err = run_cli("national_inspection", path, "--batch", "3")
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.inserted, job.updated, job.rejected) == (10, 1, 0), err
    assert Record.objects.get(source_id=rows[0]["检查行为编号"]).summary == "发现问题经责令已改正"


def test_natural_persons_are_encrypted_hashed_and_masked(files):
    rows = files.rows("national_inspection", 3, person=True)
    code, out, _ = run_cli("national_inspection", files.csv("persons.csv", rows))
    assert out.strip() == "accepted=3 rejected=0 unmatched=0"
    record = Record.objects.get(source_id=rows[0]["检查行为编号"])
    assert record.party_id_number == rows[0]["行政相对人编码"] and record.uscc == "" and record.match_status == "person"
    assert record.payload["party_id"].count("*") == 8 and record.party_id_hash


def test_tabs_line_breaks_backslashes_and_percent_signs_are_stored_as_read(files):
    rows = files.rows("national_inspection", 3)
    rows[0]["检查行为名称"] = "检查\t名称\\N 100% \\"
    rows[1]["检查行为名称"] = "第一行\r\n第二行"
    rows[1]["经营地址"] = 'C:\\门店\t"一号"'
    code, out, err = run_cli("national_inspection", files.csv("special.csv", rows))
    assert out.strip() == "accepted=3 rejected=0 unmatched=0", err
    first, second = (Record.objects.get(source_id=rows[i]["检查行为编号"]) for i in (0, 1))
    assert first.title == "检查\t名称\\N 100% \\" and first.payload["act_name"] == first.title
    assert second.title == "第一行\r\n第二行" and second.payload["business_address"] == 'C:\\门店\t"一号"'
    assert run_cli("national_inspection", files.csv("special.csv", rows))[1].strip() == "accepted=3 rejected=0 unmatched=0"
    assert ImportJob.objects.order_by("-pk").first().unchanged == 3


def test_a_cell_with_a_nul_character_is_stored_as_read(files):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL text cannot hold NUL characters")
    rows = files.rows("national_inspection", 2)
    rows[0]["检查行为名称"] = "检查\x00名称"
    run_cli("national_inspection", files.csv("nul.csv", rows))
    assert Record.objects.get(source_id=rows[0]["检查行为编号"]).title == "检查\x00名称"


def test_an_error_in_the_writer_thread_fails_the_import_and_keeps_nothing_of_its_transaction(files, monkeypatch):
    rows = files.rows("national_inspection", 6)
    path = files.csv("twice.csv", rows)
    run_cli("national_inspection", path)
    monkeypatch.setattr(importer.Importer, "_is_fresh", lambda self, system: set())  # pretend: nothing stored yet
    code, out, err = run_cli("national_inspection", files.csv("more.csv", files.rows("national_inspection", 4, start=20) + rows))
    assert code == 2 and "导入中断" in err
    assert Record.objects.count() == 6 and ImportJob.objects.order_by("-pk").first().status == "failed"
    assert gc.isenabled()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_rows_land_in_several_transactions(files, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 5)
    rows = files.rows("national_inspection", 23)
    rows[7]["检查时间"] = "2025-02-30 09:00:00"
    path = files.csv("chunks.csv", rows)
    assert not connection.in_atomic_block
    code, out, err = run_cli("national_inspection", path, "--batch", "2")
    assert out.strip() == "accepted=22 rejected=1 unmatched=0" and "第9行" in err
    assert Record.objects.count() == 22
    code, out, err = run_cli("national_inspection", path, "--batch", "7")
    assert ImportJob.objects.order_by("-pk").first().unchanged == 22 and Record.objects.count() == 22


@pytest.mark.skipif(os.environ.get("JIANGUAN_DATABASE_URL", "").startswith("postgres"), reason="a SQLite database file")
def test_a_file_database_is_checkpointed_by_the_helper_and_its_setting_restored(tmp_path):
    """The real set-up: a SQLite file in WAL mode, no surrounding transaction."""
    script = textwrap.dedent(f"""
        import datetime as dt, random, sys
        sys.path.insert(0, {str(ROOT)!r})
        import django
        django.setup()
        from django.core.management import call_command
        from django.db import connection
        call_command("migrate", verbosity=0)
        from jianguan.core.identifiers import generate_uscc
        from jianguan.core.models import Department
        from jianguan.entities.models import Entity
        from jianguan.records import importer, samples, services
        from jianguan.records.models import Record
        importer.CHUNK_ROWS = 40
        code = generate_uscc(random.Random(1), authority="1", kind="1")
        Department.objects.create(name="沁县市场监督管理局", uscc=code, region_code="140430")
        party = generate_uscc(random.Random(2))
        Entity.objects.create(uscc=party, name="沁县测试企业", division_code="140430100")
        rng = random.Random(3)
        rows = [samples.national_inspection(rng, seq=i, uscc=party, party_name="沁县测试企业", agency="沁县市场监督管理局",
                                            agency_code=code, day=dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(150)]
        import csv
        path = {str(tmp_path / "file.csv")!r}
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh); w.writerow(list(rows[0])); w.writerows([list(r.values()) for r in rows])
        for _ in range(2):
            job = services.import_job_create(actor=None, format="national_inspection", channel="cli", file_name="file.csv",
                                             source_path=path)
            job = services.import_run(job_id=job.pk, batch_size=25)
            print(job.status, job.inserted, job.unchanged, job.rejected)
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_autocheckpoint"); print("autocheckpoint", cur.fetchone()[0])
            cur.execute("PRAGMA journal_mode"); print("journal", cur.fetchone()[0])
            cur.execute("PRAGMA journal_size_limit"); print("wal limit", cur.fetchone()[0])
        print("records", Record.objects.count(), Record.objects.filter(entity__uscc=party).count())
    """)
    env = {**os.environ, "JIANGUAN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "JIANGUAN_VAR_DIR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "jianguan.settings"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split("\n")[:6] == ["done 150 0 0", "done 0 150 0", "autocheckpoint 1000", "journal wal",
                                           "wal limit 67108864", "records 150 150"], proc.stdout


def test_entities_and_departments_with_records_cannot_be_deleted_without_a_database_constraint(files):
    """Decision 0007: records_record has no foreign-key constraint on entity and department; the ORM's PROTECT still
    refuses to delete either while records refer to them, and nothing changes."""
    from django.db.models import ProtectedError

    rows = files.rows("national_inspection", 2)
    code, out, err = run_cli("national_inspection", files.csv("refs.csv", rows))
    assert code == 0, err
    record = Record.objects.select_related("entity", "department").get(source_id=rows[0]["检查行为编号"])
    before = list(Record.objects.order_by("pk").values_list("pk", "entity_id", "department_id"))
    with pytest.raises(ProtectedError) as refused:
        record.entity.delete()
    assert record in refused.value.protected_objects
    with pytest.raises(ProtectedError) as refused:
        record.department.delete()
    assert record in set(refused.value.protected_objects)
    assert list(Record.objects.order_by("pk").values_list("pk", "entity_id", "department_id")) == before
    assert type(record.entity).objects.filter(pk=record.entity_id).exists()
    assert type(record.department).objects.filter(pk=record.department_id).exists()
