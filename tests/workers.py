"""Real Huey worker processes for the tests that kill one mid-work (outbox, inbox sync).

A worker runs `manage.py run_huey` with the real settings (Huey not immediate) on the test
database, with its own queue file and cache under the test's tmp folder (or Redis when the run
has it). `extra` adds test-only settings such as short leases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings

T = TypeVar("T")


def worker_database_url() -> str:
    """The test database, as DATABASE_URL for a worker process started by the test."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def worker_env(folder: Any, huey_name: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "TEST_DATABASE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",  # the real settings: Huey not immediate
            "DATABASE_URL": worker_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "GOVMATRIX_VAR_DIR": str(folder),  # its own SqliteHuey file and file cache
            "HUEY_NAME": huey_name,
            "HUEY_WORKERS": "4",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
            **extra,
        }
    )
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def start_worker(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", env["HUEY_WORKERS"]],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_workers(workers: list[subprocess.Popen[bytes]], env: dict[str, str]) -> None:
    """Stop what is still running, and empty the run's Redis queue when it had one."""
    import signal

    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=15)
            except Exception:
                worker.kill()
                worker.wait(timeout=5)
    if env.get("REDIS_URL"):
        from huey import RedisHuey

        RedisHuey(env["HUEY_NAME"], url=env["REDIS_URL"]).storage.flush_all()


def wait_for(
    read: Callable[[], T], condition: Callable[[T], bool], *, timeout: float, what: str
) -> T:
    deadline = time.monotonic() + timeout
    value = read()
    while time.monotonic() < deadline:
        value = read()
        if condition(value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}: {value}")
