"""The office's settings and lists, and the content check that uses them."""

from __future__ import annotations

from django.db.models import QuerySet

from govmatrix.publishing.checking import Banned, CheckHit, Leader, check_text, harm_screen
from govmatrix.publishing.models import (
    ContentRule,
    LeaderName,
    PublishingSettings,
    RuleKind,
    Topic,
)


def publishing_settings() -> PublishingSettings:
    """The settings row, or the defaults while the office has not saved any (nothing is written)."""
    return PublishingSettings.objects.filter(pk=1).first() or PublishingSettings(pk=1)


def is_paused() -> bool:
    return PublishingSettings.objects.filter(pk=1, paused=True).exists()


def topic_list(*, active_only: bool = False) -> QuerySet[Topic]:
    topics = Topic.objects.all()
    return topics.filter(is_active=True) if active_only else topics


def content_rule_list(*, kind: str = "", q: str = "") -> QuerySet[ContentRule]:
    rules = ContentRule.objects.all()
    if kind:
        rules = rules.filter(kind=kind)
    if q:
        rules = rules.filter(phrase__icontains=q)
    return rules


def leader_list(*, q: str = "") -> QuerySet[LeaderName]:
    leaders = LeaderName.objects.select_related("unit")
    return leaders.filter(name__icontains=q) if q else leaders


def content_check(text: str) -> list[CheckHit]:
    """The check with the office's current lists (they are short: read on every check)."""
    rules = list(
        ContentRule.objects.filter(is_active=True).values_list(
            "kind", "phrase", "suggestion", "note"
        )
    )
    return check_text(
        text,
        banned=[Banned(p, s, n) for kind, p, s, n in rules if kind == RuleKind.BANNED],
        exempt=[p for kind, p, _s, _n in rules if kind == RuleKind.ALLOWED],
        leaders=[
            Leader(name, titles)
            for name, titles in LeaderName.objects.filter(is_active=True).values_list(
                "name", "titles"
            )
        ],
        screen=harm_screen(),
    )
