import pytest

from jianguan.core.errors import DomainError
from jianguan.entities import search
from jianguan.entities.selectors import entity_search
from jianguan.entities.services import entity_update

from .factories import make_entity


@pytest.fixture
def registry(db):
    return {
        "xinyuan": make_entity("沁县鑫源食品有限公司", industry_code="C14", legal_representative="张三"),
        "xinyuan_hotel": make_entity("沁县鑫源宾馆", industry_code="H61", division_code="140430101"),
        "mine": make_entity("山西沁州煤业有限公司", industry_code="B06", kind="enterprise"),
        "pharmacy": make_entity("沁县康宁大药房（普通合伙）", industry_code="F5251", kind="individual"),
    }


def names(page):
    return {e.name for e in page.entities}


def test_a_two_character_fragment_finds_every_company_containing_it(personas, registry):
    page = entity_search(user=personas.a_inspector, q="鑫源")
    assert names(page) == {"沁县鑫源食品有限公司", "沁县鑫源宾馆"} and page.total == 2 and page.total_exact


def test_longer_fragments_are_confirmed_by_substring(personas, registry):
    assert names(entity_search(user=personas.a_inspector, q="鑫源食品")) == {"沁县鑫源食品有限公司"}
    assert names(entity_search(user=personas.a_inspector, q="源食品有限")) == {"沁县鑫源食品有限公司"}
    assert names(entity_search(user=personas.a_inspector, q="食品宾馆")) == set()


def test_full_width_brackets_and_spaces_do_not_matter(personas, registry):
    assert names(entity_search(user=personas.a_inspector, q="大药房(普通 合伙)")) == {"沁县康宁大药房（普通合伙）"}


def test_exact_uscc_and_legal_representative(personas, registry):
    assert names(entity_search(user=personas.a_inspector, q=registry["mine"].uscc.lower())) == {"山西沁州煤业有限公司"}
    assert names(entity_search(user=personas.a_inspector, rep="张三")) == {"沁县鑫源食品有限公司"}


def test_filters_narrow_a_name_search(personas, registry):
    assert names(entity_search(user=personas.a_inspector, q="鑫源", industry="H")) == {"沁县鑫源宾馆"}
    assert names(entity_search(user=personas.a_inspector, q="鑫源", division="140430100")) == {"沁县鑫源食品有限公司"}
    assert names(entity_search(user=personas.a_inspector, kind="individual")) == {"沁县康宁大药房（普通合伙）"}


def test_former_names_are_found(personas, registry):
    entity_update(actor=None, entity=registry["mine"], data={"name": "山西沁州能源集团有限公司"})
    assert names(entity_search(user=personas.a_inspector, q="煤业")) == {"山西沁州能源集团有限公司"}


def test_one_character_is_not_enough(personas, registry):
    with pytest.raises(DomainError) as err:
        entity_search(user=personas.a_inspector, q="鑫")
    assert err.value.field == "q"


def test_an_enterprise_sees_only_itself(personas, registry):
    assert entity_search(user=personas.enterprise, q="鑫源").entities == []


def test_rebuilding_the_index_gives_the_same_answers(personas, registry):
    search.rebuild_all(batch=2)
    assert names(entity_search(user=personas.a_inspector, q="鑫源")) == {"沁县鑫源食品有限公司", "沁县鑫源宾馆"}


def test_paging_reports_the_next_page(personas, db):
    for i in range(7):
        make_entity(f"沁县测试{i}号商行")
    first = entity_search(user=personas.a_inspector, q="测试", page_size=5)
    second = entity_search(user=personas.a_inspector, q="测试", page=2, page_size=5)
    assert len(first.entities) == 5 and first.has_next and len(second.entities) == 2 and not second.has_next
    assert first.total == 7


def test_gram_statistics_follow_renames_and_rebuilds(personas, registry):
    from django.db.models import Count

    from jianguan.entities.models import NameGram, NameGramStat

    def consistent():
        actual = dict(NameGram.objects.values_list("gram").annotate(n=Count("entity")).values_list("gram", "n"))
        stats = {g: n for g, n in NameGramStat.objects.values_list("gram", "n") if n}
        return actual == stats

    assert consistent()
    entity_update(actor=None, entity=registry["mine"], data={"name": "山西沁州能源集团有限公司"})
    assert consistent()
    search.rebuild_all(batch=3)
    assert consistent()


def test_name_fragment_and_legal_representative_together(personas, registry):
    make_entity("沁县鑫源建材有限公司", legal_representative="李四")
    page = entity_search(user=personas.a_inspector, q="鑫源", rep="张三")
    assert names(page) == {"沁县鑫源食品有限公司"} and page.total == 1
