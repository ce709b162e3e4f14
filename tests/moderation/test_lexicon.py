"""The office edits the harm lexicon: added terms (also by pinyin), removed terms, an allow-list;
every change is audited, and the screening used by the inbox, the publishing check and the case
scan changes only once the edit has committed."""

from __future__ import annotations

import pytest

from govmatrix.audit.models import Event
from govmatrix.core.errors import NotAllowed, ValidationFailed
from govmatrix.moderation import screening, services
from govmatrix.moderation.models import HarmCase, LexiconEntry
from govmatrix.moderation.selectors.lexicon import shipped_search, trial
from govmatrix.publishing.selectors.office import content_check
from tests.conftest import District
from tests.moderation.conftest import Board, Commit

NEW_TERM = "黑心街道办"


def _flags(text: str) -> bool:
    return bool(screening.scan(text))


def _edit(district: District, commit: Commit, **fields: object) -> LexiconEntry:
    with commit(execute=True):
        return services.lexicon_entry_create(actor=district.office_admin, **fields)  # type: ignore[arg-type]


def test_an_added_term_is_screened_only_after_the_edit_commits(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    text = f"这个{NEW_TERM}真不是东西"
    assert not _flags(text)
    with django_capture_on_commit_callbacks(execute=True):
        services.lexicon_entry_create(
            actor=district.office_admin,
            action="add",
            term=NEW_TERM,
            category="party_government_image",
        )
        assert not _flags(text)  # not yet committed: every process still screens as before
    hits = screening.scan(text)
    assert [(h.term, h.category) for h in hits] == [(NEW_TERM, "party_government_image")]
    assert _flags("这个黑 心 街 道 办")  # normalised like every term


def test_a_removed_shipped_term_is_no_longer_screened(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    assert _flags("你这个傻逼") and _flags("你这个傻 逼")
    _edit(district, django_capture_on_commit_callbacks, action="remove", term="傻逼", note="试用")
    assert not _flags("你这个傻逼")
    assert shipped_search(q="傻逼")[0].removed


def test_the_allow_list_protects_a_harmless_word_around_a_term(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    assert _flags("傻逼乎是一款应用")
    _edit(district, django_capture_on_commit_callbacks, action="allow", term="傻逼乎")
    assert not _flags("傻逼乎是一款应用")
    assert _flags("你这个傻逼")  # elsewhere the term still counts


def test_a_term_with_pinyin_matching_is_found_in_pinyin_and_initials(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    _edit(
        district,
        django_capture_on_commit_callbacks,
        action="pinyin",
        term="黑心官",
        category="abuse",
    )
    assert _flags("真是个heixinguan") and _flags("真是个hxg啊") and _flags("黑心官")


def test_switching_an_edit_off_and_on_again(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    entry = _edit(
        district, django_capture_on_commit_callbacks, action="add", term=NEW_TERM, category="abuse"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.lexicon_entry_update(
            actor=district.office_admin, entry_id=entry.pk, is_active=False
        )
    assert not _flags(NEW_TERM)
    with django_capture_on_commit_callbacks(execute=True):
        services.lexicon_entry_update(
            actor=district.office_admin, entry_id=entry.pk, is_active=True
        )
    assert _flags(NEW_TERM)


def test_every_change_is_audited(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    entry = _edit(
        district, django_capture_on_commit_callbacks, action="add", term=NEW_TERM, category="abuse"
    )
    services.lexicon_entry_update(
        actor=district.office_admin, entry_id=entry.pk, category="illegal", note="改类"
    )
    created = Event.objects.get(verb="lexicon_entry.created")
    updated = Event.objects.get(verb="lexicon_entry.updated")
    assert created.data == {"action": "add", "term": NEW_TERM, "category": "abuse"}
    assert created.actor_id == district.office_admin.pk
    assert updated.data["changes"]["category"] == ["abuse", "illegal"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"action": "add", "term": NEW_TERM, "category": ""}, "category"),
     ({"action": "add", "term": " ", "category": "abuse"}, "term"),
     ({"action": "remove", "term": "完全不在词库里的词"}, "term"),
     ({"action": "shout", "term": NEW_TERM}, "action")],
)  # fmt: skip
def test_a_bad_edit_is_refused_and_changes_nothing(
    district: District, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.lexicon_entry_create(actor=district.office_admin, **fields)
    assert field in refused.value.errors
    assert (
        LexiconEntry.objects.count() == 0
        and not Event.objects.filter(verb__startswith="lexicon").exists()
    )


def test_the_same_edit_twice_is_refused(district: District) -> None:
    services.lexicon_entry_create(actor=district.office_admin, action="allow", term="曹操传")
    with pytest.raises(ValidationFailed):
        services.lexicon_entry_create(actor=district.office_admin, action="allow", term="曹操传")


@pytest.mark.parametrize("who", ["office_inspector", "leader", "operator", "outsider"])
def test_only_the_office_edits_the_lexicon(district: District, who: str) -> None:
    with pytest.raises(NotAllowed):
        services.lexicon_entry_create(
            actor=getattr(district, who), action="add", term=NEW_TERM, category="abuse"
        )


def test_the_publishing_check_uses_the_edited_lexicon(
    district: District, django_capture_on_commit_callbacks: Commit
) -> None:
    text = f"关于{NEW_TERM}的说明"
    assert not [h for h in content_check(text) if h.kind == "sensitive"]
    _edit(
        district, django_capture_on_commit_callbacks, action="add", term=NEW_TERM, category="abuse"
    )
    assert [h.term for h in content_check(text) if h.kind == "sensitive"] == [NEW_TERM]


def test_the_inbox_flags_and_the_scan_opens_cases_with_the_edited_lexicon(board: Board) -> None:
    _edit(
        board.district, board.commit, action="add", term=NEW_TERM, category="party_government_image"
    )
    message = board.arrive(f"{NEW_TERM}又不作为")
    assert message.harm_flagged and "party_government_image" in message.harm_category_list
    case = HarmCase.objects.get(source_message_id=message.pk)
    assert case.category == "party_government_image" and case.screening["terms"] == [NEW_TERM]


def test_the_office_can_search_the_shipped_lexicon_and_try_a_text(district: District) -> None:
    found = shipped_search(q="法轮")
    assert found and all("法轮" in t.term or "法轮" in t.term.replace(" ", "") for t in found[:5])
    assert trial("你这个傻逼").flagged and not trial("今天天气不错").flagged
