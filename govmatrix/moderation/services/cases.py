"""Harmful-comment cases (R5.3): opening a case — by the screening or by a person —, reporting it
to the office at once, and recording the outcome. The documents are in `documents.py`, the
platform actions in `actions.py`.

A case is opened once per comment, whichever way it was flagged: the case table is unique on
the inbox message and on (platform, comment id), and opening handles losing that race (two
workers scanning, or a person flagging while the scan runs) as "already open".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import Account
from govmatrix.moderation import rules, screening, sources
from govmatrix.moderation.evidence import Evidence, freeze
from govmatrix.moderation.models import (
    CATEGORY_LABELS,
    CaseState,
    FlagSource,
    HarmCase,
    ScreeningCursor,
)
from govmatrix.moderation.services.notices import notify_case
from govmatrix.org.permissions import require, scope_for

logger = logging.getLogger(__name__)

# The scan reads this far back before where it stopped (transactions that committed late).
SCAN_MARGIN = timedelta(minutes=10)
# A first scan, or one after the cursor was lost, reads this far back.
FIRST_SCAN_WINDOW = timedelta(days=7)
SCAN_PAGE = 500


class AlreadyOpen(InvalidTransition):
    def __init__(self, case: HarmCase) -> None:
        super().__init__(_("该跟帖已有处置案件（%(n)s）。") % {"n": case.number})
        self.case = case


def acting_user(actor: Actor) -> User:
    user = as_user(actor)
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"))
    return user


def locked_case(actor: Actor, case_id: int) -> HarmCase:
    """The case, locked, if the actor may see it (else NotFound, as for a case that is not)."""
    case = (
        HarmCase.objects.select_for_update(of=("self",))
        .select_related("account", "unit")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not scope_for(actor).can_view_unit(case.unit_id):
        raise NotFound(_("案件不存在。"))
    return case


def _existing(comment: sources.CommentRef) -> HarmCase | None:
    found = HarmCase.objects.filter(platform=comment.platform, comment_id=comment.comment_id)
    if comment.message_id is not None:
        found = found | HarmCase.objects.filter(source_message_id=comment.message_id)
    return found.first()


def _open(
    comment: sources.CommentRef,
    *,
    actor: Actor | None,
    source: str,
    category: str,
    reason: str,
    screening_result: dict[str, Any],
) -> HarmCase:
    """Create the case with its frozen evidence, inside the caller's transaction."""
    if (existing := _existing(comment)) is not None:
        raise AlreadyOpen(existing)
    account = Account.objects.select_related("unit").get(pk=comment.account_id)
    now = timezone.now()
    evidence = Evidence(
        platform=comment.platform,
        comment_id=comment.comment_id,
        account=account.handle,
        post_id=comment.post_id,
        author_id=comment.author_id,
        author_name=comment.author_name,
        text=comment.text,
        url=comment.url,
        time=comment.created_at,
        flagged_at=now,
    )
    canonical, digest = freeze(evidence)
    case = HarmCase(
        source_message_id=comment.message_id,
        platform=comment.platform,
        comment_id=comment.comment_id,
        account=account,
        unit_id=account.unit_id,
        channel=comment.channel,
        flag_source=source,
        category=category,
        reason=reason,
        flagged_by=as_user(actor) if actor is not None else None,
        screening=screening_result,
        comment_text=comment.text,
        author_id=comment.author_id,
        author_name=comment.author_name,
        comment_url=comment.url,
        post_id=comment.post_id,
        comment_at=comment.created_at,
        evidence_canonical=canonical,
        evidence_sha256=digest,
        flagged_at=now,
    )
    try:
        with transaction.atomic():
            case.save(force_insert=True)
    except IntegrityError as exc:
        existing = _existing(comment)
        if existing is None:
            raise
        raise AlreadyOpen(existing) from exc
    event_record(
        actor=actor,
        actor_name="" if actor is not None else "screening",
        verb="harm_case.flagged",
        obj=case,
        unit_id=case.unit_id,
        to_state=case.state,
        note=reason[:500],
        data={
            "account": account.pk,
            "message": comment.message_id,
            "source": source,
            "category": category,
            "evidence_sha256": digest,
            "terms": list(screening_result.get("terms", []))[:20],
        },
    )
    transaction.on_commit(lambda: harm_case_report(case_id=case.pk))
    return case


@transaction.atomic
def harm_case_flag(*, actor: Actor, message_id: int, category: str, reason: str) -> HarmCase:
    """A person flags a comment they can see as harmful, with the category and the reason."""
    acting_user(actor)
    comment = sources.visible_comment(user=actor, message_id=message_id)
    require(
        rules.can_flag(scope_for(actor), set(comment.unit_ids)),
        _("只有管理办公室或本单位的领导、运维人员可以标记有害跟帖。"),
    )
    errors = {}
    if comment.channel not in sources.PUBLIC_CHANNELS:
        errors["message_id"] = _("私信不公开传播，不按有害跟帖处置。")
    if category not in CATEGORY_LABELS:
        errors["category"] = _("请选择类别。")
    if not reason.strip():
        errors["reason"] = _("请说明理由。")
    if errors:
        raise ValidationFailed(errors)
    found = screening.verdict(comment.text, classifier_score=comment.harm_score)
    return _open(
        comment,
        actor=actor,
        source=FlagSource.PERSON,
        category=category,
        reason=reason.strip()[:2000],
        screening_result={
            "flagged": found.flagged,
            "categories": list(found.categories),
            "terms": list(found.terms),
            "score": round(found.score, 4),
        },
    )


def _screening_reason(found: screening.Verdict) -> str:
    if found.terms:
        return _("自动筛查命中敏感词：%(t)s。") % {"t": "、".join(found.terms[:10])}
    return _("自动筛查：辱骂攻击类语言（分类器概率 %(p).2f）。") % {"p": found.score}


def _open_screened(comment: sources.CommentRef) -> HarmCase | None:
    found = screening.verdict(comment.text, classifier_score=comment.harm_score)
    if not found.flagged:
        return None
    category = next((c for c in found.categories if c in CATEGORY_LABELS), "abuse")
    try:
        with transaction.atomic():
            return _open(
                comment,
                actor=None,
                source=FlagSource.SCREENING,
                category=category,
                reason=_screening_reason(found),
                screening_result={
                    "flagged": True,
                    "categories": list(found.categories),
                    "terms": list(found.terms),
                    "score": round(found.score, 4),
                    "source": found.source,
                },
            )
    except AlreadyOpen:
        return None


def harm_cases_open_flagged(*, now: datetime | None = None) -> int:
    """The worker's scan: screen every public comment stored since the last scan (less a margin)
    with the product's screening, and open a case for each one it flags. Returns how many."""
    started = now or timezone.now()
    cursor = ScreeningCursor.objects.filter(pk=1).first()
    since = (cursor.scanned_until - SCAN_MARGIN) if cursor else started - FIRST_SCAN_WINDOW
    opened = screened = 0
    after: tuple[datetime, int] | None = None
    while True:
        page = sources.comments_ingested_since(since, after=after, limit=SCAN_PAGE)
        for comment, stored_at in page:
            screened += 1
            if _open_screened(comment) is not None:
                opened += 1
            after = (stored_at, comment.message_id or 0)
        if len(page) < SCAN_PAGE:
            break
    with transaction.atomic():
        row, _created = ScreeningCursor.objects.select_for_update().get_or_create(
            pk=1, defaults={"scanned_until": started}
        )
        row.scanned_until = max(row.scanned_until, started)
        row.last_scan_at = timezone.now()
        row.last_scan_screened, row.last_scan_opened = screened, opened
        row.save()
    return opened


def harm_cases_open_for(*, message_ids: list[int]) -> int:
    """Screen these newly stored messages now (the inbox's hook, on commit of the batch)."""
    return sum(1 for c in sources.comments_by_ids(message_ids) if _open_screened(c) is not None)


@transaction.atomic
def harm_case_report(*, case_id: int) -> bool:
    """Report the case to the office at once (notifications) and time it; runs on commit of the
    flag, and again from the sweeper for any case whose report did not happen."""
    case = HarmCase.objects.select_for_update().filter(pk=case_id, reported_at__isnull=True).first()
    if case is None:
        return False
    case.reported_at = timezone.now()
    case.save(update_fields=["reported_at", "updated_at"])
    event_record(
        actor=None,
        actor_name="system",
        verb="harm_case.reported",
        obj=case,
        unit_id=case.unit_id,
        data={
            "account": case.account_id,
            "hours_since_flagged": round(
                (case.reported_at - case.flagged_at).total_seconds() / 3600, 4
            ),
            "hours_since_received": round(
                (case.reported_at - case.comment_at).total_seconds() / 3600, 4
            ),
        },
    )
    notify_case(case.pk, "harm_case.reported")
    return True


def harm_cases_report_pending() -> int:
    """The sweeper: report every case whose report was lost (a crash between flag and report)."""
    late = timezone.now() - timedelta(seconds=getattr(settings, "MODERATION_REPORT_GRACE", 60))
    ids = HarmCase.objects.filter(reported_at__isnull=True, flagged_at__lt=late).values_list(
        "pk", flat=True
    )
    return sum(1 for case_id in list(ids) if harm_case_report(case_id=case_id))


@transaction.atomic
def harm_case_close(*, actor: Actor, case_id: int, outcome: str, note: str = "") -> HarmCase:
    """The office records the outcome: deleted by the platform, hidden, retained or rejected."""
    user = acting_user(actor)
    case = locked_case(actor, case_id)
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以登记处置结果。"))
    allowed = rules.OUTCOMES_FROM.get(case.state, set())
    if not allowed:
        raise InvalidTransition(_("案件已办结。"))
    if outcome not in allowed:
        raise InvalidTransition(
            _("当前状态为「%(s)s」，不能登记「%(o)s」。")
            % {
                "s": case.get_state_display(),
                "o": dict(case._meta.get_field("outcome").choices or []).get(outcome, outcome),
            }
        )
    if outcome in ("retained", "rejected") and not note.strip():
        raise ValidationFailed({"note": _("请说明理由。")})
    case.outcome, case.outcome_note = outcome, note.strip()[:2000]
    case.closed_at, case.closed_by = timezone.now(), user
    transition(
        case,
        to=CaseState.CLOSED,
        allowed=rules.CASE_TRANSITIONS,
        actor=actor,
        verb="harm_case.closed",
        unit_id=case.unit_id,
        field="state",
        also_update=["outcome", "outcome_note", "closed_at", "closed_by"],
        note=case.outcome_note,
        data={
            "account": case.account_id,
            "outcome": outcome,
            "hours_since_flagged": round(
                (case.closed_at - case.flagged_at).total_seconds() / 3600, 2
            ),
        },
    )
    transaction.on_commit(lambda: notify_case(case.pk, "harm_case.closed"))
    return case
