"""serve_demo's platform doubles: which start, on which ports, a clear refusal when a port is
taken, and that they answer and stop with the app."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govmatrix.demo.doubles import Double, DoubleFailed, Doubles, planned


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _demo_settings(settings: Any, weibo_port: int = 8081, mastodon_port: int = 3000) -> None:
    settings.WEIBO_API_BASE = f"http://127.0.0.1:{weibo_port}"
    settings.WEIBO_APP_KEY = "govmatrix-demo"
    settings.WEIBO_APP_SECRET = "govmatrix-demo-app-secret"
    settings.WEIBO_SAFE_LINK = "https://www.sfq.gov.cn/"
    settings.MASTODON_API_BASE = f"http://127.0.0.1:{mastodon_port}"


def test_the_demos_settings_start_both_doubles_on_their_ports(settings: Any) -> None:
    _demo_settings(settings)
    doubles, notes = planned(app_addrport="127.0.0.1:8000")
    assert notes == []
    weibo, mastodon = doubles
    assert (weibo.name, weibo.port, mastodon.name, mastodon.port) == (
        "weibo-simulator",
        8081,
        "mastodon-mock",
        3000,
    )
    assert weibo.command[weibo.command.index("--safe-domain") + 1] == "www.sfq.gov.cn"
    assert weibo.command[weibo.command.index("--app-key") + 1] == "govmatrix-demo"
    assert "http://127.0.0.1:8000/platforms/weibo/webhook/" in weibo.command
    assert Path(mastodon.command[mastodon.command.index("--config") + 1]).is_file()
    assert "--in-memory" in mastodon.command


def test_a_real_platform_gets_no_double(settings: Any) -> None:
    settings.WEIBO_API_BASE = "https://api.weibo.com"
    settings.MASTODON_API_BASE = ""
    doubles, notes = planned(app_addrport="127.0.0.1:8000")
    assert doubles == [] and len(notes) == 2


def test_a_taken_port_stops_the_start_with_a_message_naming_it(listening: int) -> None:
    double = Double(name="weibo-simulator", command=["true"], port=listening, ready_url="")
    with pytest.raises(DoubleFailed) as refused:
        Doubles([double]).check_ports([("the web app", _free_port())])
    assert f"weibo-simulator needs port {listening}" in str(refused.value)
    assert "the web app" not in str(refused.value)


def test_serve_demo_refuses_a_taken_port_before_starting_anything(listening: int) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("serve_demo", f"127.0.0.1:{listening}", "--no-platforms")
    assert f"the web app needs port {listening}" in str(refused.value)


def test_a_double_that_dies_at_start_says_why(tmp_path: Path) -> None:
    double = Double(
        name="broken",
        command=["python3", "-c", "import sys; print('no such option'); sys.exit(2)"],
        port=_free_port(),
        ready_url="http://127.0.0.1:9/",
    )
    with pytest.raises(DoubleFailed) as failed:
        Doubles([double], log_dir=tmp_path, say=lambda _text: None).start()
    assert "broken stopped at start (exit 2)" in str(failed.value)
    assert "no such option" in str(failed.value)


@pytest.mark.slow
def test_both_doubles_answer_and_stop_with_the_app(settings: Any, tmp_path: Path) -> None:
    _demo_settings(settings, _free_port(), _free_port())
    doubles, _notes = planned(app_addrport="127.0.0.1:8000")
    supervisor = Doubles(doubles, log_dir=tmp_path, say=lambda _text: None)
    supervisor.check_ports()
    supervisor.start()
    try:
        config = httpx.get(f"{settings.WEIBO_API_BASE}/_sim/config", timeout=5).json()
        assert config["app_key"] == "govmatrix-demo"
        assert config["safe_domain"] == "www.sfq.gov.cn"
        me = httpx.get(
            f"{settings.MASTODON_API_BASE}/api/v1/accounts/verify_credentials",
            headers={"Authorization": "Bearer sfq_street_token"},
            timeout=5,
        ).json()
        assert me["username"] == "sfq_street"  # the demo's seed
    finally:
        supervisor.stop()
    assert all(d.process is not None and d.process.poll() is not None for d in doubles)
