import pytest

from jianguan.core.models import AuditEvent
from jianguan.core.errors import Conflict, DomainError, PermissionDeniedError
from jianguan.entities import services
from jianguan.entities.choices import EntityStatus, PersonRole
from jianguan.entities.models import Entity, FormerName, NameGram

from .factories import make_entity, uscc


def test_creating_an_entity_indexes_its_name_and_is_audited(personas):
    entity = services.entity_create(actor=personas.a_admin, uscc=uscc(), name="沁县鑫源食品有限公司", division_code="140430100",
                                    industry_code="C14")
    grams = set(NameGram.objects.filter(entity=entity).values_list("gram", flat=True))
    assert {"沁县", "鑫源", "食品", "公司"} <= grams
    assert AuditEvent.objects.filter(action="entity.create", object_id=str(entity.pk)).count() == 1


def test_an_invalid_uscc_is_refused_naming_the_field(personas):
    count = Entity.objects.count()
    with pytest.raises(DomainError) as err:
        services.entity_create(actor=personas.a_admin, uscc="91440300708461136A", name="错误代码公司", division_code="140430100")
    assert err.value.field == "uscc" and "校验码" in err.value.message
    assert Entity.objects.count() == count


def test_a_duplicate_uscc_is_a_conflict(personas):
    e = make_entity("沁县一号商店")
    with pytest.raises(Conflict):
        services.entity_create(actor=personas.a_admin, uscc=e.uscc, name="另一个", division_code="140430100")


@pytest.mark.parametrize("who", ["a_inspector", "a_reviewer", "enterprise"])
def test_inspectors_reviewers_and_enterprises_cannot_change_the_registry(personas, who):
    entity = make_entity("沁县二号商店")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.entity_update(actor=getattr(personas, who), entity=entity, data={"name": "改名商店"})
    assert Entity.objects.get(pk=entity.pk).name == "沁县二号商店" and AuditEvent.objects.count() == events


def test_renaming_keeps_the_old_name_searchable_as_a_former_name(personas):
    entity = make_entity("沁县老字号饭店")
    services.entity_update(actor=personas.a_leader, entity=entity, data={"name": "沁县新字号餐饮有限公司"})
    assert list(FormerName.objects.filter(entity=entity).values_list("name", flat=True)) == ["沁县老字号饭店"]
    grams = set(NameGram.objects.filter(entity=entity).values_list("gram", flat=True))
    assert "饭店" in grams and "餐饮" in grams


def test_status_changes_follow_the_registration_rules(personas):
    entity = make_entity("沁县三号商店")
    services.entity_set_status(actor=personas.a_admin, entity=entity, status=EntityStatus.REVOKED, reason="吊销营业执照")
    with pytest.raises(DomainError) as err:
        services.entity_set_status(actor=personas.a_admin, entity=entity, status=EntityStatus.OPERATING, reason="x")
    assert err.value.field == "status"
    services.entity_set_status(actor=personas.a_admin, entity=entity, status=EntityStatus.CANCELLED, reason="注销")
    assert Entity.objects.get(pk=entity.pk).status == EntityStatus.CANCELLED


def test_one_person_links_several_entities_by_id_number(personas):
    a = make_entity("沁县甲公司")
    b = make_entity("沁县乙公司")
    services.person_link(actor=personas.a_admin, entity=a, name="王小明", role=PersonRole.LEGAL_REPRESENTATIVE, id_number="140430199001011230")
    link = services.person_link(actor=personas.a_admin, entity=b, name="王小明", role=PersonRole.SHAREHOLDER, id_number="140430199001011230")
    assert link.person.roles.count() == 2
    assert Entity.objects.get(pk=a.pk).legal_representative == "王小明"
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM entities_person WHERE id = %s", [link.person_id])
        raw = cur.fetchone()[0]
    assert raw.startswith("sm4g1:") and "140430199001011230" not in raw  # encrypted at rest


def test_a_bad_id_number_is_refused(personas):
    a = make_entity("沁县丙公司")
    with pytest.raises(DomainError) as err:
        services.person_link(actor=personas.a_admin, entity=a, name="李四", role=PersonRole.SHAREHOLDER, id_number="140430199001011231")
    assert err.value.field == "id_number"
