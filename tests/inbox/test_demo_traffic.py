"""Demo traffic: citizens' comments from our own templates (or a CSV) on the local platform,
which the sync brings into the right queues; the periodic task writes only with DEMO_TRAFFIC."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from govmatrix.inbox import tasks
from govmatrix.inbox.models import Message, RoutedBy
from govmatrix.inbox.traffic import TEMPLATES, Traffic, compose
from govmatrix.platforms.local.models import LocalComment, LocalMessage
from tests.inbox.conftest import Inbox


def _written() -> int:
    return LocalComment.objects.count() + LocalMessage.objects.count()


def test_templates_name_a_place_so_routing_finds_the_street(inbox: Inbox) -> None:
    import random

    rng = random.Random(1)
    for _n in range(20):
        kind, text = compose(rng, "西城")
        assert "西城" in text and kind in {"complaint", "inquiry", "suggestion", "praise", "other"}
        assert "西城西城" not in text
    assert len(TEMPLATES) >= 20
    d = inbox.district
    inbox.post_of(d.main_account)
    traffic = Traffic(seed=3)
    for _n in range(10):
        traffic.write(account=d.main_account, text=compose(rng, "西城")[1])
    inbox.sync(d.main_account)
    routed = Message.objects.filter(routed_by=RoutedBy.PLACE)
    assert routed.count() == 10 and {m.unit for m in routed} == {d.street02}


def test_the_command_writes_and_starts_the_sync(inbox: Inbox) -> None:
    inbox.post_of(inbox.district.street01_account)
    out = StringIO()
    call_command("demo_traffic", "--count", "5", "--seed", "4", stdout=out)
    assert _written() == 5 and "5 written; sync started" in out.getvalue()
    assert Message.objects.count() == 5  # Huey runs the sync eagerly in tests


def test_a_csv_can_be_the_source(inbox: Inbox, tmp_path: Path) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("id,title,detail\n1,路灯坏了,东城花园门口的路灯坏了三天\n", encoding="utf-8")
    inbox.post_of(inbox.district.street01_account)
    call_command("demo_traffic", "--count", "2", "--csv", str(source), stdout=StringIO())
    texts = set(LocalComment.objects.values_list("text", flat=True)) | set(
        LocalMessage.objects.values_list("text", flat=True)
    )
    assert texts == {"路灯坏了。东城花园门口的路灯坏了三天"}
    with pytest.raises(CommandError):
        call_command("demo_traffic", "--csv", str(tmp_path / "absent.csv"), stdout=StringIO())


def test_the_periodic_task_writes_only_when_the_demo_asks(
    inbox: Inbox, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox.post_of(inbox.district.street01_account)
    monkeypatch.setattr("random.choice", lambda options: 2)
    settings.DEMO_TRAFFIC = False
    tasks.demo_traffic.call_local()
    assert _written() == 0
    settings.DEMO_TRAFFIC = True
    tasks.demo_traffic.call_local()
    assert _written() == 2


def test_the_periodic_task_replays_the_csv_the_demo_names(
    inbox: Inbox, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("text\n西城菜市场门口积水严重\n", encoding="utf-8")
    inbox.post_of(inbox.district.street01_account)
    monkeypatch.setattr("random.choice", lambda options: 1)
    monkeypatch.setenv("DEMO_TRAFFIC_CSV", str(source))
    settings.DEMO_TRAFFIC = True
    tasks.demo_traffic.call_local()
    assert list(LocalComment.objects.values_list("text", flat=True)) + list(
        LocalMessage.objects.values_list("text", flat=True)
    ) == ["西城菜市场门口积水严重"]


def test_a_missing_demo_csv_writes_nothing_and_keeps_the_worker_alive(
    inbox: Inbox, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inbox.post_of(inbox.district.street01_account)
    monkeypatch.setenv("DEMO_TRAFFIC_CSV", str(tmp_path / "absent.csv"))
    settings.DEMO_TRAFFIC = True
    tasks.demo_traffic.call_local()
    assert _written() == 0
