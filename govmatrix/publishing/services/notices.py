"""Who hears about what in publishing. Each function is started with `on_commit` by a service."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.matrix.models import AccountKind
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.models import Role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES
from govmatrix.publishing import rules
from govmatrix.publishing.models import Post, ReportItem


def _excerpt(text: str, length: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _others(users: Iterable[User | None], actor_id: int | None) -> list[User | None]:
    return [u for u in users if u is None or u.pk != actor_id]


def post_link(post: Post) -> str:
    return reverse("publishing:post_detail", args=[post.pk])


def approvers_of(post: Post) -> list[User]:
    authority = rules.authority_for(post)
    if authority is not None:
        return authority.approvers(post)
    approvers = users_with_role(unit_id=post.account.unit_id, roles=[Role.PRINCIPAL_LEADER])
    if post.account.kind == AccountKind.MAIN:
        approvers += office_users()
    return approvers


def notify_submitted(post: Post, actor_id: int | None) -> None:
    notify(
        recipients=_others(approvers_of(post), actor_id),
        verb="post.submitted",
        text=_("「%(account)s」有稿件待您审核：%(text)s")
        % {"account": post.account.display_name, "text": _excerpt(post.text)},
        link=rules.review_url(post),
        unit_id=post.account.unit_id,
    )


def notify_author(post: Post, verb: str, text: str, actor_id: int | None = None) -> None:
    notify(
        recipients=_others([post.author], actor_id),
        verb=verb,
        text=text,
        link=post_link(post),
        unit_id=post.account.unit_id,
    )


def notify_returned(post: Post, comment: str, actor_id: int | None) -> None:
    notify_author(
        post,
        "post.returned",
        _("您的稿件被退回：%(comment)s（%(text)s）")
        % {"comment": _excerpt(comment, 60), "text": _excerpt(post.text, 20)},
        actor_id,
    )


def notify_approved(post: Post, actor_id: int | None) -> None:
    notify_author(
        post,
        "post.approved",
        _("您的稿件已通过审核：%(text)s") % {"text": _excerpt(post.text)},
        actor_id,
    )


def notify_published(post: Post) -> None:
    notify_author(
        post, "post.published", _("您的稿件已发布：%(text)s") % {"text": _excerpt(post.text)}
    )


def notify_failed(post: Post) -> None:
    notify_author(
        post,
        "post.failed",
        _("您的稿件发布失败（%(reason)s）：%(text)s")
        % {"reason": _excerpt(post.failure_message, 60), "text": _excerpt(post.text, 20)},
    )


def report_link(item: ReportItem) -> str:
    return reverse("publishing:report_detail", args=[item.pk])


def notify_new_report(item: ReportItem) -> None:
    prefix = _("【重要】") if item.important else ""
    notify(
        recipients=office_users(),
        verb="report_item.created",
        text=_("%(prefix)s%(unit)s报送：%(text)s")
        % {"prefix": prefix, "unit": item.unit.name, "text": _excerpt(item.post.text)},
        link=report_link(item),
        unit_id=item.unit_id,
    )


def notify_overdue_report(item: ReportItem) -> None:
    notify(
        recipients=office_users(),
        verb="report_item.overdue",
        text=_("重要报送已超过审阅时限：%(unit)s · %(text)s")
        % {"unit": item.unit.name, "text": _excerpt(item.post.text)},
        link=report_link(item),
        unit_id=item.unit_id,
    )


def notify_unit(item: ReportItem, verb: str, text: str, actor_id: int | None) -> None:
    people = users_with_role(unit_id=item.unit_id, roles=UNIT_EDITOR_ROLES)
    notify(
        recipients=_others([*people, item.post.author], actor_id),
        verb=verb,
        text=text,
        link=report_link(item),
        unit_id=item.unit_id,
    )


def notify_office(item: ReportItem, verb: str, text: str, actor_id: int | None) -> None:
    notify(
        recipients=_others(office_users(), actor_id),
        verb=verb,
        text=text,
        link=report_link(item),
        unit_id=item.unit_id,
    )
