import random

from govmatrix.textintel.screening.normalize import (
    Normalized,
    normalize,
    normalize_text,
    pinyin_variants,
)


def test_a_term_split_by_zero_width_spaces_is_still_joined():
    assert normalize_text("傻\u200b逼") == "傻逼"


def test_spaces_symbols_and_emoji_between_characters_are_removed():
    assert normalize_text("法 * 轮 😀 功") == "法轮功"
    assert normalize_text("法_轮-功|") == "法轮功"


def test_full_width_letters_and_digits_become_half_width_and_lower_case():
    assert normalize_text("ＦＡＬＵＮ１２３") == "falun123"


def test_traditional_characters_become_simplified():
    assert normalize_text("法輪功") == "法轮功"
    assert normalize_text("習近平") == "习近平"


def test_repeated_characters_collapse_to_one():
    assert normalize_text("傻傻傻逼逼") == "傻逼"


def test_an_ordinary_reduplicated_word_keeps_its_two_characters():
    assert normalize_text("我妈妈的房子") == "我妈妈的房子"


def test_digits_are_never_collapsed():
    assert normalize_text("2000年") == "2000年"


def test_clause_punctuation_is_a_boundary_not_a_separator():
    text = normalize_text("8日。本人")
    assert "日本人" not in text
    assert "\n" in text


def test_offsets_map_back_to_the_original_text():
    original = "你是 傻 * 逼！"
    norm = normalize(original)
    start = norm.text.index("傻逼")
    a, b = norm.original_span(start, start + 2)
    assert original[a:b] == "傻 * 逼"


def test_offsets_cover_a_collapsed_run():
    original = "傻傻傻逼"
    norm = normalize(original)
    assert norm.original_span(0, 2) == (0, 4)


def test_the_fast_and_the_offset_paths_agree_on_random_text():
    rng = random.Random(7)
    alphabet = [*"傻逼妈妈的法輪功ＡＢabc123 .,。！*\u200b😀谢谢", "\n"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        norm = Normalized(original=text, text=normalize_text(text))
        norm._build()  # raises if the two paths disagree
        assert norm._starts is not None
        assert len(norm._starts) == len(norm.text)


def test_latin_word_boundaries_consider_removed_separators():
    norm = normalize("hello sb sbs")
    text = norm.text
    first = text.index("sb")
    assert norm.is_word_start(first)
    assert norm.is_word_end(first + 2)
    second = text.index("sb", first + 1)
    assert not norm.is_word_end(second + 2)


def test_pinyin_variants_cover_full_pinyin_initials_and_mixed_spellings():
    variants = pinyin_variants("法轮")
    assert {"falun", "fl", "法lun", "fa轮"} <= variants
    assert "法轮" not in variants


def test_non_chinese_terms_have_no_pinyin_variants():
    assert pinyin_variants("abc") == set()
