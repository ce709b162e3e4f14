"""The sync under a worker killed by SIGKILL mid-batch: no message lost, none stored twice.

Real worker processes (`manage.py run_huey`, the helpers in `tests/workers.py`) sync three
accounts' inboxes from the local platform. Every batch holds its transaction open for a while
(`INBOX_SYNC_TEST_DELAY_MS`), so the kill lands with messages inserted and not committed. A
second worker, started once the dead one's leases have run out, finishes the job.
"""

from __future__ import annotations

import signal
import time
import uuid
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.audit.selectors import chain_verify
from govmatrix.inbox.models import Message, SyncState
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.models import LocalComment
from govmatrix.platforms.local.rules import comment_ref, visitor_hash
from tests import workers
from tests.conftest import District

PER_ACCOUNT = 120  # two pages of 100 and 20 per account
LEASE_SECONDS = 3
DELAY_MS = 1200


def _progress() -> dict[str, Any]:
    return {
        "messages": Message.objects.count(),
        "in_flight": list(
            SyncState.objects.exclude(lease_token="").values_list("account_id", flat=True)
        ),
        "stored": SyncState.objects.aggregate(n=Sum("messages_stored"))["n"] or 0,
    }


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_no_message_and_stores_none_twice(
    transactional_db: None, district: District, tmp_path: Any
) -> None:
    accounts = [district.main_account, district.street01_account, district.street02_account]
    expected = set()
    for account in accounts:
        post = local.post_publish(
            account=account, text="通知", idempotency_key=f"kill:{account.pk}"
        )
        for n in range(PER_ACCOUNT):
            comment = local.comment_submit(
                post=post,
                nickname=f"市民{n}",
                text=f"第{n}条：{account.display_name}附近的路灯坏了，请尽快修复。",
                visitor_hash=visitor_hash(f"{account.pk}-{n}"),
            )
            expected.add(comment_ref(comment.pk))
    env = workers.worker_env(
        tmp_path,
        f"govmatrix-inbox-kill-{uuid.uuid4().hex[:8]}",
        OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        INBOX_SYNC_TEST_DELAY_MS=str(DELAY_MS),
    )
    log_path = tmp_path / "workers.log"
    started = []
    try:
        with log_path.open("ab") as log:
            first = workers.start_worker(env, log)
            started.append(first)
            # Mid-way: some batches committed, one holding its transaction open.
            workers.wait_for(
                _progress,
                lambda p: p["messages"] >= 100 and bool(p["in_flight"]),
                timeout=90,
                what="the first worker to be mid-batch",
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            after_kill = _progress()
            print(f"killed with {after_kill}")  # shown with -s: where the kill landed
            assert after_kill["in_flight"], f"the kill landed between batches: {after_kill}"
            assert after_kill["messages"] < len(expected)
            # What is stored is exactly what the committed batches counted: the batch in
            # flight left nothing behind, and its cursor did not move.
            assert after_kill["messages"] == after_kill["stored"]
            leases = SyncState.objects.exclude(lease_until=None).values_list(
                "lease_until", flat=True
            )
            time.sleep(max(0.0, (max(leases) - timezone.now()).total_seconds()) + 0.3)
            second = workers.start_worker(env, log)  # it syncs every account when it starts
            started.append(second)
            workers.wait_for(
                _progress,
                lambda p: p["messages"] == len(expected) and not p["in_flight"],
                timeout=120,
                what="every message to be stored",
            )
    finally:
        workers.stop_workers(started, env)

    log_text = log_path.read_text(errors="replace")[-4000:]
    assert (tmp_path / "huey.sqlite3").exists() != bool(env.get("REDIS_URL")), log_text
    stored = list(Message.objects.values_list("external_id", flat=True))
    assert len(stored) == len(set(stored)) == len(expected), log_text
    assert set(stored) == expected
    assert LocalComment.objects.count() == len(expected)
    for account in accounts:
        state = SyncState.objects.get(account=account)
        assert state.messages_stored == PER_ACCOUNT
        assert Message.objects.filter(account=account).count() == PER_ACCOUNT
    synced = Event.objects.filter(verb="inbox.synced")
    assert sum(event.data["stored"] for event in synced) == len(expected)
    assert chain_verify().intact
