"""Publishing fixtures: a fake platform the district's accounts publish to, and the topics.

The fake connector records what it was asked to publish and can be told to fail the way real
platforms fail, so the tests never depend on the local platform being finished.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from govmatrix.matrix.models import Account
from govmatrix.platforms import registry
from govmatrix.platforms.base import (
    AccountRef,
    ActionContext,
    Capability,
    ConnectorError,
    Limits,
    PublishedPost,
)
from govmatrix.publishing.services import topics_ensure_defaults
from tests.conftest import District


@dataclass
class FakeConnector:
    platform = "fake"
    max_chars: int = 140
    published: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    fail_with: list[ConnectorError] = field(default_factory=list)

    def capabilities(self) -> frozenset[Capability]:
        return frozenset({Capability.PUBLISH, Capability.REPOST, Capability.REPOST_WITH_COMMENT})

    def limits(self) -> Limits:
        return Limits(max_chars=self.max_chars, max_images=9)

    def _post(
        self, account: AccountRef, text: str, ctx: ActionContext, **extra: Any
    ) -> PublishedPost:
        self.keys.append(ctx.idempotency_key)
        if self.fail_with:
            raise self.fail_with.pop(0)
        number = len(self.published) + 1
        self.published.append({"handle": account.handle, "text": text, "ctx": ctx, **extra})
        return PublishedPost(
            platform="fake",
            id=f"fake-{number}",
            account_handle=account.handle,
            text=text,
            url=f"http://fake.example/{account.handle}/{number}",
            created_at=timezone.now(),
        )

    def publish(
        self, account: AccountRef, text: str, ctx: ActionContext, **kwargs: Any
    ) -> PublishedPost:
        return self._post(account, text, ctx)

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost:
        return self._post(account, comment or "", ctx, repost_of=post_id)


@pytest.fixture
def topics(db: None) -> None:
    topics_ensure_defaults()


@pytest.fixture
def platform(
    district: District, topics: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeConnector]:
    """The district's three accounts publish to the fake platform."""
    connector = FakeConnector()
    monkeypatch.setitem(registry._FACTORIES, "fake", lambda: connector)
    accounts = [district.main_account, district.street01_account, district.street02_account]
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(platform="fake")
    for account in accounts:
        account.refresh_from_db()
    yield connector


@pytest.fixture
def west_leader(district: District) -> Any:
    """The principal leader of 西城街道 (street02)."""
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    user = UserFactory(username="west_leader")
    MembershipFactory(
        person=PersonFactory(user=user, name="west_leader"),
        unit=district.street02,
        role="principal_leader",
    )
    return user
