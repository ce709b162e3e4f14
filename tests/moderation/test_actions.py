"""Running an action on the comment through the platform's connector, after the office approved
it, and recording what the platform really did: the local platform really hides (or deletes);
a platform that can only report is recorded as reported; a failure is recorded as such."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.inbox.models import Message
from govmatrix.matrix.models import Account
from govmatrix.moderation import services
from govmatrix.moderation.models import ActionState, CaseAction, CaseState, HarmCase
from govmatrix.moderation.services.actions import available_actions
from govmatrix.platforms import registry
from govmatrix.platforms.base import (
    AccountRef,
    ActionContext,
    Capability,
    ContentRejected,
    ModerationAction,
    ModerationResult,
)
from govmatrix.platforms.local.models import LocalComment, ModerationState
from govmatrix.platforms.models import OutboxOperation
from tests.factories import AccountFactory
from tests.moderation.conftest import Board, escalated, filed, reload


def _run(board: Board, case: HarmCase, action: str) -> CaseAction:
    with board.commit(execute=True):
        row = services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action=action, reason="有害跟帖"
        )
    return CaseAction.objects.get(pk=row.pk)


def test_the_local_platform_really_hides_the_comment_and_the_case_records_it(board: Board) -> None:
    case = filed(board)
    assert set(available_actions(case)) == {"delete", "hide", "block_author"}
    action = _run(board, case, "hide")
    comment = LocalComment.objects.get(pk=int(case.comment_id[1:]))
    assert comment.state == ModerationState.HIDDEN
    assert (action.state, action.requested, action.applied) == (ActionState.APPLIED, "hide", "hide")
    assert action.approved_by == board.district.office_admin and action.finished_at is not None
    operation = OutboxOperation.objects.get(pk=action.operation_id)
    assert operation.kind == "moderate" and operation.payload["interaction_id"] == case.comment_id
    event = Event.objects.get(verb="harm_case.action_applied", object_id=str(case.pk))
    assert event.data["applied"] == "hide" and event.data["requested"] == "hide"
    assert (
        reload(case).state == CaseState.APPLICATION_FILED
    )  # the outcome is the office's to record


def test_the_local_platform_deletes_after_the_escalation(board: Board) -> None:
    case = escalated(board)
    action = _run(board, case, "delete")
    assert LocalComment.objects.get(pk=int(case.comment_id[1:])).state == ModerationState.DELETED
    assert action.applied == "delete"
    services.harm_case_close(actor=board.district.office_admin, case_id=case.pk, outcome="deleted")
    assert reload(case).outcome == "deleted"


@dataclass
class ReportOnly:
    """A platform like Mastodon: it cannot remove a reply, only report it (or fail)."""

    platform = "reportonly"
    calls: list[dict[str, Any]] = field(default_factory=list)
    fail: bool = False

    def capabilities(self) -> frozenset[Capability]:
        return frozenset({Capability.READ_INBOX, Capability.REPORT})

    def moderate(
        self, account: AccountRef, interaction_id: str, action: ModerationAction,
        ctx: ActionContext, *, reason: str, fallback: Sequence[ModerationAction] = (),
    ) -> ModerationResult:  # fmt: skip
        self.calls.append({"id": interaction_id, "action": action, "fallback": list(fallback)})
        if self.fail:
            raise ContentRejected("举报接口拒绝：原因说明过短", platform="reportonly")
        for candidate in [action, *fallback]:
            if candidate == ModerationAction.REPORT:
                return ModerationResult(
                    action, ModerationAction.REPORT, "report-7", "已向管理员举报"
                )
        return ModerationResult(action, None, None, "不能处置")


@pytest.fixture
def report_only(
    board: Board, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ReportOnly, HarmCase]]:
    connector = ReportOnly()
    monkeypatch.setitem(registry._FACTORIES, "reportonly", lambda: connector)
    account: Account = AccountFactory(
        unit=board.district.street01,
        platform="reportonly",
        handle="sfq_m",
        display_name="示范区东城（嘟文）",
    )
    message = Message.objects.create(
        platform="reportonly", external_id="109876", account=account, channel="comment",
        url="https://social.example/@x/109876", author_id="u42", author_name="x@remote",
        text="内部消息：明天全区停水停电三天，大家赶紧去超市抢购！", received_at=timezone.now(),
        kind="complaint", routed_by="account", unit=board.district.street01, state="open",
    )  # fmt: skip
    with board.commit(execute=True):
        case = services.harm_case_flag(
            actor=board.district.operator, message_id=message.pk, category="social_stability",
            reason="谣言",
        )  # fmt: skip
    yield connector, filed(board, case)


def test_a_platform_that_can_only_report_is_recorded_as_reported(
    board: Board, report_only: tuple[ReportOnly, HarmCase]
) -> None:
    connector, case = report_only
    assert available_actions(case) == {
        "delete": ["report"],
        "hide": ["report"],
        "report": ["report"],
    }
    action = _run(board, case, "delete")
    assert connector.calls == [{"id": "109876", "action": "report", "fallback": []}]
    assert (action.state, action.applied, action.platform_ref) == (
        ActionState.APPLIED,
        "report",
        "report-7",
    )
    assert action.note == "已向管理员举报"


def test_a_refused_platform_call_is_recorded_as_failed(
    board: Board, report_only: tuple[ReportOnly, HarmCase]
) -> None:
    connector, case = report_only
    connector.fail = True
    action = _run(board, case, "report")
    assert action.state == ActionState.FAILED and action.applied == ""
    assert "原因说明过短" in action.note
    assert Event.objects.filter(verb="harm_case.action_failed", object_id=str(case.pk)).exists()
    connector.fail = False
    assert _run(board, case, "report").state == ActionState.APPLIED  # the office may try again


def test_an_action_waits_for_the_units_application_and_stops_at_the_outcome(board: Board) -> None:
    case = board.flag()
    with pytest.raises(InvalidTransition):
        services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action="hide"
        )
    services.harm_case_close(
        actor=board.district.office_admin, case_id=case.pk, outcome="retained", note="不构成"
    )
    with pytest.raises(InvalidTransition):
        services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action="hide"
        )
    assert CaseAction.objects.count() == 0 and OutboxOperation.objects.count() == 0


def test_an_unknown_or_impossible_action_is_refused(
    board: Board, report_only: tuple[ReportOnly, HarmCase]
) -> None:
    _connector, case = report_only
    with pytest.raises(ValidationFailed):
        services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action="burn"
        )
    with pytest.raises(InvalidTransition, match="不支持"):
        services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action="block_author"
        )
    assert CaseAction.objects.count() == 0


def test_one_action_at_a_time(board: Board) -> None:
    case = filed(board)
    services.harm_case_action_run(actor=board.district.office_admin, case_id=case.pk, action="hide")
    with pytest.raises(InvalidTransition, match="尚未完成"):
        services.harm_case_action_run(
            actor=board.district.office_admin, case_id=case.pk, action="delete"
        )
    assert CaseAction.objects.filter(case=case).count() == 1
