"""Copies of a statement (应对口径副本): "@区发布" runs on several platforms, one main account
on each. The commander approves a statement once; when the chosen main account (the primary)
has published it, the active main account of every other platform publishes the same text
under that approval — a copy — so that the sub-accounts on that platform repost a post of
their own platform, through their connector, instead of pasting a link.

Both steps run inside the transaction that records a publication (publishing's callback,
itself inside the outbox's): the copies exist the moment the primary's publication is
recorded, or neither does; a copy's fan-out starts on commit of its own publication, and the
minute sweep re-drives any that a lost message left. A copy that the platform refuses stays
a failed post of its main account: the incident page shows it with the platform's words, and
the office publishes it again through publishing's retry; its platform's orders are made
when it is published.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govmatrix.audit.services import event_record
from govmatrix.emergency.models import Statement, StatementCopy
from govmatrix.matrix.models import AccountKind, AccountStatus
from govmatrix.matrix.selectors import main_accounts
from govmatrix.publishing import services as publishing


def statement_copies_create(statement: Statement, post: Any) -> list[StatementCopy]:
    """The main accounts of the other platforms publish the statement too (once per platform)."""
    if post.account.kind != AccountKind.MAIN:
        return []  # a sub-account's statement (by the office's allowance) is its own
    done = set(statement.copies.values_list("platform", flat=True))
    others = (
        main_accounts()
        .filter(status=AccountStatus.ACTIVE)
        .exclude(platform=post.account.platform)
        .exclude(platform__in=done)
    )
    copies = []
    for account in others:
        copy_post = publishing.post_copy(
            actor=None,
            post_id=post.pk,
            account_id=account.pk,
            note=f"{statement.incident.title} · {statement.label}",
        )
        copies.append(
            StatementCopy.objects.create(
                statement=statement, post=copy_post, platform=account.platform
            )
        )
    if copies:
        event_record(
            actor=None,
            actor_name="system",
            verb="statement.copied",
            obj=statement,
            unit_id=post.account.unit_id,
            data={
                "post": post.pk,
                "approved_by": post.approved_by_id,
                "approved_version": post.approved_version,
                "copies": [
                    {"copy": c.pk, "platform": c.platform, "post": c.post_id} for c in copies
                ],
            },
        )
    return copies


def statement_copy_published(post: Any) -> None:
    """Record a copy's publication and start its platform's fan-out (publishing's callback)."""
    copy = (
        StatementCopy.objects.select_for_update(of=("self",))
        .select_related("statement")
        .filter(post_id=post.pk)
        .first()
    )
    if copy is None or copy.published_at is not None:
        return
    copy.published_at = post.published_at
    copy.save(update_fields=["published_at", "updated_at"])
    statement = copy.statement
    event_record(
        actor=None,
        actor_name="system",
        verb="statement.copy_published",
        obj=statement,
        unit_id=post.account.unit_id,
        data={
            "copy": copy.pk,
            "platform": copy.platform,
            "post": post.pk,
            "published_at": post.published_at,
            "external_id": post.external_id,
            "url": post.public_url,
            "orders": statement.order_reposts,
        },
    )
    if statement.order_reposts:
        from govmatrix.emergency.services.fanout import start_fan_out

        transaction.on_commit(lambda: start_fan_out(statement.pk, copy.pk))
