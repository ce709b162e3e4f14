"""One canonical form for what citizens type."""

from __future__ import annotations

import pytest

from govmatrix.textintel.routing.normalize import MAX_CHARS, normalize_text, split_title


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＰＭ２．５超標", "pm2.5超标"),
        ("噪聲擾民　嚴重", "噪声扰民 严重"),
        ("他很沈默", "他很沉默"),  # a phrase OpenCC changes although its characters do not
        ("沈阳的著名小区", "沈阳的著名小区"),  # simplified text stays as it is
        ("  A3区\n\t魏家坡  ", "a3区 魏家坡"),
        ("", ""),
    ],
)
def test_text_is_half_width_simplified_lower_case_with_single_spaces(
    raw: str, expected: str
) -> None:
    assert normalize_text(raw) == expected


def test_the_fast_path_gives_what_opencc_gives() -> None:
    import opencc

    converter = opencc.OpenCC("t2s")
    for text in [
        "醫院門診收費過高",
        "学校附近网吧",
        "乾隆年間的古建築",
        "於是發現了問題",
        "麵包店",
    ]:
        assert normalize_text(text) == converter.convert(text).lower()


def test_a_pasted_document_is_cut_to_a_bounded_length() -> None:
    assert len(normalize_text("字" * (MAX_CHARS * 3))) == MAX_CHARS


def test_the_title_is_the_short_text_before_the_first_full_stop() -> None:
    assert split_title("小区噪音扰民。晚上施工。很吵") == ("小区噪音扰民", "晚上施工。很吵")
    assert split_title("没有句号的留言") == ("", "没有句号的留言")
    long_first_sentence = "很" * 80 + "。后面"
    assert split_title(long_first_sentence) == ("", long_first_sentence)
