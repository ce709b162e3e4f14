"""Publishing benchmark: `.venv/bin/python bench/publishing.py [--posts 1000] [--workers 4]`.

Part 1 — **1,000 approved posts through the outbox with a real worker.** A throw-away database
(SQLite in a temporary folder, or a scratch PostgreSQL database when DATABASE_URL points at a
PostgreSQL server; Huey on SQLite, or on Redis when REDIS_URL is set) gets the demo district;
an operator drafts and submits N posts for 东城街道 and its principal leader approves them
through the publishing services, so each approval queues its publication. Then a real worker
(`manage.py run_huey`) starts, and the clock runs until every post is published on the local
platform (outbox row claimed, connector called, outcome recorded, report item created). The
figure is posts/s from the worker's start; the time to its first publication is shown apart.

Part 2 — public-page throughput, cached and uncached in the same run: `bench/public_pages.py`.

Not a test: run it, read the table, copy it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _environment(var_dir: Path, database_url: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "GOVMATRIX_VAR_DIR": str(var_dir),
        "HUEY_NAME": f"bench-{secrets.token_hex(4)}",
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    else:
        environment.pop("DATABASE_URL", None)
    return environment


def _prepare(posts: int) -> list[int]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from govmatrix.demo.seed import seed_demo_district
    from govmatrix.matrix.models import Account
    from govmatrix.publishing.services.editing import post_create
    from govmatrix.publishing.services.posts import post_approve, post_submit

    seed_demo_district()
    users = get_user_model().objects
    operator, leader = (
        users.get(username="street01_operator"),
        users.get(username="street01_leader"),
    )
    account = Account.objects.get(handle="sfq_street01")
    ids = []
    for number in range(posts):
        post = post_create(
            actor=operator,
            account_id=account.pk,
            text=f"示范区东城街道第 {number + 1} 号通知：本周六上午在社区服务中心开展便民服务活动，欢迎居民参加。",
        )
        post_submit(actor=operator, post_id=post.pk)
        post_approve(actor=leader, post_id=post.pk)
        ids.append(post.pk)
    return ids


def _published(ids: list[int]) -> tuple[int, float | None]:
    from django.db import connection

    from govmatrix.publishing.models import Post

    connection.close()
    done = Post.objects.filter(pk__in=ids, status="published")
    count = done.count()
    first = done.order_by("published_at").values_list("published_at", flat=True).first()
    return count, first.timestamp() if first else None


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument(
        "--workers", type=int, default=4, help="worker threads of the one worker process"
    )
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--skip-pages", action="store_true", help="only part 1")
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "")
    scratch = ""
    with tempfile.TemporaryDirectory(prefix="govmatrix-bench-") as folder:
        if server_url.startswith("postgres"):
            from bench.public_pages import _postgres_database

            scratch = f"govmatrix_bench_{secrets.token_hex(4)}"
            database_url = _postgres_database(server_url, scratch, create=True)
        else:
            database_url = ""
        environment = _environment(Path(folder), database_url)
        os.environ.update(environment)
        if not database_url:
            os.environ.pop("DATABASE_URL", None)
        try:
            started = time.perf_counter()
            ids = _prepare(args.posts)
            prepared = time.perf_counter() - started
            worker_env = {**environment, "HUEY_WORKERS": str(args.workers)}
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey", "--quiet"], cwd=ROOT, env=worker_env
            )
            clock = time.perf_counter()
            wall_start = time.time()
            try:
                while True:
                    count, first = _published(ids)
                    if count == len(ids) or time.perf_counter() - clock > args.timeout:
                        break
                    time.sleep(0.5)
                elapsed = time.perf_counter() - clock
            finally:
                worker.terminate()
                worker.wait(timeout=30)
        finally:
            if scratch:
                from django.db import connections

                connections.close_all()
                _postgres_database(server_url, scratch, create=False)

    database = "PostgreSQL" if scratch else "SQLite"
    queue = "Redis" if os.environ.get("REDIS_URL") else "SQLite"
    first_after = (first - wall_start) if first else float("nan")
    print(f"\n## Publishing {args.posts} approved posts through the outbox ({_machine()})\n")
    print(
        f"Command: `.venv/bin/python bench/publishing.py --posts {args.posts} --workers {args.workers}`"
    )
    print(
        f"Database {database}, Huey on {queue}, one worker process with {args.workers} threads.\n"
    )
    print(
        "| posts published | seconds from worker start | posts/s | first publication after | setup (draft+submit+approve) |"
    )
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {count} / {len(ids)} | {elapsed:.1f} | {count / elapsed:.1f} | {first_after:.1f} s | {prepared:.0f} s |"
    )
    if count != len(ids):
        print("\nNOT ALL POSTS WERE PUBLISHED within the timeout.")
        return 1
    if not args.skip_pages:
        print("\n## Public pages, cached and uncached (bench/public_pages.py)\n", flush=True)
        return subprocess.call([sys.executable, str(ROOT / "bench" / "public_pages.py")], cwd=ROOT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
