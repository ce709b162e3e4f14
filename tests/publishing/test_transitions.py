"""Every move of a post and of a report item: the whole table walked, allowed and refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition
from govmatrix.platforms.models import OutboxOperation
from govmatrix.publishing import services
from govmatrix.publishing.models import Post, PostStatus, ReportItem, ReportState, Review
from govmatrix.publishing.services.publishing import (
    post_publish_failed,
    post_publish_succeeded,
)
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import draft, reload

STATES = list(PostStatus.values)
ALL_PAIRS = [(a, b) for a in STATES for b in STATES if a != b]


def force_state(district: District, post: Post, state: str) -> Post:
    """Arrange a post in `state` with every column its constraints ask for."""
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(
        status=state,
        approved_by=district.leader,
        approved_version=post.version,
        approved_text=post.text,
        scheduled_at=now,
        published_at=now,
    )
    Review.objects.filter(post=post).delete()
    if state == PostStatus.SUBMITTED:
        Review.objects.create(
            post=post,
            version=post.version,
            text=post.text,
            submitted_by=district.operator,
            submitted_at=now,
        )
    return reload(post)


def test_the_table_knows_every_state_and_only_those(platform: FakeConnector) -> None:
    assert set(services.POST_TRANSITIONS) == set(STATES)
    for targets in services.POST_TRANSITIONS.values():
        assert targets <= set(STATES)
    assert services.POST_TRANSITIONS[PostStatus.PUBLISHED] == set()


@pytest.mark.parametrize(("start", "end"), ALL_PAIRS)
def test_each_pair_of_states_is_allowed_exactly_when_the_table_says_so(
    district: District, platform: FakeConnector, start: str, end: str
) -> None:
    post = force_state(district, draft(district), start)
    events = Event.objects.count()
    allowed = end in services.POST_TRANSITIONS[start]
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if allowed:
            transition(
                locked,
                to=end,
                allowed=services.POST_TRANSITIONS,
                actor=district.leader,
                verb="test.move",
                unit_id=None,
            )
        else:
            with pytest.raises(InvalidTransition):
                transition(
                    locked,
                    to=end,
                    allowed=services.POST_TRANSITIONS,
                    actor=district.leader,
                    verb="test.move",
                    unit_id=None,
                )
    assert reload(post).status == (end if allowed else start)
    assert Event.objects.count() == events + (1 if allowed else 0)


# --- through the services --------------------------------------------------------------------
def _operation(post: Post, *, ok: bool) -> OutboxOperation:
    from govmatrix.publishing.services.publishing import idempotency_key

    return OutboxOperation.objects.create(
        kind="publish",
        account=post.account,
        payload={"text": post.text},
        idempotency_key=idempotency_key(post),
        state="succeeded" if ok else "failed",
        next_attempt_at=timezone.now(),
        subject_type="publishing.post",
        subject_id=str(post.pk),
        result={"id": "x-1", "url": "http://fake.example/x-1"} if ok else {},
        last_error_message="" if ok else "平台拒绝：含有违规内容",
    )


def _outcome(ok: bool) -> Callable[[District, Post], Any]:
    def run(district: District, post: Post) -> Any:
        with transaction.atomic():
            operation = _operation(post, ok=ok)
            (post_publish_succeeded if ok else post_publish_failed)(operation)

    return run


# service → (the state it moves to, how to call it)
SERVICES: dict[str, tuple[str, Callable[[District, Post], Any]]] = {
    "submit": (
        PostStatus.SUBMITTED,
        lambda d, p: services.post_submit(actor=d.operator, post_id=p.pk),
    ),
    "withdraw": (
        PostStatus.DRAFT,
        lambda d, p: services.post_withdraw(actor=d.operator, post_id=p.pk),
    ),
    "approve": (
        PostStatus.APPROVED,
        lambda d, p: services.post_approve(actor=d.leader, post_id=p.pk),
    ),
    "return": (
        PostStatus.RETURNED,
        lambda d, p: services.post_return(actor=d.leader, post_id=p.pk, comment="请补充活动地点"),
    ),
    "back_to_draft": (
        PostStatus.DRAFT,
        lambda d, p: services.post_back_to_draft(actor=d.operator, post_id=p.pk),
    ),
    "retry": (
        PostStatus.SCHEDULED,
        lambda d, p: services.post_retry(actor=d.operator, post_id=p.pk),
    ),
}

ALLOWED_BY_SERVICE = [
    (start, name)
    for start in STATES
    for name, (target, _call) in SERVICES.items()
    if target in services.POST_TRANSITIONS[start]
]
REFUSED_BY_SERVICE = [
    (start, name)
    for start in STATES
    for name, (target, _call) in SERVICES.items()
    if target not in services.POST_TRANSITIONS[start]
]


@pytest.mark.parametrize(("start", "name"), ALLOWED_BY_SERVICE)
def test_a_service_makes_every_move_the_table_allows_it(
    district: District, platform: FakeConnector, start: str, name: str
) -> None:
    post = force_state(district, draft(district), start)
    target, call = SERVICES[name]
    call(district, post)
    # Approval goes straight on to scheduling: the event log holds both moves.
    expected = PostStatus.SCHEDULED if target == PostStatus.APPROVED else target
    assert reload(post).status == expected
    moves = list(
        Event.objects.filter(
            object_type="publishing.post", object_id=str(post.pk), from_state=start
        ).values_list("to_state", flat=True)
    )
    assert moves == [target]


@pytest.mark.parametrize(("start", "name"), REFUSED_BY_SERVICE)
def test_a_service_refuses_every_move_the_table_refuses_and_changes_nothing(
    district: District, platform: FakeConnector, start: str, name: str
) -> None:
    post = force_state(district, draft(district), start)
    _target, call = SERVICES[name]
    before = (Event.objects.count(), Review.objects.count(), reload(post).updated_at)
    with pytest.raises(InvalidTransition):
        call(district, post)
    assert reload(post).status == start
    assert (Event.objects.count(), Review.objects.count(), reload(post).updated_at) == before


@pytest.mark.parametrize("start", STATES)
def test_only_a_scheduled_post_can_be_claimed_for_publishing(
    district: District, platform: FakeConnector, start: str
) -> None:
    post = force_state(district, draft(district), start)
    started = services.post_publish(post_id=post.pk)
    assert started is (start == PostStatus.SCHEDULED)
    assert reload(post).status == (PostStatus.PUBLISHING if started else start)
    assert OutboxOperation.objects.filter(subject_id=str(post.pk)).count() == (1 if started else 0)


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("ok", [True, False])
def test_only_a_publishing_post_hears_the_platforms_outcome(
    district: District, platform: FakeConnector, start: str, ok: bool
) -> None:
    post = force_state(district, draft(district), start)
    _outcome(ok)(district, post)
    if start == PostStatus.PUBLISHING:
        assert reload(post).status == (PostStatus.PUBLISHED if ok else PostStatus.FAILED)
        assert ReportItem.objects.filter(post=post).exists() is ok
    else:
        assert reload(post).status == start
        assert not ReportItem.objects.filter(post=post).exists()


@pytest.mark.parametrize("start", [PostStatus.PUBLISHING, PostStatus.PUBLISHED])
def test_a_post_being_published_or_published_cannot_be_edited(
    district: District, platform: FakeConnector, start: str
) -> None:
    post = force_state(district, draft(district), start)
    with pytest.raises(InvalidTransition):
        services.post_update(actor=district.operator, post_id=post.pk, text="改一下")
    assert reload(post).text == post.text


# --- report items ----------------------------------------------------------------------------
REPORT_STATES = list(ReportState.values)
REPORT_SERVICES: dict[str, tuple[str, Callable[[District, int], Any]]] = {
    "acknowledge": (
        ReportState.ACKNOWLEDGED,
        lambda d, i: services.report_item_acknowledge(actor=d.office_admin, item_id=i),
    ),
    "request_correction": (
        ReportState.CORRECTION_REQUESTED,
        lambda d, i: services.report_item_request_correction(
            actor=d.office_admin, item_id=i, text="标题有误"
        ),
    ),
    "respond": (
        ReportState.CORRECTION_ANSWERED,
        lambda d, i: services.report_item_respond(actor=d.operator, item_id=i, text="已发更正"),
    ),
}


def _report_item(district: District, state: str) -> ReportItem:
    post = force_state(district, draft(district), PostStatus.PUBLISHED)
    now = timezone.now()
    return ReportItem.objects.create(
        post=post,
        unit=district.street01,
        account=district.street01_account,
        reported_at=now,
        state=state,
        reviewed_at=None if state == ReportState.NEW else now,
    )


def test_the_report_table_knows_every_state() -> None:
    assert set(services.REPORT_TRANSITIONS) == set(REPORT_STATES)


@pytest.mark.parametrize("start", REPORT_STATES)
@pytest.mark.parametrize("name", list(REPORT_SERVICES))
def test_a_report_item_moves_exactly_as_its_table_says(
    district: District, platform: FakeConnector, start: str, name: str
) -> None:
    item = _report_item(district, start)
    target, call = REPORT_SERVICES[name]
    if target in services.REPORT_TRANSITIONS[start]:
        call(district, item.pk)
        assert ReportItem.objects.get(pk=item.pk).state == target
    else:
        events = Event.objects.count()
        with pytest.raises(InvalidTransition):
            call(district, item.pk)
        assert ReportItem.objects.get(pk=item.pk).state == start
        assert Event.objects.count() == events
