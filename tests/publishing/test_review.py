"""Who approves (R5.1), what an approval records, and what an edit after approval does."""

from __future__ import annotations

import pytest
from django.test import Client

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.notifications.models import Notification
from govmatrix.publishing import services
from govmatrix.publishing.models import PostStatus, Review
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import approved, draft, reload, submitted


def test_an_operator_cannot_approve_and_nothing_changes(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    events = Event.objects.count()
    with pytest.raises(NotAllowed):
        services.post_approve(actor=district.operator, post_id=post.pk)
    assert reload(post).status == PostStatus.SUBMITTED and Event.objects.count() == events


@pytest.mark.parametrize("who", ["charge", "inspector", "office_admin", "office_inspector"])
def test_only_the_principal_leader_approves_a_street_post(
    district: District, platform: FakeConnector, who: str
) -> None:
    post = submitted(district)
    with pytest.raises(NotAllowed):
        services.post_approve(actor=getattr(district, who), post_id=post.pk)
    with pytest.raises(NotAllowed):
        services.post_return(actor=getattr(district, who), post_id=post.pk, comment="不行")
    assert reload(post).status == PostStatus.SUBMITTED


def test_another_units_principal_leader_cannot_even_see_the_post(
    district: District, platform: FakeConnector, west_leader: object
) -> None:
    post = submitted(district)
    with pytest.raises(NotFound):
        services.post_approve(actor=west_leader, post_id=post.pk)
    assert reload(post).status == PostStatus.SUBMITTED


def test_the_office_approves_for_the_main_account_and_not_for_a_street(
    district: District, platform: FakeConnector
) -> None:
    main_post = submitted(district, author=district.office_admin, account=district.main_account)
    services.post_approve(actor=district.office_admin, post_id=main_post.pk)
    assert reload(main_post).status == PostStatus.SCHEDULED
    street_post = submitted(district)
    with pytest.raises(NotAllowed):
        services.post_approve(actor=district.office_admin, post_id=street_post.pk)
    main_again = submitted(district, author=district.office_admin, account=district.main_account)
    with pytest.raises(NotFound):  # a street's leader does not see the main account's posts
        services.post_approve(actor=district.leader, post_id=main_again.pk)


def test_an_inspector_reads_and_cannot_write(district: District, platform: FakeConnector) -> None:
    with pytest.raises(NotAllowed):
        draft(district, author=district.inspector)
    post = draft(district)
    with pytest.raises(NotAllowed):
        services.post_submit(actor=district.inspector, post_id=post.pk)
    with pytest.raises(NotAllowed):
        services.post_update(actor=district.office_inspector, post_id=post.pk, text="改")
    client = Client()
    client.force_login(district.inspector)
    page = client.get(f"/publishing/{post.pk}/").content.decode()
    assert post.text in page and 'data-testid="edit-post"' not in page


def test_a_leader_approving_their_own_draft_is_recorded_as_a_self_approval(
    district: District, platform: FakeConnector
) -> None:
    own = submitted(district, author=district.leader)
    services.post_approve(actor=district.leader, post_id=own.pk, comment="同意")
    review = Review.objects.get(post=own)
    assert review.self_approval is True and review.comment == "同意"
    event = Event.objects.get(verb="post.approved", object_id=str(own.pk))
    assert event.data["self_approval"] is True and event.note == "同意"
    other = submitted(district)
    services.post_approve(actor=district.leader, post_id=other.pk)
    assert Review.objects.get(post=other).self_approval is False


def test_returning_needs_comments_which_reach_the_author(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    with pytest.raises(ValidationFailed) as refused:
        services.post_return(actor=district.leader, post_id=post.pk, comment="  ")
    assert set(refused.value.errors) == {"comment"}
    services.post_return(actor=district.leader, post_id=post.pk, comment="请写明活动时间")
    assert reload(post).status == PostStatus.RETURNED
    assert Review.objects.get(post=post).decision == "returned"


def test_editing_a_scheduled_post_sends_it_back_to_draft_and_the_approver_sees_the_diff(
    district: District, platform: FakeConnector
) -> None:
    post = approved(district, text="本周六上午在文化广场举办义诊活动。")
    assert reload(post).status == PostStatus.SCHEDULED
    services.post_update(
        actor=district.operator, post_id=post.pk, text="本周日上午在文化广场举办义诊活动。"
    )
    post = reload(post)
    assert post.status == PostStatus.DRAFT and post.version == 2
    assert post.approved_text == "本周六上午在文化广场举办义诊活动。"
    reopened = Event.objects.get(verb="post.reopened", object_id=str(post.pk))
    assert (reopened.from_state, reopened.to_state) == ("scheduled", "draft")
    services.post_submit(actor=district.operator, post_id=post.pk)
    client = Client()
    client.force_login(district.leader)
    page = client.get(f"/publishing/review/{post.pk}/").content.decode()
    assert "与上次通过的版本相比" in page
    assert '<del class="gm-del" aria-label="删除">六</del>' in page
    assert '<ins class="gm-ins" aria-label="新增">日</ins>' in page


def test_an_approval_of_a_version_the_leader_did_not_read_is_refused(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    services.post_withdraw(actor=district.operator, post_id=post.pk)
    services.post_update(actor=district.operator, post_id=post.pk, text="改过的正文。")
    services.post_submit(actor=district.operator, post_id=post.pk)
    with pytest.raises(InvalidTransition):
        services.post_approve(actor=district.leader, post_id=post.pk, version=1)
    services.post_approve(actor=district.leader, post_id=post.pk, version=2)
    assert reload(post).approved_version == 2


def test_at_most_one_review_is_open_for_a_post(district: District, platform: FakeConnector) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    post = submitted(district)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            post=post,
            version=1,
            text=post.text,
            submitted_by=district.operator,
            submitted_at=timezone.now(),
        )


def test_a_post_cannot_be_scheduled_in_a_version_nobody_approved(
    district: District, platform: FakeConnector
) -> None:
    from django.db import IntegrityError, transaction

    from govmatrix.publishing.models import Post

    post = approved(district)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(version=5)


def test_submitting_tells_the_approver_and_deciding_tells_the_author(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        post = submitted(district)
    assert (
        Notification.objects.filter(recipient=district.leader, verb="post.submitted").count() == 1
    )
    assert not Notification.objects.filter(recipient=district.charge).exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.post_return(actor=district.leader, post_id=post.pk, comment="标题太长")
    note = Notification.objects.get(recipient=district.operator, verb="post.returned")
    assert "标题太长" in note.text and note.link == f"/publishing/{post.pk}/"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.post_submit(actor=district.operator, post_id=post.pk)
        services.post_approve(actor=district.leader, post_id=post.pk)
    verbs = set(
        Notification.objects.filter(recipient=district.operator).values_list("verb", flat=True)
    )
    assert {"post.returned", "post.approved", "post.published"} <= verbs


def test_a_failure_is_told_to_the_author(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: object
) -> None:
    from govmatrix.platforms.base import ContentRejected

    platform.fail_with.append(ContentRejected("文本过长"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        approved(district)
    assert (
        "文本过长" in Notification.objects.get(recipient=district.operator, verb="post.failed").text
    )
