"""The seed's task division, held as data: every target and measure present exactly once, with the right departments."""
import re
from collections import Counter

import pytest

from jianguan.core.demo import load_departments
from jianguan.core.errors import DomainError
from jianguan.core.models import Department
from jianguan.duties import seedtext, services
from jianguan.duties.models import Assignment, Measure, Target

SEED = seedtext.SEED_PATH.read_text(encoding="utf-8")


def test_the_committed_seed_text_is_the_county_document():
    from pathlib import Path

    shared = Path("/work/shared/seed/000_6aa076c4faeb657b.txt")
    if shared.exists():
        assert shared.read_text(encoding="utf-8") == SEED


def test_the_seed_has_nineteen_targets_in_five_sections():
    targets = seedtext.parse()
    assert len(targets) == 19
    assert Counter(t.section_no for t in targets) == {"一": 3, "二": 3, "三": 6, "四": 4, "五": 3}
    assert sum(len(t.measures) for t in targets) == 78


def test_every_numbered_measure_in_the_text_is_parsed_once():
    # Independent count: every “N.” at the start of a line of the measure cells, restarting at 1 per target.
    starts = [int(n) for n in re.findall(r"(?m)^\t?(\d+)\.", SEED)]
    runs = sum(1 for n in starts if n == 1)
    assert runs == 19 and len(starts) == 78
    parsed = [m for t in seedtext.parse() for m in t.measures]
    for measure in parsed:
        assert SEED.replace("\n", "").count(measure[:30]) == 1, measure[:30]


def test_the_data_file_agrees_with_the_seed_text():
    data = services.load_division_data()
    parsed = seedtext.parse()
    assert [t["no"] for t in data["targets"]] == list(range(1, 20))
    for t, p in zip(data["targets"], parsed, strict=True):
        assert t.get("seed_title", t["title"]) == p.title
        assert (t["section_no"], t["section_title"]) == (p.section_no, p.section_title)
        assert t["lead"] == p.lead and t["responsible"] == p.responsible and t["responsible_all"] == p.responsible_all
        assert [m["text"] for m in t["measures"]] == p.measures
        assert [m["no"] for m in t["measures"]] == list(range(1, len(p.measures) + 1))


@pytest.fixture
def county(db):
    return load_departments()


def test_loading_puts_every_measure_in_the_database_once_with_the_right_departments(county):
    services.division_load()
    assert Target.objects.count() == 19 and Measure.objects.count() == 78
    data = services.load_division_data()
    names = data["departments"]
    bureaus = set(Department.objects.filter(parent__isnull=True, kind="bureau", is_active=True).values_list("name", flat=True))
    for t, p in zip(data["targets"], seedtext.parse(), strict=True):
        for no, text in enumerate(p.measures, 1):
            measure = Measure.objects.get(target__no=t["no"], no=no)
            assert measure.text == text
            roles = {a.department.name: a.role for a in measure.assignments.select_related("department")}
            lead = {names[n] for n in p.lead}
            assert {d for d, r in roles.items() if r == "lead"} == lead
            expected_resp = {names[n] for n in p.responsible} | (bureaus if p.responsible_all else set())
            assert {d for d, r in roles.items() if r == "responsible"} == expected_resp - lead
    # 明确监管职责: lead 审批局; 县委编办、县司法局 named; every other bureau through “县直各部门”.
    m = Measure.objects.get(target__no=1, no=2)
    assert m.assignments.get(role="lead").department.short_name == "审批局"
    assert m.assignments.filter(department__short_name__in=["县委编办", "司法局"], source="named").count() == 2
    # 区分监管事权 is led by 协调办, an office that “县直各部门” does not include.
    office = Department.objects.get(short_name="协调办")
    assert set(Assignment.objects.filter(department=office).values_list("role", flat=True)) == {"lead"}
    assert Assignment.objects.filter(department=office).count() == 4


def test_loading_twice_changes_nothing_and_a_new_bureau_joins_every_county_wide_measure(county):
    first = services.division_load()
    assert first["measures"] == 78
    assert services.division_load() == {"targets": 0, "measures": 0, "assignments": 0}
    Department.objects.create(name="沁县新设局", short_name="新设局", region_code="140430")
    added = services.division_load()
    all_bureau_measures = Measure.objects.filter(target__responsible_all=True).count()
    assert added["assignments"] == all_bureau_measures == 78


def test_a_missing_department_is_named_and_nothing_is_loaded(db):
    Department.objects.create(name="沁县审批服务管理局", short_name="审批局", region_code="140430")
    with pytest.raises(DomainError) as exc:
        services.division_load()
    assert "县司法局" in exc.value.message
    assert not Target.objects.exists()
