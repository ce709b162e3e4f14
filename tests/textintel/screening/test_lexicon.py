from govmatrix.textintel.screening import categories as cat
from govmatrix.textintel.screening.lexicon import Lexicon, LexiconScreen, load_default_lexicon


def screen(terms, allow=(), pinyin=None):
    return LexiconScreen([Lexicon.from_terms(terms, allow=allow, pinyin=pinyin)])


def test_a_term_is_found_with_its_category_and_original_offsets():
    hits = screen({"傻逼": "abuse"}).scan("你是傻 逼吧")
    assert [(h.term, h.category, h.start, h.end, h.matched) for h in hits] == [
        ("傻逼", "abuse", 2, 5, "傻 逼")
    ]


def test_a_term_split_by_zero_width_spaces_is_still_found():
    assert screen({"法轮功": "national_security"}).scan("法\u200b轮\u200b功")


def test_a_traditional_full_width_or_repeated_spelling_is_still_found():
    s = screen({"法轮功": "national_security", "abcd": "advertising"})
    assert s.scan("法輪功")
    assert s.scan("ＡＢＣＤ")
    assert s.scan("法法法轮轮功")


def test_an_allow_listed_word_suppresses_the_hits_inside_it():
    s = screen({"操": "obscenity", "曹操": "x"}, allow={"曹操"})
    assert s.scan("曹操来了") == []


def test_the_allow_list_only_suppresses_hits_it_covers():
    s = screen({"妈的": "abuse"}, allow={"妈妈的"})
    assert s.scan("我妈妈的房子") == []
    assert [h.term for h in s.scan("妈的，真烦")] == ["妈的"]


def test_a_latin_term_does_not_match_inside_a_longer_latin_word():
    s = screen({"sb": "abuse"})
    assert s.scan("这个sms") == []
    assert s.scan("你个sb") != []
    assert s.scan("you are s b") != []


def test_pinyin_and_initials_match_only_when_configured():
    plain = screen({"法轮": "national_security"})
    assert plain.scan("falun") == []
    configured = screen({}, pinyin={"法轮": "national_security"})
    assert [h.term for h in configured.scan("我练falun")] == ["法轮"]
    assert [h.variant for h in configured.scan("fl大法")] == ["fl"]
    assert configured.scan("flower") == []


def test_screens_can_be_rebuilt_from_edited_term_lists_at_runtime():
    terms = {"某领导": "leader_names"}
    assert screen(terms).scan("某领导来了")
    terms["违禁表达"] = "banned_expressions"
    assert [h.category for h in screen(terms).scan("违禁表达")] == ["banned_expressions"]


def test_several_lexicons_keep_their_own_allow_lists():
    a = Lexicon.from_terms({"操": "obscenity"}, allow={"曹操"}, name="a")
    b = Lexicon.from_terms({"操": "banned"}, name="b")
    hits = LexiconScreen([a, b]).scan("曹操")
    assert [(h.lexicon, h.category) for h in hits] == [("b", "banned")]


def test_an_empty_lexicon_finds_nothing():
    assert LexiconScreen([Lexicon.from_terms({})]).scan("任何文字") == []


def test_houbb_tags_and_konsheng_files_map_onto_our_categories():
    assert cat.HOUBB_TAGS["2"] == cat.OBSCENITY
    assert cat.HOUBB_TAGS["1"] == cat.ILLEGAL
    assert cat.KONSHENG_FILES["暴恐词库"] == cat.NATIONAL_SECURITY
    assert "民生词库" not in cat.KONSHENG_FILES
    assert "民生词库" in cat.KONSHENG_EXCLUDED


def test_political_terms_are_routed_by_keyword():
    assert cat.route("藏独分子", cat.POLITICAL) == cat.ETHNIC_UNITY
    assert cat.route("打倒共产党", cat.POLITICAL) == cat.PARTY_GOVERNMENT_IMAGE
    assert cat.route("上街游行示威", cat.POLITICAL) == cat.SOCIAL_STABILITY
    assert cat.route("颠覆国家", cat.POLITICAL) == cat.NATIONAL_SECURITY
    assert cat.route("傻逼", cat.OBSCENITY) == cat.ABUSE


def test_the_shipped_lexicon_catches_abuse_but_not_ordinary_complaint_words():
    s = LexiconScreen([load_default_lexicon()])
    assert {h.category for h in s.scan("你们这帮傻逼")} == {"abuse"}
    assert s.scan("法 轮 功")
    for ordinary in ("拆迁", "打人", "污染", "上访", "政府", "腐败", "盗窃", "纠纷"):
        assert s.scan(f"我们小区{ordinary}的问题一直没有解决") == [], ordinary


def test_the_shipped_lexicon_only_uses_known_categories():
    lexicon = load_default_lexicon()
    assert set(lexicon.terms.values()) <= set(cat.CATEGORIES)
    assert all(len(term) >= 2 for term in lexicon.terms)
