"""Reporting published posts to the office (报送, R3.2) and the office's review of them (R7.1).

REPORT_TRANSITIONS are the item's moves. Proposing that the main account reposts an item is
not a state of its own: it creates a draft post for the main account (linked to the original,
so it is published as a real repost where both accounts are on the same platform), records a
note on the item, and counts as the office's review of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import OPEN_STATUSES, Account
from govmatrix.matrix.selectors import main_accounts
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing import rules
from govmatrix.publishing.clocks import deadline_after
from govmatrix.publishing.models import (
    Post,
    ReportItem,
    ReportNote,
    ReportNoteKind,
    ReportState,
)
from govmatrix.publishing.selectors.office import publishing_settings
from govmatrix.publishing.services import notices

R = ReportState
REPORT_TRANSITIONS: dict[str, set[str]] = {
    R.NEW: {R.ACKNOWLEDGED, R.CORRECTION_REQUESTED},
    R.ACKNOWLEDGED: {R.CORRECTION_REQUESTED},
    R.CORRECTION_REQUESTED: {R.CORRECTION_ANSWERED, R.ACKNOWLEDGED},
    R.CORRECTION_ANSWERED: {R.ACKNOWLEDGED, R.CORRECTION_REQUESTED},
}

REPOST_DEFAULT_TEXT = "转发微博"


def report_item_create(*, post: Post) -> ReportItem:
    """The report of a post that has just been published, in the publishing transaction."""
    now = timezone.now()
    hours = publishing_settings().important_review_hours
    item = ReportItem.objects.create(
        post=post,
        unit=post.account.unit,
        account=post.account,
        important=post.important,
        reported_at=now,
        review_due_at=deadline_after(now, hours) if post.important else None,
    )
    event_record(
        actor=None,
        verb="report_item.created",
        obj=item,
        unit_id=item.unit_id,
        to_state=item.state,
        data={"post": post.pk, "important": item.important, "review_due_at": item.review_due_at},
    )
    transaction.on_commit(lambda: notices.notify_new_report(item))
    return item


def _locked_item(actor: Actor, item_id: int) -> ReportItem:
    item = (
        ReportItem.objects.select_for_update(of=("self",))
        .select_related("post", "post__author", "unit", "account")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not scope_for(actor).can_view_unit(item.unit_id):
        raise NotFound(_("报送不存在。"))
    return item


def _require_office(actor: Actor) -> None:
    require(rules.can_review_reports(scope_for(actor)), _("只有管理办公室审阅报送。"))


def _text_required(text: str, field: str = "text") -> str:
    if not text.strip():
        raise ValidationFailed({field: _("请填写内容。")})
    return text.strip()


def _mark_reviewed(item: ReportItem, actor: Actor) -> list[str]:
    if item.reviewed_at is not None:
        return []
    item.reviewed_at = timezone.now()
    item.reviewed_by = as_user(actor)
    return ["reviewed_at", "reviewed_by"]


def _move(
    item: ReportItem, *, to: str, actor: Actor, verb: str, note: str = "", also: Sequence[str] = ()
) -> None:
    transition(
        item,
        to=to,
        allowed=REPORT_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=item.unit_id,
        field="state",
        also_update=also,
        note=note,
    )


def _note(item: ReportItem, actor: Actor, kind: str, text: str) -> ReportNote:
    return ReportNote.objects.create(
        item=item, author=rules.acting_user(actor), kind=kind, text=text
    )


@transaction.atomic
def report_item_acknowledge(*, actor: Actor, item_id: int, comment: str = "") -> ReportItem:
    _require_office(actor)
    item = _locked_item(actor, item_id)
    also = _mark_reviewed(item, actor)
    _move(
        item,
        to=R.ACKNOWLEDGED,
        actor=actor,
        verb="report_item.acknowledged",
        note=comment.strip(),
        also=also,
    )
    _note(item, actor, ReportNoteKind.ACKNOWLEDGEMENT, comment.strip())
    return item


@transaction.atomic
def report_item_request_correction(*, actor: Actor, item_id: int, text: str) -> ReportItem:
    _require_office(actor)
    item = _locked_item(actor, item_id)
    request = _text_required(text)
    also = _mark_reviewed(item, actor)
    _move(
        item,
        to=R.CORRECTION_REQUESTED,
        actor=actor,
        verb="report_item.correction_requested",
        note=request,
        also=also,
    )
    _note(item, actor, ReportNoteKind.CORRECTION_REQUEST, request)
    message = _("管理办公室要求更正报送稿件：%(text)s") % {"text": request[:80]}
    transaction.on_commit(
        lambda: notices.notify_unit(item, "report_item.correction_requested", message, actor.pk)
    )
    return item


@transaction.atomic
def report_item_respond(*, actor: Actor, item_id: int, text: str) -> ReportItem:
    """The unit answers the office's request to correct a reported post."""
    item = _locked_item(actor, item_id)
    require(
        rules.can_answer_for_unit(scope_for(actor), item.unit_id), _("只有报送单位的人员可以答复。")
    )
    answer = _text_required(text)
    _move(
        item,
        to=R.CORRECTION_ANSWERED,
        actor=actor,
        verb="report_item.correction_answered",
        note=answer,
    )
    _note(item, actor, ReportNoteKind.CORRECTION_RESPONSE, answer)
    message = _("%(unit)s已答复更正要求：%(text)s") % {"unit": item.unit.name, "text": answer[:80]}
    transaction.on_commit(
        lambda: notices.notify_office(item, "report_item.correction_answered", message, actor.pk)
    )
    return item


@transaction.atomic
def report_item_comment(*, actor: Actor, item_id: int, text: str) -> ReportNote:
    item = _locked_item(actor, item_id)
    scope = scope_for(actor)
    office = rules.can_review_reports(scope)
    require(
        office or rules.can_answer_for_unit(scope, item.unit_id), _("您不能对这条报送发表意见。")
    )
    body = _text_required(text)
    note = _note(item, actor, ReportNoteKind.COMMENT, body)
    event_record(
        actor=actor, verb="report_item.commented", obj=item, unit_id=item.unit_id, note=body
    )
    if office:
        message = _("管理办公室对报送稿件提出意见：%(text)s") % {"text": body[:80]}
        transaction.on_commit(
            lambda: notices.notify_unit(item, "report_item.commented", message, actor.pk)
        )
    else:
        message = _("%(unit)s对报送稿件留言：%(text)s") % {
            "unit": item.unit.name,
            "text": body[:80],
        }
        transaction.on_commit(
            lambda: notices.notify_office(item, "report_item.commented", message, actor.pk)
        )
    return note


def _main_account(platform: str) -> Account:
    """The main account that reposts: the one on the post's platform (a real repost), or else
    the primary one (which quotes the post with its link)."""
    open_mains = main_accounts().filter(status__in=OPEN_STATUSES)
    account = open_mains.filter(platform=platform).first() or open_mains.first()
    if account is None:
        raise InvalidTransition(_("没有在运行的主账号。"))
    return account


def _repost_text(item: ReportItem, main: Account) -> str:
    if item.post.external_id and item.account.platform == main.platform:
        return REPOST_DEFAULT_TEXT
    # Different platforms: a repost is impossible, so the draft quotes the post with its link.
    excerpt = item.post.text if len(item.post.text) <= 100 else item.post.text[:99] + "…"
    return f"【转发 {item.account.display_name}】{excerpt} {item.post.public_url}".strip()


@transaction.atomic
def report_item_propose_repost(*, actor: Actor, item_id: int, comment: str = "") -> Post:
    """Propose that the main account reposts the item: a draft post for the main account."""
    from govmatrix.publishing.services.editing import post_create

    _require_office(actor)
    item = _locked_item(actor, item_id)
    if item.repost_post_id is not None:
        raise InvalidTransition(_("已建议主账号转发这条报送。"))
    main = _main_account(item.account.platform)
    if item.account_id == main.pk:
        raise InvalidTransition(_("这是主账号自己的稿件，无需转发。"))
    post = post_create(
        actor=actor,
        account_id=main.pk,
        text=comment.strip() or _repost_text(item, main),
        topic_ids=list(item.post.topics.values_list("pk", flat=True)),
        important=item.important,
        repost_of_id=item.post_id,
    )
    item.repost_post = post
    also = ["repost_post", *_mark_reviewed(item, actor)]
    if R.ACKNOWLEDGED in REPORT_TRANSITIONS[item.state]:
        _move(item, to=R.ACKNOWLEDGED, actor=actor, verb="report_item.acknowledged", also=also)
    else:
        item.save(update_fields=[*also, "updated_at"])
    _note(item, actor, ReportNoteKind.REPOST_PROPOSAL, comment.strip())
    event_record(
        actor=actor,
        verb="report_item.repost_proposed",
        obj=item,
        unit_id=item.unit_id,
        data={"repost_post": post.pk, "main_account": main.pk},
    )
    return post


def report_items_notify_overdue(*, now: datetime | None = None) -> int:
    """Tell the office, once, about each important item past its review time; returns how many."""
    moment = now or timezone.now()
    due = ReportItem.objects.filter(
        important=True,
        reviewed_at__isnull=True,
        review_due_at__lt=moment,
        overdue_notified_at__isnull=True,
    ).values_list("pk", flat=True)
    told = 0
    for item_id in list(due[:500]):
        with transaction.atomic():
            # The claim: only one worker's UPDATE finds the item not yet told.
            if not ReportItem.objects.filter(pk=item_id, overdue_notified_at__isnull=True).update(
                overdue_notified_at=moment
            ):
                continue
            item = ReportItem.objects.select_related("unit", "post").get(pk=item_id)
            event_record(
                actor=None,
                verb="report_item.overdue",
                obj=item,
                unit_id=item.unit_id,
                data={"review_due_at": item.review_due_at},
            )
            transaction.on_commit(lambda item=item: notices.notify_overdue_report(item))  # type: ignore[misc]
            told += 1
    return told
