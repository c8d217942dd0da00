import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent, Department
from jianguan.duties import selectors, services
from jianguan.duties.models import Assignment, Measure, ProgressAttachment, ProgressReport, Target, Urge

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def division(personas):
    """A small division on the persona departments: target 1 led by A (市场监管局), B responsible; target 2 led by B."""
    t1 = Target.objects.create(no=1, section_no="一", section_title="夯实监管责任", title="明确监管职责", responsible_all=False)
    t2 = Target.objects.create(no=2, section_no="一", section_title="夯实监管责任", title="厘清监管责任")
    m1 = Measure.objects.create(target=t1, no=1, text="全面梳理监管事项")
    m2 = Measure.objects.create(target=t2, no=1, text="审管衔接")
    Assignment.objects.create(measure=m1, department=personas.dept_a, role="lead")
    Assignment.objects.create(measure=m1, department=personas.dept_b, role="responsible")
    Assignment.objects.create(measure=m2, department=personas.dept_b, role="lead")
    return m1, m2


def test_a_department_reports_progress_on_its_measure(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    m1, _ = division
    report, created = services.progress_report(actor=personas.b_leader, measure=m1, period="2026-Q3", status="in_progress",
                                               text="已梳理监管事项42项")
    assert created and report.department == personas.dept_b
    again, created = services.progress_report(actor=personas.b_admin, measure=m1, period="2026-Q3", status="done", text="已全部梳理")
    assert not created and again.pk == report.pk and again.status == "done"
    assert ProgressReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="duties.progress.update").get().before["text"] == "已梳理监管事项42项"


def test_a_report_on_a_measure_the_department_is_not_responsible_for_is_refused(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    _, m2 = division
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError) as exc:
        services.progress_report(actor=personas.a_leader, measure=m2, period="2026-Q3", status="done", text="x")
    assert "2.1" in exc.value.message and "沁县市场监督管理局" in exc.value.message
    assert not ProgressReport.objects.exists() and AuditEvent.objects.count() == events


def test_inspectors_do_not_report_and_future_periods_are_refused(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    m1, _ = division
    with pytest.raises(PermissionDeniedError):
        services.progress_report(actor=personas.a_inspector, measure=m1, period="2026-Q3", status="done", text="x")
    with pytest.raises(DomainError) as exc:
        services.progress_report(actor=personas.a_leader, measure=m1, period="2026-Q4", status="done", text="x")
    assert exc.value.field == "period"
    with pytest.raises(DomainError):
        services.progress_report(actor=personas.a_leader, measure=m1, period="2026Q3", status="done", text="x")


def test_attachments_are_checked_by_size_type_and_content(personas, division, on_day, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    on_day(dt.date(2026, 8, 10))
    m1, _ = division
    report, _ = services.progress_report(actor=personas.a_leader, measure=m1, period="2026-Q3", status="in_progress", text="推进中")
    row = services.attachment_add(actor=personas.a_leader, report=report, uploaded=SimpleUploadedFile("工作方案.pdf", PDF))
    assert row.original_name == "工作方案.pdf" and row.content_type == "application/pdf" and row.size == len(PDF)
    assert (tmp_path / row.file.name).read_bytes() == PDF
    with pytest.raises(DomainError) as exc:
        services.attachment_add(actor=personas.a_leader, report=report, uploaded=SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf"))
    assert "不符" in exc.value.message
    with pytest.raises(DomainError):
        services.attachment_add(actor=personas.a_leader, report=report, uploaded=SimpleUploadedFile("脚本.exe", b"MZ"))
    with pytest.raises(DomainError) as exc:
        services.attachment_add(actor=personas.a_leader, report=report,
                                uploaded=SimpleUploadedFile("大文件.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)))
    assert "10 MB" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.attachment_add(actor=personas.b_leader, report=report, uploaded=SimpleUploadedFile("b.pdf", PDF))
    assert ProgressAttachment.objects.count() == 1


def test_only_the_owner_urges_and_the_department_answers(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    m1, m2 = division
    with pytest.raises(PermissionDeniedError):
        services.urge_issue(actor=personas.a_leader, measure=m1, department=personas.dept_b, content="x", deadline=dt.date(2026, 8, 20))
    with pytest.raises(DomainError):
        services.urge_issue(actor=personas.owner, measure=m2, department=personas.dept_a, content="x", deadline=dt.date(2026, 8, 20))
    urge = services.urge_issue(actor=personas.owner, measure=m1, department=personas.dept_b, content="请于8月20日前报送梳理结果",
                               deadline=dt.date(2026, 8, 20))
    assert list(selectors.urge_list(user=personas.b_leader)) == [urge]
    assert not selectors.urge_list(user=personas.a_leader).exists()
    assert selectors.urge_list(user=personas.b_leader, overdue=True, on=dt.date(2026, 8, 21)).count() == 1
    with pytest.raises(PermissionDeniedError):
        services.urge_respond(actor=personas.a_leader, urge=urge, response="x")
    services.urge_respond(actor=personas.b_admin, urge=urge, response="已报送")
    services.urge_close(actor=personas.owner, urge=urge)
    assert Urge.objects.get().status == "closed"


def test_the_matrix_shows_each_department_role_and_status(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    m1, m2 = division
    services.progress_report(actor=personas.b_leader, measure=m1, period="2026-Q3", status="done", text="完成")
    mx = selectors.matrix(user=personas.a_inspector, period="2026-Q3")
    assert [d.pk for d in mx.departments] == [personas.dept_a.pk, personas.dept_b.pk]
    row1 = mx.rows[0]
    assert (row1.cells[0].role, row1.cells[0].status) == ("lead", "")
    assert (row1.cells[1].role, row1.cells[1].status) == ("responsible", "done")
    assert mx.rows[1].cells[0].role == ""
    assert mx.totals[personas.dept_b.pk] == {"assigned": 2, "reported": 1, "done": 1}


def test_report_texts_are_seen_by_the_department_the_lead_and_the_owner_only(personas, division, on_day):
    on_day(dt.date(2026, 8, 10))
    m1, m2 = division
    services.progress_report(actor=personas.b_leader, measure=m1, period="2026-Q3", status="done", text="完成")
    services.progress_report(actor=personas.b_leader, measure=m2, period="2026-Q3", status="done", text="完成")
    assert selectors.report_list(user=personas.b_inspector).count() == 2
    assert selectors.report_list(user=personas.a_leader).count() == 1  # A leads m1 only
    assert selectors.report_list(user=personas.owner).count() == 2
    other = Department.objects.create(name="沁县其他局", region_code="140430")
    from jianguan.conftest import make_user

    outsider = make_user("outsider", "dept_leader", other)
    assert not selectors.report_list(user=outsider).exists()
