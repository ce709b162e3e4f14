"""Answering public opinion (R3.3): rumour rebuttals drafted from messages, authoritative posts
opened from a trend, and the office's alert when a trend spikes.

A rebuttal is a post in publishing's normal flow (draft → principal leader → outbox → the
platform → reported to the office), linked to the messages it answers. Once the post is
published, the sweeper drafts one reply per linked message pointing to it and submits it to
the leader of the unit answering for that message — a reply is never published unapproved
(R5.1) — and each citizen then gets it under their own message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.inbox import rules
from govmatrix.inbox.models import MessageState, Rebuttal, TrendAlert
from govmatrix.inbox.selectors import trends
from govmatrix.inbox.selectors.messages import visible_messages
from govmatrix.inbox.services import notices
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing import services as publishing

logger = logging.getLogger(__name__)

# publishing's state of a published post (its models are read through the relation only).
PUBLISHED = "published"
DEFAULT_REPLY_TEXT = "您好，关于您反映的情况，权威信息已发布，请以此为准："


def _require_office(actor: Actor) -> None:
    require(scope_for(actor).is_office_admin, _("辟谣和权威信息由管理办公室发起。"))


@transaction.atomic
def rebuttal_create(
    *,
    actor: Actor,
    message_ids: Sequence[int],
    account_id: int,
    text: str,
    reply_text: str = DEFAULT_REPLY_TEXT,
    submit: bool = True,
) -> Rebuttal:
    """Draft the clarification post (and send it for approval), linked to the messages."""
    _require_office(actor)
    ids = sorted(set(message_ids))
    messages = list(visible_messages(actor).filter(pk__in=ids))
    if not ids or len(messages) != len(ids):
        raise ValidationFailed({"message_ids": _("请选择要澄清的留言。")})
    if not (reply_text or "").strip():
        raise ValidationFailed({"reply_text": _("请写明回复网民的文字。")})
    post = publishing.post_create(actor=actor, account_id=account_id, text=text, important=True)
    if submit:
        post = publishing.post_submit(actor=actor, post_id=post.pk)
    rebuttal = Rebuttal.objects.create(
        post=post, reply_text=reply_text.strip(), created_by=rules.acting_user(actor)
    )
    rebuttal.messages.set(messages)
    event_record(
        actor=actor,
        verb="rebuttal.created",
        obj=rebuttal,
        data={"post": post.pk, "messages": ids, "submitted": submit},
    )
    return rebuttal


def _absolute(url: str, profile_url: str) -> str:
    """A local platform's path made whole with the account's public address, when known."""
    if not url.startswith("/") or not profile_url:
        return url
    parts = urlsplit(profile_url)
    return f"{parts.scheme}://{parts.netloc}{url}" if parts.scheme and parts.netloc else url


def rebuttal_replies_draft(*, rebuttal_id: int) -> int:
    """Once its post is published: a reply to every linked message, sent for approval."""
    from govmatrix.inbox.services.replies import reply_create, reply_submit

    with transaction.atomic():
        claimed = Rebuttal.objects.filter(
            pk=rebuttal_id,
            replies_drafted_at__isnull=True,
            post__status=PUBLISHED,
        ).update(replies_drafted_at=timezone.now())
        if claimed != 1:
            return 0
        rebuttal = Rebuttal.objects.select_related("post", "post__account", "created_by").get(
            pk=rebuttal_id
        )
        link = _absolute(rebuttal.post.public_url, rebuttal.post.account.profile_url)
        text = f"{rebuttal.reply_text}{link}" if link else rebuttal.reply_text
        drafted = 0
        for message in rebuttal.messages.select_related("account").order_by("pk"):
            if message.state not in (MessageState.OPEN, MessageState.ANSWERED):
                continue  # closed, merged or still in triage: nothing to answer here
            reply = reply_create(
                actor=rebuttal.created_by,
                message_id=message.pk,
                text=text,
                rebuttal_id=rebuttal.pk,
            )
            reply_submit(actor=rebuttal.created_by, reply_id=reply.pk)
            drafted += 1
        event_record(
            actor=None,
            actor_name="system",
            verb="rebuttal.replies_drafted",
            obj=rebuttal,
            data={"post": rebuttal.post_id, "replies": drafted},
        )
    return drafted


def rebuttals_sweep() -> int:
    """Every rebuttal whose post has been published and whose replies are not drafted yet."""
    due = Rebuttal.objects.filter(
        replies_drafted_at__isnull=True, post__status=PUBLISHED
    ).values_list("pk", flat=True)
    return sum(rebuttal_replies_draft(rebuttal_id=pk) for pk in list(due[:100]))


@transaction.atomic
def authoritative_post_open(*, actor: Actor, account_id: int, text: str) -> Any:
    """An authoritative post (权威信息) drafted from a trend, for the office to finish."""
    _require_office(actor)
    post = publishing.post_create(actor=actor, account_id=account_id, text=text, important=True)
    event_record(actor=actor, verb="trend.post_opened", obj=post, data={"post": post.pk})
    return post


def trend_alerts_check(*, now: datetime | None = None) -> int:
    """Alert the office to each new spike once per item, window and day."""
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    created = 0
    for window, item in trends.spikes(now=now):
        with transaction.atomic():
            alert, made = TrendAlert.objects.get_or_create(
                dimension=item.dimension,
                key=item.key[:100],
                window=window,
                day=day,
                defaults={"count": item.count, "expected": item.expected, "score": item.z},
            )
            if not made:
                continue
            event_record(
                actor=None,
                actor_name="system",
                verb="trend.spike",
                obj=alert,
                data={
                    "item": item.label,
                    "window": window,
                    "count": item.count,
                    "expected": item.expected,
                    "z": item.z,
                },
            )
        label = {"24h": _("近 24 小时"), "7d": _("近 7 天")}[window]
        notices.notify_trend(
            _("【舆情】%(what)s %(window)s 留言 %(n)d 条，平时约 %(e).1f 条，请关注。")
            % {"what": item.label, "window": label, "n": item.count, "e": item.expected},
            f"{reverse('inbox:trends')}?window={window}",
        )
        created += 1
    return created
