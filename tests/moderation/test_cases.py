"""Opening cases: by the screening (as soon as the inbox stores a batch, and by the periodic scan
as a safety net) and by people; reported to the office at once; never twice for one comment."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.moderation import services
from govmatrix.moderation.models import CaseState, FlagSource, HarmCase, ScreeningCursor
from govmatrix.notifications.models import Notification
from tests.moderation.conftest import HARMFUL, ORDINARY, Board


def test_a_harmful_comment_opens_a_case_as_soon_as_the_inbox_stores_it(board: Board) -> None:
    message = board.arrive(HARMFUL)
    case = HarmCase.objects.get(source_message_id=message.pk)
    assert case.flag_source == FlagSource.SCREENING
    assert case.state == CaseState.FLAGGED
    assert case.category in ("abuse", "party_government_image")
    assert "傻逼" in case.screening["terms"]
    assert case.unit_id == board.district.street01.pk
    assert case.reported_at is not None


def test_an_ordinary_complaint_opens_no_case(board: Board) -> None:
    board.arrive(ORDINARY)
    assert HarmCase.objects.count() == 0


def test_the_office_and_the_unit_are_told_at_once(board: Board) -> None:
    case = HarmCase.objects.get(source_message_id=board.arrive(HARMFUL).pk)
    office = Notification.objects.filter(recipient=board.district.office_admin)
    assert office.filter(verb="harm_case.reported", link=f"/moderation/{case.pk}/").exists()
    assert Notification.objects.filter(
        recipient=board.district.operator, verb="harm_case.application_due"
    ).exists()
    reported = Event.objects.get(verb="harm_case.reported", object_id=str(case.pk))
    assert reported.data["account"] == board.district.street01_account.pk
    assert reported.data["hours_since_flagged"] < 0.01


def test_the_scan_opens_the_cases_a_lost_hook_missed_and_never_doubles_one(board: Board) -> None:
    board.arrive(HARMFUL)
    # Pretend the hook never ran for a second comment: store it without running on_commit hooks.
    from govmatrix.inbox.services.ingest import sync_account
    from govmatrix.platforms.local import services as local
    from govmatrix.platforms.local.rules import visitor_hash

    local.comment_submit(
        post=board.post_of(board.district.street01_account), nickname="网民乙",
        text="狗官，你们这帮傻逼", visitor_hash=visitor_hash("网民乙"),
    )  # fmt: skip
    sync_account(account_id=board.district.street01_account.pk)  # hooks wait for a commit
    assert HarmCase.objects.count() == 1
    with board.commit(execute=True):
        assert services.harm_cases_open_flagged() == 1
    with board.commit(execute=True):
        assert services.harm_cases_open_flagged() == 0  # read again within the margin: no double
    assert HarmCase.objects.count() == 2
    assert ScreeningCursor.objects.get().last_scan_opened == 0


def test_the_database_refuses_a_second_case_for_one_comment(board: Board) -> None:
    case = board.flag()
    duplicate = HarmCase.objects.get(pk=case.pk)
    duplicate.pk = None
    duplicate.source_message_id = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_a_person_flags_a_comment_with_a_reason_and_a_category(board: Board) -> None:
    case = board.flag(
        "这条留言在造谣，说明天全区停水", by=board.district.operator, category="social_stability"
    )
    assert case.flag_source == FlagSource.PERSON
    assert case.flagged_by == board.district.operator
    assert case.category == "social_stability"
    assert case.reason == "编造停水停电谣言，煽动抢购。"
    event = Event.objects.get(verb="harm_case.flagged", object_id=str(case.pk))
    assert event.actor_id == board.district.operator.pk
    assert event.data["evidence_sha256"] == case.evidence_sha256


def test_flagging_a_comment_that_already_has_a_case_is_refused(board: Board) -> None:
    message = board.arrive(HARMFUL)
    with pytest.raises(InvalidTransition, match="已有处置案件"):
        services.harm_case_flag(
            actor=board.district.office_admin, message_id=message.pk, category="abuse", reason="x"
        )
    assert HarmCase.objects.count() == 1


def test_flagging_needs_a_category_and_a_reason(board: Board) -> None:
    message = board.arrive("这条留言说明天全区停水")
    with pytest.raises(ValidationFailed) as refused:
        services.harm_case_flag(
            actor=board.district.office_admin, message_id=message.pk, category="", reason=" "
        )
    assert set(refused.value.errors) == {"category", "reason"}
    assert HarmCase.objects.count() == 0


def test_only_the_office_and_the_units_editors_may_flag(board: Board) -> None:
    message = board.arrive("这条留言说明天全区停水")
    for who, error in (
        (board.district.neighbour, NotFound),  # another street: cannot even see it
        (board.district.inspector, NotAllowed),  # sees the unit, changes nothing
        (board.district.office_inspector, NotAllowed),
        (board.district.outsider, NotFound),
    ):
        with pytest.raises(error):
            services.harm_case_flag(actor=who, message_id=message.pk, category="abuse", reason="x")
    assert HarmCase.objects.count() == 0
