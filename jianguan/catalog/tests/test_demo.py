from jianguan.catalog.models import ImplementationList, SupervisionItem, SupervisionNotice
from jianguan.core import audit
from jianguan.duties.models import Measure, ProgressReport


def test_the_demo_loads_a_realistic_catalogue_and_division_and_is_idempotent(db):
    from jianguan.catalog import demo as catalog_demo
    from jianguan.core import demo as core_demo
    from jianguan.duties import demo as duties_demo

    def load_all():
        core_demo.load()
        catalog_demo.load()
        duties_demo.load()
        return (SupervisionItem.objects.count(), ImplementationList.objects.count(), SupervisionNotice.objects.count(),
                Measure.objects.count(), ProgressReport.objects.count())

    first = load_all()
    assert first[0] >= 15 and first[1] >= 5 and first[2] >= 5 and first[3] == 78 and first[4] >= 5
    assert load_all() == first
    fields = set(SupervisionItem.objects.values_list("field", flat=True))
    assert {"food_drug", "work_safety", "health", "culture_tourism", "transport", "ecology"} <= fields
    assert SupervisionItem.objects.filter(version__gt=1).exists()
    assert audit.verify().ok
