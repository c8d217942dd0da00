import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jianguan.core.demo import load_departments
from jianguan.core.models import AuditEvent
from jianguan.duties import services
from jianguan.duties.models import Measure, ProgressReport, Urge

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def county(personas):
    """The real 沁县 division on top of the personas (who sit in the same-named departments)."""
    load_departments()
    services.division_load()
    return Measure.objects.select_related("target")


def test_the_matrix_renders_every_measure_against_every_department(personas, county, login_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = county.get(target__no=9, no=1)  # 双随机、一公开: led by 市场监管局 (department A)
    services.progress_report(actor=personas.a_leader, measure=measure, period="2026-Q3", status="done", text="全覆盖")
    response = login_client(personas.b_inspector).get(reverse("duties:matrix") + "?period=2026-Q3")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="code"><a') == 78
    assert personas.dept_a.display_name in html and personas.dept_b.display_name in html and "协调办" in html
    assert 'class="mx done"' in html
    export = login_client(personas.owner).get(reverse("duties:matrix") + "?period=2026-Q3&export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 79
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[sheet.max_row]]
    assert header[:3] == ["编号", "目标任务", "主要内容"] and row[0] == "19.4"


def test_the_division_page_lists_targets_with_their_departments(personas, county, login_client):
    html = login_client(personas.a_inspector).get(reverse("duties:target_list")).content.decode()
    assert "明确监管职责" in html and "强化市场主体责任" in html
    assert "县直各部门" in html
    mine = login_client(personas.b_leader).get(reverse("duties:target_list") + "?mine=1").content.decode()
    assert "强化市场主体责任" in mine  # 应急管理局 leads it


def test_a_department_reports_with_an_attachment_from_the_measure_page(personas, county, login_client, on_day, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    on_day(dt.date(2026, 8, 10))
    measure = county.get(target__no=1, no=1)
    client = login_client(personas.a_leader)
    url = reverse("duties:measure_detail", args=[measure.pk])
    response = client.post(url, {"action": "report", "period": "2026-Q3", "status": "in_progress", "text": "已梳理事项",
                                 "file": SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    attachment = report.attachments.get()
    download = client.get(reverse("duties:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # An unrelated department (not lead) cannot download it.
    from jianguan.conftest import make_user
    from jianguan.core.models import Department

    other = make_user("wt_leader", "dept_leader", Department.objects.get(short_name="文旅局"))
    assert login_client(other).get(reverse("duties:attachment", args=[attachment.pk])).status_code == 404


def test_a_report_on_someone_elses_measure_is_refused_on_the_page(personas, county, login_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = county.get(target__no=3, no=1)  # 区分监管事权: led by 协调办, every bureau responsible
    measure_not_mine = Measure.objects.filter(assignments__isnull=False).exclude(assignments__department=personas.dept_a).first()
    assert measure_not_mine is None  # every measure concerns every bureau in this seed
    from jianguan.duties.models import Assignment

    Assignment.objects.filter(measure=measure, department=personas.dept_a).delete()
    events = AuditEvent.objects.count()
    html = login_client(personas.a_leader).get(reverse("duties:measure_detail", args=[measure.pk])).content.decode()
    assert "报送本部门进展" not in html
    login_client(personas.a_leader).post(reverse("duties:measure_detail", args=[measure.pk]),
                                         {"action": "report", "period": "2026-Q3", "status": "done", "text": "x"})
    assert not ProgressReport.objects.exists() and AuditEvent.objects.count() == events


def test_the_owner_urges_from_the_measure_page_and_the_department_answers(personas, county, login_client, on_day):
    on_day(dt.date(2026, 8, 10))
    measure = county.get(target__no=6, no=1)
    owner = login_client(personas.owner)
    owner.post(reverse("duties:measure_detail", args=[measure.pk]),
               {"action": "urge", "department": personas.dept_b.pk, "content": "请报送规范监管行为进展", "deadline": "2026-08-20"})
    urge = Urge.objects.get()
    b = login_client(personas.b_admin)
    assert "请报送规范监管行为进展" in b.get(reverse("duties:urge_list")).content.decode()
    b.post(reverse("duties:urge_action", args=[urge.pk, "respond"]), {"response": "已完成"})
    assert Urge.objects.get().status == "answered"
    home = login_client(personas.b_leader).get(reverse("core:home")).content.decode()
    assert "任务分工" in home
