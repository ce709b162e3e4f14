"""Helpers for the assessment tests: a finished quarter with snapshot data for the district."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from govmatrix.assessment.models import SnapshotSource
from govmatrix.assessment.services.inspections import (
    checklist_seed_defaults,
    inspection_plan_create,
    inspection_plan_start,
)
from govmatrix.assessment.services.snapshots import snapshot_store
from govmatrix.assessment.sources import SourcePost
from tests.conftest import District

QUARTER = "2026Q2"
OWN_PROVIDERS = ("snapshots", "inspections", "training")


@pytest.fixture(autouse=True)
def only_own_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests see the providers of the assessment and training apps only: what the other
    apps register (inbox, publishing …) is theirs to test, and must not change these figures."""
    from govmatrix.assessment.providers import registry

    own = {key: p for key, p in registry._PROVIDERS.items() if key in OWN_PROVIDERS}
    monkeypatch.setattr(registry, "_PROVIDERS", own)


Q_START, Q_END = date(2026, 4, 1), date(2026, 6, 30)


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_quarter(
    account_id: int,
    *,
    every: int = 1,
    followers: int = 1000,
    reposts: int = 5,
    replies: int = 2,
    start: date = Q_START,
    end: date = Q_END,
) -> None:
    """Snapshots for every day of the quarter; a post every `every` days with fixed counts."""
    day = start
    while day <= end:
        posts = []
        counts = {}
        if (day - start).days % every == 0:
            post = SourcePost(
                id=f"{account_id}-{day.isoformat()}", published_at=moment(day),
                is_original=day.day % 3 != 0, url=f"/p/x/{day.toordinal()}/",
            )  # fmt: skip
            posts.append(post)
            counts[post.id] = (reposts, reposts * 2, reposts * 3)
        snapshot_store(
            account_id=account_id, day=day,
            values={"followers": followers, "posts_published": len(posts),
                    "posts_original": sum(p.is_original for p in posts), "replies_sent": replies,
                    "interaction_enabled": True},
            posts=posts, counts=counts, source=SnapshotSource.DEMO,
        )  # fmt: skip
        day += timedelta(days=1)


@pytest.fixture
def quarter_data(district: District) -> District:
    """Three accounts with a quarter of data: the main account busy, the streets less so."""
    seed_quarter(district.main_account.pk, every=1, followers=50000, reposts=20, replies=5)
    seed_quarter(district.street01_account.pk, every=2, followers=3000, reposts=4, replies=1)
    seed_quarter(district.street02_account.pk, every=7, followers=800, reposts=1, replies=0)
    # Inspected, with nothing found: the inspection indicator has data (0 findings). Without it
    # the snapshot metrics alone back 49.75 % of the default scheme's weight, under its 50 %.
    inspect_all(district, QUARTER, date(2026, 6, 20))
    return district


def inspect_all(district: District, quarter: str, check_date: date) -> None:
    checklist_seed_defaults(actor=district.office_admin)
    plan = inspection_plan_create(
        actor=district.office_admin,
        title=f"{quarter} 检查",
        quarter=quarter,
        check_date=check_date,
        sampling="all",
    )
    inspection_plan_start(actor=district.office_admin, plan_id=plan.pk)


@pytest.fixture
def after_quarter(time_machine: object) -> None:
    time_machine.move_to(timezone.make_aware(datetime(2026, 7, 15, 9, 0)))  # type: ignore[attr-defined]


@pytest.fixture
def computed_run(quarter_data: District, after_quarter: None) -> object:
    """A run of 2026Q2 with the default scheme, computed and waiting for review."""
    from govmatrix.assessment.services.runs import run_compute, run_create

    run = run_create(actor=quarter_data.office_admin, quarter=QUARTER, scheme="four_dimensions")
    run_compute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "computed", run.error
    return run
