"""The platform doubles `serve_demo` runs beside the app: the Weibo simulator and mastodon-mock.

Each is a child process on the loopback port its base URL names (`WEIBO_API_BASE`,
`MASTODON_API_BASE`), started only when that URL points at this machine. A port something
already answers on stops the start with a message naming it; a child that does not answer in
time, or dies, stops it with the end of its log (`var/log/<name>.log`). They stop with the app.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from django.conf import settings

LOOPBACK = {"127.0.0.1", "localhost"}
MASTODON_DEMO_CONFIG = (
    Path(__file__).resolve().parent.parent / "platforms" / "mastodon" / "demo-mock.toml"
)
DEFAULT_SAFE_DOMAIN = "www.sfq.gov.cn"


class DoubleFailed(Exception):
    """A double could not start; the message says which and why."""


@dataclass
class Double:
    name: str
    command: list[str]
    port: int
    ready_url: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something answers on the port already."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def _loopback_port(base: str) -> int | None:
    parts = urlsplit(base or "")
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        return None
    return parts.port or 80


def planned(*, app_addrport: str) -> tuple[list[Double], list[str]]:
    """The doubles the settings ask for, and a note for each platform left to its real URL."""
    doubles, notes = [], []
    weibo_port = _loopback_port(settings.WEIBO_API_BASE)
    if weibo_port is None:
        notes.append(f"Weibo: {settings.WEIBO_API_BASE} is not on this machine; no simulator.")
    else:
        safe_domain = urlsplit(settings.WEIBO_SAFE_LINK or "").hostname or DEFAULT_SAFE_DOMAIN
        doubles.append(
            Double(
                name="weibo-simulator",
                command=[
                    sys.executable,
                    "-m",
                    "govmatrix.platforms.weibo.simulator",
                    "--port",
                    str(weibo_port),
                    "--safe-domain",
                    safe_domain,
                    "--app-key",
                    settings.WEIBO_APP_KEY or "govmatrix-demo",
                    "--app-secret",
                    settings.WEIBO_APP_SECRET or "govmatrix-demo-app-secret",
                    "--webhook",
                    f"http://{app_addrport}/platforms/weibo/webhook/",
                ],
                port=weibo_port,
                ready_url=f"http://127.0.0.1:{weibo_port}/_sim/config",
            )
        )
    mastodon_port = _loopback_port(settings.MASTODON_API_BASE or "")
    if mastodon_port is None:
        notes.append(
            f"Mastodon: {settings.MASTODON_API_BASE or '(MASTODON_API_BASE unset)'} is not on "
            "this machine; no mock."
        )
    else:
        doubles.append(
            Double(
                name="mastodon-mock",
                command=[
                    sys.executable,
                    "-m",
                    "mastodon_mock",
                    "serve",
                    "--config",
                    str(MASTODON_DEMO_CONFIG),
                    "--in-memory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(mastodon_port),
                    "--log-level",
                    "warning",
                ],
                port=mastodon_port,
                ready_url=f"http://127.0.0.1:{mastodon_port}/api/v1/instance",
            )
        )
    return doubles, notes


def _tail(path: Path | None, lines: int = 15) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class Doubles:
    """Start the doubles, wait until they answer, stop them (in reverse order)."""

    def __init__(
        self,
        doubles: Sequence[Double],
        *,
        log_dir: Path | None = None,
        timeout: float = 30.0,
        say: Callable[[str], None] = print,
    ) -> None:
        self.doubles = list(doubles)
        self.log_dir = log_dir or Path(settings.VAR_DIR) / "log"
        self.timeout = timeout
        self.say = say

    def check_ports(self, extra: Sequence[tuple[str, int]] = ()) -> None:
        wanted = [*extra, *((d.name, d.port) for d in self.doubles)]
        taken = [f"{name} needs port {port}" for name, port in wanted if port_taken(port)]
        if taken:
            raise DoubleFailed(
                "Port already in use: "
                + "; ".join(taken)
                + ". Is another demo running? Stop it (or whatever holds the port) and try again."
            )

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for double in self.doubles:
                double.log_path = self.log_dir / f"{double.name}.log"
                with double.log_path.open("ab") as log:
                    double.process = subprocess.Popen(  # noqa: S603 - our own fixed commands
                        double.command, stdout=log, stderr=subprocess.STDOUT
                    )
                self._wait(double)
                self.say(
                    f"{double.name} on http://127.0.0.1:{double.port}/ "
                    f"(pid {double.process.pid}, log {double.log_path})"
                )
        except BaseException:
            self.stop()
            raise

    def _wait(self, double: Double) -> None:
        deadline = time.monotonic() + self.timeout
        assert double.process is not None
        while time.monotonic() < deadline:
            if double.process.poll() is not None:
                raise DoubleFailed(
                    f"{double.name} stopped at start (exit {double.process.returncode}):\n"
                    + _tail(double.log_path)
                )
            if _answers(double.ready_url):
                return
            time.sleep(0.2)
        raise DoubleFailed(
            f"{double.name} did not answer on port {double.port} within {self.timeout:g} s:\n"
            + _tail(double.log_path)
        )

    def stop(self) -> None:
        for double in reversed(self.doubles):
            process = double.process
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
