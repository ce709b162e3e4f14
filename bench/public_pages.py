"""Benchmark of the local platform's public pages: `.venv/bin/python bench/public_pages.py`.

Loads a throw-away database (SQLite in a temporary folder; with a PostgreSQL DATABASE_URL, a
scratch database on that server, dropped afterwards) with one busy account — 60 posts and reposts, one post with 60 comments in threads with
official replies — starts a real server (gunicorn, gthread workers) on loopback, and measures
requests/s with concurrent keep-alive clients for two pages:

* the account page (/p/<handle>/: 20 posts with their counts and reposted originals), and
* the post page (/p/<handle>/<id>/: the post, its comment threads, the comment form),

each served from the page-fragment cache and, in the same run, uncached (the same URL with
`?nocache=<token>`, which LOCAL_PLATFORM_NOCACHE_TOKEN enables for this server only).
Cached and uncached runs alternate; the table shows the medians over the repeats. The cache is
Django's file cache (the default) or Redis when REDIS_URL is set. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLE = "bench_street"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_database(server_url: str, name: str, *, create: bool) -> str:
    """Create (or drop) database `name` on the server of `server_url`; returns its URL."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        verb = "CREATE DATABASE" if create else "DROP DATABASE IF EXISTS"
        conn.execute(f'{verb} "{name}"')  # a fixed prefix and hex digits: safe to quote
    return urlunsplit(parts._replace(path=f"/{name}"))


def _seed() -> int:
    """The busy account, through the local platform's services; returns the busy post's id."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from govmatrix.matrix.models import Account
    from govmatrix.org.models import Unit
    from govmatrix.platforms.local import services
    from govmatrix.platforms.local.rules import comment_ref, visitor_hash

    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(name="基准街道", code="bench01", kind="street_town")
    main_unit = Unit.objects.create(name="基准新闻办", code="bench_news", kind="news_office")
    account = Account.objects.create(
        unit=unit, platform="local", handle=HANDLE, display_name="示范区基准街道", status="active"
    )
    main = Account.objects.create(
        unit=main_unit,
        platform="local",
        handle="bench_main",
        display_name="@示范区基准发布",
        kind="main",
        status="active",
    )
    start = timezone.now() - timedelta(days=30)
    statement = services.post_publish(
        account=main,
        text="【权威发布】区气象台发布暴雨黄色预警信号，请市民减少外出，远离低洼地带。",
        idempotency_key="bench:main",
        at=start,
    )
    busy = None
    for n in range(60):
        at = start + timedelta(hours=n * 6)
        if n % 5 == 4:
            services.post_repost(
                account=account,
                original_id=statement.pk,
                comment=f"请居民注意防范（第{n}次提醒）。",
                idempotency_key=f"bench:repost:{n}",
                at=at,
            )
            continue
        post = services.post_publish(
            account=account,
            text=f"【通知】第{n}号：东城路（建设路至和平路段）雨污分流改造施工，"
            "期间实行半幅封闭，请过往车辆绕行解放路。施工给您带来不便，敬请谅解。" * 2,
            idempotency_key=f"bench:post:{n}",
            at=at,
        )
        for k in range(n % 4):
            services.post_like(post=post, visitor_hash=visitor_hash(f"10.1.{n}.{k}"))
        busy = post
    assert busy is not None
    comments: list[int] = []
    for n in range(60):
        # Every third comment opens a thread; the two after it reply within it.
        comment = services.comment_submit(
            post=busy,
            nickname=f"居民{n:02d}",
            text=f"第{n}条评论：晚上施工到几点？家里有老人休息，希望合理安排作业时间。",
            visitor_hash=visitor_hash(f"10.2.0.{n}"),
            parent_id=comments[n - n % 3] if n % 3 else None,
            at=busy.created_at + timedelta(minutes=n + 1),
        )
        comments.append(comment.pk)
        if n % 10 == 0:
            services.interaction_reply(
                account=account,
                interaction_id=comment_ref(comment.pk),
                text="您好，夜间22:00后不进行高噪声作业，如有扰民请拨打街道城管科电话反映。",
                idempotency_key=f"bench:reply:{n}",
                at=comment.created_at + timedelta(minutes=30),
            )
    return busy.pk


def _client(port: int, path: str, seconds: float, threads: int, expect: str, queue: object) -> None:
    """One load process: `threads` keep-alive connections hammering `path` for `seconds`."""
    import threading

    counts = [0] * threads
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def run(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            state = response.getheader("X-Local-Cache", "")
            if response.status != 200 or state not in expect.split():
                failures.append(f"{response.status} {state}")
                continue
            counts[slot] += 1
        conn.close()

    workers = [threading.Thread(target=run, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((sum(counts), failures[:3]))  # type: ignore[attr-defined]


def _measure(
    port: int, path: str, *, seconds: float, processes: int, threads: int, expect: str
) -> float:
    queue: multiprocessing.Queue[tuple[int, list[str]]] = multiprocessing.Queue()
    loaders = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, threads, expect, queue))
        for _n in range(processes)
    ]
    started = time.monotonic()
    for loader in loaders:
        loader.start()
    results = [queue.get(timeout=seconds + 60) for _loader in loaders]
    for loader in loaders:
        loader.join()
    elapsed = time.monotonic() - started
    failures = [f for _count, fails in results for f in fails]
    if failures:
        raise SystemExit(f"requests to {path} failed: {failures}")
    return sum(count for count, _fails in results) / elapsed


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'}), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average {load} at the end (the machine may be shared)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        print("gunicorn is missing from the virtualenv: `make setup` installs it")
        return 1

    folder = Path(tempfile.mkdtemp(prefix="govmatrix-bench-pages-"))
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GOVMATRIX_VAR_DIR": str(folder),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOCAL_PLATFORM_NOCACHE_TOKEN": token,
        "HUEY_NAME": f"bench-pages-{token[:8]}",
        "LOG_LEVEL": "WARNING",
    }
    scratch_db = None
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith(("postgres://", "postgresql://")):
        # A scratch database on that server, dropped at the end: the named one is not touched.
        scratch_db = f"govmatrix_bench_pages_{token[:8]}"
        env["DATABASE_URL"] = _postgres_database(server_url, scratch_db, create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    post_id = _seed()

    from django.conf import settings

    port = _free_port()
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    pages = {
        "account page": f"/p/{HANDLE}/",
        "post page (60 comments)": f"/p/{HANDLE}/{post_id}/",
    }
    rows = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/p/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        processes = max(1, min(args.clients, 2))
        threads = max(1, args.clients // processes)
        for name, path in pages.items():
            uncached_path = f"{path}?nocache={token}"
            _measure(port, path, seconds=1, processes=1, threads=2, expect="hit miss")  # warm up
            cached, uncached = [], []
            for _repeat in range(args.repeats):
                cached.append(
                    _measure(
                        port,
                        path,
                        seconds=args.seconds,
                        processes=processes,
                        threads=threads,
                        expect="hit",
                    )
                )
                uncached.append(
                    _measure(
                        port,
                        uncached_path,
                        seconds=args.seconds,
                        processes=processes,
                        threads=threads,
                        expect="bypass",
                    )
                )
            rows.append((name, statistics.median(cached), statistics.median(uncached)))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
        if scratch_db:
            from django.db import connections

            connections.close_all()
            _postgres_database(server_url, scratch_db, create=False)

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print("## Local platform: public pages, cached vs uncached\n")
    print(f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ")
    print(f"Machine: {_machine()}  ")
    print(
        f"Server: gunicorn {args.workers} workers × {args.threads} threads (gthread) on loopback; "
        f"{args.clients} keep-alive clients in {processes} processes; database {database}, "
        f"cache {cache}; {args.repeats} repeats of {args.seconds:g} s, medians.\n"
    )
    print("| page | cached req/s | uncached req/s | cached ÷ uncached |")
    print("|---|---:|---:|---:|")
    for name, cached_rate, uncached_rate in rows:
        print(
            f"| {name} | {cached_rate:,.0f} | {uncached_rate:,.0f} | {cached_rate / uncached_rate:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
