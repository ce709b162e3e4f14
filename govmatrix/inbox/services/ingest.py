"""Taking citizens' messages in: the periodic pull from every account's connector, and storing a
batch (dedupe → classify → route → clocks → persist).

The pull of one account (`sync_account`):

1. **claim** the account's `SyncState` with a conditional UPDATE (free, or its lease ran out):
   one worker per account at a time, however many workers run the periodic job;
2. **fetch** one page after the stored cursor, outside any transaction (a platform call);
3. **store** in one transaction: re-check the claim under a row lock, insert the new messages
   (unique on platform + external id; what is already there is skipped), and move the cursor
   to the page's end — in the same transaction, so the cursor never runs ahead of what is
   stored. A worker killed before the commit stores nothing and moves nothing; the next one
   reads the same page again once the lease has run out.

`SyncState` is the inbox's own record per account (the claim, the cursor, the last success
and error), because local-platform accounts have no platform link. For linked accounts (Weibo,
Mastodon) the link's cursor is kept in step in the same transaction, and the link's sync health
(last sync, errors, rate limits) is recorded by the links app's wrapper around the connector.

A full page is followed at once by the next (on commit), until the account's inbox is read.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govmatrix.audit.services import event_record
from govmatrix.inbox import clocks, hooks
from govmatrix.inbox.models import (
    Channel,
    InboxSettings,
    Message,
    MessageState,
    Reply,
    SyncState,
)
from govmatrix.inbox.routing import District, decide_route, district
from govmatrix.matrix.models import OFFICIAL_KINDS, OPEN_STATUSES, Account
from govmatrix.platforms.base import (
    Capability,
    ConnectorError,
    Interaction,
    InteractionKind,
    RateLimited,
)
from govmatrix.platforms.links.services import link_cursor_save
from govmatrix.platforms.registry import account_ref, connector_for

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
_CHANNELS = {
    InteractionKind.COMMENT: Channel.COMMENT,
    InteractionKind.MENTION: Channel.MENTION,
    InteractionKind.DM: Channel.DM,
}


def sync_lease() -> timedelta:
    """How long a worker holds an account's sync; after that another may take over."""
    seconds = getattr(settings, "INBOX_SYNC_LEASE_SECONDS", None) or settings.OUTBOX_LEASE_SECONDS
    return timedelta(seconds=int(seconds))


def triage_threshold() -> float:
    row = InboxSettings.objects.filter(pk=1).first()
    return float(row.triage_threshold) if row else 0.6


# --- storing a batch ------------------------------------------------------------------------
def _is_ours(item: Interaction, own_handles: set[str]) -> bool:
    """Written by an official account (an official reply reaches other accounts' inboxes too)."""
    return (
        bool(item.raw.get("official"))
        or item.author.platform_user_id.startswith("account:")
        or item.author.handle in own_handles
    )


def _threads(platform: str, parents: set[str]) -> dict[str, int]:
    """{parent external id: message id} for parents that are messages or our replies."""
    if not parents:
        return {}
    found = dict(
        Message.objects.filter(platform=platform, external_id__in=parents).values_list(
            "external_id", "pk"
        )
    )
    replies = Reply.objects.filter(
        message__platform=platform, external_id__in=parents - set(found)
    ).values_list("external_id", "message_id")
    found.update(dict(replies))
    return found


@dataclass(frozen=True)
class Stored:
    ids: list[int]
    skipped: int


def messages_store(
    *,
    account: Account,
    interactions: Sequence[Interaction],
    place: District | None = None,
    threshold: float | None = None,
    record: bool = True,
) -> Stored:
    """Dedupe, classify, route and persist one batch, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("messages_store must run inside the transaction that moves the cursor.")
    platform = account.platform
    own = set(Account.objects.filter(platform=platform).values_list("handle", flat=True))
    fresh: dict[str, Interaction] = {}
    for item in interactions:
        if item.text.strip() and not _is_ours(item, own):
            fresh.setdefault(item.id, item)
    already = set(
        Message.objects.filter(platform=platform, external_id__in=list(fresh)).values_list(
            "external_id", flat=True
        )
    )
    new = [item for key, item in fresh.items() if key not in already]
    if not new:
        return Stored(ids=[], skipped=len(interactions))
    place = place or district()
    threshold = triage_threshold() if threshold is None else threshold
    texts = [item.text for item in new]
    found = place.classifier.classify_many(texts)
    unit_guesses = place.unit_router.predict(texts) if place.unit_router is not None else None
    targets = clocks.sla_targets()
    calendar = clocks.work_calendar()
    threads = _threads(platform, {i.parent_id for i in new if i.parent_id})
    rows = []
    for index, (item, result) in enumerate(zip(new, found, strict=True)):
        route = decide_route(
            result,
            account,
            place,
            unit_prediction=unit_guesses[index] if unit_guesses is not None else None,
        )
        triage = route.unit is None or route.confidence < threshold
        due = clocks.deadlines_for(result.kind, item.created_at, targets=targets, calendar=calendar)
        topic = place.topics.get(result.topic)
        message = Message(
            platform=platform,
            external_id=item.id[:100],
            account=account,
            channel=_CHANNELS.get(InteractionKind(item.kind), Channel.COMMENT),
            post_external_id=(item.post_id or "")[:100],
            parent_external_id=(item.parent_id or "")[:100],
            url=(item.url or "")[:500],
            author_id=item.author.platform_user_id[:100],
            author_name=(item.author.display_name or item.author.handle)[:100],
            text=item.text,
            received_at=item.created_at,
            follows_id=threads.get(item.parent_id or ""),
            kind=result.kind,
            kind_confidence=result.kind_confidence,
            topic=topic,
            topic_confidence=result.topic_confidence if topic else 0.0,
            unit=route.unit,
            unit_confidence=route.confidence,
            routed_by=route.routed_by,
            place_name=result.place_name[:50],
            harm_score=result.harm_score,
            harm_flagged=result.harm_flagged,
            harm_source=result.harm_source,
            harm_categories=",".join(result.harm_categories)[:200],
            search_text=result.search_text,
            state=MessageState.TRIAGE if triage else MessageState.OPEN,
            **due.as_fields(),  # type: ignore[arg-type,unused-ignore]
        )
        clocks.set_stage(message)
        rows.append(message)
    # Another account's sync may store the same interaction (a comment that mentions two of
    # our accounts) at the same moment: the unique constraint decides, the loser skips it.
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Message.objects.filter(
            platform=platform, external_id__in=[m.external_id for m in rows], account=account
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if record and ids:
        event_record(
            actor=None,
            actor_name="worker",
            verb="inbox.synced",
            obj=account,
            unit_id=account.unit_id,
            data={
                "stored": len(ids),
                "first_id": ids[0],
                "last_id": ids[-1],
                "triage": sum(1 for m in rows if m.state == MessageState.TRIAGE),
            },
        )
    if ids:
        hooks.messages_stored(ids)
    return Stored(ids=ids, skipped=len(interactions) - len(ids))


# --- the pull ---------------------------------------------------------------------------------
def syncable_accounts() -> list[int]:
    """Open official accounts on a platform whose connector can read an inbox."""
    readable: dict[str, bool] = {}
    ids = []
    accounts = Account.objects.filter(kind__in=OFFICIAL_KINDS, status__in=OPEN_STATUSES)
    for account_id, platform in accounts.values_list("pk", "platform").order_by("pk"):
        if platform not in readable:
            try:
                capabilities = connector_for(platform).capabilities()
            except ConnectorError:
                capabilities = frozenset()
            readable[platform] = Capability.READ_INBOX in capabilities
        if readable[platform]:
            ids.append(account_id)
    return ids


def _claim(account_id: int, now: datetime) -> str | None:
    SyncState.objects.bulk_create([SyncState(account_id=account_id)], ignore_conflicts=True)
    token = secrets.token_hex(8)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    not_limited = Q(retry_after__isnull=True) | Q(retry_after__lte=now)
    claimed = SyncState.objects.filter(free, not_limited, account_id=account_id).update(
        lease_token=token, lease_until=now + sync_lease()
    )
    return token if claimed == 1 else None


def _release_with_error(account_id: int, token: str, error: ConnectorError) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {
        "lease_token": "",
        "lease_until": None,
        "last_error_at": now,
        "last_error": error.message[:2000],
    }
    if isinstance(error, RateLimited):
        changes["retry_after"] = now + timedelta(seconds=max(1.0, error.retry_after or 60))
    SyncState.objects.filter(account_id=account_id, lease_token=token).update(**changes)


def _test_pause() -> None:
    """For the worker-kill test only: hold the batch's transaction open this long."""
    millis = os.environ.get("INBOX_SYNC_TEST_DELAY_MS", "")
    if millis.isdigit() and int(millis) > 0:
        time.sleep(int(millis) / 1000)


@dataclass(frozen=True)
class SyncResult:
    account_id: int
    claimed: bool
    stored: int = 0
    fetched: int = 0
    more: bool = False
    error: str = ""


def sync_account(*, account_id: int, limit: int = PAGE_SIZE) -> SyncResult:
    """Read one page of the account's inbox and store it; see the module's docstring."""
    now = timezone.now()
    account = Account.objects.select_related("unit").filter(pk=account_id).first()
    if account is None:
        return SyncResult(account_id, claimed=False)
    token = _claim(account_id, now)
    if token is None:
        return SyncResult(account_id, claimed=False)
    cursor = SyncState.objects.filter(account_id=account_id).values_list("cursor", flat=True)[0]
    try:
        connector = connector_for(account.platform)
        page = connector.fetch_interactions(
            account_ref(account), since_cursor=cursor or None, limit=limit
        )
    except ConnectorError as exc:
        _release_with_error(account_id, token, exc)
        return SyncResult(account_id, claimed=True, error=exc.message)
    except Exception as exc:
        logger.exception("inbox sync of account %s failed", account_id)
        _release_with_error(account_id, token, ConnectorError(f"{type(exc).__name__}: {exc}"))
        return SyncResult(account_id, claimed=True, error=str(exc))
    with transaction.atomic():
        state = SyncState.objects.select_for_update().get(account_id=account_id)
        if state.lease_token != token:
            # Our lease ran out and another worker holds the account now: store nothing.
            return SyncResult(account_id, claimed=False, fetched=len(page.items))
        stored = messages_store(account=account, interactions=page.items)
        _test_pause()
        state.cursor = page.next_cursor if page.next_cursor is not None else state.cursor
        state.lease_token = ""
        state.lease_until = None
        state.last_success_at = timezone.now()
        state.retry_after = None
        state.messages_stored += len(stored.ids)
        state.save()
        # The account's platform link keeps the same cursor (ADR 0002), in this transaction.
        link_cursor_save(account_id=account_id, cursor=state.cursor)
        more = len(page.items) >= limit
        if more:
            transaction.on_commit(lambda: enqueue_sync(account_id, limit=limit))
    return SyncResult(
        account_id, claimed=True, stored=len(stored.ids), fetched=len(page.items), more=more
    )


def enqueue_sync(account_id: int, *, limit: int = PAGE_SIZE) -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.inbox.tasks import sync_account_task

    try:
        sync_account_task(account_id, limit)
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception("could not queue the sync of account %s; the next run will", account_id)


def sync_all() -> int:
    """Start the sync of every syncable account (each claims its own account)."""
    accounts = syncable_accounts()
    for account_id in accounts:
        enqueue_sync(account_id)
    return len(accounts)


def sync_unit_now(*, account_ids: Sequence[int]) -> int:
    """A person asked for the latest messages of these accounts (the queue's "同步" button)."""
    syncable = set(syncable_accounts())
    started = 0
    for account_id in account_ids:
        if account_id in syncable:
            enqueue_sync(account_id)
            started += 1
    return started
