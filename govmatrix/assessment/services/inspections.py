"""Inspections (R1.4): checklists, plans over all or a random sample of accounts, findings
and their rectification. The office plans, checks and verifies; units answer their findings.
"""

from __future__ import annotations

import math
import random
import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.assessment import rules
from govmatrix.assessment.compute import assessed_accounts
from govmatrix.assessment.dates import working_days_after
from govmatrix.assessment.models import (
    ChecklistItem,
    Finding,
    FindingSource,
    FindingStatus,
    InspectionPlan,
    InspectionTarget,
    PlanStatus,
    Sampling,
)
from govmatrix.assessment.scoring import Quarter, QuarterError
from govmatrix.assessment.services.findings_notify import notify_finding
from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.core.validation import apply_changes, clean_or_fail
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import require, scope_for


def _office(actor: Actor) -> None:
    require(rules.can_manage(scope_for(actor)), _("只有管理办公室可以组织检查。"))


def _get(model: Any, pk: int, what: str) -> Any:
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound(_("%(what)s不存在。") % {"what": what})
    return row


# --- checklist ------------------------------------------------------------------------------
@transaction.atomic
def checklist_item_create(*, actor: Actor, **fields: Any) -> ChecklistItem:
    _office(actor)
    item = ChecklistItem(**fields)
    clean_or_fail(item)
    item.save()
    event_record(actor=actor, verb="checklist_item.created", obj=item,
                 data={"code": item.code, "metric": item.metric})  # fmt: skip
    return item


@transaction.atomic
def checklist_item_update(*, actor: Actor, item_id: int, **changes: Any) -> ChecklistItem:
    _office(actor)
    item = _get(ChecklistItem, item_id, _("检查项"))
    diff = apply_changes(item, {k: v for k, v in changes.items() if k != "code"})
    if diff:
        clean_or_fail(item)
        item.save(update_fields=[*diff, "updated_at"])
        event_record(actor=actor, verb="checklist_item.updated", obj=item, data={"changes": diff})
    return item


DEFAULT_CHECKLIST = [
    ("no_update", "内容不更新", "检查时点前2周内是否有更新。", "inspection_findings", "serious"),
    ("interaction", "互动回应差", "是否提供有效互动功能，网民留言是否及时回应。",
     "inspection_findings", "major"),
    ("wording", "严重表述错误", "是否存在严重表述错误（单项否决）。", "serious_wording_errors",
     "serious"),
    ("secret", "泄露国家秘密", "是否泄露国家秘密（单项否决）。", "secret_leaks", "serious"),
    ("illegal", "违法有害内容", "是否发布或链接反动、暴力、色情等内容（单项否决）。",
     "illegal_content", "serious"),
    ("opinion", "内容不当引发负面舆情", "是否因内容不当引发严重负面舆情（单项否决）。",
     "serious_negative_opinion", "serious"),
    ("fake", "购买粉丝或强制点赞", "是否购买粉丝、强制要求群众点赞（单项否决）。",
     "fake_followers_or_forced_likes", "serious"),
    ("unrelated", "发布与政务无关内容", "是否发布与本单位职能无关的娱乐化内容。",
     "inspection_findings", "minor"),
    ("review", "未经审核发布", "日常信息是否经主要领导审核后发布（R5.1）。", "inspection_findings",
     "major"),
    ("wrong_words", "一般性错别字", "是否有错别字、病句、链接失效等。", "inspection_findings",
     "minor"),
]  # fmt: skip


@transaction.atomic
def checklist_seed_defaults(*, actor: Actor) -> int:
    """The national new-media check items as a starting checklist (existing codes are kept)."""
    _office(actor)
    added = 0
    for order, (code, label, description, metric, severity) in enumerate(DEFAULT_CHECKLIST):
        if ChecklistItem.objects.filter(code=code).exists():
            continue
        checklist_item_create(
            actor=actor, code=code, label=label, description=description, metric=metric,
            default_severity=severity, sort_order=order * 10,
        )  # fmt: skip
        added += 1
    return added


# --- plans ----------------------------------------------------------------------------------
def draw_sample(account_ids: list[int], percent: int, seed: int) -> list[int]:
    """The same seed and accounts always draw the same sample (recorded, so it can be re-checked)."""
    population = sorted(account_ids)
    size = max(1, math.ceil(len(population) * percent / 100)) if population else 0
    return sorted(random.Random(seed).sample(population, size))  # noqa: S311 - a recorded draw


@transaction.atomic
def inspection_plan_create(
    *,
    actor: Actor,
    title: str,
    quarter: str,
    check_date: date,
    sampling: str,
    sample_percent: int | None = None,
    seed: int | None = None,
    note: str = "",
) -> InspectionPlan:
    _office(actor)
    try:
        q = Quarter.parse(quarter)
    except QuarterError as exc:
        raise ValidationFailed(exc.errors) from exc
    if not q.start <= check_date <= q.end:
        raise ValidationFailed({"check_date": _("检查时点应在 %(q)s 之内。") % {"q": q}})
    if sampling == Sampling.RANDOM:
        if not sample_percent:
            raise ValidationFailed({"sample_percent": _("随机抽查须填写抽查比例。")})
        seed = seed if seed is not None else secrets.randbelow(2**31)
    else:
        sample_percent, seed = None, None
    plan = InspectionPlan(
        title=title.strip(), quarter=str(q), check_date=check_date, sampling=sampling,
        sample_percent=sample_percent, seed=seed, note=note.strip(), created_by=as_user(actor),
    )  # fmt: skip
    clean_or_fail(plan, exclude=["created_by"])
    plan.save()
    accounts = {a.pk: a for a in assessed_accounts(q, check_date)}
    chosen = (
        draw_sample(list(accounts), sample_percent or 100, seed or 0)
        if sampling == Sampling.RANDOM
        else sorted(accounts)
    )
    InspectionTarget.objects.bulk_create(
        [InspectionTarget(plan=plan, account_id=pk, unit_id=accounts[pk].unit_id) for pk in chosen]
    )
    event_record(
        actor=actor, verb="inspection_plan.created", obj=plan, to_state=plan.status,
        data={"quarter": plan.quarter, "sampling": sampling, "percent": sample_percent,
              "seed": seed, "population": len(accounts), "accounts": chosen},
    )  # fmt: skip
    return plan


def _plan_move(actor: Actor, plan_id: int, to: str, verb: str) -> InspectionPlan:
    _office(actor)
    plan = _get(InspectionPlan, plan_id, _("检查计划"))
    transition(plan, to=to, allowed=rules.PLAN_TRANSITIONS, actor=actor, verb=verb, unit_id=None)
    return plan


@transaction.atomic
def inspection_plan_start(*, actor: Actor, plan_id: int) -> InspectionPlan:
    return _plan_move(actor, plan_id, PlanStatus.IN_PROGRESS, "inspection_plan.started")


@transaction.atomic
def inspection_plan_complete(*, actor: Actor, plan_id: int) -> InspectionPlan:
    return _plan_move(actor, plan_id, PlanStatus.COMPLETED, "inspection_plan.completed")


@transaction.atomic
def inspection_plan_cancel(*, actor: Actor, plan_id: int) -> InspectionPlan:
    return _plan_move(actor, plan_id, PlanStatus.CANCELLED, "inspection_plan.cancelled")


@transaction.atomic
def inspection_target_check(*, actor: Actor, target_id: int, note: str = "") -> InspectionTarget:
    """Record that the inspector has looked at the account (with or without findings)."""
    _office(actor)
    target = _get(InspectionTarget, target_id, _("检查对象"))
    if target.plan.status != PlanStatus.IN_PROGRESS:
        raise InvalidTransition(_("检查计划不在检查中，不能登记。"))
    target.checked_at, target.note = timezone.now(), note.strip()[:300]
    target.save(update_fields=["checked_at", "note"])
    event_record(actor=actor, verb="inspection_target.checked", obj=target,
                 unit_id=target.unit_id, note=target.note)  # fmt: skip
    return target


# --- findings -------------------------------------------------------------------------------
def _new_finding(
    *, actor: Actor | None, account: Account, item: ChecklistItem, plan: InspectionPlan | None,
    severity: str, description: str, evidence_url: str, found_on: date, source: str,
    source_ref: str = "",
) -> Finding:  # fmt: skip
    if not description.strip():
        raise ValidationFailed({"description": _("请描述发现的问题。")})
    finding = Finding(
        plan=plan, account=account, unit_id=account.unit_id, item=item,
        severity=severity or item.default_severity, description=description.strip(),
        evidence_url=evidence_url.strip(), found_on=found_on,
        rectify_due=working_days_after(found_on, item.rectify_working_days),
        source=source, source_ref=source_ref, created_by=as_user(actor) if actor else None,
    )  # fmt: skip
    clean_or_fail(finding, exclude=["created_by", "plan"])
    finding.save()
    event_record(
        actor=actor, actor_name="" if actor else "system", verb="finding.created", obj=finding,
        unit_id=finding.unit_id, to_state=finding.status,
        data={"account": account.pk, "item": item.code, "severity": finding.severity,
              "rectify_due": finding.rectify_due, "source": source, "source_ref": source_ref},
    )  # fmt: skip
    transaction.on_commit(lambda: notify_finding(finding.pk, "finding.created"))
    return finding


@transaction.atomic
def finding_create(
    *,
    actor: Actor,
    plan_id: int,
    account_id: int,
    item_id: int,
    description: str,
    severity: str = "",
    evidence_url: str = "",
    found_on: date | None = None,
) -> Finding:
    _office(actor)
    plan = _get(InspectionPlan, plan_id, _("检查计划"))
    if plan.status != PlanStatus.IN_PROGRESS:
        raise InvalidTransition(_("检查计划不在检查中，不能登记问题。"))
    target = InspectionTarget.objects.filter(plan=plan, account_id=account_id).first()
    if target is None:
        raise ValidationFailed({"account": _("该账号不在本次检查范围内。")})
    item = ChecklistItem.objects.filter(pk=item_id, is_active=True).first()
    if item is None:
        raise ValidationFailed({"item": _("请选择在用的检查项。")})
    return _new_finding(
        actor=actor, account=target.account, item=item, plan=plan, severity=severity,
        description=description, evidence_url=evidence_url,
        found_on=found_on or timezone.localdate(), source=FindingSource.MANUAL,
    )  # fmt: skip


@transaction.atomic
def finding_record_automated(
    *,
    source_ref: str,
    account_id: int,
    item_code: str,
    description: str,
    found_on: date,
    evidence_url: str = "",
    severity: str = "",
) -> Finding:
    """The hook for the moderation app's automated content inspection: record (once per
    `source_ref`, e.g. "moderation.contentfinding:12") a finding outside any plan. It then counts
    in the quarter's metrics and goes through the same rectification as a person's finding."""
    existing = Finding.objects.filter(source_ref=source_ref).first() if source_ref else None
    if existing is not None:
        return existing
    account = Account.objects.filter(pk=account_id).first()
    item = ChecklistItem.objects.filter(code=item_code).first()
    if account is None or item is None:
        raise ValidationFailed({"account" if account is None else "item_code": _("不存在。")})
    return _new_finding(
        actor=None, account=account, item=item, plan=None, severity=severity,
        description=description, evidence_url=evidence_url, found_on=found_on,
        source=FindingSource.CONTENT_INSPECTION, source_ref=source_ref,
    )  # fmt: skip


def _finding_move(
    actor: Actor, finding_id: int, to: str, verb: str, *, unit_side: bool, text: str = ""
) -> Finding:
    finding = _get(Finding, finding_id, _("检查发现"))
    scope = scope_for(actor)
    if unit_side:
        require(rules.can_answer_finding(scope, finding.unit_id), _("只有被检查单位可以答复整改。"))
        if not text.strip():
            raise ValidationFailed({"response": _("请填写整改情况。")})
        finding.unit_response, finding.responded_at = text.strip(), timezone.now()
        also = ["unit_response", "responded_at"]
    else:
        require(rules.can_manage(scope), _("只有管理办公室可以核验整改。"))
        finding.review_note = text.strip()
        also = ["review_note"]
        if to == FindingStatus.VERIFIED:
            finding.verified_at = timezone.now()
            also.append("verified_at")
    transition(finding, to=to, allowed=rules.FINDING_TRANSITIONS, actor=actor, verb=verb,
               unit_id=finding.unit_id, also_update=also, note=text.strip()[:500])  # fmt: skip
    transaction.on_commit(lambda: notify_finding(finding.pk, verb))
    return finding


@transaction.atomic
def finding_start_rectifying(*, actor: Actor, finding_id: int, response: str) -> Finding:
    return _finding_move(actor, finding_id, FindingStatus.RECTIFYING, "finding.rectifying",
                         unit_side=True, text=response)  # fmt: skip


@transaction.atomic
def finding_report_rectified(*, actor: Actor, finding_id: int, response: str) -> Finding:
    return _finding_move(actor, finding_id, FindingStatus.RECTIFIED, "finding.rectified",
                         unit_side=True, text=response)  # fmt: skip


@transaction.atomic
def finding_verify(*, actor: Actor, finding_id: int, note: str = "") -> Finding:
    return _finding_move(actor, finding_id, FindingStatus.VERIFIED, "finding.verified",
                         unit_side=False, text=note)  # fmt: skip


@transaction.atomic
def finding_reject(*, actor: Actor, finding_id: int, note: str) -> Finding:
    if not note.strip():
        raise ValidationFailed({"note": _("请说明整改不到位之处。")})
    return _finding_move(actor, finding_id, FindingStatus.RECTIFYING, "finding.rejected",
                         unit_side=False, text=note)  # fmt: skip


@transaction.atomic
def finding_withdraw(*, actor: Actor, finding_id: int, note: str) -> Finding:
    if not note.strip():
        raise ValidationFailed({"note": _("请说明撤销原因。")})
    return _finding_move(actor, finding_id, FindingStatus.WITHDRAWN, "finding.withdrawn",
                         unit_side=False, text=note)  # fmt: skip
