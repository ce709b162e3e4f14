"""Inbox benchmark: `.venv/bin/python bench/inbox.py [--messages 100000] [--naive 100000]
[--rows 1000000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]`.

Part 1 — **ingest throughput**, messages/s, in the same run on the same data:
  * the inbox's way: `services.ingest.messages_store` on batches of 500 interactions per account
    (one query to find what is already stored, one batched classification — kind, topic,
    place, harm lexicon, harm classifier for comment-length texts, jieba search words —,
    routing, SLA deadlines, one bulk INSERT, one audit event per batch), each batch in its own
    transaction as the sync does;
  * a naive loop: for each interaction, look it up, classify it alone, route it, compute its
    deadlines and save the row with `Message.save()` in its own transaction.
  The interactions are written from the demo's templates (`inbox/traffic.py`) for 12 streets'
  and 20 departments' accounts; 3 % are repeats of an earlier id (dedupe must drop them).

Part 2 — **inbox list latency** with `--rows` messages in the database (default 1,000,000),
on SQLite and on PostgreSQL: the queries the queue page makes (first page of 25 and the count,
which stops at 10,000 as the page's does; the uncounted-cap way is measured beside it), through the real selector (`selectors.messages.message_list`, scoped to the user), p50/p95
over 40 runs after a warm-up:
  * a street operator's queue (messages being worked, deadline first);
  * the office's queue filtered to overdue messages;
  * the office's Chinese full-text search ("噪音 扰民": FTS5 on SQLite, GIN over
    to_tsvector on PostgreSQL), and the same words with a plain LIKE on the text for comparison.
  The rows are bulk-loaded (synthetic, 15 % still being worked) without classification.

Each database runs in its own child process (Django's settings are per process) in a throw-away
SQLite file or a scratch PostgreSQL database that is created and dropped. Not a test: run it,
read the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 500
STREETS = [
    "东城街道",
    "西城街道",
    "南湖街道",
    "北苑街道",
    "新华街道",
    "人民路街道",
    "清河镇",
    "柳林镇",
    "桃园镇",
    "石桥镇",
    "青山镇",
    "白沙镇",
]


# --- the district ---------------------------------------------------------------------------------
def _district() -> dict[str, Any]:
    """Units, accounts, one operator, the office and the topic → unit map (direct rows)."""
    from datetime import date

    from django.contrib.auth.models import User

    from govmatrix.inbox.models import MessageTopic
    from govmatrix.inbox.services.office import topics_ensure_defaults
    from govmatrix.matrix.models import Account
    from govmatrix.org.models import Membership, Person, Unit

    office = Unit.objects.create(name="管理办公室", code="office", kind="office")
    news = Unit.objects.create(name="区政府新闻办", code="news_office", kind="news_office")
    streets = [
        Unit.objects.create(
            name=name, code=f"street{i + 1:02d}", kind="street_town", sort_order=10 + i
        )
        for i, name in enumerate(STREETS)
    ]
    departments = [
        Unit.objects.create(name=f"区部门{i + 1}", code=f"dept{i + 1:02d}", kind="department")
        for i in range(20)
    ]
    accounts = [
        Account.objects.create(
            unit=news,
            platform="local",
            handle="main",
            display_name="@区发布",
            kind="main",
            status="active",
        )
    ]
    accounts += [
        Account.objects.create(
            unit=u,
            platform="local",
            handle=f"acc_{u.code}",
            display_name=u.name,
            kind="sub",
            status="active",
        )
        for u in [*streets, *departments]
    ]
    topics_ensure_defaults()
    for topic, unit in zip(MessageTopic.objects.order_by("pk"), departments, strict=False):
        topic.unit = unit
        topic.save(update_fields=["unit"])
    operator = User.objects.create_user("operator", password="x")  # noqa: S106
    admin = User.objects.create_user("admin", password="x")  # noqa: S106
    person = Person.objects.create(name="operator", user=operator)
    Membership.objects.create(
        person=person, unit=streets[0], role="operator", started_on=date(2025, 1, 1)
    )
    Membership.objects.create(
        person=Person.objects.create(name="admin", user=admin),
        unit=office,
        role="office_admin",
        started_on=date(2025, 1, 1),
    )
    return {
        "accounts": accounts,
        "streets": streets,
        "departments": departments,
        "operator": operator,
        "admin": admin,
    }


def _interactions(count: int, accounts: list[Any], rng: random.Random) -> dict[int, list[Any]]:
    from django.utils import timezone

    from govmatrix.inbox.routing import short_place_name
    from govmatrix.inbox.traffic import NICKNAMES, compose
    from govmatrix.platforms.base import Author, Interaction, InteractionKind

    places = [short_place_name(name) for name in STREETS]
    now = timezone.now()
    by_account: dict[int, list[Any]] = {a.pk: [] for a in accounts}
    made: list[Any] = []
    for n in range(count):
        if made and rng.random() < 0.03:
            repeat = rng.choice(made)  # the same interaction delivered again
            by_account[repeat[0]].append(repeat[1])
            continue
        account = rng.choice(accounts)
        _kind, text = compose(rng, rng.choice(places))
        item = Interaction(
            platform="local",
            id=f"c{n + 1}",
            kind=InteractionKind.COMMENT,
            account_handle=account.handle,
            post_id="1",
            parent_id=None,
            author=Author(f"visitor:{rng.randrange(20000):05d}", "网民", rng.choice(NICKNAMES)),
            text=text,
            created_at=now - timedelta(seconds=count - n),
        )
        by_account[account.pk].append(item)
        made.append((account.pk, item))
    return by_account


def _ingest_bulk(by_account: dict[int, list[Any]], accounts: dict[int, Any]) -> int:
    from django.db import transaction

    from govmatrix.inbox.services.ingest import messages_store

    stored = 0
    for account_id, items in by_account.items():
        for start in range(0, len(items), BATCH):
            with transaction.atomic():
                stored += len(
                    messages_store(
                        account=accounts[account_id], interactions=items[start : start + BATCH]
                    ).ids
                )
    return stored


def _ingest_naive(
    by_account: dict[int, list[Any]], accounts: dict[int, Any], limit: int
) -> tuple[int, int]:
    """One row at a time: look up, classify alone, route, deadlines, `save()` (autocommit)."""
    from govmatrix.inbox import clocks
    from govmatrix.inbox.models import Message, MessageState
    from govmatrix.inbox.routing import decide_route, district
    from govmatrix.inbox.services.ingest import triage_threshold

    place = district()
    seen = stored = 0
    for account_id, items in by_account.items():
        account = accounts[account_id]
        for item in items:
            if seen >= limit:
                return seen, stored
            seen += 1
            if Message.objects.filter(platform="local", external_id=item.id).exists():
                continue
            found = place.classifier.classify(item.text)
            route = decide_route(found, account, place)
            due = clocks.deadlines_for(found.kind, item.created_at)
            message = Message(
                platform="local",
                external_id=item.id,
                account=account,
                channel="comment",
                author_id=item.author.platform_user_id,
                author_name=item.author.display_name,
                text=item.text,
                received_at=item.created_at,
                kind=found.kind,
                kind_confidence=found.kind_confidence,
                topic=place.topics.get(found.topic),
                topic_confidence=found.topic_confidence,
                unit=route.unit,
                unit_confidence=route.confidence,
                routed_by=route.routed_by,
                place_name=found.place_name,
                harm_score=found.harm_score,
                harm_flagged=found.harm_flagged,
                harm_source=found.harm_source,
                search_text=found.search_text,
                state=MessageState.TRIAGE
                if route.unit is None or route.confidence < triage_threshold()
                else MessageState.OPEN,
                **due.as_fields(),
            )
            clocks.set_stage(message)
            message.save()
            stored += 1
    return seen, stored


def _wipe_messages() -> None:
    from govmatrix.inbox.models import Message

    Message.objects.all().delete()


def part_ingest(messages: int, naive: int) -> dict[str, Any]:
    from govmatrix.inbox.routing import district

    data = _district()
    accounts = {a.pk: a for a in data["accounts"]}
    for account in accounts.values():
        account.unit  # noqa: B018 - loaded once, as the sync does
    rng = random.Random(2026)
    by_account = _interactions(messages, data["accounts"], rng)
    total = sum(len(v) for v in by_account.values())
    district()  # the classifier is built once per process (lexicon, model, jieba): not timed
    district().classifier.classify_many(["预热"])
    started = time.perf_counter()
    stored = _ingest_bulk(by_account, accounts)
    bulk_seconds = time.perf_counter() - started
    _wipe_messages()
    started = time.perf_counter()
    seen, naive_stored = _ingest_naive(by_account, accounts, naive)
    naive_seconds = time.perf_counter() - started
    return {
        "interactions": total,
        "stored": stored,
        "bulk_seconds": bulk_seconds,
        "naive_interactions": seen,
        "naive_stored": naive_stored,
        "naive_seconds": naive_seconds,
    }


# --- list latency -----------------------------------------------------------------------------------
def _load_rows(rows: int, data: dict[str, Any], rng: random.Random) -> float:
    """Synthetic rows straight into the table (executemany), without classifying them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from govmatrix.inbox.models import Message, MessageTopic
    from govmatrix.inbox.traffic import TEMPLATES, compose
    from govmatrix.textintel.classify import search_words

    topics = list(MessageTopic.objects.values_list("pk", flat=True))
    units = [u.pk for u in [*data["streets"], *data["departments"]]]
    accounts = [a.pk for a in data["accounts"]]
    # A few hundred distinct texts with their words: jieba once per text, not per row.
    texts = []
    for _n in range(400):
        _kind, text = compose(rng, rng.choice([s[:2] for s in STREETS]))
        texts.append((text, " ".join(search_words(text))))
    kinds = [k for k, _t in TEMPLATES]
    columns = [
        "platform",
        "external_id",
        "account_id",
        "channel",
        "post_external_id",
        "parent_external_id",
        "url",
        "author_id",
        "author_name",
        "text",
        "received_at",
        "ingested_at",
        "kind",
        "kind_confidence",
        "topic_id",
        "topic_confidence",
        "unit_id",
        "unit_confidence",
        "routed_by",
        "place_name",
        "harm_score",
        "harm_flagged",
        "harm_source",
        "harm_categories",
        "search_text",
        "state",
        "ack_due_at",
        "ack_warn_at",
        "resolve_due_at",
        "resolve_warn_at",
        "next_due_at",
        "next_warn_at",
        "sla_problem",
        "first_response_at",
        "resolved_at",
        "updated_at",
    ]
    table = Message._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our own column names
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    now = timezone.now()
    started = time.perf_counter()
    chunk: list[tuple[Any, ...]] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
        chunk.clear()

    for n in range(rows):
        text, words = texts[n % len(texts)]
        received = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        working = rng.random() < 0.15
        due = received + timedelta(hours=rng.choice([4, 30, 60]))
        state = rng.choice(["open", "open", "answered", "triage"]) if working else "closed"
        answered = state in ("answered", "closed")
        chunk.append(
            (
                "local",
                f"r{n}",
                rng.choice(accounts),
                "comment",
                "",
                "",
                "",
                f"visitor:{n % 50000}",
                "网民",
                text,
                received,
                now,
                kinds[n % len(kinds)],
                0.8,
                rng.choice(topics),
                0.7,
                None if state == "triage" else rng.choice(units),
                0.9,
                "place",
                "",
                0.1,
                False,
                "classifier",
                "",
                words,
                state,
                due,
                due - timedelta(hours=1),
                due + timedelta(days=5),
                due + timedelta(days=4),
                due if working else None,
                due - timedelta(hours=1) if working else None,
                "",
                received + timedelta(hours=2) if answered else None,
                received + timedelta(days=2) if state == "closed" else None,
                now,
            )
        )
        if len(chunk) == 5000:
            flush()
    if chunk:
        flush()
    return time.perf_counter() - started


def _timed(call: Any, runs: int) -> dict[str, float]:
    call()  # warm-up
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))]}


def part_latency(rows: int, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Q

    from govmatrix.inbox.models import Message
    from govmatrix.inbox.selectors.messages import MessageFilter, message_list, visible_messages
    from govmatrix.web.listing import COUNT_CAP, CappedPaginator

    data = _district()
    load_seconds = _load_rows(rows, data, random.Random(7))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inbox_message")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    operator, admin = data["operator"], data["admin"]

    def first_page(rows_: Any) -> None:
        """What the queue page asks: its first 25 rows and the (capped) count."""
        paginator = CappedPaginator(rows_, 25, cap=COUNT_CAP)
        list(paginator.page(1).object_list)

    def page(user: Any, filters: MessageFilter) -> Any:
        return lambda: first_page(message_list(user=user, filters=filters))

    def page_counting_all(user: Any, filters: MessageFilter) -> Any:
        def run() -> None:
            rows_ = message_list(user=user, filters=filters)
            list(rows_[:25])
            rows_.count()

        return run

    def like_search() -> None:
        rows_ = visible_messages(admin).filter(Q(text__contains="噪音") & Q(text__contains="扰民"))
        first_page(rows_.order_by("-received_at"))

    results = {
        "street operator's queue (being worked, deadline first)": _timed(
            page(operator, MessageFilter(state="working")), runs
        ),
        "office: overdue messages": _timed(page(admin, MessageFilter(sla_state="overdue")), runs),
        "office: overdue messages, counting every row (before the cap)": _timed(
            page_counting_all(admin, MessageFilter(sla_state="overdue")), max(5, runs // 4)
        ),
        "office: full-text search 噪音 扰民": _timed(
            page(admin, MessageFilter(q="噪音 扰民")), runs
        ),
        "office: the same words with LIKE on the text": _timed(like_search, max(5, runs // 4)),
    }
    matched = message_list(user=admin, filters=MessageFilter(q="噪音 扰民")).count()
    return {
        "rows": Message.objects.count(),
        "load_seconds": load_seconds,
        "latency": results,
        "search_matches": matched,
    }


# --- orchestration -------------------------------------------------------------------------------------
def _child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.child == "ingest":
        result = part_ingest(args.messages, args.naive)
    else:
        result = part_latency(args.rows, args.runs)
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def _postgres_database(server_url: str, name: str, *, create: bool) -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        verb = "CREATE DATABASE" if create else "DROP DATABASE IF EXISTS"
        conn.execute(f'{verb} "{name}"')  # a fixed prefix and hex digits: safe to quote
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run_child(kind: str, database: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govmatrix-bench-inbox-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "GOVMATRIX_VAR_DIR": folder,
            "HUEY_NAME": f"bench-{secrets.token_hex(4)}",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        scratch = ""
        if database == "postgres":
            scratch = f"govmatrix_bench_{secrets.token_hex(4)}"
            env["DATABASE_URL"] = _postgres_database(args.postgres, scratch, create=True)
        else:
            env.pop("DATABASE_URL", None)
        try:
            command = [
                sys.executable,
                __file__,
                "--child",
                kind,
                "--messages",
                str(args.messages),
                "--naive",
                str(args.naive),
                "--rows",
                str(args.rows),
                "--runs",
                str(args.runs),
            ]
            out = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if scratch:
                _postgres_database(args.postgres, scratch, create=False)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    if out.returncode != 0 or not lines:
        raise SystemExit(
            f"{kind} on {database} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
        )
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.1f} at the start"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=100_000, help="interactions to ingest")
    parser.add_argument(
        "--naive", type=int, default=100_000, help="how many of them the naive loop takes"
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="messages in the database for part 2"
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (a scratch database is created and dropped); '' skips it",
    )
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--child", choices=["ingest", "latency"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)

    command = " ".join(["bench/inbox.py", *sys.argv[1:]])
    print(f"Command: `.venv/bin/python {command}` · machine: {_machine()}\n")
    if not args.skip_ingest:
        r = _run_child("ingest", "sqlite", args)
        bulk = r["interactions"] / r["bulk_seconds"]
        naive = r["naive_interactions"] / r["naive_seconds"]
        print(
            f"## Ingest: {r['interactions']:,} interactions (dedupe + classify + route + persist), SQLite\n"
        )
        print("| way | interactions | stored | seconds | messages/s | vs naive |")
        print("|---|---:|---:|---:|---:|---:|")
        print(
            f"| inbox: `messages_store`, batches of {BATCH}, one transaction each | {r['interactions']:,} | "
            f"{r['stored']:,} | {r['bulk_seconds']:.1f} | {bulk:,.0f} | {bulk / naive:.2f}× |"
        )
        print(
            f"| naive: one row at a time, `save()` each | {r['naive_interactions']:,} | "
            f"{r['naive_stored']:,} | {r['naive_seconds']:.1f} | {naive:,.0f} | 1.00× |\n",
            flush=True,
        )
    if not args.skip_latency:
        databases = ["sqlite", *(["postgres"] if args.postgres else [])]
        results = {db: _run_child("latency", db, args) for db in databases}
        print(f"## Inbox list latency with {args.rows:,} messages (first page of 25 + count), ms\n")
        header = " | ".join(
            f"{'SQLite' if db == 'sqlite' else 'PostgreSQL'} p50 | p95" for db in databases
        )
        print(f"| query | {header} |")
        print("|---|" + "---:|---:|" * len(databases))
        for name in next(iter(results.values()))["latency"]:
            cells = " | ".join(
                f"{results[db]['latency'][name]['p50']:.1f} | {results[db]['latency'][name]['p95']:.1f}"
                for db in databases
            )
            print(f"| {name} | {cells} |")
        for db in databases:
            r = results[db]
            print(
                f"\n{db}: {r['rows']:,} rows loaded in {r['load_seconds']:.0f} s; "
                f"the search matches {r['search_matches']:,} rows."
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
