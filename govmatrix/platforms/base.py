"""The connector interface every platform implements, and the typed errors it may raise.

A connector serves one platform. GovMatrix never calls it directly from a request: every
intended platform call is an outbox row (`platforms.models.OutboxOperation`) executed by a
worker, so a call is retried, de-duplicated by its idempotency key and recorded.

Connectors raise only the errors below, never an HTTP library's or an SDK's own.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

T = TypeVar("T")


class Capability(enum.StrEnum):
    PUBLISH = "publish"
    PUBLISH_IDEMPOTENT = "publish_idempotent"
    REPOST = "repost"
    REPOST_WITH_COMMENT = "repost_with_comment"
    DELETE_OWN_POST = "delete_own_post"
    READ_INBOX = "read_inbox"
    READ_DMS = "read_dms"
    REPLY = "reply"
    DELETE_COMMENT = "delete_comment"
    HIDE_COMMENT = "hide_comment"
    REPORT = "report"
    BLOCK_AUTHOR = "block_author"
    POST_METRICS = "post_metrics"
    ACCOUNT_METRICS = "account_metrics"


class InteractionKind(enum.StrEnum):
    COMMENT = "comment"
    MENTION = "mention"
    DM = "dm"


class ModerationAction(enum.StrEnum):
    DELETE = "delete"
    HIDE = "hide"
    REPORT = "report"
    BLOCK_AUTHOR = "block_author"


# --- what a connector is given ---------------------------------------------------------------
@dataclass(frozen=True)
class Credentials:
    access_token: str
    expires_at: datetime | None = None
    refresh_token: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print a token, even in a traceback
        return f"Credentials(expires_at={self.expires_at!r}, access_token=***)"


@dataclass(frozen=True)
class AccountRef:
    """Our account on the platform: its handle there, and the credentials to act as it."""

    platform: str
    handle: str
    external_id: str = ""
    credentials: Credentials | None = None


@dataclass(frozen=True)
class ActionContext:
    """Who triggered a call. Weibo wants the operator's IP as `rip`; every call has a key."""

    operator_id: str
    operator_ip: str | None
    idempotency_key: str


@dataclass(frozen=True)
class MediaFile:
    filename: str
    content_type: str
    content: bytes


# --- what a connector returns ----------------------------------------------------------------
@dataclass(frozen=True)
class Author:
    platform_user_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class PublishedPost:
    platform: str
    id: str
    account_handle: str
    text: str
    url: str | None
    created_at: datetime
    repost_of_id: str | None = None
    in_reply_to_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Interaction:
    """A comment, mention or direct message addressed to one of our accounts."""

    platform: str
    id: str
    kind: InteractionKind
    account_handle: str
    post_id: str | None
    parent_id: str | None
    author: Author
    text: str
    created_at: datetime
    url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PostMetrics:
    post_id: str
    reposts: int
    comments: int
    likes: int
    fetched_at: datetime


@dataclass(frozen=True)
class AccountMetrics:
    handle: str
    followers: int
    following: int
    posts: int
    fetched_at: datetime


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class ModerationResult:
    requested: ModerationAction
    applied: ModerationAction | None
    platform_ref: str | None
    note: str


@dataclass(frozen=True)
class Limits:
    max_chars: int
    requires_link_domain: str | None = None
    forbids_hashtags: bool = False
    # Weibo counts a Chinese character as one and two Latin letters as one.
    counts_latin_as_half: bool = False
    # Images one post may carry (0: the connector publishes text only).
    max_images: int = 0
    # Characters the connector adds to every post (Weibo: the safe-domain link), counted in max_chars.
    reserved_chars: int = 0


# --- errors -----------------------------------------------------------------------------------
class ConnectorError(Exception):
    """A platform refused or failed a call. `message` is the platform's own words."""

    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.code = code
        self.http_status = http_status


class RateLimited(ConnectorError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PlatformDown(ConnectorError):
    """The platform did not answer, or answered with a server error; try again later."""

    retryable = True


class Duplicate(ConnectorError):
    """The platform already holds this content; `existing_id` names it when known."""

    def __init__(self, message: str, *, existing_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.existing_id = existing_id


class ContentRejected(ConnectorError):
    """Too long, a sensitive word, an illegal link: the text must change."""


class AuthExpired(ConnectorError):
    """The account's authorisation has expired or was revoked; an operator must link it again."""


class NotFoundOnPlatform(ConnectorError):
    pass


class Forbidden(ConnectorError):
    pass


class InvalidRequest(ConnectorError):
    pass


class Unsupported(ConnectorError):
    """The platform cannot do this at all; `instead` says what to do."""

    def __init__(self, capability: Capability, *, instead: str, platform: str = "") -> None:
        super().__init__(
            f"{platform or 'this platform'} cannot {capability.value}: {instead}", platform=platform
        )
        self.capability = capability
        self.instead = instead


# --- the interface ----------------------------------------------------------------------------
class Connector(Protocol):
    platform: ClassVar[str]

    def capabilities(self) -> frozenset[Capability]: ...

    def limits(self) -> Limits: ...

    def publish(
        self,
        account: AccountRef,
        text: str,
        ctx: ActionContext,
        *,
        media: Sequence[MediaFile] = (),
        in_reply_to_id: str | None = None,
    ) -> PublishedPost: ...

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost: ...

    def delete_post(self, account: AccountRef, post_id: str, ctx: ActionContext) -> None: ...

    def reply(
        self, account: AccountRef, interaction_id: str, text: str, ctx: ActionContext
    ) -> Interaction: ...

    def fetch_interactions(
        self, account: AccountRef, *, since_cursor: str | None, limit: int = 50
    ) -> Page[Interaction]: ...

    def moderate(
        self,
        account: AccountRef,
        interaction_id: str,
        action: ModerationAction,
        ctx: ActionContext,
        *,
        reason: str,
        fallback: Sequence[ModerationAction] = (),
    ) -> ModerationResult: ...

    def post_metrics(
        self, account: AccountRef, post_ids: Sequence[str]
    ) -> dict[str, PostMetrics]: ...

    def account_metrics(self, account: AccountRef) -> AccountMetrics: ...


def require(connector: Connector, capability: Capability, *, instead: str) -> None:
    """Raise `Unsupported` unless the connector declares `capability`."""
    if capability not in connector.capabilities():
        raise Unsupported(capability, instead=instead, platform=connector.platform)


def text_length(text: str, limits: Limits) -> int:
    """Length as the platform counts it (Weibo: a CJK character is 1, two Latin characters are 1)."""
    if not limits.counts_latin_as_half:
        return len(text)
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    narrow = len(text) - wide
    return wide + (narrow + 1) // 2
