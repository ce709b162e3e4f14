import pytest

from govmatrix.textintel.screening import categories as cat
from govmatrix.textintel.screening.curate import Candidate, Curator, _jieba_frequencies, curate
from govmatrix.textintel.screening.lexicon import DATA_DIR


@pytest.fixture(scope="module")
def curator():
    return Curator(_jieba_frequencies())


def candidate(term, category, source="konsheng:x"):
    c = Candidate(term)
    c.offer(source, category, 1 if category != cat.UNTYPED else 4)
    return c


def test_every_shipped_source_has_its_licence_beside_it():
    assert (DATA_DIR / "houbb" / "LICENSE.txt").exists()
    assert (DATA_DIR / "konsheng" / "LICENSE").exists()
    assert (DATA_DIR / "swsr" / "LICENSE").exists()
    assert (DATA_DIR / "NOTICE.md").exists()
    assert (DATA_DIR.parent / "models" / "LICENSE").exists()


def test_the_ordinary_complaint_word_list_is_not_shipped():
    assert not (DATA_DIR / "konsheng" / "民生词库.txt").exists()


def test_single_characters_and_short_latin_terms_are_dropped(curator):
    assert curator.reason_to_drop(candidate("操", cat.OBSCENITY)) == "single character"
    assert curator.reason_to_drop(candidate("qq", cat.ADVERTISING)) == "short latin"


def test_an_ordinary_dictionary_word_is_dropped_as_a_topic(curator):
    for word in ("拆迁", "上访", "政府", "赌博"):
        assert curator.reason_to_drop(candidate(word, cat.NATIONAL_SECURITY)) is not None, word


def test_a_marked_insult_is_kept_even_if_it_is_a_dictionary_word(curator):
    assert curator.reason_to_drop(candidate("婊子", cat.ABUSE)) is None


def test_an_ordinary_phrase_from_an_untyped_dump_is_dropped(curator):
    assert curator.reason_to_drop(candidate("有关部门", cat.UNTYPED)) is not None


def test_a_marked_phrase_from_a_typed_list_is_kept(curator):
    assert curator.reason_to_drop(candidate("打倒共产党", cat.POLITICAL)) is None
    assert curator.reason_to_drop(candidate("出售炸药", cat.ILLEGAL)) is None


def test_a_bare_date_is_dropped(curator):
    assert curator.reason_to_drop(candidate("6月4日", cat.UNTYPED)) == "date or number"


def test_the_shipped_curated_lexicon_is_what_the_rules_produce():
    kept, _ = curate(DATA_DIR)
    shipped = {}
    with (DATA_DIR / "curated" / "terms.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                term, category, _sources = line.rstrip("\n").split("\t")
                shipped[term] = category
    assert shipped == {term: category for term, (category, _) in kept.items()}
