"""Who hears about what in the inbox. Each function is started with `on_commit` by a service
(or called by the sweeper, which runs outside any request)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.inbox.models import Message, Reply
from govmatrix.matrix.models import AccountKind
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.models import Role, UnitKind
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, UNIT_LEADER_ROLES


def excerpt(text: str, length: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _others(users: Iterable[User | None], actor_id: int | None) -> list[User | None]:
    return [u for u in users if u is None or u.pk != actor_id]


def message_link(message: Message) -> str:
    return reverse("inbox:message", args=[message.pk])


def reply_approvers(message: Message) -> list[User]:
    """The principal leader of the unit answering for it; the office where rules let it."""
    if message.unit_id is None:
        return []
    approvers = users_with_role(unit_id=message.unit_id, roles=[Role.PRINCIPAL_LEADER])
    unit = message.unit
    if (unit is not None and unit.kind == UnitKind.OFFICE) or (
        message.unit_id == message.account.unit_id and message.account.kind == AccountKind.MAIN
    ):
        approvers += office_users()
    return approvers


def unit_staff(message: Message) -> list[User]:
    """Whoever works the message: its assignee, else the unit's operators and leaders."""
    if message.assignee is not None:
        return [message.assignee]
    if message.unit_id is None:
        return office_users()
    return users_with_role(unit_id=message.unit_id, roles=UNIT_EDITOR_ROLES)


def notify_reply_submitted(reply: Reply, actor_id: int | None) -> None:
    message = reply.message
    notify(
        recipients=_others(reply_approvers(message), actor_id),
        verb="reply.submitted",
        text=_("有答复待您审核：%(text)s（网民 %(who)s）")
        % {"text": excerpt(reply.text), "who": message.author_name},
        link=reverse("inbox:reply_review", args=[reply.pk]),
        unit_id=message.unit_id,
    )


def notify_reply_author(reply: Reply, verb: str, text: str, actor_id: int | None = None) -> None:
    notify(
        recipients=_others([reply.author, reply.message.assignee], actor_id),
        verb=verb,
        text=text,
        link=message_link(reply.message),
        unit_id=reply.message.unit_id,
    )


def notify_reply_returned(reply: Reply, comment: str, actor_id: int | None) -> None:
    notify_reply_author(
        reply,
        "reply.returned",
        _("您的答复被退回：%(comment)s（%(text)s）")
        % {"comment": excerpt(comment, 60), "text": excerpt(reply.text, 20)},
        actor_id,
    )


def notify_reply_published(reply: Reply) -> None:
    notify_reply_author(
        reply, "reply.published", _("答复已发布：%(text)s") % {"text": excerpt(reply.text)}
    )


def notify_reply_failed(reply: Reply) -> None:
    notify_reply_author(
        reply,
        "reply.failed",
        _("答复发布失败（%(reason)s）：%(text)s")
        % {"reason": excerpt(reply.failure_message, 60), "text": excerpt(reply.text, 20)},
    )


def notify_deadline_near(message: Message, stage: str) -> int:
    what = _("首次答复") if stage == "ack" else _("办结")
    return notify(
        recipients=unit_staff(message),
        verb="message.deadline_near",
        text=_("留言即将超过%(what)s时限：%(text)s")
        % {"what": what, "text": excerpt(message.text)},
        link=message_link(message),
        unit_id=message.unit_id,
    )


def notify_overdue(message: Message, stage: str) -> int:
    """An overdue message escalates to the unit's leaders and to the office."""
    what = _("首次答复") if stage == "ack" else _("办结")
    leaders = (
        users_with_role(unit_id=message.unit_id, roles=UNIT_LEADER_ROLES) if message.unit_id else []
    )
    unit_name = message.unit.name if message.unit else _("待分办")
    return notify(
        recipients=[*leaders, *office_users(), *unit_staff(message)],
        verb="message.overdue",
        text=_("【超时】%(unit)s 的留言已超过%(what)s时限：%(text)s")
        % {"unit": unit_name, "what": what, "text": excerpt(message.text)},
        link=message_link(message),
        unit_id=message.unit_id,
    )


def notify_followup(message: Message) -> int:
    return notify(
        recipients=unit_staff(message),
        verb="message.followup_due",
        text=_("已答复的留言尚未办结，请核实进展并续报：%(text)s")
        % {"text": excerpt(message.text)},
        link=message_link(message),
        unit_id=message.unit_id,
    )


def notify_trend(text: str, link: str) -> int:
    return notify(recipients=office_users(), verb="trend.spike", text=text, link=link)
