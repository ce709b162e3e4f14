"""The office's controls over publishing: the pause switch, the review time, topics, and the
lists the content check uses (banned expressions, exempt words, leaders' names and titles)."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.core.validation import apply_changes, clean_or_fail
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing.models import (
    DEFAULT_TOPICS,
    ContentRule,
    LeaderName,
    Post,
    PostStatus,
    PublishingSettings,
    RuleKind,
    Topic,
)

logger = logging.getLogger(__name__)


def _require_office(actor: Actor) -> None:
    require(scope_for(actor).is_office_admin, _("只有管理办公室可以修改发布设置。"))


def _locked_settings() -> PublishingSettings:
    PublishingSettings.objects.get_or_create(pk=1)
    return PublishingSettings.objects.select_for_update().get(pk=1)


def _start_due_publishing() -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.publishing.tasks import publish_due_posts_now

    try:
        publish_due_posts_now()
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception("could not queue the due posts after resuming; the periodic task will")


# --- the pause switch ------------------------------------------------------------------------
@transaction.atomic
def publishing_pause(*, actor: Actor, note: str = "") -> PublishingSettings:
    """Hold every scheduled post: due posts wait until the office resumes publishing."""
    _require_office(actor)
    row = _locked_settings()
    if row.paused:
        raise InvalidTransition(_("定时发布已处于暂停状态。"))
    row.paused, row.paused_at, row.paused_by, row.pause_note = (
        True,
        timezone.now(),
        as_user(actor),
        note.strip()[:200],
    )
    row.save(update_fields=["paused", "paused_at", "paused_by", "pause_note", "updated_at"])
    waiting = Post.objects.filter(status=PostStatus.SCHEDULED).count()
    event_record(
        actor=actor,
        verb="publishing.paused",
        obj=row,
        note=row.pause_note,
        data={"scheduled": waiting},
    )
    return row


@transaction.atomic
def publishing_resume(*, actor: Actor, note: str = "") -> PublishingSettings:
    """Resume: posts whose time has passed while paused are published at once."""
    _require_office(actor)
    row = _locked_settings()
    if not row.paused:
        raise InvalidTransition(_("定时发布没有暂停。"))
    due = Post.objects.filter(status=PostStatus.SCHEDULED, scheduled_at__lte=timezone.now()).count()
    row.paused, row.paused_at, row.paused_by, row.pause_note = False, None, None, ""
    row.save(update_fields=["paused", "paused_at", "paused_by", "pause_note", "updated_at"])
    event_record(
        actor=actor, verb="publishing.resumed", obj=row, note=note.strip(), data={"due": due}
    )
    transaction.on_commit(_start_due_publishing)
    return row


@transaction.atomic
def publishing_settings_update(*, actor: Actor, important_review_hours: int) -> PublishingSettings:
    _require_office(actor)
    if not 1 <= important_review_hours <= 72:
        raise ValidationFailed({"important_review_hours": _("请填写 1 到 72 之间的小时数。")})
    row = _locked_settings()
    diff = apply_changes(row, {"important_review_hours": important_review_hours})
    if diff:
        row.save(update_fields=[*diff, "updated_at"])
        event_record(
            actor=actor, verb="publishing.settings_updated", obj=row, data={"changes": diff}
        )
    return row


# --- the office's lists ----------------------------------------------------------------------
def _create(actor: Actor, instance: models.Model, verb: str, data: dict[str, Any]) -> None:
    clean_or_fail(instance)
    instance.save()
    event_record(actor=actor, verb=verb, obj=instance, data=data)


def _update(actor: Actor, instance: models.Model, verb: str, changes: dict[str, Any]) -> None:
    diff = apply_changes(instance, changes)
    if not diff:
        return
    clean_or_fail(instance)
    instance.save(update_fields=[*diff, "updated_at"])
    event_record(actor=actor, verb=verb, obj=instance, data={"changes": diff})


def _get(model: type[models.Model], pk: int) -> Any:
    instance = model._default_manager.select_for_update().filter(pk=pk).first()
    if instance is None:
        raise NotFound(_("记录不存在。"))
    return instance


@transaction.atomic
def topic_create(*, actor: Actor, name: str, sort_order: int = 100) -> Topic:
    _require_office(actor)
    code = f"topic{(Topic.objects.aggregate(m=models.Max('id'))['m'] or 0) + 1}"
    topic = Topic(code=code, name=name.strip(), sort_order=sort_order)
    _create(actor, topic, "topic.created", {"name": topic.name})
    return topic


@transaction.atomic
def topic_update(*, actor: Actor, topic_id: int, **changes: Any) -> Topic:
    _require_office(actor)
    topic = _get(Topic, topic_id)
    allowed = {k: v for k, v in changes.items() if k in {"name", "sort_order", "is_active"}}
    _update(actor, topic, "topic.updated", allowed)
    return topic


@transaction.atomic
def topics_ensure_defaults() -> int:
    """Create the topics of R3.1 that are missing (migration 0002 does it on a new database)."""
    made = 0
    for index, (code, name) in enumerate(DEFAULT_TOPICS):
        _topic, created = Topic.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": (index + 1) * 10}
        )
        made += created
    return made


_SPACES = re.compile(r"\s+")


@transaction.atomic
def content_rule_create(
    *, actor: Actor, kind: str, phrase: str, suggestion: str = "", note: str = ""
) -> ContentRule:
    _require_office(actor)
    rule = ContentRule(
        kind=kind,
        phrase=_SPACES.sub("", phrase),
        suggestion=suggestion.strip() if kind == RuleKind.BANNED else "",
        note=note.strip(),
    )
    _create(actor, rule, "content_rule.created", {"kind": kind, "phrase": rule.phrase})
    return rule


@transaction.atomic
def content_rule_update(*, actor: Actor, rule_id: int, **changes: Any) -> ContentRule:
    _require_office(actor)
    rule = _get(ContentRule, rule_id)
    allowed = {
        k: v for k, v in changes.items() if k in {"phrase", "suggestion", "note", "is_active"}
    }
    if "phrase" in allowed:
        allowed["phrase"] = _SPACES.sub("", allowed["phrase"])
    _update(actor, rule, "content_rule.updated", allowed)
    return rule


@transaction.atomic
def leader_name_create(
    *, actor: Actor, name: str, titles: str, unit_id: int | None = None, sort_order: int = 100
) -> LeaderName:
    _require_office(actor)
    leader = LeaderName(
        name=_SPACES.sub("", name), titles=titles.strip(), unit_id=unit_id, sort_order=sort_order
    )
    _create(actor, leader, "leader_name.created", {"name": leader.name, "titles": leader.titles})
    return leader


@transaction.atomic
def leader_name_update(*, actor: Actor, leader_id: int, **changes: Any) -> LeaderName:
    _require_office(actor)
    leader = _get(LeaderName, leader_id)
    allowed = {
        k: v
        for k, v in changes.items()
        if k in {"name", "titles", "unit_id", "sort_order", "is_active"}
    }
    if "name" in allowed:
        allowed["name"] = _SPACES.sub("", allowed["name"])
    _update(actor, leader, "leader_name.updated", allowed)
    return leader
