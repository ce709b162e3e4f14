"""Reads of replies and of the wording library, scoped to what the user may see."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.inbox import clocks, rules
from govmatrix.inbox.models import Message, Reply, ReplyReview, ReplyState, Wording
from govmatrix.matrix.models import AccountKind
from govmatrix.org.models import Role, UnitKind
from govmatrix.org.permissions import scope_for
from govmatrix.platforms.models import OutboxOperation
from govmatrix.textintel.classify import search_words


def visible_replies(user: Actor) -> QuerySet[Reply]:
    rows = Reply.objects.select_related(
        "message", "message__account", "message__unit", "author", "approved_by", "wording"
    )
    visible = scope_for(user).visible_unit_ids
    if visible is None:
        return rows
    return rows.filter(Q(message__unit_id__in=visible) | Q(message__account__unit_id__in=visible))


def reply_get(*, user: Actor, reply_id: int) -> Reply:
    reply = visible_replies(user).filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("答复不存在。"))
    return reply


def replies_of(message: Message) -> QuerySet[Reply]:
    return message.replies.select_related("author", "approved_by", "wording").order_by(
        "created_at", "id"
    )


def approvals_waiting(*, user: Actor) -> QuerySet[Reply]:
    """Replies the user may approve, oldest submission first (the leader's phone list)."""
    scope = scope_for(user)
    rows = visible_replies(user).filter(state=ReplyState.SUBMITTED)
    principal_units = [u for u, role in scope.roles if role == Role.PRINCIPAL_LEADER]
    mine = Q(message__unit_id__in=principal_units)
    if scope.is_office_admin:
        # The rule of `rules.can_approve_reply`: the office's own messages, and the main
        # account's messages that stay with the main account's unit.
        mine |= Q(message__unit__kind=UnitKind.OFFICE) | (
            Q(message__account__kind=AccountKind.MAIN)
            & Q(message__unit_id=F("message__account__unit_id"))
        )
    return rows.filter(mine).order_by("updated_at", "id")


def approvals_count(*, user: Actor) -> int:
    if not rules.may_approve_any_reply(scope_for(user)):
        return 0
    return approvals_waiting(user=user).count()


def open_review(reply: Reply) -> ReplyReview | None:
    return reply.reviews.filter(decision="").first()


def last_returned_review(reply: Reply) -> ReplyReview | None:
    return reply.reviews.filter(decision="returned").order_by("-decided_at").first()


def reply_operation(reply: Reply) -> OutboxOperation | None:
    return (
        OutboxOperation.objects.filter(subject_type="inbox.reply", subject_id=str(reply.pk))
        .order_by("-created_at")
        .first()
    )


def waiting_of(message: Message, *, until: datetime | None = None) -> clocks.Waiting:
    """Working time the citizen waited for the first answer (or until now), staff vs leader."""
    from django.utils import timezone

    end = message.first_response_at or until or timezone.now()
    spans = []
    for submitted, decided in ReplyReview.objects.filter(reply__message=message).values_list(
        "submitted_at", "decided_at"
    ):
        spans.append((submitted, decided or end))
    return clocks.waiting_split(message.received_at, end, spans)


# --- the wording library ------------------------------------------------------------------------
def wordings_for(*, user: Actor, unit_id: int | None = None, q: str = "") -> QuerySet[Wording]:
    """The district's wordings and the unit's own (all of them for the office)."""
    scope = scope_for(user)
    rows = Wording.objects.filter(is_active=True).select_related("topic", "unit", "approved_by")
    if not scope.sees_all:
        rows = rows.filter(Q(unit__isnull=True) | Q(unit_id__in=scope.unit_ids))
    if unit_id is not None:
        rows = rows.filter(Q(unit__isnull=True) | Q(unit_id=unit_id))
    for word in search_words(q)[:8] if q.strip() else []:
        rows = rows.filter(Q(search_text__contains=word) | Q(title__contains=word))
    return rows.order_by("-times_used", "-updated_at")


@lru_cache(maxsize=4)
def _wording_index(signature: tuple[int, str]) -> tuple[list[int], Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = list(Wording.objects.filter(is_active=True).values_list("pk", "search_text"))
    if not rows:
        return [], None, None
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    matrix = vectorizer.fit_transform([text or "" for _pk, text in rows])
    return [pk for pk, _t in rows], vectorizer, matrix


def suggest_wordings(
    message: Message, *, user: Actor, limit: int = 3
) -> list[tuple[Wording, float]]:
    """Wordings most like the message: cosine similarity of TF-IDF over jieba words.

    Among the wordings the user may use for the message's unit; the same topic adds a little.
    """
    signature = (
        Wording.objects.filter(is_active=True).count(),
        str(Wording.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()),
    )
    ids, vectorizer, matrix = _wording_index(signature)
    if not ids or vectorizer is None:
        return []
    query = vectorizer.transform([message.search_text or " ".join(search_words(message.text))])
    scores = (matrix @ query.T).toarray().ravel()
    allowed = {w.pk: w for w in wordings_for(user=user, unit_id=message.unit_id)}
    ranked = []
    for pk, score in zip(ids, scores, strict=True):
        wording = allowed.get(pk)
        if wording is None:
            continue
        bonus = 0.05 if message.topic_id and wording.topic_id == message.topic_id else 0.0
        if score + bonus > 0:
            ranked.append((wording, round(float(score) + bonus, 3)))
    ranked.sort(key=lambda item: -item[1])
    return ranked[:limit]
