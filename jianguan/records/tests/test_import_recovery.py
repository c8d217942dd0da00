"""Imports whose process stopped (a restart, a killed worker): they end as interrupted instead of showing 导入中 forever,
and their stored file can be imported again from the job page, landing only what was missing."""
import datetime as dt

from django.utils import timezone

from jianguan.core.models import AuditEvent
from jianguan.records import services
from jianguan.records.choices import JobChannel, JobStatus
from jianguan.records.models import ImportJob, Record
from jianguan.records.tests.test_import import run_cli


def _stalled_job(files, personas, rows, *, minutes: int, landed: int = 2) -> ImportJob:
    """A page upload of `rows` whose worker died after its first transaction (`landed` rows stored), `minutes` ago."""
    run_cli("national_inspection", files.csv("first.csv", rows[:landed]))
    job = services.import_job_create(actor=personas.a_admin, format="national_inspection", channel=JobChannel.UI,
                                     file_name="全部检查记录.csv", source_path=files.csv("all.csv", rows))
    beat = timezone.now() - dt.timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=beat, heartbeat_at=beat, rows=landed,
                                               accepted=landed, inserted=landed)
    return job


def test_a_stopped_import_is_shown_as_interrupted_and_importing_its_file_again_lands_only_the_rest(files, personas,
                                                                                                   login_client):
    rows = files.rows("national_inspection", 5)
    job = _stalled_job(files, personas, rows, minutes=11)
    client = login_client(personas.a_admin)

    page = client.get(f"/records/import/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "导入未完成" in page and "服务重启" in page and "重新导入此文件" in page
    assert "hx-trigger" not in page  # the page stops polling
    event = AuditEvent.objects.get(action="records.import_interrupted")
    assert event.object_id == str(job.pk) and event.before["status"] == "running"

    response = client.post(f"/records/import/{job.pk}/retry/")
    again = ImportJob.objects.order_by("-pk").first()
    assert again.pk != job.pk and response.status_code == 302 and response["Location"].endswith(f"/records/import/{again.pk}/")
    assert (again.status, again.inserted, again.unchanged, again.rejected) == (JobStatus.DONE, 3, 2, 0)
    assert again.file_name == "全部检查记录.csv" and again.created_by == personas.a_admin
    assert sorted(Record.objects.values_list("source_id", flat=True)) == sorted(r["检查行为编号"] for r in rows)
    assert "已重新提交导入" in client.get(response["Location"]).content.decode()


def test_only_silent_jobs_are_ended(files, personas):
    rows = files.rows("national_inspection", 3)
    beating = _stalled_job(files, personas, rows, minutes=1)
    fresh_queue = services.import_job_create(actor=personas.a_admin, format="national_inspection", channel=JobChannel.UI,
                                             file_name="q.csv", source_path=files.csv("q.csv", rows))
    old_queue = services.import_job_create(actor=personas.a_admin, format="national_inspection", channel=JobChannel.UI,
                                           file_name="old.csv", source_path=files.csv("old.csv", rows))
    ImportJob.objects.filter(pk=old_queue.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    done = ImportJob.objects.exclude(pk__in=[beating.pk, fresh_queue.pk, old_queue.pk]).get()  # the CLI import
    ImportJob.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))

    assert services.import_jobs_recover() == 1
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {beating.pk: JobStatus.RUNNING, fresh_queue.pk: JobStatus.QUEUED, old_queue.pk: JobStatus.FAILED,
                        done.pk: JobStatus.DONE}
    assert services.import_jobs_recover() == 0  # nothing twice
    assert AuditEvent.objects.filter(action="records.import_interrupted").count() == 1


def test_a_running_import_writes_its_heartbeat(files):
    code, out, err = run_cli("national_inspection", files.csv("beat.csv", files.rows("national_inspection", 3)))
    job = ImportJob.objects.get()
    assert code == 0 and job.heartbeat_at is not None and job.started_at <= job.heartbeat_at <= job.finished_at


def test_who_may_import_again_and_what(files, personas, login_client):
    rows = files.rows("national_inspection", 4)
    job = _stalled_job(files, personas, rows, minutes=20)
    services.import_jobs_recover()
    done = services.import_run(job_id=services.import_job_create(
        actor=personas.a_admin, format="national_inspection", channel=JobChannel.UI, file_name="done.csv",
        source_path=files.csv("done.csv", rows[:1])).pk)
    before = list(ImportJob.objects.order_by("pk").values_list("pk", "status"))
    records = Record.objects.count()

    assert login_client(personas.b_admin).post(f"/records/import/{job.pk}/retry/").status_code == 404  # other department
    assert login_client(personas.a_inspector).post(f"/records/import/{job.pk}/retry/").status_code == 403  # not a manager
    assert login_client(personas.a_admin).get(f"/records/import/{job.pk}/retry/").status_code == 405
    client = login_client(personas.a_admin)
    response = client.post(f"/records/import/{done.pk}/retry/")  # a finished import is not re-run from here
    assert response.status_code == 302 and "只有未完成（失败）的导入任务可以重新导入" in client.get(response["Location"]).content.decode()
    assert list(ImportJob.objects.order_by("pk").values_list("pk", "status")) == before
    assert Record.objects.count() == records

    job.refresh_from_db()
    __import__("pathlib").Path(job.file_path).unlink()
    response = client.post(f"/records/import/{job.pk}/retry/")
    assert "原文件已不在服务器上，请重新上传" in client.get(response["Location"]).content.decode()
    assert list(ImportJob.objects.order_by("pk").values_list("pk", "status")) == before


def test_the_api_reports_a_stopped_import_as_failed(files, personas, api_client):
    job = _stalled_job(files, personas, files.rows("national_inspection", 3), minutes=15)
    data = api_client(personas.a_admin).get(f"/api/v1/records/import/{job.pk}").json()
    assert data["status"] == "failed" and "导入未完成" in data["error"]
