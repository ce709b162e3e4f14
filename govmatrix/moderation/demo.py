"""Demo of moderation, through the same services people use (called by `demo.seed`).

* 东城街道 (street01): a harmful comment under its post that the screening flagged, which went
  all the way — the unit's written application, the office's letter to the city propaganda
  department, the comment deleted through the local platform, the outcome recorded; a rumour
  a person flagged, still waiting for the street's written application; and a second rumour,
  not flagged yet, for the walkthrough (and the browser test) to flag;
* a post with a typo and a link to an archive that is gone, and the first content inspection,
  which also finds the district's accounts that have stopped posting.

Running it again adds nothing: comments are recognised by their text, cases by their comment,
the post by its text, and the inspection runs only once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model

from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account, AccountKind
from govmatrix.moderation import services
from govmatrix.moderation.models import CaseState, HarmCase, InspectionRun
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.models import LocalComment, LocalPost
from govmatrix.platforms.local.rules import visitor_hash
from govmatrix.platforms.models import OutboxOperation
from govmatrix.platforms.services import outbox_execute

logger = logging.getLogger(__name__)

HARMFUL = "你们这帮傻逼当官的，全是骗子，滚出东城！"
FLAGGED = "内部消息：东城明天全天停水停电，政府一直瞒着，大家赶紧去超市抢购！"
TO_FLAG = "听说东城要封路三个月，所有商户都得关门，赶紧转给大家！"
TYPO_POST = (
    "【安全提示】请各小区居民按装好燃气报警器，定期检查软管。往期通知及检查标准见 "
    "http://127.0.0.1:9/zcwj/2019/notice.html 。"
)


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _comment(account: Account, text: str, who: str) -> str:
    """The citizen's comment under the account's latest post (once); its interaction id."""
    existing = LocalComment.objects.filter(post__account=account, text=text).first()
    if existing is not None:
        return f"c{existing.pk}"
    post = LocalPost.objects.filter(account=account, deleted_at__isnull=True).first()
    if post is None:
        post = local.post_publish(
            account=account,
            text="东城街道提醒：冬季用气注意安全。",
            idempotency_key="moderation-demo-post",
        )
    written = local.comment_submit(
        post=post, nickname=who, text=text, visitor_hash=visitor_hash(who)
    )
    return f"c{written.pk}"


def _message_id(account: Account, comment_id: str) -> int | None:
    from govmatrix.inbox.models import Message
    from govmatrix.inbox.services.ingest import sync_account

    while sync_account(account_id=account.pk).more:
        pass
    return (
        Message.objects.filter(platform=account.platform, external_id=comment_id)
        .values_list("pk", flat=True)
        .first()
    )


def _run_outbox() -> None:
    """Run the cases' pending platform calls here and now, as the worker would."""
    pending = OutboxOperation.objects.filter(subject_type="moderation.caseaction", state="pending")
    for operation_id in list(pending.values_list("pk", flat=True)):
        outbox_execute(operation_id=operation_id)


def _completed_case(office: Actor, operator: Actor, message_id: int) -> None:
    services.harm_cases_open_for(message_ids=[message_id])
    case = HarmCase.objects.filter(source_message_id=message_id).first()
    if case is None or case.state != CaseState.FLAGGED:
        return
    services.harm_case_report(case_id=case.pk)
    services.harm_case_application_file(
        actor=operator,
        case_id=case.pk,
        reason="该跟帖公然辱骂基层干部并煽动对立情绪，已有多名网民跟帖附和，影响恶劣。",
        request="恳请管理办公室报请市委宣传部协调删除该跟帖，并对该账号予以处理。",
    )
    services.harm_case_escalate(actor=office, case_id=case.pk)
    services.harm_case_action_run(actor=office, case_id=case.pk, action="delete", reason="辱骂攻击")
    _run_outbox()
    services.harm_case_close(
        actor=office,
        case_id=case.pk,
        outcome="deleted",
        note="经市委宣传部协调，平台已删除该跟帖。",
    )


def _flagged_case(operator: Actor, message_id: int) -> None:
    if HarmCase.objects.filter(source_message_id=message_id).exists():
        return
    case = services.harm_case_flag(
        actor=operator,
        message_id=message_id,
        category="social_stability",
        reason="编造停水停电谣言，煽动群众抢购，可能引发恐慌。",
    )
    services.harm_case_report(case_id=case.pk)


def _typo_post(street: Account, operator: Actor, leader: Actor) -> None:
    from govmatrix.publishing import rules as publishing_rules
    from govmatrix.publishing import services as publishing
    from govmatrix.publishing.models import Post
    from govmatrix.publishing.selectors.posts import publish_operation

    if Post.objects.filter(account=street, text=TYPO_POST).exists():
        return
    post = publishing.post_create(actor=operator, account_id=street.pk, text=TYPO_POST)
    publishing.post_submit(actor=operator, post_id=post.pk)
    publishing.post_approve(actor=leader, post_id=post.pk, comment="同意发布。")
    if publishing_rules.platform_limits(street.platform) is None:
        return
    publishing.post_publish(post_id=post.pk)
    if (operation := publish_operation(post)) is not None:
        outbox_execute(operation_id=operation.pk)


def _inspection(office: Actor) -> None:
    from govmatrix.assessment.services.inspections import checklist_seed_defaults

    if InspectionRun.objects.exists():
        return
    services.typo_pairs_ensure_defaults()
    checklist_seed_defaults(actor=office)  # so the findings count in the assessment at once
    run = services.inspection_run_start(actor=office)
    services.inspection_run_execute(run_id=run.pk)  # None if a worker took it first


def seed(*, actor: Actor) -> None:
    street = Account.objects.filter(
        unit__code="street01", kind=AccountKind.SUB, platform="local"
    ).first()
    operator, leader = _user("street01_operator"), _user("street01_leader")
    if street is None or operator is None or leader is None:
        logger.info("moderation demo: 东城街道's local account or logins are missing; skipped")
        return
    harmful = _message_id(street, _comment(street, HARMFUL, "路人甲乙丙"))
    flagged = _message_id(street, _comment(street, FLAGGED, "知情人士"))
    _message_id(street, _comment(street, TO_FLAG, "热心市民"))
    if harmful is not None:
        _completed_case(actor, operator, harmful)
    if flagged is not None:
        _flagged_case(operator, flagged)
    _typo_post(street, operator, leader)
    _inspection(actor)
