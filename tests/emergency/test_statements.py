"""Statements and rolling updates: posts of the main account only (R6.1), approved by the
incident's on-site commander only (R5.2) — with the repost comment — and published at once,
even while scheduled publishing is paused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.emergency import services
from govmatrix.emergency.models import RepostOrder, Statement, StatementKind
from govmatrix.notifications.models import Notification
from govmatrix.publishing import services as publishing
from govmatrix.publishing.models import PostStatus
from govmatrix.publishing.selectors.posts import approvals_waiting, post_get
from tests.conftest import District
from tests.emergency.flow import COMMENT, declare, draft, published, reload, submitted
from tests.factories import AccountFactory
from tests.publishing.conftest import FakeConnector

Capture = Any


def test_the_office_drafts_the_first_statement_as_an_important_post_of_the_main_account(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    statement = draft(district, incident)
    assert statement.kind == StatementKind.FIRST and statement.sequence == 1
    post = statement.post
    assert post.account == district.main_account and post.status == PostStatus.DRAFT
    assert post.important and [t.code for t in post.topics.all()] == ["emergency"]
    assert statement.repost_comment == COMMENT and statement.repost_minutes == 30
    assert statement.target_all and statement.order_reposts
    assert Event.objects.filter(verb="statement.created", object_id=str(statement.pk)).exists()


def test_later_statements_are_rolling_updates_and_there_is_one_first_statement(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    draft(district, incident)
    update = draft(district, incident, text="【续报】燃气泄漏点已封堵，周边道路恢复通行。")
    assert (update.kind, update.sequence) == (StatementKind.UPDATE, 2)
    assert update.label == "续报（第 2 次发布）"
    with pytest.raises(ValidationFailed) as refused:
        draft(district, incident, kind=StatementKind.FIRST)
    assert "kind" in refused.value.errors


@pytest.mark.parametrize("who", ["operator", "leader", "office_inspector"])
def test_only_the_office_writes_statements_of_the_main_account(
    district: District, platform: FakeConnector, commander: Any, who: str
) -> None:
    incident = declare(district, commander, unit_ids=[district.street01.pk])
    with pytest.raises(NotAllowed):
        draft(district, incident, actor=getattr(district, who))
    assert not Statement.objects.exists()


def test_a_sub_account_is_refused_with_a_clear_message_unless_the_office_allows_it(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander, unit_ids=[district.street01.pk, district.street02.pk])
    with pytest.raises(NotAllowed) as refused:
        draft(district, incident, actor=district.operator, account_id=district.street01_account.pk)
    assert "由主账号统一发布" in refused.value.message
    assert "管理办公室" in refused.value.message and "许可" in refused.value.message
    services.incident_allowance_grant(
        actor=district.office_admin,
        incident_id=incident.pk,
        account_id=district.street01_account.pk,
        reason="现场交通管制信息由属地发布",
    )
    allowed = draft(
        district, incident, actor=district.operator, account_id=district.street01_account.pk
    )
    assert allowed.post.account == district.street01_account
    assert not allowed.order_reposts  # only the main account's statements are reposted
    with pytest.raises(NotAllowed):  # the allowance is for 东城街道's account only
        draft(district, incident, actor=district.neighbour, account_id=district.street02_account.pk)


def test_a_staff_personal_account_may_never_publish_on_an_incident(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    personal = AccountFactory(unit=district.street01, kind="staff_personal")
    with pytest.raises(NotAllowed):
        draft(district, incident, account_id=personal.pk)


def test_no_statement_is_written_or_submitted_after_the_incident_is_stood_down(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    statement = draft(district, incident)
    services.incident_stand_down(actor=district.office_admin, incident_id=incident.pk)
    with pytest.raises(InvalidTransition):
        draft(district, incident)
    with pytest.raises(InvalidTransition):
        services.statement_submit(actor=district.office_admin, statement_id=statement.pk)


def test_a_bad_repost_comment_or_deadline_is_refused_and_nothing_is_made(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    with pytest.raises(ValidationFailed) as refused:
        draft(
            district, incident, repost_comment="长" * 281, repost_minutes=2, target_account_ids=[]
        )
    assert set(refused.value.errors) == {"repost_comment", "repost_minutes", "targets"}
    assert not Statement.objects.exists()


# --- approval: the commander and nobody else ----------------------------------------------------
def test_the_commander_is_told_and_finds_the_statement_among_their_approvals(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    with django_capture_on_commit_callbacks(execute=True):
        statement = submitted(district, incident)
    told = Notification.objects.get(recipient=commander, verb="post.submitted")
    assert told.link == f"/emergency/statements/{statement.pk}/"
    assert list(approvals_waiting(user=commander)) == [statement.post]
    assert list(approvals_waiting(user=district.office_admin)) == []  # not the office's to approve
    assert post_get(user=commander, post_id=statement.post_id) == statement.post


@pytest.mark.parametrize("who", ["office_admin", "leader", "operator"])
def test_nobody_but_the_commander_approves_a_statement(
    district: District, platform: FakeConnector, commander: Any, who: str
) -> None:
    incident = declare(district, commander)
    statement = submitted(district, incident)
    with pytest.raises(NotAllowed) as refused:
        services.statement_approve(actor=getattr(district, who), statement_id=statement.pk)
    assert "现场最高领导" in refused.value.message
    with pytest.raises((NotAllowed, NotFound)):  # nor through publishing's own service
        publishing.post_approve(actor=getattr(district, who), post_id=statement.post_id)
    assert reload(statement).post.status == PostStatus.SUBMITTED


def test_the_commander_of_another_incident_may_not_approve_this_one(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    from tests.factories import PersonFactory, UserFactory

    other = UserFactory(username="other_commander")
    PersonFactory(user=other, name="钱副区长")
    declare(district, other, title="另一起事件")
    statement = submitted(district, declare(district, commander))
    with pytest.raises(NotFound):  # to them, this incident does not exist
        services.statement_approve(actor=other, statement_id=statement.pk)


def test_the_commander_approves_and_the_main_account_publishes_at_once(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    post = statement.post
    assert post.status == PostStatus.PUBLISHED and post.approved_by == commander
    assert [p["handle"] for p in platform.published] == ["main_fabu"]
    assert statement.published_at == post.published_at
    incident.refresh_from_db()
    assert incident.first_info_at == post.published_at  # the 5-hour clock is met
    assert incident.full_release_at is None
    assert Event.objects.filter(verb="statement.published").count() == 1


def test_a_statement_goes_out_even_while_scheduled_publishing_is_paused(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander, pause_publishing=True)
    from tests.publishing.flow import approved

    with django_capture_on_commit_callbacks(execute=True):
        routine = approved(district)  # a street's routine post, due now: it waits
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    assert statement.post.status == PostStatus.PUBLISHED
    routine.refresh_from_db()
    assert routine.status == PostStatus.SCHEDULED
    assert publishing.posts_publish_due() == 0  # the sweep still holds the routine post


def test_the_full_release_meets_the_24_hour_clock(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    published(district, incident, commander, django_capture_on_commit_callbacks)
    full = published(
        district,
        incident,
        commander,
        django_capture_on_commit_callbacks,
        kind=StatementKind.FULL,
        text="【详细通报】事故原因初步查明，系施工挖断燃气管道。",
    )
    incident.refresh_from_db()
    assert incident.full_release_at == full.published_at


def test_the_commander_returns_a_statement_with_comments(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    statement = submitted(district, incident)
    with pytest.raises(ValidationFailed):
        services.statement_return(actor=commander, statement_id=statement.pk, comment=" ")
    services.statement_return(
        actor=commander, statement_id=statement.pk, comment="请补充伤亡情况。"
    )
    assert reload(statement).post.status == PostStatus.RETURNED
    with pytest.raises(InvalidTransition):  # nothing waits for approval now
        services.statement_approve(actor=commander, statement_id=statement.pk)


def test_changing_the_repost_comment_after_submission_needs_the_commander_again(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    statement = submitted(district, incident)
    services.statement_update(
        actor=district.office_admin, statement_id=statement.pk, repost_comment="请及时转发。"
    )
    statement = reload(statement)
    assert statement.post.status == PostStatus.DRAFT
    assert statement.repost_comment == "请及时转发。"
    event = Event.objects.get(verb="statement.updated")
    assert event.data["changes"]["repost_comment"] == [COMMENT, "请及时转发。"]


def test_changing_the_text_after_approval_sends_it_back_with_the_diff_kept(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = declare(district, commander)
    statement = submitted(district, incident)
    publishing.post_update(
        actor=district.office_admin, post_id=statement.post_id, scheduled_at=None
    )  # no change: stays submitted
    assert reload(statement).post.status == PostStatus.SUBMITTED
    services.statement_update(
        actor=district.office_admin, statement_id=statement.pk, text="【权威发布】更正后的文字。"
    )
    post = reload(statement).post
    assert post.status == PostStatus.DRAFT and post.version == 2


def test_a_published_statement_cannot_be_changed(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidTransition) as refused:
        services.statement_update(
            actor=district.office_admin, statement_id=statement.pk, repost_comment="改"
        )
    assert "续报" in refused.value.message


def test_an_allowed_sub_account_post_is_approved_by_the_commander_and_makes_no_orders(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    services.incident_allowance_grant(
        actor=district.office_admin,
        incident_id=incident.pk,
        account_id=district.street01_account.pk,
        reason="属地交通管制",
    )
    statement = draft(
        district, incident, actor=district.operator, account_id=district.street01_account.pk
    )
    services.statement_submit(actor=district.operator, statement_id=statement.pk)
    with pytest.raises(NotAllowed):  # not the street's principal leader (R5.2 instead of R5.1)
        services.statement_approve(actor=district.leader, statement_id=statement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_approve(actor=commander, statement_id=statement.pk)
    statement = reload(statement)
    assert statement.post.status == PostStatus.PUBLISHED
    assert not RepostOrder.objects.exists()


def test_a_statement_failed_on_the_platform_keeps_its_approval_and_can_be_retried(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from govmatrix.platforms.base import ContentRejected

    platform.fail_with.append(ContentRejected("内容含有敏感词", platform="fake"))
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    assert statement.post.status == PostStatus.FAILED
    assert not RepostOrder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.post_retry(actor=district.office_admin, post_id=statement.post_id)
    statement = reload(statement)
    assert statement.post.status == PostStatus.PUBLISHED
    assert RepostOrder.objects.filter(statement=statement).count() == 2
    assert (
        statement.published_at
        and statement.published_at - statement.post.created_at < timedelta(minutes=5)
    )
