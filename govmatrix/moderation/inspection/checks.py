"""The checks of one published post, by rule: publishing's content check (sensitive terms, banned
expressions, leaders' names and titles — with the office's lists and lexicon edits), the typo
list, and the post's links. Each rule that finds something gives one `PostProblem`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from govmatrix.moderation.inspection.links import LinkChecker, extract_links
from govmatrix.moderation.inspection.typos import TypoMatcher
from govmatrix.moderation.models import FindingRule

# publishing.checking's kinds → our rules
_CHECK_KINDS = {
    "sensitive": FindingRule.SENSITIVE,
    "banned": FindingRule.BANNED,
    "leader_name": FindingRule.LEADER,
    "leader_title": FindingRule.LEADER,
}


@dataclass(frozen=True)
class PostProblem:
    rule: str
    description: str
    hits: list[dict[str, Any]] = field(default_factory=list)


def _excerpt(text: str, start: int, end: int, margin: int = 8) -> str:
    left = max(0, start - margin)
    return (
        ("…" if left else "")
        + text[left : end + margin]
        + ("…" if end + margin < len(text) else "")
    )


def check_post(
    text: str,
    *,
    content_check: Callable[[str], Sequence[Any]],
    typos: TypoMatcher,
    links: LinkChecker | None,
) -> tuple[list[PostProblem], dict[str, int]]:
    """(problems by rule, counters) for one post's text."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for hit in content_check(text):
        rule = _CHECK_KINDS.get(hit.kind)
        if rule is None:
            continue
        grouped.setdefault(rule, []).append(
            {
                "term": hit.term,
                "matched": hit.matched,
                "suggestion": hit.suggestion,
                "start": hit.start,
                "end": hit.end,
                "context": _excerpt(text, hit.start, hit.end),
            }
        )
    for typo in typos.find(text):
        grouped.setdefault(FindingRule.TYPO, []).append(
            {
                "term": typo.wrong,
                "matched": typo.wrong,
                "suggestion": _("应为“%(c)s”。") % {"c": typo.correct},
                "correct": typo.correct,
                "start": typo.start,
                "end": typo.end,
                "context": _excerpt(text, typo.start, typo.end),
            }
        )
    counters = {"links": 0, "links_unchecked": 0}
    if links is not None:
        for url in extract_links(text):
            result = links.check(url)
            counters["links"] += 1
            if result.ok is None:
                counters["links_unchecked"] += 1
            elif result.broken:
                grouped.setdefault(FindingRule.BROKEN_LINK, []).append(result.as_dict())
    problems = [PostProblem(rule, describe(rule, hits), hits) for rule, hits in grouped.items()]
    return problems, counters


def describe(rule: str, hits: list[dict[str, Any]]) -> str:
    if rule == FindingRule.BROKEN_LINK:
        parts = [f"{h['url']}（{h['status'] or h['error']}）" for h in hits]
        return _("链接无法访问：%(l)s") % {"l": "；".join(parts)}
    if rule == FindingRule.TYPO:
        parts = [f"“{h['matched']}”应为“{h['correct']}”" for h in hits]
        return _("错别字：%(l)s") % {"l": "；".join(parts)}
    labels: dict[str, str] = {
        FindingRule.SENSITIVE: _("含敏感词"),
        FindingRule.BANNED: _("使用禁用表述"),
        FindingRule.LEADER: _("领导姓名或职务疑似有误"),
    }
    parts = [
        f"“{h['matched']}”" + (f"（{h['suggestion']}）" if h.get("suggestion") else "")
        for h in hits
    ]
    return f"{labels.get(rule, rule)}：{'；'.join(parts)}"
