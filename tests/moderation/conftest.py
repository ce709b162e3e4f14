"""Moderation fixtures: a street's account on the local platform with a post, citizens who
comment under it, the inbox sync that brings the comments in, and short ways to bring a case to
each state through the real services.

Every test starts with the shipped lexicon (the office's edits are rows of the test database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from django.utils import translation

from govmatrix.inbox.models import Message
from govmatrix.inbox.routing import forget_classifier
from govmatrix.inbox.services.ingest import sync_account
from govmatrix.moderation import services
from govmatrix.moderation.models import HarmCase
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.models import LocalPost
from govmatrix.platforms.local.rules import visitor_hash
from tests.conftest import District

HARMFUL = "你们这帮傻逼，政府全是骗子"
ORDINARY = "小区门口的路灯坏了三天了，请尽快修一下，谢谢。"
# Harmful, but nothing the screening catches: a person flags it.
RUMOUR = "内部消息：明天全区停水停电三天，政府一直瞒着，大家赶紧去超市抢购！"

Commit = Callable[..., AbstractContextManager[Any]]


@dataclass
class Board:
    district: District
    commit: Commit
    posts: dict[int, LocalPost] = field(default_factory=dict)

    def post_of(self, account: Any) -> LocalPost:
        if account.pk not in self.posts:
            self.posts[account.pk] = local.post_publish(
                account=account,
                text=f"{account.display_name}的通知",
                idempotency_key=f"m:{account.pk}",
            )
        return self.posts[account.pk]

    def arrive(
        self, text: str, *, account: Any = None, who: str = "网民甲", at: datetime | None = None
    ) -> Message:
        """A citizen's comment under the account's post, synced into the inbox (hooks run)."""
        account = account or self.district.street01_account
        written = local.comment_submit(
            post=self.post_of(account),
            nickname=who,
            text=text,
            visitor_hash=visitor_hash(who),
            at=at,
        )
        with self.commit(execute=True):
            while sync_account(account_id=account.pk).more:
                pass
        return Message.objects.get(platform="local", external_id=f"c{written.pk}")

    def flag(
        self, text: str = RUMOUR, *, by: Any = None, category: str = "social_stability"
    ) -> HarmCase:
        """A comment that the screening does not see, flagged by a person (the office)."""
        message = self.arrive(text)
        existing = HarmCase.objects.filter(source_message_id=message.pk).first()
        if existing is not None:
            return existing
        with self.commit(execute=True):
            return services.harm_case_flag(
                actor=by or self.district.office_admin,
                message_id=message.pk,
                category=category,
                reason="编造停水停电谣言，煽动抢购。",
            )


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Services speak Chinese here, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def board(district: District, django_capture_on_commit_callbacks: Commit) -> Iterator[Board]:
    forget_classifier()
    yield Board(district, django_capture_on_commit_callbacks)
    forget_classifier()


def reload(case: HarmCase) -> HarmCase:
    return HarmCase.objects.get(pk=case.pk)


def filed(board: Board, case: HarmCase | None = None) -> HarmCase:
    case = case or board.flag()
    with board.commit(execute=True):
        services.harm_case_application_file(actor=board.district.operator, case_id=case.pk)
    return reload(case)


def escalated(board: Board, case: HarmCase | None = None) -> HarmCase:
    case = filed(board, case)
    with board.commit(execute=True):
        services.harm_case_escalate(actor=board.district.office_admin, case_id=case.pk)
    return reload(case)
