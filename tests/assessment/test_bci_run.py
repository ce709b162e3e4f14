"""The GSDATA BCI test vector (assessment-methods.md §2.5), through snapshots, providers and a run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govmatrix.assessment.models import AccountSnapshot, SnapshotSource
from govmatrix.assessment.services.runs import run_compute, run_create
from govmatrix.assessment.services.snapshots import DayRow, snapshots_import
from govmatrix.assessment.sources import SourcePost
from govmatrix.matrix.models import Account
from tests.assessment.conftest import Q_START, moment
from tests.conftest import District


def _typical_quarter(account_id: int) -> None:
    """X1=300 posts, X2=200 originals, X3=5000 reposts (X5=4000 of originals), X4=3000
    comments (X6=2500 of originals), X7=20000 likes: the "typical quarter" of §2.5."""
    posts: dict[date, list[SourcePost]] = {}
    counts = {}
    for n in range(300):
        day = Q_START + timedelta(days=n % 91)
        original = n < 200
        reposts = (20 if n < 199 else 20 + 4000 - 200 * 20) if original else 10
        comments = (12 if n < 199 else 12 + 2500 - 200 * 12) if original else 5
        likes = 66 if n < 299 else 20000 - 299 * 66
        post = SourcePost(f"bci-{n}", moment(day, 8 + n % 12), is_original=original)
        posts.setdefault(day, []).append(post)
        counts[post.id] = (reposts, comments, likes)
    rows = [
        DayRow(account_id, day, {"posts_published": len(day_posts), "followers": 1}, day_posts,
               counts)
        for day, day_posts in posts.items()
    ]  # fmt: skip
    snapshots_import(rows=rows, source=SnapshotSource.DEMO)


def test_the_bci_typical_quarter_vector_comes_out_of_a_run(
    district: District, after_quarter: None
) -> None:
    Account.objects.exclude(pk=district.street01_account.pk).update(status="planned")
    _typical_quarter(district.street01_account.pk)
    assert AccountSnapshot.objects.filter(day__gte=date(2026, 4, 1)).count() == 91
    run = run_create(actor=district.office_admin, quarter="2026Q2", scheme="gsdata_bci")
    run_compute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "computed", run.error
    account = run.result["accounts"][0]
    metrics = run.metrics[str(district.street01_account.pk)]
    assert [metrics[k] for k in ("posts_total", "posts_original", "reposts_received",
            "comments_received", "original_reposts_received", "original_comments_received",
            "likes_received")] == [300, 200, 5000, 3000, 4000, 2500, 20000]  # fmt: skip
    assert account["dimensions"]["activity"]["score"] == pytest.approx(5.424447, abs=5e-7)
    assert account["dimensions"]["propagation"]["score"] == pytest.approx(8.324859, abs=5e-7)
    assert account["total"] == pytest.approx(1239.164233, abs=5e-6)
