"""An incident's timeline shows the citizens' messages on its accounts while it lasted, as the
reader may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govmatrix.inbox.timeline import incident_messages
from tests.inbox.conftest import Inbox

timeline = pytest.importorskip("govmatrix.emergency.timeline")


def _window(inbox: Inbox, *, declared_ago: timedelta) -> object:
    return timeline.IncidentWindow(
        id=1,
        title="燃气泄漏",
        declared_at=timezone.now() - declared_ago,
        ends_at=None,
        unit_ids=(inbox.district.street01.pk,),
        account_ids=(inbox.district.street01_account.pk,),
    )


def test_a_message_on_an_incident_account_joins_its_timeline(inbox: Inbox) -> None:
    message = inbox.arrive(
        inbox.district.street01_account, "东城街道闻到很浓的煤气味，是泄漏了吗？"
    )
    entries = list(
        incident_messages(
            _window(inbox, declared_ago=timedelta(hours=1)), inbox.district.office_admin
        )
    )
    assert [entry.link for entry in entries] == [f"/inbox/{message.pk}/"]
    assert entries[0].kind == "网民留言" and "煤气味" in entries[0].text


def test_the_timeline_shows_only_what_the_reader_may_see(inbox: Inbox) -> None:
    inbox.arrive(inbox.district.street01_account, "东城街道闻到很浓的煤气味，是泄漏了吗？")
    window = _window(inbox, declared_ago=timedelta(hours=1))
    assert list(incident_messages(window, inbox.district.neighbour)) == []


def test_messages_from_before_the_declaration_stay_out(inbox: Inbox) -> None:
    inbox.arrive(inbox.district.street01_account, "东城街道闻到很浓的煤气味，是泄漏了吗？")
    later = timeline.IncidentWindow(
        **{
            **_window(inbox, declared_ago=timedelta(0)).__dict__,
            "declared_at": timezone.now() + timedelta(seconds=1),
        }
    )
    assert list(incident_messages(later, inbox.district.office_admin)) == []


def test_the_inbox_is_a_source_of_every_incident_timeline() -> None:
    assert "inbox" in [source.key for source in timeline.timeline_sources()]
