"""Inbox fixtures: the district's accounts on the local platform with a post each, citizens who
comment on them, and the sync that brings their comments into the inbox.

Everything goes through the real services: citizens through the local platform's, staff
through the inbox's. Dates are fixed with time-machine where a clock matters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from govmatrix.inbox import services
from govmatrix.inbox.models import Message, MessageTopic
from govmatrix.inbox.routing import forget_classifier
from govmatrix.inbox.services.ingest import sync_account
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.models import LocalComment, LocalPost
from govmatrix.platforms.local.rules import visitor_hash
from tests.conftest import District
from tests.factories import (
    AccountFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class Inbox:
    district: District
    environment: Any  # 区生态环境局, answers for 环境保护
    env_leader: Any
    env_operator: Any
    posts: dict[int, LocalPost]

    def post_of(self, account: Any) -> LocalPost:
        if account.pk not in self.posts:
            self.posts[account.pk] = local.post_publish(
                account=account,
                text=f"{account.display_name}的通知",
                idempotency_key=f"t:{account.pk}",
            )
        return self.posts[account.pk]

    def comment(
        self, account: Any, text: str, *, who: str = "市民甲", at: datetime | None = None
    ) -> LocalComment:
        return local.comment_submit(
            post=self.post_of(account),
            nickname=who,
            text=text,
            visitor_hash=visitor_hash(who),
            at=at,
        )

    def message(
        self, account: Any, text: str, *, who: str = "市民乙", at: datetime | None = None
    ) -> Any:
        written, _token = local.message_submit(
            account=account, nickname=who, text=text, visitor_hash=visitor_hash(who), at=at
        )
        return written

    def sync(self, account: Any | None = None) -> int:
        accounts = (
            [account]
            if account
            else [
                self.district.main_account,
                self.district.street01_account,
                self.district.street02_account,
            ]
        )
        stored = 0
        for each in accounts:
            while True:
                result = sync_account(account_id=each.pk)
                stored += result.stored
                if not result.more:
                    break
        return stored

    def arrive(self, account: Any, text: str, **kwargs: Any) -> Message:
        """A citizen's comment, synced: the message as the inbox holds it."""
        written = self.comment(account, text, **kwargs)
        self.sync(account)
        return Message.objects.get(platform="local", external_id=f"c{written.pk}")


@pytest.fixture
def inbox(district: District) -> Iterator[Inbox]:
    forget_classifier()
    services.topics_ensure_defaults()  # seeded by migration 0002 (also without migrations)
    environment = UnitFactory(
        code="dept10", name="区生态环境局", kind="department", parent=district.government
    )
    env_leader = UserFactory(username="env_leader")
    MembershipFactory(
        person=PersonFactory(user=env_leader, name="env_leader"),
        unit=environment,
        role="principal_leader",
    )
    env_operator = UserFactory(username="env_operator")
    MembershipFactory(
        person=PersonFactory(user=env_operator, name="env_operator"),
        unit=environment,
        role="operator",
    )
    AccountFactory(unit=environment, handle="sfq_dept10", display_name="示范区生态环境局")
    for code, unit in (("environment", environment), ("education", district.dept01)):
        services.topic_update(
            actor=district.office_admin,
            topic_id=MessageTopic.objects.get(code=code).pk,
            unit_id=unit.pk,
        )
    yield Inbox(district, environment, env_leader, env_operator, {})
    forget_classifier()


# --- replies -----------------------------------------------------------------------------------
def draft_reply(
    message: Message, author: Any, text: str = "您好，已收到，正在核实。", **kwargs: Any
) -> Any:
    return services.reply_create(actor=author, message_id=message.pk, text=text, **kwargs)


def submitted_reply(message: Message, author: Any, **kwargs: Any) -> Any:
    reply = draft_reply(message, author, **kwargs)
    return services.reply_submit(actor=author, reply_id=reply.pk)


def run_outbox(reply: Any) -> Any:
    """Run the reply's platform call now, as the worker would (tests run no worker)."""
    from govmatrix.inbox.models import Reply
    from govmatrix.platforms.models import OutboxOperation
    from govmatrix.platforms.services import outbox_execute

    for operation in OutboxOperation.objects.filter(
        subject_type="inbox.reply", subject_id=str(reply.pk)
    ):
        outbox_execute(operation_id=operation.pk)
    return Reply.objects.get(pk=reply.pk)


def published_reply(message: Message, author: Any, approver: Any, **kwargs: Any) -> Any:
    reply = submitted_reply(message, author, **kwargs)
    services.reply_approve(actor=approver, reply_id=reply.pk)
    return run_outbox(reply)
