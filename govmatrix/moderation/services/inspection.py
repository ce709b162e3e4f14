"""Content inspection (R1.4): a run over every account's published posts and every account's
last post, and the findings it records.

* A run is queued (nightly by the scheduler, or by the office on demand; one open run at a
  time, a database constraint) and executed by a worker that claims it with a lease; a run
  whose worker died is claimed again once the lease has run out.
* Findings are unique per (rule, subject) — a post, or an account's spell of silence — so a
  run finds again what an earlier run found without adding it twice; what changed in an open
  finding (other hits, another link status) is updated, with an event.
* Every new finding gets a rectification deadline in working days and is linked to the
  assessment's inspection findings (`finding_record_automated`), where it counts in the
  quarter's metrics; dormancy warnings are not findings of the assessment.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import DomainError, InvalidTransition
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import OFFICIAL_KINDS, Account, AccountStatus
from govmatrix.moderation import rules, sources
from govmatrix.moderation.inspection.checks import PostProblem, check_post
from govmatrix.moderation.inspection.links import LinkChecker
from govmatrix.moderation.inspection.typos import TypoMatcher
from govmatrix.moderation.models import (
    OPEN_FINDING_STATUSES,
    ContentFinding,
    FindingRule,
    FindingStatus,
    InspectionRun,
    RunState,
    RunTrigger,
    TypoPair,
)
from govmatrix.moderation.services.notices import notify_findings
from govmatrix.org.permissions import require, scope_for
from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.selectors import work_calendar

logger = logging.getLogger(__name__)

DORMANT_DAYS = 14
WARNING_DAYS = 10
POSTS_WINDOW_DAYS = 90  # posts published this recently are inspected
LAST_POST_LOOKBACK_DAYS = 400
LEASE = timedelta(minutes=30)

R = FindingRule
RECTIFY_WORKING_DAYS: dict[str, int] = {R.SENSITIVE: 1, R.LEADER: 1, R.BANNED: 3, R.TYPO: 3, R.BROKEN_LINK: 5,
                        R.DORMANT: 2}  # fmt: skip
SEVERITY: dict[str, str] = {R.SENSITIVE: "serious", R.LEADER: "major", R.BANNED: "minor", R.TYPO: "minor",
            R.BROKEN_LINK: "minor", R.DORMANT: "serious", R.DORMANT_WARNING: "warning"}  # fmt: skip
# The assessment's checklist item each rule's findings count under (`DEFAULT_CHECKLIST`).
ASSESSMENT_ITEM: dict[str, str] = {R.SENSITIVE: "illegal", R.LEADER: "wording", R.BANNED: "wrong_words",
                   R.TYPO: "wrong_words", R.BROKEN_LINK: "wrong_words", R.DORMANT: "no_update"}  # fmt: skip


def working_days_after(day: date, days: int) -> date:
    """The day `days` working days after `day` (Chinese holidays and days in lieu counted by
    the office's calendar; a year it does not know counts Monday to Friday)."""
    calendar = work_calendar()
    current, counted = day, 0
    while counted < days:
        current += timedelta(days=1)
        try:
            working = calendar.is_workday(current)
        except YearMissing:
            working = current.weekday() < 5
        counted += working
    return current


# --- starting a run -------------------------------------------------------------------------
def _queue(trigger: str, actor: Actor | None) -> InspectionRun:
    run = InspectionRun(trigger=trigger, started_by=as_user(actor) if actor is not None else None)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:
        raise InvalidTransition(_("已有一次内容巡检正在进行，请等它完成。")) from exc
    event_record(actor=actor, actor_name="" if actor else "scheduler", verb="content_inspection.queued",
                 obj=run, to_state=run.state, data={"trigger": trigger})  # fmt: skip
    run_id = run.pk
    transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.moderation.tasks import run_inspection

    try:
        run_inspection(run_id)
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception("could not queue inspection run %s; the sweeper will run it", run_id)


@transaction.atomic
def inspection_run_start(*, actor: Actor) -> InspectionRun:
    """The office runs the inspection now."""
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以发起内容巡检。"))
    return _queue(RunTrigger.MANUAL, actor)


@transaction.atomic
def inspection_run_schedule() -> InspectionRun | None:
    """The nightly run (None when a run is already open)."""
    try:
        return _queue(RunTrigger.SCHEDULED, None)
    except InvalidTransition:
        return None


def inspection_runs_sweep() -> int:
    """Queue again every run whose worker never started it or died holding it."""
    now = timezone.now()
    stale = InspectionRun.objects.filter(
        Q(state=RunState.QUEUED, created_at__lt=now - timedelta(minutes=5))
        | Q(state=RunState.RUNNING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    ids = list(stale)
    for run_id in ids:
        _enqueue(run_id)
    return len(ids)


# --- executing it ----------------------------------------------------------------------------
def _claim(run_id: int) -> bool:
    now = timezone.now()
    claimable = Q(state=RunState.QUEUED) | Q(state=RunState.RUNNING, lease_until__lt=now)
    return (
        InspectionRun.objects.filter(claimable, pk=run_id).update(
            state=RunState.RUNNING, started_at=now, lease_until=now + LEASE
        )
        == 1
    )


def inspection_run_execute(*, run_id: int, links: LinkChecker | None = None) -> str | None:
    """Run the inspection (the worker); returns the run's state, or None if not claimed."""
    if not _claim(run_id):
        return None
    run = InspectionRun.objects.get(pk=run_id)
    try:
        with links or LinkChecker() as checker:
            stats = _inspect(run, checker)
    except Exception as exc:
        logger.exception("content inspection %s failed", run_id)
        with transaction.atomic():
            run = InspectionRun.objects.select_for_update().get(pk=run_id)
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.finished_at = timezone.now()
            transition(run, to=RunState.FAILED, allowed=RUN_TRANSITIONS, actor=None,
                       verb="content_inspection.failed", unit_id=None, field="state",
                       also_update=["error", "finished_at"], note=run.error)  # fmt: skip
        return RunState.FAILED
    with transaction.atomic():
        run = InspectionRun.objects.select_for_update().get(pk=run_id)
        run.stats, run.finished_at, run.lease_until = stats, timezone.now(), None
        transition(run, to=RunState.FINISHED, allowed=RUN_TRANSITIONS, actor=None,
                   verb="content_inspection.finished", unit_id=None, field="state",
                   also_update=["stats", "finished_at", "lease_until"], data=stats)  # fmt: skip
    return RunState.FINISHED


RUN_TRANSITIONS: dict[str, set[str]] = {
    RunState.QUEUED: {RunState.RUNNING, RunState.FAILED},
    RunState.RUNNING: {RunState.FINISHED, RunState.FAILED},
    RunState.FINISHED: set(),
    RunState.FAILED: set(),
}


def _inspect(run: InspectionRun, links: LinkChecker) -> dict[str, Any]:
    from govmatrix.publishing.selectors.office import content_check

    now, today = timezone.now(), timezone.localdate()
    typos = TypoMatcher(TypoPair.objects.filter(is_active=True).values_list("wrong", "correct"))
    stats: dict[str, Any] = {"posts": 0, "accounts": 0, "links": 0, "links_unchecked": 0,
                             "new": 0, "updated": 0, "cleared": 0, "warnings": 0}  # fmt: skip
    new_by_unit: dict[int, list[int]] = {}
    for post in sources.published_posts(since=now - timedelta(days=POSTS_WINDOW_DAYS)):
        stats["posts"] += 1
        problems, counters = check_post(
            post.text, content_check=content_check, typos=typos, links=links
        )
        stats["links"] += counters["links"]
        stats["links_unchecked"] += counters["links_unchecked"]
        for problem in problems:
            finding, outcome = _record(run, problem, subject=f"post:{post.id}", account_id=post.account_id,
                                       unit_id=post.unit_id, post=post, today=today)  # fmt: skip
            _count(stats, new_by_unit, finding, outcome)
    accounts = list(
        Account.objects.filter(kind__in=OFFICIAL_KINDS, status=AccountStatus.ACTIVE).order_by("pk")
    )
    last_posts = sources.last_post_dates(accounts, lookback=LAST_POST_LOOKBACK_DAYS)
    for account in accounts:
        stats["accounts"] += 1
        for found, outcome in _dormancy(run, account, last_posts.get(account.pk), today):
            _count(stats, new_by_unit, found, outcome)
    _relink_unlinked()
    for unit_id, finding_ids in new_by_unit.items():
        rows = ContentFinding.objects.filter(pk__in=finding_ids)
        warnings = rows.filter(rule=R.DORMANT_WARNING).count()
        with transaction.atomic():
            notify_findings(unit_id, new=len(finding_ids) - warnings, warnings=warnings)
    return stats


def _count(
    stats: dict[str, Any],
    new_by_unit: dict[int, list[int]],
    finding: ContentFinding | None,
    outcome: str,
) -> None:
    if finding is None:
        return
    stats[outcome] = stats.get(outcome, 0) + 1
    if outcome == "new":
        new_by_unit.setdefault(finding.unit_id, []).append(finding.pk)
        if finding.rule == R.DORMANT_WARNING:
            stats["warnings"] += 1


def _dormancy(
    run: InspectionRun, account: Account, last: date | None, today: date
) -> list[tuple[ContentFinding | None, str]]:
    since = last or account.activated_on or timezone.localtime(account.created_at).date()
    idle = (today - since).days
    subject = f"account:{account.pk}:{last.isoformat() if last else 'none'}"
    results: list[tuple[ContentFinding | None, str]] = []
    rule = (
        R.DORMANT if idle >= DORMANT_DAYS else R.DORMANT_WARNING if idle >= WARNING_DAYS else None
    )
    if rule is not None:
        text = (
            _("账号已 %(d)d 天未发布（最近一次：%(last)s），超过 %(n)d 天。")
            if rule == R.DORMANT
            else _("账号已 %(d)d 天未发布（最近一次：%(last)s），再过 %(left)d 天将被认定为长期不更新。")
        ) % {"d": idle, "last": last.isoformat() if last else _("无记录"), "n": DORMANT_DAYS,
             "left": DORMANT_DAYS - idle}  # fmt: skip
        problem = PostProblem(
            rule, text, [{"idle_days": idle, "last_post": last.isoformat() if last else None}]
        )
        due = since + timedelta(days=DORMANT_DAYS) if rule == R.DORMANT_WARNING else None
        results.append(_record(run, problem, subject=subject, account_id=account.pk, unit_id=account.unit_id,
                               post=None, today=today, due=due))  # fmt: skip
    # A warning ends when the account posts again, or when it has become a dormancy finding.
    stale = ContentFinding.objects.filter(
        account=account, rule=R.DORMANT_WARNING, status=FindingStatus.OPEN
    )
    if rule == R.DORMANT_WARNING:
        stale = stale.exclude(subject_key=subject)
    for warning_id in list(stale.values_list("pk", flat=True)):
        if _clear(warning_id, posted=rule != R.DORMANT):
            results.append((None, "cleared"))
    return results


def _clear(finding_id: int, *, posted: bool) -> bool:
    with transaction.atomic():
        finding = (
            ContentFinding.objects.select_for_update()
            .filter(pk=finding_id, status=FindingStatus.OPEN)
            .first()
        )
        if finding is None:
            return False
        transition(finding, to=FindingStatus.CLEARED, allowed=rules.FINDING_TRANSITIONS, actor=None,
                   verb="content_finding.cleared", unit_id=finding.unit_id, field="status",
                   note=_("账号已恢复更新。") if posted else _("已认定为长期不更新。"))  # fmt: skip
    return True


def _record(
    run: InspectionRun, problem: PostProblem, *, subject: str, account_id: int, unit_id: int,
    post: sources.PublishedPost | None, today: date, due: date | None = None,
) -> tuple[ContentFinding, str]:  # fmt: skip
    """Create the finding of (rule, subject), or update what an open one says; ("new" | "updated"
    | "seen")."""
    details = {"hits": problem.hits}
    with transaction.atomic():
        existing = (
            ContentFinding.objects.select_for_update()
            .filter(rule=problem.rule, subject_key=subject)
            .first()
        )
        if existing is not None:
            if existing.status not in OPEN_FINDING_STATUSES or (
                existing.details == details and existing.description == problem.description
            ):
                return existing, "seen"
            existing.details, existing.description, existing.last_run = (
                details,
                problem.description,
                run,
            )
            existing.last_seen_at = timezone.now()
            existing.save(
                update_fields=["details", "description", "last_run", "last_seen_at", "updated_at"]
            )
            event_record(actor=None, actor_name="inspection", verb="content_finding.updated", obj=existing,
                         unit_id=unit_id, note=problem.description[:500], data={"run": run.pk})  # fmt: skip
            return existing, "updated"
        days = RECTIFY_WORKING_DAYS.get(problem.rule)
        finding = ContentFinding(
            rule=problem.rule, subject_key=subject, account_id=account_id, unit_id=unit_id,
            post_id=post.id if post else None, post_url=(post.url if post else "")[:500],
            post_excerpt=(" ".join(post.text.split())[:200] if post else ""),
            severity=SEVERITY[problem.rule], description=problem.description, details=details,
            found_on=today, first_run=run, last_run=run, last_seen_at=timezone.now(),
            rectify_due=due or (working_days_after(today, days) if days else None),
        )  # fmt: skip
        finding.save()
        event_record(actor=None, actor_name="inspection", verb="content_finding.created", obj=finding,
                     unit_id=unit_id, to_state=finding.status, note=problem.description[:500],
                     data={"account": account_id, "rule": problem.rule, "post": finding.post_id,
                           "rectify_due": finding.rectify_due, "run": run.pk})  # fmt: skip
        _link(finding)
    return finding, "new"


def _link(finding: ContentFinding) -> None:
    """Count the finding in the assessment (a missing checklist item is logged and retried on
    the next run: the office may not have set up its checklist yet)."""
    from govmatrix.assessment.services.inspections import finding_record_automated

    item = ASSESSMENT_ITEM.get(finding.rule)
    if item is None or finding.assessment_finding_id is not None:
        return
    try:
        with transaction.atomic():
            linked = finding_record_automated(
                source_ref=finding.source_ref, account_id=finding.account_id, item_code=item,
                description=f"[{finding.get_rule_display()}] {finding.description}"[:2000],
                found_on=finding.found_on, evidence_url=finding.post_url,
                severity=finding.severity if finding.severity != "warning" else "",
            )  # fmt: skip
    except DomainError as exc:
        logger.warning("finding %s not linked to the assessment: %s", finding.pk, exc.message)
        return
    finding.assessment_finding_id = linked.pk
    finding.save(update_fields=["assessment_finding_id", "updated_at"])
    event_record(actor=None, actor_name="inspection", verb="content_finding.linked", obj=finding,
                 unit_id=finding.unit_id, data={"assessment_finding": linked.pk, "item": item})  # fmt: skip


def _relink_unlinked() -> None:
    rows = ContentFinding.objects.filter(
        assessment_finding_id__isnull=True,
        status__in=OPEN_FINDING_STATUSES,
        rule__in=list(ASSESSMENT_ITEM),
    ).values_list("pk", flat=True)[:500]
    for finding_id in list(rows):
        with transaction.atomic():
            finding = ContentFinding.objects.select_for_update().get(pk=finding_id)
            _link(finding)
