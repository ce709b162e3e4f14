from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from govmatrix.audit.chain import GENESIS_HASH
from govmatrix.audit.models import Event
from govmatrix.audit.selectors import chain_verify
from govmatrix.audit.services import event_record

pytestmark = pytest.mark.django_db


def _record(n: int) -> list[Event]:
    with transaction.atomic():
        return [
            event_record(actor=None, verb="test.happened", note=f"event {i}", data={"i": i})
            for i in range(n)
        ]


def _tamper(sql: str, params: list[object]) -> None:
    """What someone with raw database access could do: bypass the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's transaction holds the events' deferred foreign-key checks, and
            # PostgreSQL alters no table with checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute(sql, params)


def test_each_event_holds_the_hash_of_the_one_before() -> None:
    first, second, third = _record(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]


def test_an_untouched_chain_verifies() -> None:
    _record(5)
    report = chain_verify()
    assert report.intact
    assert report.checked == 5


@pytest.mark.django_db(transaction=True)
def test_an_event_cannot_be_recorded_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        event_record(actor=None, verb="test.happened")


def test_the_model_refuses_to_change_or_delete_an_event() -> None:
    (event,) = _record(1)
    event.note = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_the_database_refuses_an_update_of_an_event() -> None:
    (event,) = _record(1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(note="changed")


def test_a_changed_note_is_found_and_named() -> None:
    events = _record(4)
    _tamper("UPDATE audit_event SET note = %s WHERE seq = %s", ["rewritten", events[2].seq])
    report = chain_verify()
    assert report.first_broken_seq == 3
    assert report.checked == 2


def test_a_removed_event_is_found() -> None:
    events = _record(4)
    _tamper("DELETE FROM audit_event WHERE seq = %s", [events[1].seq])
    report = chain_verify()
    assert report.first_broken_seq == 3
    assert "删除" in report.reason


def test_audit_verify_names_the_first_broken_row() -> None:
    events = _record(3)
    _tamper("UPDATE audit_event SET actor_name = %s WHERE seq = %s", ["mallory", events[0].seq])
    with pytest.raises(CommandError, match="#1"):
        call_command("audit_verify")


def test_audit_verify_reports_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _record(2)
    call_command("audit_verify")
    assert "intact: 2 events" in capsys.readouterr().out


def test_the_nightly_check_leaves_an_anchor_in_the_chain() -> None:
    from govmatrix.audit.tasks import verify_audit_chain_nightly

    _record(2)
    verify_audit_chain_nightly.call_local()
    anchor = Event.objects.get(verb="audit.chain_verified")
    assert anchor.data["events"] == 2
    assert chain_verify().intact
