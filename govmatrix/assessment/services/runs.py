"""The quarterly run: create → compute (background) → review → freeze → publish.

States and the allowed moves are in `rules.RUN_TRANSITIONS`; every move goes through
`audit.workflow.transition`. A frozen run is immutable: no service changes it except to
publish it, and database triggers refuse an UPDATE of its result (migration 0003).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.assessment import rules
from govmatrix.assessment.compute import Outcome, check_date_of, compute_quarter, snapshot_hash
from govmatrix.assessment.models import (
    AssessmentRun,
    RunAccountResult,
    RunNotice,
    RunStatus,
    RunUnitResult,
)
from govmatrix.assessment.providers import ProviderFailed
from govmatrix.assessment.reports.texts import notice_defaults
from govmatrix.assessment.scoring import Quarter, QuarterError, Scheme, ScoringError
from govmatrix.assessment.services.notify import notify_computed, notify_published
from govmatrix.assessment.services.schemes import scheme_version_for
from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.org.permissions import require, scope_for

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)
S = RunStatus


def _require_office(actor: Actor) -> None:
    require(rules.can_manage(scope_for(actor)), _("只有管理办公室可以开展季度考核。"))


def _locked(run_id: int) -> AssessmentRun:
    run = (
        AssessmentRun.objects.select_for_update(of=("self",))
        .select_related("scheme_version")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound(_("考核不存在。"))
    return run


def _move(run: AssessmentRun, to: str, *, actor: Actor | None, verb: str, **kwargs: object) -> None:
    transition(
        run,
        to=to,
        allowed=rules.RUN_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=None,
        **kwargs,  # type: ignore[arg-type]
    )


def _enqueue(run_id: int) -> None:
    from govmatrix.assessment.tasks import compute_run

    try:
        compute_run(run_id)
    except Exception:
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:
            raise
        logger.exception("could not queue run %s; the sweeper will", run_id)


@transaction.atomic
def run_create(*, actor: Actor, quarter: str, scheme: str | int) -> AssessmentRun:
    """Queue a run of `quarter` ("2026Q3") with `scheme` (a name: its current version; or an id)."""
    _require_office(actor)
    try:
        q = Quarter.parse(quarter)
    except QuarterError as exc:
        raise ValidationFailed(exc.errors) from exc
    if check_date_of(q) is None:
        raise ValidationFailed({"quarter": _("%(q)s 还没有可计算的数据。") % {"q": q}})
    try:
        version = scheme_version_for(scheme)
    except NotFound as exc:
        raise ValidationFailed({"scheme": exc.message}) from exc
    clash = AssessmentRun.objects.filter(quarter=str(q), scheme_name=version.name).exclude(
        status=S.DISCARDED
    )
    if existing := clash.first():
        raise InvalidTransition(
            _("%(q)s 已有用该方案的考核（#%(id)s，%(status)s），请先处理它。")
            % {"q": q, "id": existing.pk, "status": existing.get_status_display()}
        )
    try:
        with transaction.atomic():
            run = AssessmentRun.objects.create(
                quarter=str(q),
                scheme_version=version,
                scheme_name=version.name,
                created_by=as_user(actor),
            )
    except IntegrityError as exc:  # another office user queued the same a moment ago
        raise InvalidTransition(_("该季度已有用该方案的考核。")) from exc
    event_record(
        actor=actor,
        verb="assessment_run.created",
        obj=run,
        to_state=run.status,
        data={"quarter": run.quarter, "scheme": version.name, "version": version.number,
              "hash": version.content_hash},
    )  # fmt: skip
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _progress(run_id: int, percent: int, note: str) -> None:
    AssessmentRun.objects.filter(pk=run_id, status=S.COMPUTING).update(
        progress=min(99, percent), progress_note=note[:200], lease_until=timezone.now() + LEASE
    )


def run_compute(*, run_id: int) -> AssessmentRun | None:
    """The background work: claim a queued run, compute it, store the result for review."""
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != S.QUEUED:
            return None
        run.lease_until, run.progress, run.progress_note, run.error = (
            timezone.now() + LEASE, 1, _("读取账号"), "",
        )  # fmt: skip
        _move(run, S.COMPUTING, actor=None, verb="assessment_run.computing",
              also_update=["lease_until", "progress", "progress_note", "error"])  # fmt: skip
    quarter = Quarter.parse(run.quarter)
    check_date = check_date_of(quarter)
    try:
        assert check_date is not None
        scheme = Scheme.from_dict(run.scheme_version.definition)
        outcome = compute_quarter(
            quarter,
            check_date,
            scheme,
            on_progress=lambda i, label: _progress(run_id, 10 + i * 15, str(label)),
        )
    except (ProviderFailed, ScoringError, AssertionError) as exc:
        return _fail(run_id, str(exc))
    except Exception as exc:
        logger.exception("assessment run %s failed", run_id)
        return _fail(run_id, f"{type(exc).__name__}: {exc}")
    _progress(run_id, 90, _("保存结果"))
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != S.COMPUTING:
            return run
        _store(run, outcome, check_date)
        run.progress, run.progress_note, run.lease_until = 100, "", None
        run.computed_at = timezone.now()
        _move(
            run, S.COMPUTED, actor=None, verb="assessment_run.computed",
            also_update=["progress", "progress_note", "lease_until", "computed_at", "check_date",
                         "metrics", "sources", "result", "result_hash", "account_count",
                         "scored_count", "vetoed_count"],
            data={"accounts": run.account_count, "scored": run.scored_count,
                  "vetoed": run.vetoed_count, "result_hash": run.result_hash},
        )  # fmt: skip
        transaction.on_commit(lambda: notify_computed(run_id))
    return run


def _fail(run_id: int, message: str) -> AssessmentRun | None:
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != S.COMPUTING:
            return run
        run.error, run.lease_until = message[:2000], None
        _move(run, S.FAILED, actor=None, verb="assessment_run.failed", note=message[:500],
              also_update=["error", "lease_until"])  # fmt: skip
    return run


def _store(run: AssessmentRun, outcome: Outcome, check_date: date) -> None:
    ctx, result = outcome.context, outcome.result
    info = {a.id: a for a in ctx.accounts}
    run.check_date = check_date
    run.metrics = {
        str(account_id): {k: v for k, v in row.items() if v is not None}
        for account_id, row in outcome.values.items()
    }
    run.sources = outcome.sources
    run.result = result.to_dict()
    run.result_hash = snapshot_hash(run.result)
    run.account_count = len(result)
    run.scored_count = sum(1 for a in result.accounts if result.total(a) is not None)
    run.vetoed_count = sum(1 for a in result.accounts if result.vetoed(a))
    RunAccountResult.objects.filter(run=run).delete()
    RunUnitResult.objects.filter(run=run).delete()
    rows = []
    for position, acc in enumerate(run.result["accounts"]):
        account = info[int(acc["account"])]
        rows.append(
            RunAccountResult(
                run=run, account_id=account.id, unit_id=account.unit_id,
                account_name=account.name[:100], unit_name=account.unit_name[:100],
                position=position, rank=acc["rank"], total=acc["total"],
                score_before_veto=acc["score_before_veto"], vetoed=acc["vetoed"],
                vetoes=[v["key"] for v in acc["vetoes"]],
                vetoes_unevaluated=acc["vetoes_unevaluated"], missing=acc["missing"],
                coverage=acc["coverage"],
                dimensions={k: d["score"] for k, d in acc["dimensions"].items()},
            )
        )  # fmt: skip
    RunAccountResult.objects.bulk_create(rows, batch_size=500)
    unit_names = {a.unit_id: a.unit_name for a in ctx.accounts}
    RunUnitResult.objects.bulk_create(
        [
            RunUnitResult(
                run=run, unit_id=int(u.unit), unit_name=unit_names[int(u.unit)][:100],
                position=position, rank=u.rank, score=u.score, accounts=len(u.accounts),
                scored_accounts=u.scored_accounts, vetoed_accounts=len(u.vetoed_accounts),
            )
            for position, u in enumerate(outcome.units)
        ]
    )  # fmt: skip
    notice = RunNotice.objects.filter(run=run).first()
    defaults = notice_defaults(run)
    if notice is None:
        RunNotice.objects.create(run=run, **defaults)
    elif notice.updated_by_id is None:  # nobody has edited it: regenerate from the new result
        for name, value in defaults.items():
            setattr(notice, name, value)
        notice.save()


@transaction.atomic
def run_recompute(*, actor: Actor, run_id: int) -> AssessmentRun:
    """Compute a reviewed or failed run again (newer data); not once it is frozen."""
    _require_office(actor)
    run = _locked(run_id)
    if run.status == S.COMPUTING:
        raise InvalidTransition(_("正在计算，请等计算完成后再重新计算。"))
    run.progress, run.progress_note = 0, ""
    _move(run, S.QUEUED, actor=actor, verb="assessment_run.requeued",
          also_update=["progress", "progress_note"])  # fmt: skip
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


@transaction.atomic
def run_discard(*, actor: Actor, run_id: int, note: str = "") -> AssessmentRun:
    _require_office(actor)
    run = _locked(run_id)
    _move(run, S.DISCARDED, actor=actor, verb="assessment_run.discarded", note=note.strip())
    return run


@transaction.atomic
def run_freeze(*, actor: Actor, run_id: int) -> AssessmentRun:
    """Make the reviewed result final: the scheme version and the snapshot never change again."""
    _require_office(actor)
    run = _locked(run_id)
    if run.status == S.COMPUTED and snapshot_hash(run.result) != run.result_hash:
        raise InvalidTransition(_("结果快照与其哈希不符，请重新计算后再冻结。"))
    run.frozen_at, run.frozen_by = timezone.now(), as_user(actor)
    _move(
        run, S.FROZEN, actor=actor, verb="assessment_run.frozen",
        also_update=["frozen_at", "frozen_by"],
        data={"result_hash": run.result_hash, "scheme": run.scheme_name,
              "scheme_version": run.scheme_version.number,
              "scheme_hash": run.scheme_version.content_hash},
    )  # fmt: skip
    return run


@transaction.atomic
def run_publish(*, actor: Actor, run_id: int) -> AssessmentRun:
    """Publish a frozen run: the units see their results, and are told so."""
    _require_office(actor)
    run = _locked(run_id)
    run.published_at, run.published_by = timezone.now(), as_user(actor)
    _move(run, S.PUBLISHED, actor=actor, verb="assessment_run.published",
          also_update=["published_at", "published_by"])  # fmt: skip
    notice = RunNotice.objects.filter(run=run).first()
    if notice is not None and notice.updated_by_id is None:
        notice.issued_on = timezone.localdate()
        notice.save(update_fields=["issued_on", "updated_at"])
    transaction.on_commit(lambda: notify_published(run.pk))
    return run


def run_sweep() -> int:
    """Re-drive runs a dead worker or a lost queue message left behind (every few minutes)."""
    now = timezone.now()
    stale = list(
        AssessmentRun.objects.filter(status=S.COMPUTING, lease_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    for run_id in stale:
        with transaction.atomic():
            run = _locked(run_id)
            if run.status == S.COMPUTING and run.lease_until and run.lease_until < now:
                _move(run, S.QUEUED, actor=None, verb="assessment_run.requeued",
                      note=_("计算超时，重新排队"))  # fmt: skip
    waiting = AssessmentRun.objects.filter(
        status=S.QUEUED, updated_at__lt=now - timedelta(minutes=2)
    ).values_list("pk", flat=True)
    queued = sorted({*stale, *waiting})
    for run_id in queued:
        _enqueue(run_id)
    return len(queued)
