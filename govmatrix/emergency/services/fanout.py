"""Fan-out (R6.2): when a statement of the main account is published, every sub-account (or
the chosen ones) gets a repost order, and the people who run them hear of it. Where the main
account also runs on the sub-account's platform, the order reposts that platform's copy of
the statement (see `copies.py`) and is made when the copy is published: one fan-out per
publication, each over its own accounts, so no account gets two orders for one statement.

Made for a national matrix, not for thirty accounts: the orders are one bulk insert (a unique
constraint on (statement, account) makes a second run add nothing), the people are found by
one query and told by one bulk insert, and the event log gets one event for the fan-out. It
runs in a task started when the publication commits; a periodic sweep runs it again for any
statement whose fan-out did not happen (a lost queue message loses nothing).

Accounts that opted in repost automatically. Their calls go through the outbox, started in
slices per platform at that platform's pace (`AUTO_REPOST_PER_MINUTE`, overridable with the
setting `EMERGENCY_AUTO_REPOST_PER_MINUTE`), so a matrix of 10,000 accounts does not hit one
platform with 10,000 calls in a second.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from govmatrix.audit.services import event_record
from govmatrix.emergency.models import (
    AutoRepost,
    IncidentStatus,
    RepostOrder,
    RepostOrderState,
    Statement,
    StatementCopy,
)
from govmatrix.emergency.services import notices
from govmatrix.emergency.services.orders import start_repost
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind

logger = logging.getLogger(__name__)

# Automatic reposts a platform gets per minute from the whole matrix, and the slice length
# (short, so that one slice's writes hold the database only briefly).
AUTO_REPOST_PER_MINUTE = {"local": 6000, "mastodon": 300, "weibo": 60, "*": 60}
SLICE_SECONDS = 5
BULK_BATCH = 500


def auto_rate(platform: str) -> int:
    rates = {**AUTO_REPOST_PER_MINUTE, **getattr(settings, "EMERGENCY_AUTO_REPOST_PER_MINUTE", {})}
    return max(1, int(rates.get(platform, rates["*"])))


def target_accounts(statement: Statement) -> QuerySet[Account]:
    accounts = Account.objects.filter(kind=AccountKind.SUB, status__in=OPEN_STATUSES)
    if not statement.target_all:
        accounts = accounts.filter(pk__in=statement.targets.values("pk"))
    return accounts


def release_accounts(statement: Statement, copy: StatementCopy | None) -> QuerySet[Account]:
    """The accounts one publication orders: a copy, those on its platform; the statement's own
    post, all others (those on its platform, and those on a platform without a main account,
    who repost by hand and give the link)."""
    accounts = target_accounts(statement)
    if copy is not None:
        return accounts.filter(platform=copy.platform)
    return accounts.exclude(platform__in=statement.copies.values("platform"))


@transaction.atomic
def repost_orders_create(
    *, statement_id: int, copy_id: int | None = None, now: datetime | None = None
) -> int:
    """Make the repost orders of the statement's publication (or of its copy `copy_id`) and
    tell their people; returns how many were made."""
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("incident", "post__account")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None:
        return 0
    copy = None
    if copy_id is not None:
        copy = (
            StatementCopy.objects.select_for_update(of=("self",))
            .select_related("post__account")
            .filter(pk=copy_id, statement=statement)
            .first()
        )
        if copy is None:
            return 0
    release: Statement | StatementCopy = copy if copy is not None else statement
    if (
        release.published_at is None
        or release.fanned_out_at is not None
        or not statement.order_reposts
        or statement.post.account.kind != AccountKind.MAIN
    ):
        return 0
    moment = now or timezone.now()
    # The deadline runs from the moment the order exists: a late fan-out is not the unit's delay.
    # A copy's orders are made when the copy is published, so theirs run from that publication.
    due = moment + timedelta(minutes=statement.repost_minutes)
    post = release.post
    platform = post.account.platform
    opted = set(AutoRepost.objects.filter(enabled=True).values_list("account_id", flat=True))
    # A copy the platform published only after the incident was stood down orders nobody:
    # reposting an ended incident's statement would only make overdue orders to chase.
    ended = copy is not None and statement.incident.status != IncidentStatus.ACTIVE
    rows = [
        RepostOrder(
            statement=statement,
            copy=copy,
            account_id=account_id,
            unit_id=unit_id,
            created_at=moment,
            due_at=due,
            # Only an account on the post's platform can repost it by itself.
            auto=account_id in opted and account_platform == platform,
        )
        for account_id, unit_id, account_platform in release_accounts(statement, copy).values_list(
            "pk", "unit_id", "platform"
        )
        if not ended
    ]
    RepostOrder.objects.bulk_create(rows, batch_size=BULK_BATCH, ignore_conflicts=True)
    orders = RepostOrder.objects.filter(statement=statement, copy=copy)
    release.fanned_out_at = moment
    release.orders_count = orders.count()
    release.save(update_fields=["fanned_out_at", "orders_count", "updated_at"])
    if copy is not None:
        statement.orders_count = statement.orders.count()
        statement.save(update_fields=["orders_count", "updated_at"])
    autos = sum(1 for row in rows if row.auto)
    notified = notices.notify_orders_created(statement, orders, post)
    event_record(
        actor=None,
        actor_name="system",
        verb="repost_orders.created",
        obj=statement,
        unit_id=statement.post.account.unit_id,
        data={
            "orders": release.orders_count,
            "auto": autos,
            "due_at": due,
            "notified": notified,
            "targets": "all" if statement.target_all else "chosen",
            "post": post.pk,
            "platform": platform,
            "copy": copy.pk if copy is not None else None,
            "incident_ended": ended,
        },
    )
    if autos:
        transaction.on_commit(lambda: start_auto_reposts(statement.pk, platform))
    return release.orders_count


def _waiting_auto(statement_id: int) -> QuerySet[RepostOrder]:
    return RepostOrder.objects.filter(
        statement_id=statement_id, state=RepostOrderState.OPEN, auto=True, attempts=0
    )


def auto_reposts_dispatch(
    *, statement_id: int, platform: str = "", now: datetime | None = None
) -> int:
    """Start the next slice of automatic reposts on every platform (or on `platform` only),
    each at its own pace; returns how many automatic reposts still wait for a later slice.

    An order exists only once the post it reposts is published (the statement's own, or its
    platform's copy), and each platform's orders repost one post: a chain of slices runs per
    platform, so a copy's chain and the statement's never pace the same platform twice."""
    moment = now or timezone.now()
    with transaction.atomic():
        statement = (
            Statement.objects.select_for_update(of=("self",))
            .select_related("post__account")
            .filter(pk=statement_id)
            .first()
        )
        if statement is None or not statement.post.external_id:
            return 0
        statement.auto_sliced_at = moment
        statement.save(update_fields=["auto_sliced_at"])
        waiting = _waiting_auto(statement_id)
        if platform:
            waiting = waiting.filter(account__platform=platform)
        started: Counter[str] = Counter()
        for name in sorted(set(waiting.values_list("account__platform", flat=True))):
            quota = math.ceil(auto_rate(name) * SLICE_SECONDS / 60)
            picked = waiting.filter(account__platform=name).select_related("account", "copy__post")
            if connection.features.has_select_for_update_skip_locked:
                # Two workers slicing at once take different orders (on SQLite the write
                # transaction already serialises them).
                picked = picked.select_for_update(skip_locked=True, of=("self",))
            batch = list(picked.order_by("id")[:quota])
            for order in batch:
                start_repost(order, statement, actor=None, moment=moment)
            RepostOrder.objects.bulk_update(
                batch,
                ["attempts", "requested_at", "requested_by", "last_error"],
                batch_size=BULK_BATCH,
            )
            started[name] = len(batch)
        if started:
            event_record(
                actor=None,
                actor_name="system",
                verb="repost_orders.auto_started",
                obj=statement,
                unit_id=statement.post.account.unit_id,
                data={"started": dict(started), "slice_seconds": SLICE_SECONDS},
            )
        return waiting.count()


def start_fan_out(statement_id: int, copy_id: int | None = None) -> None:
    """Queue the fan-out (of the statement's post, or of one copy); a queue that is down only
    delays it to the next sweep."""
    from huey.contrib.djhuey import HUEY

    from govmatrix.emergency.tasks import fan_out_statement

    try:
        fan_out_statement(statement_id, copy_id)
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception(
            "could not queue the fan-out of statement %s (copy %s); the sweep will",
            statement_id,
            copy_id,
        )


def start_auto_reposts(statement_id: int, platform: str = "", delay: float | None = None) -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.emergency.tasks import dispatch_auto_reposts

    try:
        if delay:
            dispatch_auto_reposts.schedule(args=(statement_id, platform), delay=delay)
        else:
            dispatch_auto_reposts(statement_id, platform)
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception("could not queue automatic reposts of %s; the sweep will", statement_id)
