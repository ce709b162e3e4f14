"""The outbox: every platform call is a row, claimed once, retried, recorded, never lost or doubled.

Most tests use a fake connector registered for a test platform, whose answers the test plans.
The last one starts real worker processes and kills one with SIGKILL mid-call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.platforms import registry
from govmatrix.platforms import services as outbox
from govmatrix.platforms.base import (
    AccountRef,
    ActionContext,
    Capability,
    ContentRejected,
    Duplicate,
    Limits,
    MediaFile,
    PlatformDown,
    PublishedPost,
    RateLimited,
    Unsupported,
)
from govmatrix.platforms.models import OutboxKind, OutboxOperation, OutboxState
from tests import workers
from tests.conftest import District
from tests.factories import AccountFactory

LEASE = timedelta(seconds=300)


class FakeConnector:
    """Publishes into a dict; `plan` holds what each next call does (an error, or a callback)."""

    platform: ClassVar[str] = "fake"

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.posts: dict[str, str] = {}
        self.plan: list[Exception | Callable[[], None] | None] = []

    def capabilities(self) -> frozenset[Capability]:
        return frozenset({Capability.PUBLISH})

    def limits(self) -> Limits:
        return Limits(max_chars=140)

    def publish(
        self,
        account: AccountRef,
        text: str,
        ctx: ActionContext,
        *,
        media: Sequence[MediaFile] = (),
        in_reply_to_id: str | None = None,
    ) -> PublishedPost:
        self.calls.append(ctx.idempotency_key)
        step = self.plan.pop(0) if self.plan else None
        if isinstance(step, Exception):
            raise step
        if step is not None:
            step()
        post_id = self.posts.setdefault(ctx.idempotency_key, f"fake-{len(self.posts) + 1}")
        return PublishedPost(
            platform="fake",
            id=post_id,
            account_handle=account.handle,
            text=text,
            url=f"https://fake.example/{post_id}",
            created_at=timezone.now(),
        )

    def __getattr__(self, name: str) -> Any:
        raise Unsupported(Capability.REPLY, instead="only publish is faked", platform="fake")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeConnector:
    connector = FakeConnector()
    monkeypatch.setitem(registry._FACTORIES, "fake", lambda: connector)
    return connector


class Heard:
    """The subject's outcome handler: what it was told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def handler(self) -> outbox.OutcomeHandler:
        return outbox.OutcomeHandler(
            on_success=lambda op: self.events.append(("success", op.pk)),
            on_failure=lambda op: self.events.append(("failure", op.pk)),
            on_retry=lambda op: self.events.append(("retry", op.pk)),
        )


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Heard:
    # The subject of the test operations is a unit ("org.unit"): its handler is ours.
    listener = Heard()
    monkeypatch.setitem(outbox._HANDLERS, "org.unit", listener.handler())
    return listener


@pytest.fixture
def fake_account(district: District) -> Any:
    return AccountFactory(unit=district.street01, platform="fake", handle="fake_street01")


def _enqueue(account: Any, subject: Any, key: str = "op-1", **fields: Any) -> OutboxOperation:
    """A pending publish, due now; the test runs it (no worker is started by the commit)."""
    with transaction.atomic():
        operation = outbox.outbox_enqueue(
            account=account,
            kind=OutboxKind.PUBLISH,
            payload={"text": "东城街道停水通知"},
            idempotency_key=key,
            subject=subject,
            run_at=timezone.now(),
        )
    if fields:
        OutboxOperation.objects.filter(pk=operation.pk).update(**fields)
    return operation


def _run(operation: OutboxOperation) -> OutboxOperation:
    outbox.outbox_execute(operation_id=operation.pk)
    return OutboxOperation.objects.get(pk=operation.pk)


def _verbs(operation: OutboxOperation) -> list[str]:
    return list(
        Event.objects.filter(object_type="platforms.outboxoperation", object_id=str(operation.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )


# --- outcomes ---------------------------------------------------------------------------------
def test_a_successful_call_is_recorded_and_the_subject_handler_hears_it_once(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.SUCCEEDED and operation.attempts == 1
    assert operation.result["id"] == "fake-1" and operation.result["url"].endswith("fake-1")
    assert operation.finished_at is not None and operation.lease_until is None
    assert heard.events == [("success", operation.pk)]
    assert _verbs(operation) == ["outbox.succeeded"]
    # Running it again does nothing: it is no longer due.
    assert outbox.outbox_execute(operation_id=operation.pk) is None
    assert fake.calls == ["op-1"] and heard.events == [("success", operation.pk)]


def test_rate_limited_is_retried_after_the_platforms_own_wait_with_its_message_kept(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [RateLimited("用户请求超过上限", retry_after=120, code="10023")]
    started = timezone.now()
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.PENDING and operation.attempts == 1
    assert operation.last_error_code == "10023"
    assert operation.last_error_message == "用户请求超过上限"
    assert timedelta(seconds=119) < operation.next_attempt_at - started < timedelta(seconds=125)
    assert _verbs(operation) == ["outbox.retry_scheduled"]
    assert Event.objects.get(verb="outbox.retry_scheduled").note == "用户请求超过上限"
    assert outbox.outbox_execute(operation_id=operation.pk) is None  # not due yet
    with time_machine.travel(operation.next_attempt_at + timedelta(seconds=1)):
        operation = _run(operation)
    assert operation.state == OutboxState.SUCCEEDED and operation.attempts == 2
    assert fake.calls == ["op-1", "op-1"]  # the same key both times
    assert heard.events == [("retry", operation.pk), ("success", operation.pk)]


def test_platform_down_is_retried_with_a_growing_backoff(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [PlatformDown("服务暂停"), PlatformDown("服务暂停"), PlatformDown("服务暂停")]
    operation = _enqueue(fake_account, district.street01)
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(3):
            now = timezone.now()
            operation = _run(operation)
            assert operation.state == OutboxState.PENDING
            assert operation.last_error_message == "服务暂停"
            waits.append(round((operation.next_attempt_at - now).total_seconds()))
            clock.move_to(operation.next_attempt_at)
        assert _run(operation).state == OutboxState.SUCCEEDED
    assert waits == [30, 60, 120]
    assert [event for event, _pk in heard.events] == ["retry", "retry", "retry", "success"]


def test_a_duplicate_naming_the_existing_post_resolves_without_a_second_post(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [Duplicate("相同内容请间隔10分钟再进行发布", existing_id="fake-77", code="20019")]
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.SUCCEEDED
    assert operation.result == {"id": "fake-77", "url": None, "created_at": None, "duplicate": True}
    assert fake.calls == ["op-1"] and fake.posts == {}  # one call, nothing posted again
    assert heard.events == [("success", operation.pk)]


def test_a_duplicate_without_an_existing_post_fails_with_the_platforms_message(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [Duplicate("重复内容", code="20019")]
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.FAILED
    assert (operation.last_error_code, operation.last_error_message) == ("20019", "重复内容")


def test_a_permanent_error_fails_with_the_platforms_message(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [ContentRejected("微博内容含有敏感词，请修改", code="20019")]
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.FAILED and operation.finished_at is not None
    assert operation.last_error_message == "微博内容含有敏感词，请修改"
    assert heard.events == [("failure", operation.pk)]
    assert Event.objects.get(verb="outbox.failed").note == "微博内容含有敏感词，请修改"
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert outbox.outbox_sweep() == 0
    assert fake.calls == ["op-1"]


def test_retries_stop_at_the_maximum_number_of_attempts(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [PlatformDown("超时"), PlatformDown("仍然超时")]
    operation = _enqueue(fake_account, district.street01, max_attempts=2)
    operation = _run(operation)
    with time_machine.travel(operation.next_attempt_at + timedelta(seconds=1)):
        operation = _run(operation)
    assert operation.state == OutboxState.FAILED and operation.attempts == 2
    assert operation.last_error_message == "仍然超时"
    assert heard.events == [("retry", operation.pk), ("failure", operation.pk)]


def test_an_unexpected_exception_is_retried_and_its_text_kept(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    fake.plan = [KeyError("id")]
    operation = _run(_enqueue(fake_account, district.street01))
    assert operation.state == OutboxState.PENDING
    assert operation.last_error_message == "KeyError: 'id'"


def test_a_platform_without_a_connector_fails_with_a_message_saying_what_to_do(
    district: District, heard: Heard
) -> None:
    # WeChat, Douyin and "other" have the manual connector now: a platform id nobody serves.
    account = AccountFactory(unit=district.street01, platform="fax", handle="fax_street01")
    operation = _run(_enqueue(account, district.street01))
    assert operation.state == OutboxState.FAILED
    assert "手工发布" in operation.last_error_message


# --- claims, leases and the sweeper --------------------------------------------------------------
def test_a_second_claim_while_the_call_runs_does_not_run_it_again(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)
    second_worker: list[str | None] = []
    # While the first worker is inside the platform call, a second one tries the same row.
    fake.plan = [lambda: second_worker.append(outbox.outbox_execute(operation_id=operation.pk))]
    assert _run(operation).state == OutboxState.SUCCEEDED
    assert second_worker == [None] and fake.calls == ["op-1"]
    assert heard.events == [("success", operation.pk)]


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_the_same_moment_run_the_call_once(
    district: District, fake: FakeConnector, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)
    start = threading.Barrier(2)
    outcomes: list[str | None] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(outbox.outbox_execute(operation_id=operation.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == [None, OutboxState.SUCCEEDED]
    assert fake.calls == ["op-1"]
    assert OutboxOperation.objects.get(pk=operation.pk).attempts == 1


def test_an_expired_lease_is_run_again_by_the_sweeper_with_the_same_key(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)
    # A worker claims the call and dies before it can record anything.
    assert outbox._claim(operation.pk) == 1
    assert outbox.outbox_sweep() == 0  # its lease still holds
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        assert outbox.outbox_due_ids() == [operation.pk]
        assert outbox.outbox_sweep() == 1
    operation = OutboxOperation.objects.get(pk=operation.pk)
    assert operation.state == OutboxState.SUCCEEDED and operation.attempts == 2
    assert fake.calls == [operation.idempotency_key]
    assert heard.events == [("success", operation.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_late_failure_of_a_worker_whose_lease_was_taken_over_does_not_overwrite(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)
    first_calling, second_calling, first_done = (threading.Event() for _n in range(3))

    def first_call() -> None:  # hangs past its lease, then comes back refused
        first_calling.set()
        second_calling.wait(timeout=10)
        raise ContentRejected("迟到的拒绝")

    def second_call() -> None:  # the worker that took over is still calling when that happens
        second_calling.set()
        first_done.wait(timeout=10)

    fake.plan = [first_call, second_call]

    def first_worker() -> None:
        try:
            outbox.outbox_execute(operation_id=operation.pk)
        finally:
            first_done.set()
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert first_calling.wait(timeout=10)
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        assert outbox.outbox_execute(operation_id=operation.pk) == OutboxState.SUCCEEDED
    thread.join(timeout=10)
    operation = OutboxOperation.objects.get(pk=operation.pk)
    assert operation.state == OutboxState.SUCCEEDED and operation.attempts == 2
    assert heard.events == [("success", operation.pk)]
    assert _verbs(operation) == ["outbox.succeeded"]


def test_a_late_failure_after_another_worker_finished_the_call_changes_nothing(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)

    def taken_over() -> None:
        # The first call hangs past its lease; the sweeper hands the call to another worker,
        # which publishes (same key, same post); then the first call comes back refused.
        with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
            assert outbox.outbox_sweep() == 1
        raise ContentRejected("迟到的拒绝")

    fake.plan = [taken_over]
    operation = _run(operation)
    assert operation.state == OutboxState.SUCCEEDED and operation.result["id"] == "fake-1"
    assert heard.events == [("success", operation.pk)]
    assert _verbs(operation) == ["outbox.succeeded"]


def test_a_late_success_of_a_worker_whose_lease_was_taken_over_still_counts(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(fake_account, district.street01)

    def taken_over() -> None:
        fake.plan = [PlatformDown("超时")]  # the second worker's call fails for now
        with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
            outbox.outbox_sweep()

    fake.plan = [taken_over]
    operation = _run(operation)  # … and then the first call returns: the post exists
    assert operation.state == OutboxState.SUCCEEDED
    assert heard.events == [("retry", operation.pk), ("success", operation.pk)]
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox.outbox_sweep() == 0
    assert len(fake.calls) == 2


def test_a_call_whose_worker_keeps_dying_is_given_up(
    district: District, fake: FakeConnector, heard: Heard, fake_account: Any
) -> None:
    operation = _enqueue(
        fake_account,
        district.street01,
        state=OutboxState.RUNNING,
        attempts=8,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert outbox.outbox_sweep() == 1
    operation = OutboxOperation.objects.get(pk=operation.pk)
    assert operation.state == OutboxState.FAILED and "多次中断" in operation.last_error_message
    assert fake.calls == [] and heard.events == [("failure", operation.pk)]


def test_a_queue_that_is_down_does_not_fail_the_change_that_enqueued_the_call(
    district: District,
    fake: FakeConnector,
    fake_account: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from govmatrix.platforms import tasks

    def queue_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr("huey.contrib.djhuey.HUEY", SimpleNamespace(immediate=False))
    monkeypatch.setattr(tasks, "execute_outbox_operation", queue_down)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        operation = outbox.outbox_enqueue(
            account=fake_account,
            kind=OutboxKind.PUBLISH,
            payload={"text": "队列故障时也不丢"},
            idempotency_key="queue-down",
        )
    assert OutboxOperation.objects.get(pk=operation.pk).state == OutboxState.PENDING
    assert outbox.outbox_sweep() == 1
    assert OutboxOperation.objects.get(pk=operation.pk).state == OutboxState.SUCCEEDED


# --- the kill test -------------------------------------------------------------------------------
KILL_TEST_OPERATIONS = 40
KILL_TEST_LEASE_SECONDS = 3
# Every local write sleeps this long (half before, half after its transaction): the window in
# which the SIGKILL lands, including the one where the post exists and the outbox row does not
# know it yet. See govmatrix/platforms/local/connector.py.
KILL_TEST_DELAY_MS = 300


def _worker_env(folder: Any, huey_name: str) -> dict[str, str]:
    return workers.worker_env(
        folder,
        huey_name,
        OUTBOX_LEASE_SECONDS=str(KILL_TEST_LEASE_SECONDS),
        LOCAL_PLATFORM_TEST_DELAY_MS=str(KILL_TEST_DELAY_MS),
    )


def _start_worker(env: dict[str, str], log: Any) -> Any:
    return workers.start_worker(env, log)


def _states() -> dict[str, int]:
    from django.db.models import Count

    return dict(
        OutboxOperation.objects.values_list("state").annotate(n=Count("id")).order_by()  # type: ignore[arg-type]
    )


def _wait_for(condition: Callable[[dict[str, int]], bool], *, timeout: float, what: str) -> None:
    workers.wait_for(_states, condition, timeout=timeout, what=what)


@pytest.mark.slow
def test_a_worker_killed_mid_call_loses_nothing_and_posts_nothing_twice(
    transactional_db: None, district: District, tmp_path: Any
) -> None:
    import signal
    import time
    import uuid

    from govmatrix.audit.selectors import chain_verify
    from govmatrix.platforms.local.models import LocalPost

    run = uuid.uuid4().hex[:8]
    accounts = [district.main_account, district.street01_account, district.street02_account]
    with transaction.atomic():
        operations = [
            outbox.outbox_enqueue(
                account=accounts[n % len(accounts)],
                kind=OutboxKind.PUBLISH,
                payload={"text": f"第{n}号通知：杀进程测试"},
                idempotency_key=f"kill-{run}-{n}",
                run_at=timezone.now(),  # due now; only the workers run them
            )
            for n in range(KILL_TEST_OPERATIONS)
        ]
    env = _worker_env(tmp_path, f"govmatrix-kill-{run}")
    log_path = tmp_path / "workers.log"
    started = []
    try:
        with log_path.open("ab") as log:
            first = _start_worker(env, log)
            started.append(first)
            _wait_for(
                lambda s: (
                    s.get(OutboxState.SUCCEEDED, 0) >= 5 and s.get(OutboxState.RUNNING, 0) > 0
                ),
                timeout=30,
                what="the first worker to be mid-way",
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            after_kill = _states()
            in_flight = list(
                OutboxOperation.objects.filter(state=OutboxState.RUNNING).values_list(
                    "idempotency_key", "lease_until"
                )
            )
            assert in_flight, f"the kill landed between calls: {after_kill}"
            # Calls whose post was already made when the worker died: the dangerous window.
            posted_unrecorded = LocalPost.objects.filter(
                idempotency_key__in=[key for key, _lease in in_flight]
            ).count()
            print(  # shown with -s: where the kill landed
                f"killed with {after_kill}; {len(in_flight)} in flight, "
                f"{posted_unrecorded} of them already posted"
            )
            assert after_kill.get(OutboxState.SUCCEEDED, 0) < KILL_TEST_OPERATIONS
            # The dead worker's calls are re-run once their lease has run out; a worker that
            # starts sweeps at once, so start the second one then.
            latest = max(lease for _key, lease in in_flight)
            time.sleep(max(0.0, (latest - timezone.now()).total_seconds()) + 0.3)
            second = _start_worker(env, log)
            started.append(second)
            _wait_for(
                lambda s: s.get(OutboxState.SUCCEEDED, 0) == KILL_TEST_OPERATIONS,
                timeout=45,
                what="every operation to succeed",
            )
    finally:
        workers.stop_workers(started, env)

    log_text = log_path.read_text(errors="replace")[-4000:]
    # The workers ran on the queue of this test run: Redis when it has one, else SQLite.
    assert (tmp_path / "huey.sqlite3").exists() != bool(env.get("REDIS_URL")), log_text
    posts = LocalPost.objects.filter(idempotency_key__startswith=f"kill-{run}-")
    assert posts.count() == KILL_TEST_OPERATIONS, log_text
    for operation in OutboxOperation.objects.filter(pk__in=[op.pk for op in operations]):
        post = posts.get(idempotency_key=operation.idempotency_key)  # exactly one, or this raises
        assert operation.state == OutboxState.SUCCEEDED
        assert operation.result["id"] == str(post.pk)
        succeeded = Event.objects.filter(
            verb="outbox.succeeded",
            object_type="platforms.outboxoperation",
            object_id=str(operation.pk),
        )
        assert succeeded.count() == 1, operation.idempotency_key
    # The calls the kill interrupted were run again (same key) by the second worker.
    rerun = OutboxOperation.objects.filter(
        idempotency_key__in=[key for key, _lease in in_flight], attempts__gte=2
    )
    assert rerun.count() == len(in_flight)
    assert chain_verify().intact
