"""The online-exchange board (网上交流): the office and the units' operators discuss questions
in threads. Everyone with a role in the district reads and posts; each post records its author
and the author's unit."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.org.permissions import Scope, require, scope_for
from govmatrix.training import rules
from govmatrix.training.models import BoardReply, BoardThread
from govmatrix.training.services.common import locked, office


def _author_unit(scope: Scope) -> int | None:
    if scope.office_unit_id in scope.unit_ids:
        return scope.office_unit_id
    return min(scope.unit_ids) if scope.unit_ids else None


def _member(actor: Actor) -> Scope:
    scope = scope_for(actor)
    require(rules.in_district(scope), _("只有本区政务微博工作人员可以参与网上交流。"))
    return scope


@transaction.atomic
def board_thread_create(*, actor: Actor, title: str, body: str) -> BoardThread:
    scope = _member(actor)
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not body.strip():
        errors["body"] = _("请填写内容。")
    if errors:
        raise ValidationFailed(errors)
    user = as_user(actor)
    assert user is not None
    thread = BoardThread.objects.create(
        title=title.strip()[:200], body=body.strip(), author=user,
        author_unit_id=_author_unit(scope), last_post_at=timezone.now(),
    )  # fmt: skip
    event_record(actor=actor, verb="board.thread_created", obj=thread,
                 unit_id=thread.author_unit_id)  # fmt: skip
    return thread


@transaction.atomic
def board_reply_create(*, actor: Actor, thread_id: int, body: str) -> BoardReply:
    scope = _member(actor)
    thread = locked(BoardThread, thread_id, _("交流主题"))
    if thread.is_closed:
        raise InvalidTransition(_("该主题已关闭，不能回复。"))
    if not body.strip():
        raise ValidationFailed({"body": _("请填写内容。")})
    user = as_user(actor)
    assert user is not None
    now = timezone.now()
    reply = BoardReply.objects.create(thread=thread, body=body.strip(), author=user,
                                      author_unit_id=_author_unit(scope), created_at=now)  # fmt: skip
    BoardThread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_post_at=now
    )
    event_record(actor=actor, verb="board.replied", obj=thread, unit_id=reply.author_unit_id,
                 data={"reply": reply.pk})  # fmt: skip
    return reply


@transaction.atomic
def board_thread_close(*, actor: Actor, thread_id: int) -> BoardThread:
    office(actor)
    thread = locked(BoardThread, thread_id, _("交流主题"))
    if not thread.is_closed:
        thread.is_closed = True
        thread.save(update_fields=["is_closed", "updated_at"])
        event_record(actor=actor, verb="board.thread_closed", obj=thread)
    return thread
