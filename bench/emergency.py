"""Emergency fan-out benchmark: `.venv/bin/python bench/emergency.py [--sizes 30,1000,10000]
[--runs 3] [--databases sqlite,postgres] [--workers 4]`.

What it measures, for a matrix of N sub-accounts (each with its own unit and one operator who
has a login, every account opted in to automatic reposts, all on the local platform):

(a) from the statement's publication to **all repost orders created and their people
    notified** — the fan-out task's event, written after the bulk inserts of the orders and
    the notifications, minus the publication time the local platform gave the main post;
(b) from the publication to **all reposts done on the local platform** — the last repost
    call's outcome recorded by the outbox (order reposted, proof stored), automatic reposts
    paced per platform as in production (local: 6,000 a minute in 5-second slices of 500, so
    10,000 reposts cannot finish in less than 95 s whatever the machine: the "pacing floor").

Everything runs as in production: a real worker (`manage.py run_huey`, Huey on SQLite) is
started once per database; the statement is written, submitted and approved by the commander
through the services in this process; the worker publishes it through the outbox, hears the
publication, fans out, and runs the automatic reposts. Each database is a throw-away one:
SQLite in a temporary folder, PostgreSQL in a scratch database created on the server of
`--postgres` (default postgres://postgres@127.0.0.1:5432/) and dropped afterwards. The
accounts grow from one size to the next in the same database; each run is a new rolling
update of the same incident. Setting up the accounts is arranged with bulk inserts and is not
timed.

Not a test: run it, read the tables (medians of --runs runs), copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-Password-2026"  # noqa: S105 - a throw-away database's login


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
    environment.pop("REDIS_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    else:
        environment.pop("DATABASE_URL", None)
    return environment


# --- the child: one database -----------------------------------------------------------------
def _arrange() -> dict[str, Any]:
    """The office, the main account, the commander and an active incident."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from govmatrix.emergency.services import incident_declare
    from govmatrix.matrix.models import Account
    from govmatrix.org.models import Unit
    from govmatrix.org.services import office_bootstrap, person_create
    from govmatrix.publishing.services import topics_ensure_defaults

    office = office_bootstrap(
        office_name="基准管理办公室", username="office", password=PASSWORD, person_name="主任"
    ).user
    assert office is not None
    topics_ensure_defaults()
    news = Unit.objects.create(name="基准新闻办", code="news", kind="news_office")
    Account.objects.create(
        unit=news,
        platform="local",
        handle="bench_main",
        display_name="@基准区发布",
        kind="main",
        status="active",
    )
    commander = person_create(
        actor=office, name="现场指挥", username="commander", password=PASSWORD
    )
    incident = incident_declare(
        actor=office, title="基准事件", level="III", commander_id=commander.pk
    )
    return {"office": office.pk, "commander": commander.user_id, "incident": incident.pk}


def _grow(count: int, office_id: int) -> None:
    """Bulk-insert sub-accounts (unit, operator with a login, auto-repost on) up to `count`."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from govmatrix.emergency.models import AutoRepost
    from govmatrix.matrix.models import Account
    from govmatrix.org.models import Membership, Person, Unit

    have = Account.objects.filter(kind="sub").count()
    numbers = range(have, count)
    if not numbers:
        return
    users = get_user_model().objects
    unusable = make_password(None)  # the operators never log in here
    with transaction.atomic():
        Unit.objects.bulk_create(
            [Unit(name=f"基准街镇{i:05d}", code=f"b{i:05d}", kind="street_town") for i in numbers],
            batch_size=1000,
        )
        units = dict(Unit.objects.filter(code__startswith="b").values_list("code", "pk"))
        users.bulk_create(
            [users.model(username=f"b{i:05d}_operator", password=unusable) for i in numbers],
            batch_size=1000,
        )
        logins = dict(users.filter(username__startswith="b").values_list("username", "pk"))
        Person.objects.bulk_create(
            [Person(name=f"运维{i:05d}", user_id=logins[f"b{i:05d}_operator"]) for i in numbers],
            batch_size=1000,
        )
        people = dict(Person.objects.filter(name__startswith="运维").values_list("name", "pk"))
        Membership.objects.bulk_create(
            [
                Membership(
                    person_id=people[f"运维{i:05d}"],
                    unit_id=units[f"b{i:05d}"],
                    role="operator",
                    started_on=date(2026, 1, 1),
                )
                for i in numbers
            ],
            batch_size=1000,
        )
        Account.objects.bulk_create(
            [
                Account(
                    unit_id=units[f"b{i:05d}"],
                    platform="local",
                    handle=f"bench_{i:05d}",
                    display_name=f"基准街镇{i:05d}发布",
                    kind="sub",
                    status="active",
                )
                for i in numbers
            ],
            batch_size=1000,
        )
        accounts = Account.objects.filter(kind="sub").exclude(
            pk__in=AutoRepost.objects.values("account_id")
        )
        AutoRepost.objects.bulk_create(
            [
                AutoRepost(
                    account=a, enabled=True, changed_by_id=office_id, changed_at=timezone.now()
                )
                for a in accounts
            ],
            batch_size=1000,
        )


def _one_run(ids: dict[str, Any], size: int, run: int, timeout: float) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Max

    from govmatrix.audit.models import Event
    from govmatrix.emergency import services
    from govmatrix.emergency.models import RepostOrder, Statement
    from govmatrix.emergency.services.fanout import SLICE_SECONDS, auto_rate
    from govmatrix.platforms.models import OutboxOperation

    def _per_slice(platform: str) -> int:
        return math.ceil(auto_rate(platform) * SLICE_SECONDS / 60)

    users = get_user_model().objects
    office, commander = users.get(pk=ids["office"]), users.get(pk=ids["commander"])
    statement = services.statement_create(
        actor=office,
        incident_id=ids["incident"],
        text=f"【续报】基准第 {size} 号第 {run + 1} 次：现场处置进展顺利，请以权威发布为准。",
        repost_comment="请以权威发布为准。",
    )
    services.statement_submit(actor=office, statement_id=statement.pk)
    approved = time.time()
    services.statement_approve(actor=commander, statement_id=statement.pk)
    deadline = time.perf_counter() + timeout
    figures: dict[str, Any] = {"size": size, "run": run}
    while time.perf_counter() < deadline:
        connection.close()
        row = Statement.objects.filter(pk=statement.pk).values("published_at", "orders_count").get()
        orders = RepostOrder.objects.filter(statement_id=statement.pk)
        done = orders.filter(state="reposted").count()
        if row["published_at"] and row["orders_count"] == size and done == size:
            published = row["published_at"]
            created = (
                Event.objects.filter(verb="repost_orders.created", object_id=str(statement.pk))
                .values_list("created_at", flat=True)
                .get()
            )
            last = OutboxOperation.objects.filter(
                subject_type="emergency.repostorder",
                subject_id__in=[str(pk) for pk in orders.values_list("pk", flat=True)],
            ).aggregate(last=Max("finished_at"))["last"]
            figures.update(
                pacing_floor=(math.ceil(size / _per_slice("local")) - 1) * SLICE_SECONDS,
                publication_after_approval=published.timestamp() - approved,
                orders_and_notified=(created - published).total_seconds(),
                all_reposted=(last - published).total_seconds(),
                ok=True,
            )
            return figures
        time.sleep(0.5)
    figures.update(ok=False, reposted=done)
    return figures


def child(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="govmatrix-bench-") as folder:
        scratch = ""
        database_url = ""
        if args.database == "postgres":
            from bench.public_pages import _postgres_database

            scratch = f"govmatrix_bench_{secrets.token_hex(4)}"
            database_url = _postgres_database(args.postgres, scratch, create=True)
        environment = _environment(Path(folder), database_url)
        os.environ.update(environment)
        if not database_url:
            os.environ.pop("DATABASE_URL", None)
        worker = None
        try:
            ids = _arrange()
            worker = subprocess.Popen(
                # Periodic tasks off: the inbox's sync queues one task per account every
                # minute, which on 10,000 accounts would be measured here instead of reposts.
                [sys.executable, "manage.py", "run_huey", "--quiet", "--no-periodic"],
                cwd=ROOT,
                env={**environment, "HUEY_WORKERS": str(args.workers)},
            )
            for size in args.sizes:
                _grow(size, ids["office"])
                for run in range(args.runs):
                    figures = _one_run(ids, size, run, args.timeout)
                    print(json.dumps({"database": args.database, **figures}), flush=True)
                    if not figures["ok"]:
                        return 1
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=60)
            if scratch:
                from django.db import connections

                from bench.public_pages import _postgres_database

                connections.close_all()
                _postgres_database(args.postgres, scratch, create=False)
    return 0


# --- the parent: every database, one table ---------------------------------------------------
def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s" if values else "—"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="30,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", type=int, default=4, help="threads of the one worker process")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--database", help=argparse.SUPPRESS)  # the child's
    args = parser.parse_args()
    args.sizes = [int(s) for s in str(args.sizes).split(",")]
    if args.database:
        return child(args)

    results: list[dict[str, Any]] = []
    status = 0
    for database in args.databases.split(","):
        command = [
            sys.executable, __file__, "--database", database, "--sizes",
            ",".join(map(str, args.sizes)), "--runs", str(args.runs), "--postgres",
            args.postgres, "--workers", str(args.workers), "--timeout", str(args.timeout),
        ]  # fmt: skip
        process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        for line in process.stdout.splitlines():
            if line.startswith("{"):
                results.append(json.loads(line))
        if process.returncode:
            sys.stderr.write(process.stderr[-3000:])
            status = 1
    command = f".venv/bin/python bench/emergency.py --sizes {','.join(map(str, args.sizes))} --runs {args.runs} --databases {args.databases} --workers {args.workers}"
    print(f"\n## Emergency fan-out ({_machine()})\n")
    print(f"Command: `{command}`")
    print(
        f"One worker process with {args.workers} threads and periodic tasks off, Huey on "
        "SQLite; local platform; "
        f"every sub-account opted in to automatic reposts; medians of {args.runs} runs.\n"
    )
    print(
        "| database | sub-accounts | (a) orders created + people notified | "
        "(b) all reposts done | pacing floor of (b) | publication after approval |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for database in args.databases.split(","):
        for size in args.sizes:
            rows = [
                r for r in results if r["database"] == database and r["size"] == size and r["ok"]
            ]
            label = "PostgreSQL" if database == "postgres" else "SQLite"
            floor = rows[0]["pacing_floor"] if rows else "—"
            print(
                f"| {label} | {size:,} | {_seconds([r['orders_and_notified'] for r in rows])} | "
                f"{_seconds([r['all_reposted'] for r in rows])} | {floor} s | "
                f"{_seconds([r['publication_after_approval'] for r in rows])} |"
            )
    failed = [r for r in results if not r["ok"]]
    if failed or status:
        print(f"\nNOT EVERY RUN FINISHED: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
