"""An incident's timeline: its own steps, each statement's review, publication and reposts,
and what the registered sources (citizen messages, harmful-comment cases) add."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from govmatrix.core.types import Actor
from govmatrix.emergency.models import Incident, RepostOrderState, Statement
from govmatrix.emergency.selectors.incidents import allowances_of, statements_of
from govmatrix.emergency.timeline import (
    IncidentWindow,
    TimelineEntry,
    TimelineSource,
    timeline_sources,
)
from govmatrix.matrix.models import Account, AccountKind
from govmatrix.publishing.selectors.posts import review_history

logger = logging.getLogger(__name__)


def window_of(incident: Incident) -> IncidentWindow:
    unit_ids = tuple(sorted(incident.units.values_list("pk", flat=True)))
    accounts = Account.objects.filter(Q(unit_id__in=unit_ids) | Q(kind=AccountKind.MAIN))
    return IncidentWindow(
        id=incident.pk,
        title=incident.title,
        declared_at=incident.declared_at,
        ends_at=incident.stood_down_at,
        unit_ids=unit_ids,
        account_ids=tuple(sorted(accounts.values_list("pk", flat=True))),
    )


def _name(user: Any) -> str:
    return (user.first_name or user.get_username()) if user else ""


def _copy_entries(statement: Statement) -> list[TimelineEntry]:
    """What each copy did: published on its platform (and its orders), or failed there."""
    entries = []
    for copy in statement.copies.all():
        post = copy.post
        where = {
            "account": post.account.display_name,
            "platform": copy.get_platform_display(),
            "label": statement.label,
        }
        if copy.published_at:
            entries.append(
                TimelineEntry(
                    copy.published_at,
                    _("同步发布"),
                    _("%(account)s在%(platform)s同步发布%(label)s") % where,
                    link=post.public_url,
                )
            )
        elif post.status == "failed":
            entries.append(
                TimelineEntry(
                    post.updated_at,
                    _("同步发布失败"),
                    _("%(account)s在%(platform)s同步发布%(label)s未成功") % where,
                    detail=post.failure_message,
                )
            )
        if copy.fanned_out_at:
            done = copy.orders.filter(state=RepostOrderState.REPOSTED).count()
            entries.append(
                TimelineEntry(
                    copy.fanned_out_at,
                    _("下达转发任务"),
                    _("%(platform)s %(n)d 个子账号，时限 %(m)d 分钟；已转发 %(done)d 个")
                    % {
                        "platform": copy.get_platform_display(),
                        "n": copy.orders_count,
                        "m": statement.repost_minutes,
                        "done": done,
                    },
                )
            )
    return entries


def _own_entries(incident: Incident) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            at=incident.declared_at,
            kind=_("宣布事件"),
            text=_("管理办公室宣布%(level)s突发事件，现场最高领导：%(commander)s")
            % {"level": incident.get_level_display(), "commander": incident.commander.name},
        )
    ]
    for statement in statements_of(incident):
        post = statement.post
        copies = list(statement.copies.all())
        entries.append(
            TimelineEntry(statement.created_at, _("拟稿"), f"{statement.label}：{post.text[:60]}")
        )
        for review in review_history(post):
            entries.append(TimelineEntry(review.submitted_at, _("提交审核"), statement.label))
            if review.decided_at and review.decision in ("approved", "returned"):
                verb = _("现场最高领导审核通过") if review.decision == "approved" else _("退回修改")
                entries.append(
                    TimelineEntry(
                        review.decided_at,
                        verb,
                        f"{statement.label}（{_name(review.decided_by)}）",
                        detail=review.comment,
                    )
                )
        if statement.published_at:
            entries.append(
                TimelineEntry(
                    statement.published_at,
                    _("发布"),
                    _("%(account)s发布%(label)s")
                    % {"account": post.account.display_name, "label": statement.label},
                    link=post.public_url,
                )
            )
        entries += _copy_entries(statement)
        if statement.fanned_out_at:
            done = statement.orders.filter(copy__isnull=True).aggregate(
                reposted=Count("pk", filter=Q(state=RepostOrderState.REPOSTED)),
                last=Max("reposted_at"),
            )
            entries.append(
                TimelineEntry(
                    statement.fanned_out_at,
                    _("下达转发任务"),
                    _("%(n)d 个子账号，时限 %(m)d 分钟；已转发 %(done)d 个")
                    % {
                        "n": statement.orders_count - sum(c.orders_count for c in copies),
                        "m": statement.repost_minutes,
                        "done": done["reposted"],
                    },
                )
            )
    for allowance in allowances_of(incident):
        entries.append(
            TimelineEntry(
                allowance.granted_at,
                _("子账号发布许可"),
                allowance.account.display_name,
                detail=allowance.reason,
            )
        )
    if incident.press_conference_at:
        entries.append(
            TimelineEntry(
                incident.press_conference_at,
                _("新闻发布会"),
                incident.press_conference_note or _("召开新闻发布会"),
            )
        )
    if incident.stood_down_at:
        entries.append(
            TimelineEntry(
                incident.stood_down_at,
                _("事件结束"),
                incident.stand_down_note or _("应急响应结束"),
            )
        )
    return entries


@dataclass
class ExternalPart:
    source: TimelineSource
    entries: list[TimelineEntry] = field(default_factory=list)
    error: str = ""


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    parts: list[ExternalPart]

    @property
    def has_sources(self) -> bool:
        return bool(self.parts)


def incident_timeline(*, user: Actor, incident: Incident) -> Timeline:
    window = window_of(incident)
    parts = []
    for source in timeline_sources():
        part = ExternalPart(source)
        try:
            part.entries = sorted(source.entries(window, user), key=lambda e: e.at)
        except Exception:  # one broken source must not take the incident page down
            logger.exception("timeline source %s failed for incident %s", source.key, incident.pk)
            part.error = _("暂时无法读取，请稍后刷新。")
        parts.append(part)
    entries = _own_entries(incident) + [e for part in parts for e in part.entries]
    return Timeline(entries=sorted(entries, key=lambda e: e.at), parts=parts)
