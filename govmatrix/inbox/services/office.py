"""The office's controls over the inbox: topics and the topic → unit map, place names, SLA
targets, the triage threshold, and the wording library (口径库)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.core.validation import apply_changes, clean_or_fail
from govmatrix.inbox import rules
from govmatrix.inbox.models import (
    DEFAULT_TOPICS,
    InboxSettings,
    MessageKind,
    MessageTopic,
    PlaceName,
    SlaTarget,
    Wording,
)
from govmatrix.inbox.routing import forget_classifier
from govmatrix.org.models import Unit, UnitKind
from govmatrix.org.permissions import require, scope_for
from govmatrix.textintel.classify import search_words


def _require_office(actor: Actor) -> None:
    require(scope_for(actor).is_office_admin, _("只有管理办公室可以修改留言设置。"))


def _record(actor: Actor, verb: str, obj: models.Model, data: dict[str, Any]) -> None:
    event_record(actor=actor, verb=verb, obj=obj, data=data)


def _unit_or_none(unit_id: int | None, field: str = "unit_id") -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationFailed({field: _("单位不存在或已停用。")})
    return unit


# --- settings and targets ----------------------------------------------------------------------
@transaction.atomic
def inbox_settings_update(
    *, actor: Actor, triage_threshold: Decimal | None = None, followup_days: Decimal | None = None
) -> InboxSettings:
    _require_office(actor)
    InboxSettings.objects.get_or_create(pk=1)
    row = InboxSettings.objects.select_for_update().get(pk=1)
    changes: dict[str, Any] = {}
    if triage_threshold is not None:
        changes["triage_threshold"] = triage_threshold
    if followup_days is not None:
        changes["followup_days"] = followup_days
    diff = apply_changes(row, changes)
    if diff:
        clean_or_fail(row)
        row.save()
        _record(actor, "inbox.settings_updated", row, {"changes": diff})
    return row


@transaction.atomic
def sla_target_set(
    *,
    actor: Actor,
    kind: str,
    ack_hours: Decimal,
    resolve_days: Decimal,
    ack_warn_hours: Decimal = Decimal("1"),
    resolve_warn_days: Decimal = Decimal("1"),
) -> SlaTarget:
    """Set the targets of one kind; the open messages of that kind get new deadlines."""
    from govmatrix.inbox.services.sla import deadlines_recompute_all

    _require_office(actor)
    if kind not in MessageKind.values:
        raise ValidationFailed({"kind": _("没有这种类型。")})
    target = SlaTarget.objects.select_for_update().filter(kind=kind).first() or SlaTarget(kind=kind)
    diff = apply_changes(
        target,
        {
            "ack_hours": Decimal(ack_hours),
            "resolve_days": Decimal(resolve_days),
            "ack_warn_hours": Decimal(ack_warn_hours),
            "resolve_warn_days": Decimal(resolve_warn_days),
        },
    )
    if target.pk and not diff:
        return target
    if target.ack_warn_hours >= target.ack_hours:
        raise ValidationFailed({"ack_warn_hours": _("提前提醒须短于时限本身。")})
    if target.resolve_warn_days >= target.resolve_days:
        raise ValidationFailed({"resolve_warn_days": _("提前提醒须短于时限本身。")})
    clean_or_fail(target, exclude=["kind"])
    target.save()
    changed = deadlines_recompute_all(kind=kind)
    _record(
        actor,
        "inbox.sla_target_set",
        target,
        {"kind": kind, "changes": diff, "messages_recomputed": changed},
    )
    return target


# --- topics and places -------------------------------------------------------------------------
def _keywords(text: str) -> str:
    return " ".join(dict.fromkeys(w for w in re.split(r"[\s,，、;；]+", text or "") if w))


@transaction.atomic
def topic_create(
    *, actor: Actor, name: str, keywords: str = "", unit_id: int | None = None
) -> MessageTopic:
    """A topic the district adds (its keywords extend the keyword router)."""
    _require_office(actor)
    name = (name or "").strip()
    code = slugify(name, allow_unicode=False) or f"topic{MessageTopic.objects.count() + 1}"
    while MessageTopic.objects.filter(code=code).exists():
        code = f"{code[:24]}{MessageTopic.objects.count() + 1}"
    topic = MessageTopic(
        code=code, name=name, keywords=_keywords(keywords), unit=_unit_or_none(unit_id)
    )
    clean_or_fail(topic)
    topic.save()
    _record(
        actor,
        "message_topic.created",
        topic,
        {"name": name, "keywords": topic.keywords, "unit": unit_id},
    )
    transaction.on_commit(forget_classifier)
    return topic


@transaction.atomic
def topic_update(*, actor: Actor, topic_id: int, **changes: Any) -> MessageTopic:
    """Change a topic: its responsible unit (the topic → unit map), keywords, name, use."""
    _require_office(actor)
    topic = MessageTopic.objects.select_for_update().filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(_("主题不存在。"))
    wanted: dict[str, Any] = {}
    if "unit_id" in changes:
        wanted["unit"] = _unit_or_none(changes.pop("unit_id"))
    if "keywords" in changes:
        wanted["keywords"] = _keywords(changes.pop("keywords"))
    for name in ("name", "is_active", "sort_order"):
        if name in changes:
            wanted[name] = changes.pop(name)
    if changes:
        raise ValidationFailed({next(iter(changes)): _("不能修改这一项。")})
    diff = apply_changes(topic, wanted)
    if not diff:
        return topic
    clean_or_fail(topic)
    topic.save()
    _record(
        actor,
        "message_topic.updated",
        topic,
        {"changes": {k: [str(v[0]), str(v[1])] for k, v in diff.items()}},
    )
    transaction.on_commit(forget_classifier)
    return topic


def topics_ensure_defaults() -> int:
    """The seven first-level classes (the migration seeds them; this restores any deleted)."""
    created = 0
    for order, (code, name) in enumerate(DEFAULT_TOPICS, start=1):
        _topic, made = MessageTopic.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        created += int(made)
    return created


@transaction.atomic
def place_name_add(*, actor: Actor, unit_id: int, name: str) -> PlaceName:
    """A name that sends messages to a street or town (a community, a road, an estate)."""
    _require_office(actor)
    unit = _unit_or_none(unit_id)
    if unit is None or unit.kind != UnitKind.STREET_TOWN:
        raise ValidationFailed({"unit_id": _("地名只能对应街镇。")})
    name = (name or "").strip()
    if len(name) < 2:
        raise ValidationFailed({"name": _("地名至少两个字。")})
    if PlaceName.objects.filter(name=name).exists():
        raise ValidationFailed({"name": _("这个地名已对应一个街镇。")})
    place = PlaceName.objects.create(unit=unit, name=name)
    _record(actor, "place_name.added", place, {"unit": unit.pk, "name": name})
    transaction.on_commit(forget_classifier)
    return place


@transaction.atomic
def place_name_remove(*, actor: Actor, place_id: int) -> None:
    _require_office(actor)
    place = PlaceName.objects.filter(pk=place_id).first()
    if place is None:
        raise NotFound(_("地名不存在。"))
    _record(actor, "place_name.removed", place, {"unit": place.unit_id, "name": place.name})
    place.delete()
    transaction.on_commit(forget_classifier)


# --- the wording library ------------------------------------------------------------------------
@transaction.atomic
def wording_create(
    *,
    actor: Actor,
    title: str,
    text: str,
    topic_id: int | None = None,
    unit_id: int | None = None,
) -> Wording:
    """An approved wording: the office's for the district, a principal leader's for the unit."""
    scope = scope_for(actor)
    require(
        rules.can_keep_wordings(scope, unit_id),
        _("口径由管理办公室（全区）或单位主要领导（本单位）审定。"),
    )
    topic = None
    if topic_id is not None:
        topic = MessageTopic.objects.filter(pk=topic_id).first()
        if topic is None:
            raise ValidationFailed({"topic_id": _("主题不存在。")})
    wording = Wording(
        title=(title or "").strip(),
        text=(text or "").strip(),
        topic=topic,
        unit=_unit_or_none(unit_id),
        approved_by=rules.acting_user(actor),
    )
    wording.search_text = " ".join(search_words(f"{wording.title} {wording.text}"))
    clean_or_fail(wording)
    wording.save()
    _record(
        actor,
        "wording.created",
        wording,
        {"title": wording.title, "text": wording.text, "unit": unit_id, "topic": topic_id},
    )
    return wording


@transaction.atomic
def wording_update(*, actor: Actor, wording_id: int, **changes: Any) -> Wording:
    wording = Wording.objects.select_for_update().filter(pk=wording_id).first()
    if wording is None:
        raise NotFound(_("口径不存在。"))
    require(
        rules.can_keep_wordings(scope_for(actor), wording.unit_id),
        _("口径由管理办公室（全区）或单位主要领导（本单位）审定。"),
    )
    wanted = {k: v for k, v in changes.items() if k in {"title", "text", "is_active"}}
    if "topic_id" in changes:
        wanted["topic_id"] = changes["topic_id"]
    if unknown := set(changes) - {"title", "text", "is_active", "topic_id"}:
        raise ValidationFailed({sorted(unknown)[0]: _("不能修改这一项。")})
    diff = apply_changes(wording, wanted)
    if not diff:
        return wording
    wording.approved_by = rules.acting_user(actor)
    wording.search_text = " ".join(search_words(f"{wording.title} {wording.text}"))
    clean_or_fail(wording)
    wording.save()
    _record(actor, "wording.updated", wording, {"changes": diff})
    return wording
