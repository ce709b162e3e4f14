"""The assessment's part of the demo district 示范区, through the same services people use.

Safe to run again: what exists (schemes, checklist codes, plans by title, the previous quarter's
final run, snapshot days) is kept. Snapshot data is marked "demo" (`SnapshotSource.DEMO`): the
demo has no history, so the previous quarter and the current one up to yesterday are filled
with plausible figures for the accounts on the local platform — the ones the nightly collection
would read. Accounts on platforms without a connector get none, and read "no data".
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govmatrix.assessment.compute import assessed_accounts, check_date_of
from govmatrix.assessment.models import (
    AccountSnapshot,
    AssessmentRun,
    ChecklistItem,
    FindingStatus,
    InspectionPlan,
    PlanStatus,
    RunStatus,
    Sampling,
    SnapshotSource,
)
from govmatrix.assessment.scoring import Quarter
from govmatrix.assessment.services.inspections import (
    checklist_seed_defaults,
    finding_create,
    finding_report_rectified,
    finding_verify,
    inspection_plan_complete,
    inspection_plan_create,
    inspection_plan_start,
)
from govmatrix.assessment.services.runs import run_compute, run_create, run_freeze, run_publish
from govmatrix.assessment.services.schemes import scheme_seed_shipped
from govmatrix.assessment.services.snapshots import DayRow, snapshots_import
from govmatrix.assessment.sources import SourcePost
from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account, AccountKind, AccountStatus, Platform
from govmatrix.org.models import Membership, Role


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _rows(account: Account, first: date, last: date) -> list[DayRow]:
    """A deterministic, account-specific quarter: busier for the main account and the media."""
    rng = random.Random(f"demo-{account.handle}")  # noqa: S311 - demo figures, not secrets
    # The chance of posting on a given day, and how many posts such a day has at most.
    chance = 0.97 if account.kind == AccountKind.MAIN else rng.uniform(0.5, 0.95)
    most = 6 if account.kind == AccountKind.MAIN else rng.randint(1, 3)
    reach = 40 if account.kind == AccountKind.MAIN else rng.randint(2, 15)
    followers = 120000 if account.kind == AccountKind.MAIN else rng.randint(800, 20000)
    stops = last - timedelta(days=25) if account.status == AccountStatus.DORMANT else None
    rows, day = [], first
    while day <= last:
        posts, counts = [], {}
        quiet = stops is not None and day > stops
        today = 0 if quiet or rng.random() > chance else rng.randint(1, most)
        for n in range(today):
            post = SourcePost(id=f"demo-{account.pk}-{day.isoformat()}-{n}",
                              published_at=_at(day, 8 + n % 10, rng.randint(0, 59)),
                              is_original=rng.random() < 0.7,
                              url=account.profile_url)  # fmt: skip
            posts.append(post)
            r = int(rng.expovariate(1 / reach))
            counts[post.id] = (r, int(r * rng.uniform(0.5, 2.5)), int(r * rng.uniform(2, 6)))
        followers += rng.randint(0, 25)
        rows.append(
            DayRow(account_id=account.pk, day=day, posts=posts, counts=counts,
                   values={"followers": followers, "following": 0, "posts_published": len(posts),
                           "posts_original": sum(p.is_original for p in posts),
                           "replies_sent": 0 if quiet else rng.randint(0, most),
                           "interaction_enabled": True})
        )  # fmt: skip
        day += timedelta(days=1)
    return rows


def _snapshots(first: date, last: date) -> None:
    accounts = [
        a for a in assessed_accounts(Quarter.containing(first), last)
        if a.platform == Platform.LOCAL
    ]  # fmt: skip
    have = set(
        AccountSnapshot.objects.filter(day__gte=first, day__lte=last).values_list(
            "account_id", "day"
        )
    )
    rows = [
        row for account in accounts for row in _rows(account, first, last)
        if (row.account_id, row.day) not in have
    ]  # fmt: skip
    if rows:
        snapshots_import(rows=rows, source=SnapshotSource.DEMO, note="演示数据")


def _plan(actor: Actor, quarter: Quarter, check: date, title: str) -> InspectionPlan:
    plan = InspectionPlan.objects.filter(title=title).first()
    if plan is None:
        plan = inspection_plan_create(actor=actor, title=title, quarter=str(quarter),
                                      check_date=check, sampling=Sampling.ALL,
                                      note="演示：对全部账号的季度检查。")  # fmt: skip
        inspection_plan_start(actor=actor, plan_id=plan.pk)
    return plan


def _findings(actor: Actor, plan: InspectionPlan, items: list[tuple[str, str, str]]) -> None:
    if plan.findings.exists() or plan.status != PlanStatus.IN_PROGRESS:
        return
    targets = {t.account.handle: t.account_id for t in plan.targets.select_related("account")}
    for handle, code, text in items:
        item = ChecklistItem.objects.filter(code=code).first()
        if handle in targets and item is not None:
            finding_create(actor=actor, plan_id=plan.pk, account_id=targets[handle],
                           item_id=item.pk, description=text, found_on=plan.check_date)  # fmt: skip


def seed(*, actor: Actor) -> None:
    scheme_seed_shipped(actor=actor)
    checklist_seed_defaults(actor=actor)
    today = timezone.localdate()
    current = Quarter.containing(today)
    previous = current.previous()
    _snapshots(previous.start, previous.end)
    last = check_date_of(current)
    if last is not None:
        _snapshots(current.start, last)

    old = _plan(actor, previous, previous.end - timedelta(days=10), f"{previous} 季度全面检查")
    _findings(actor, old, [
        ("sfq_street02", "wrong_words", "9月12日微博“防讯”应为“防汛”。"),
        ("sfq_dept02", "interaction", "网民9月留言咨询招生政策，5个工作日未回应。"),
        ("sfq_street12", "no_update", "检查时点前2周内无更新。"),
    ])  # fmt: skip
    for finding in old.findings.filter(status=FindingStatus.OPEN, account__handle="sfq_street02"):
        operator = _unit_user(finding.unit_id)
        if operator is not None:
            finding_report_rectified(actor=operator, finding_id=finding.pk,
                                     response="已更正原微博并加强校对。")  # fmt: skip
            finding_verify(actor=actor, finding_id=finding.pk, note="已核验。")
    if old.status == PlanStatus.IN_PROGRESS:
        inspection_plan_complete(actor=actor, plan_id=old.pk)

    if last is not None:
        new = _plan(actor, current, last, f"{current} 季度全面检查")
        _findings(actor, new, [
            ("sfq_street01", "unrelated", "转发与本单位职能无关的娱乐内容。"),
            ("sfq_dept03", "wrong_words", "政策解读图片中文号有误。"),
        ])  # fmt: skip

    if not AssessmentRun.objects.filter(
        quarter=str(previous), scheme_name="four_dimensions",
        status__in=[RunStatus.FROZEN, RunStatus.PUBLISHED],
    ).exists():  # fmt: skip
        run = run_create(actor=actor, quarter=str(previous), scheme="four_dimensions")
        run_compute(run_id=run.pk)
        run_freeze(actor=actor, run_id=run.pk)
        run_publish(actor=actor, run_id=run.pk)


def _unit_user(unit_id: int) -> Actor | None:
    membership = (
        Membership.objects.filter(unit_id=unit_id, role=Role.OPERATOR, ended_on__isnull=True,
                                  person__user__isnull=False)
        .select_related("person__user").first()
    )  # fmt: skip
    return membership.person.user if membership else None
