"""The evidence is frozen when the comment is flagged: its canonical serialisation and SHA-256
are stored, the database refuses to change them, and the case page verifies them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, transaction

from govmatrix.moderation.evidence import Evidence, freeze, verify
from govmatrix.moderation.models import HarmCase
from govmatrix.moderation.selectors.cases import evidence_check
from govmatrix.platforms.local.models import LocalComment
from tests.moderation.conftest import RUMOUR, Board, reload


def _evidence(**changes: object) -> Evidence:
    values: dict[str, object] = {
        "platform": "local", "comment_id": "c1", "account": "sfq_street01", "post_id": "1",
        "author_id": "v:1", "author_name": "网民甲", "text": "文本", "url": "http://x/c1",
        "time": datetime(2026, 11, 28, 6, 1, 12, tzinfo=UTC),
        "flagged_at": datetime(2026, 11, 28, 6, 5, tzinfo=UTC),
    }  # fmt: skip
    values.update(changes)
    return Evidence(**values)  # type: ignore[arg-type]


def test_the_canonical_serialisation_is_sorted_compact_utc_json() -> None:
    canonical, digest = freeze(_evidence())
    assert canonical.startswith('{"account":"sfq_street01","author":{"id":"v:1","name":"网民甲"}')
    assert '"time":"2026-11-28T06:01:12.000000Z"' in canonical
    assert " " not in canonical
    assert digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert json.loads(canonical)["v"] == 1


def test_the_same_comment_in_another_time_zone_or_unicode_form_hashes_the_same() -> None:
    from zoneinfo import ZoneInfo

    shanghai = datetime(2026, 11, 28, 14, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    decomposed = "Cafe\u0301"  # é as e + combining accent
    assert freeze(_evidence(time=shanghai, text="Café"))[1] == freeze(_evidence(text=decomposed))[1]


def test_the_case_stores_the_comment_as_it_was_when_flagged(board: Board) -> None:
    case = board.flag()
    evidence = json.loads(case.evidence_canonical)
    assert evidence["text"] == RUMOUR == case.comment_text
    assert evidence["author"]["name"] == "网民甲"
    assert evidence["comment_id"] == case.comment_id
    assert evidence["url"] == case.comment_url and case.comment_url
    assert case.evidence_sha256 == hashlib.sha256(case.evidence_canonical.encode()).hexdigest()
    assert evidence_check(case).intact


def test_a_later_change_on_the_platform_leaves_the_evidence_as_it_was(board: Board) -> None:
    case = board.flag()
    LocalComment.objects.filter(pk=int(case.comment_id[1:])).update(text="（已编辑）")
    case = reload(case)
    assert case.comment_text == RUMOUR
    assert evidence_check(case).intact


@pytest.mark.parametrize(
    "column", ["comment_text", "author_name", "evidence_canonical", "evidence_sha256"]
)
def test_the_database_refuses_to_change_the_evidence(board: Board, column: str) -> None:
    case = board.flag()
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        HarmCase.objects.filter(pk=case.pk).update(**{column: "改过"})
    assert getattr(reload(case), column) != "改过"


def test_the_rest_of_the_case_may_still_change(board: Board) -> None:
    case = board.flag()
    HarmCase.objects.filter(pk=case.pk).update(reason="补充理由")
    assert reload(case).reason == "补充理由"


def test_the_check_finds_a_hash_or_a_column_that_no_longer_matches(board: Board) -> None:
    case = board.flag()
    case.evidence_sha256 = "0" * 64
    assert verify(canonical=case.evidence_canonical, stored_hash=case.evidence_sha256).problems == (
        "hash",
    )
    case = reload(case)
    case.comment_text = "被改过的内容"  # in memory only: the trigger keeps the database's
    check = evidence_check(case)
    assert not check.intact and check.problems == ("columns",)


def test_the_case_page_says_whether_the_evidence_is_intact(board: Board, client: object) -> None:
    case = board.flag()
    client.force_login(board.district.office_admin)  # type: ignore[attr-defined]
    page = client.get(f"/moderation/{case.pk}/")  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert 'data-testid="evidence-ok"' in page.content.decode()
    assert case.evidence_sha256 in page.content.decode()
