"""The two hooks emergency added to publishing, tested on their own: an approval authority
that another app registers for the posts it governs, and the callback that hears of every
published post. Publishing itself stays the same for every post no authority governs."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from govmatrix.core.errors import NotAllowed
from govmatrix.org.permissions import scope_for
from govmatrix.publishing import rules, services
from govmatrix.publishing.models import Post, PostStatus
from govmatrix.publishing.selectors.posts import approvals_waiting, may_approve_anything
from govmatrix.publishing.services import publishing as publishing_module
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import TEXT, submitted

Capture = Any


@pytest.fixture
def deputy(district: District) -> Any:
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(username="deputy")
    PersonFactory(user=user, name="deputy")
    return user


@pytest.fixture
def authority(monkeypatch: pytest.MonkeyPatch, deputy: Any) -> rules.ApprovalAuthority:
    """A test authority: posts whose text starts with 【专项】 are approved by `deputy` alone."""
    governed = rules.ApprovalAuthority(
        key="test.deputy",
        governed=lambda: Q(text__startswith="【专项】"),
        approvable=lambda scope: (
            Q(text__startswith="【专项】") if scope.user_id == deputy.pk else Q(pk__in=[])
        ),
        approvers=lambda post: [deputy],
        refusal="专项稿件由专项负责人审核。",
        review_url=lambda post: f"/special/{post.pk}/",
        publishes_while_paused=True,
    )
    monkeypatch.setattr(rules, "_AUTHORITIES", {"test.deputy": governed})
    return governed


def test_without_an_authority_the_principal_leader_approves_as_before(
    district: District, platform: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "_AUTHORITIES", {})
    post = submitted(district)
    assert rules.can_approve_post(scope_for(district.leader), post)
    assert list(approvals_waiting(user=district.leader)) == [post]
    assert rules.review_url(post) == f"/publishing/review/{post.pk}/"


def test_a_governed_post_is_approved_by_its_authority_alone(
    district: District, platform: FakeConnector, authority: Any, deputy: Any
) -> None:
    post = submitted(district, text="【专项】" + TEXT)
    ordinary = submitted(district)
    assert rules.authority_for(post) is authority and rules.authority_for(ordinary) is None
    assert not rules.can_approve_post(scope_for(district.leader), post)
    assert rules.can_approve_post(scope_for(deputy), post)
    assert list(approvals_waiting(user=district.leader)) == [ordinary]
    assert list(approvals_waiting(user=deputy)) == [post]
    assert may_approve_anything(scope_for(deputy))
    with pytest.raises(NotAllowed) as refused:
        services.post_approve(actor=district.leader, post_id=post.pk)
    assert refused.value.message == "专项稿件由专项负责人审核。"
    services.post_approve(actor=deputy, post_id=post.pk)  # no role in the unit, yet it may
    assert Post.objects.get(pk=post.pk).status == PostStatus.SCHEDULED


def test_the_authority_names_the_approvers_and_the_review_page(
    district: District,
    platform: FakeConnector,
    authority: Any,
    deputy: Any,
    client: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from govmatrix.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        post = submitted(district, text="【专项】" + TEXT)
    note = Notification.objects.get(verb="post.submitted")
    assert note.recipient == deputy and note.link == f"/special/{post.pk}/"
    client.force_login(deputy)
    response = client.get(f"/publishing/review/{post.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/special/{post.pk}/"


def test_governed_posts_go_out_while_scheduled_publishing_is_paused(
    district: District, platform: FakeConnector, authority: Any, deputy: Any
) -> None:
    services.publishing_pause(actor=district.office_admin, note="测试")
    special = submitted(district, text="【专项】" + TEXT)
    services.post_approve(actor=deputy, post_id=special.pk)
    ordinary = submitted(district)
    services.post_approve(actor=district.leader, post_id=ordinary.pk)
    assert services.post_publish(post_id=ordinary.pk) is False
    assert services.posts_publish_due() == 1
    assert Post.objects.get(pk=special.pk).status == PostStatus.PUBLISHING
    assert Post.objects.get(pk=ordinary.pk).status == PostStatus.SCHEDULED


def test_the_published_callback_hears_each_post_in_the_publishing_transaction(
    district: District,
    platform: FakeConnector,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    heard: list[tuple[int, str]] = []
    monkeypatch.setattr(publishing_module, "_PUBLISHED_CALLBACKS", [])
    callback = lambda post: heard.append((post.pk, post.status))  # noqa: E731
    publishing_module.register_published_callback(callback)
    publishing_module.register_published_callback(callback)  # registered once
    post = submitted(district)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(actor=district.leader, post_id=post.pk)
    assert heard == [(post.pk, PostStatus.PUBLISHED)]


def test_a_failing_callback_undoes_the_record_of_the_publication(
    district: District,
    platform: FakeConnector,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    def broken(post: Any) -> None:
        raise RuntimeError("broken listener")

    monkeypatch.setattr(publishing_module, "_PUBLISHED_CALLBACKS", [broken])
    post = submitted(district)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(actor=district.leader, post_id=post.pk)
    # Nothing of the outcome is recorded: the call stays claimed until its lease runs out and
    # the sweeper records it again (the platform recognises the repeated key).
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHING
    from govmatrix.platforms.models import OutboxOperation

    assert OutboxOperation.objects.get(subject_id=str(post.pk)).state == "running"
