"""Who hears about what in an incident. Repost orders reach many people at once: every
function here makes one query for the recipients and one bulk insert, whatever their number."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govmatrix.emergency.models import Incident, RepostOrder, Statement
from govmatrix.notifications.services import notify, office_users
from govmatrix.org.models import Role
from govmatrix.org.permissions import UNIT_LEADER_ROLES


def _excerpt(text: str, length: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _time(moment: object) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")  # type: ignore[arg-type]


def _without(users: Iterable[User], actor_id: int | None) -> list[User]:
    return [u for u in users if u.pk != actor_id]


def incident_link(incident: Incident) -> str:
    return reverse("emergency:incident", args=[incident.pk])


def commander_user(incident: Incident) -> list[User]:
    user = incident.commander.user
    return [user] if user is not None else []


def notify_declared(incident: Incident, actor_id: int | None) -> None:
    notify(
        recipients=commander_user(incident),
        verb="incident.commander_named",
        text=_("您被指定为突发事件「%(title)s」的现场最高领导，应对口径须经您审核后由主账号发布。")
        % {"title": incident.title},
        link=incident_link(incident),
    )
    notify(
        recipients=_without(office_users(), actor_id),
        verb="incident.declared",
        text=_("已宣布突发事件「%(title)s」（%(level)s）。")
        % {"title": incident.title, "level": incident.get_level_display()},
        link=incident_link(incident),
    )


def notify_stood_down(incident: Incident, actor_id: int | None) -> None:
    notify(
        recipients=_without([*office_users(), *commander_user(incident)], actor_id),
        verb="incident.stood_down",
        text=_("突发事件「%(title)s」已结束。") % {"title": incident.title},
        link=incident_link(incident),
    )


def notify_statement_published(statement: Statement) -> None:
    incident = statement.incident
    notify(
        recipients=[*office_users(), *commander_user(incident)],
        verb="statement.published",
        text=_("「%(title)s」的%(label)s已由主账号发布：%(text)s")
        % {
            "title": incident.title,
            "label": statement.label,
            "text": _excerpt(statement.post.text),
        },
        link=incident_link(incident),
    )


# --- repost orders: one query for the people, one insert for the notifications ----------------
def _operators_of(orders: QuerySet[RepostOrder]) -> QuerySet[User]:
    """The serving operators of the orders' units, and the people who run the accounts."""
    return (
        get_user_model()
        .objects.filter(is_active=True, person__is_active=True)
        .filter(
            Q(
                person__memberships__unit_id__in=orders.values("unit_id"),
                person__memberships__role=Role.OPERATOR,
                person__memberships__ended_on__isnull=True,
            )
            | Q(person__operated_accounts__in=orders.values("account_id"))
        )
        .distinct()
    )


def _leaders_of(orders: QuerySet[RepostOrder]) -> QuerySet[User]:
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            person__is_active=True,
            person__memberships__unit_id__in=orders.values("unit_id"),
            person__memberships__role__in=list(UNIT_LEADER_ROLES),
            person__memberships__ended_on__isnull=True,
        )
        .distinct()
    )


def orders_link(statement: Statement) -> str:
    return reverse("emergency:orders") + f"?statement={statement.pk}"


def notify_orders_created(
    statement: Statement, orders: QuerySet[RepostOrder], post: Any | None = None
) -> int:
    """`post`: the post the orders repost (the statement's, or its platform's copy)."""
    post = post if post is not None else statement.post
    due = orders.values_list("due_at", flat=True).first()
    return notify(
        recipients=_operators_of(orders),
        verb="repost_order.created",
        text=_("转发任务：请在 %(due)s 前转发「%(account)s」的%(label)s「%(text)s」。")
        % {
            "due": _time(due) if due else "",
            "account": post.account.display_name,
            "label": statement.label,
            "text": _excerpt(post.text, 24),
        },
        link=orders_link(statement),
    )


def notify_reminder(statement: Statement, orders: QuerySet[RepostOrder]) -> int:
    due = orders.values_list("due_at", flat=True).first()
    return notify(
        recipients=_operators_of(orders),
        verb="repost_order.reminded",
        text=_("转发任务即将到期（%(due)s）：「%(title)s」的%(label)s尚未转发。")
        % {
            "due": _time(due) if due else "",
            "title": statement.incident.title,
            "label": statement.label,
        },
        link=orders_link(statement),
    )


def notify_escalated(statement: Statement, orders: QuerySet[RepostOrder]) -> int:
    return notify(
        recipients=_leaders_of(orders),
        verb="repost_order.escalated",
        text=_("本单位超时未转发「%(title)s」的%(label)s，请督促运维人员立即转发。")
        % {"title": statement.incident.title, "label": statement.label},
        link=orders_link(statement),
    )


def notify_repost_failed(order: RepostOrder) -> None:
    people = [order.requested_by] if order.requested_by else []
    recipients = people or list(_operators_of(RepostOrder.objects.filter(pk=order.pk)))
    notify(
        recipients=recipients,
        verb="repost_order.failed",
        text=_("「%(account)s」转发失败（%(reason)s），请重试或在平台上转发后回填链接。")
        % {"account": order.account.display_name, "reason": _excerpt(order.last_error, 60)},
        link=reverse("emergency:order", args=[order.pk]),
        unit_id=order.unit_id,
    )
