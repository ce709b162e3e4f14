"""The Mastodon connector (`platform = "mastodon"`), through Mastodon.py.

* publish → `POST /api/v1/statuses` with `Idempotency-Key` = the outbox key (Mastodon keeps
  keys for an hour, so a retried call returns the first post instead of making a second);
* repost → reblog (a status URL from another instance is resolved first); a repost with a
  comment is not offered (Mastodon has only quotes, 4.5+): `Unsupported`;
* fetch_interactions → mention notifications (DMs among them) followed through their `Link`
  headers, plus the replies under our recent posts read from `/context` (a reply without an
  @mention notifies nobody); the cursor is `m1.<notification id>.<status id>`;
* reply → a status in reply, addressed to its author, keeping a DM a DM;
* moderate → REPORT (`POST /api/v1/reports`) or BLOCK_AUTHOR; an account cannot delete or
  hide others' replies on Mastodon, so DELETE/HIDE go to the caller's fallback or raise
  `Unsupported`, and the result says what was really done;
* rate limits: the client is built with `ratelimit_method="throw"` and a 429 becomes
  `RateLimited` with the time from `Retry-After`/`X-RateLimit-Reset`; timeouts and 5xx are
  `PlatformDown`. See `errors.py`.

The instance is per account (`Credentials.extra["api_base"]`), defaulting to the configured one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests
from django.utils import timezone
from django.utils.translation import gettext as _
from mastodon import Mastodon

from govmatrix.platforms.base import (
    AccountMetrics,
    AccountRef,
    ActionContext,
    AuthExpired,
    Author,
    Capability,
    Credentials,
    Interaction,
    InteractionKind,
    InvalidRequest,
    Limits,
    MediaFile,
    ModerationAction,
    ModerationResult,
    NotFoundOnPlatform,
    Page,
    PostMetrics,
    PublishedPost,
    Unsupported,
    require,
)
from govmatrix.platforms.links.linking import Identity
from govmatrix.platforms.links.streams import Entry, merge
from govmatrix.platforms.mastodon.errors import PLATFORM, HeaderCapture, mapped

CAPABILITIES = frozenset(
    {
        Capability.PUBLISH,
        Capability.PUBLISH_IDEMPOTENT,
        Capability.REPOST,
        Capability.DELETE_OWN_POST,
        Capability.READ_INBOX,
        Capability.READ_DMS,
        Capability.REPLY,
        Capability.REPORT,
        Capability.BLOCK_AUTHOR,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    }
)
# Least privilege: read, post, upload pictures, report and block. Nothing of follows or admin.
SCOPES = ["read", "write:statuses", "write:media", "write:reports", "write:blocks"]
MAX_CHARS = 500  # Mastodon's default; an instance may allow more.
MAX_IMAGES = 4
PAGE_SIZE = 40
METRICS_BATCH = 20
_CURSOR_VERSION = "m1"
_CANNOT_REMOVE = (
    "Mastodon 不允许账号删除或隐藏他人的回复：请改用举报（REPORT，交实例管理员处理），"
    "必要时拉黑作者（BLOCK_AUTHOR，仅影响本账号）；如本机构自建实例，可由管理员在实例后台处理。"
)
_MODERATION_CAPABILITY = {
    ModerationAction.DELETE: Capability.DELETE_COMMENT,
    ModerationAction.HIDE: Capability.HIDE_COMMENT,
    ModerationAction.REPORT: Capability.REPORT,
    ModerationAction.BLOCK_AUTHOR: Capability.BLOCK_AUTHOR,
}
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)


def html_to_text(content: str) -> str:
    """A status's sanitised HTML as plain text (Mastodon returns no source text on reads)."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", content or ""))).strip()


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return timezone.now()


def _loopback(url: str) -> bool:
    from urllib.parse import urlparse

    return (urlparse(url).hostname or "") in {"127.0.0.1", "localhost", "::1"}


@dataclass
class _Api:
    client: Mastodon
    capture: HeaderCapture
    account_id: str


class MastodonConnector:
    platform: ClassVar[str] = PLATFORM

    def __init__(
        self,
        *,
        default_base: str = "",
        timeout: float = 15.0,
        context_posts: int = 20,
        allow_http: bool = False,
    ) -> None:
        self.default_base = default_base.rstrip("/")
        self.timeout = timeout
        self.context_posts = context_posts
        self.allow_http = allow_http

    # --- what the platform can do ---------------------------------------------------------
    def capabilities(self) -> frozenset[Capability]:
        return CAPABILITIES

    def limits(self) -> Limits:
        return Limits(max_chars=MAX_CHARS, max_images=MAX_IMAGES)

    # --- clients ------------------------------------------------------------------------------
    def client(
        self, api_base: str, *, access_token: str | None = None, **kwargs: Any
    ) -> tuple[Mastodon, HeaderCapture]:
        capture = HeaderCapture()
        session = requests.Session()
        session.hooks["response"].append(capture.hook)
        client = Mastodon(
            access_token=access_token,
            api_base_url=api_base,
            ratelimit_method="throw",
            request_timeout=self.timeout,
            session=session,
            version_check_mode="none",
            **kwargs,
        )
        return client, capture

    def _api(self, account: AccountRef) -> _Api:
        creds = account.credentials
        if creds is None or not creds.access_token or not account.external_id:
            raise AuthExpired(
                _("账号 %(handle)s 尚未接入 Mastodon：请在“平台接入”中完成授权。")
                % {"handle": account.handle},
                platform=PLATFORM,
                code="not_linked",
            )
        base = creds.extra.get("api_base") or self.default_base
        if not base:
            raise InvalidRequest(_("未配置 Mastodon 实例地址。"), platform=PLATFORM)
        client, capture = self.client(base, access_token=creds.access_token)
        return _Api(client=client, capture=capture, account_id=account.external_id)

    @contextmanager
    def _calling(self, account: AccountRef, capability: Capability) -> Iterator[_Api]:
        api = self._api(account)
        with mapped(capability, api.capture):
            yield api

    # --- authorisation (per instance; see links.services) ----------------------------------------
    def _oauth_http(self, api_base: str) -> bool:
        return self.allow_http or _loopback(api_base)

    def register_app(
        self, api_base: str, *, redirect_uri: str, website: str = ""
    ) -> tuple[str, str]:
        capture = HeaderCapture()
        with mapped(Capability.ACCOUNT_METRICS, capture):
            client_id, client_secret = Mastodon.create_app(
                "GovMatrix",
                scopes=SCOPES,
                redirect_uris=redirect_uri,
                website=website or None,
                api_base_url=api_base,
                request_timeout=self.timeout,
            )
        return str(client_id), str(client_secret)

    def authorize_url(
        self, api_base: str, *, client_id: str, client_secret: str, redirect_uri: str, state: str
    ) -> str:
        client, capture = self.client(api_base, client_id=client_id, client_secret=client_secret)
        with mapped(Capability.ACCOUNT_METRICS, capture):
            return str(
                client.auth_request_url(
                    redirect_uris=redirect_uri,
                    scopes=SCOPES,
                    state=state,
                    force_login=True,
                    allow_http=self._oauth_http(api_base),
                )
            )

    def exchange_code(
        self, api_base: str, *, client_id: str, client_secret: str, code: str, redirect_uri: str
    ) -> Identity:
        client, capture = self.client(api_base, client_id=client_id, client_secret=client_secret)
        with mapped(Capability.ACCOUNT_METRICS, capture):
            token = client.log_in(
                code=code,
                redirect_uri=redirect_uri,
                scopes=SCOPES,
                allow_http=self._oauth_http(api_base),
            )
        return self.identity(api_base, str(token))

    def identity(self, api_base: str, access_token: str) -> Identity:
        """Who a token acts as: checks a token the office pasted, or one just issued."""
        client, capture = self.client(api_base, access_token=access_token)
        with mapped(Capability.ACCOUNT_METRICS, capture):
            me = client.account_verify_credentials()
        return Identity(
            external_id=str(me["id"]),
            handle=str(me["acct"]),
            display_name=str(me.get("display_name") or me["acct"]),
            credentials=Credentials(access_token=access_token, extra={"api_base": api_base}),
            api_base=api_base,
            scopes=" ".join(SCOPES),
        )

    def revoke(self, credentials: Credentials) -> None:
        base = credentials.extra.get("api_base") or self.default_base
        client, capture = self.client(base, access_token=credentials.access_token)
        with mapped(Capability.ACCOUNT_METRICS, capture):
            client.revoke_access_token(allow_http=self._oauth_http(base))

    def verify(self, account: AccountRef) -> Author:
        with self._calling(account, Capability.ACCOUNT_METRICS) as api:
            return _author(api.client.account_verify_credentials())

    # --- publishing ---------------------------------------------------------------------------
    def publish(
        self,
        account: AccountRef,
        text: str,
        ctx: ActionContext,
        *,
        media: Sequence[MediaFile] = (),
        in_reply_to_id: str | None = None,
    ) -> PublishedPost:
        require(self, Capability.PUBLISH, instead="")
        with self._calling(account, Capability.PUBLISH) as api:
            media_ids = [
                api.client.media_post(m.content, mime_type=m.content_type, file_name=m.filename)[
                    "id"
                ]
                for m in media
            ]
            status = api.client.status_post(
                text,
                in_reply_to_id=in_reply_to_id or None,
                media_ids=media_ids or None,
                visibility="public",
                idempotency_key=ctx.idempotency_key,
            )
        return self._published(status, account, text=text)

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost:
        require(self, Capability.REPOST, instead="")
        if comment:
            require(
                self,
                Capability.REPOST_WITH_COMMENT,
                instead="Mastodon 的转嘟不能附言：请先转嘟，再另发一条嘟文写明意见并附上原嘟文链接。",
            )
        with self._calling(account, Capability.REPOST) as api:
            target = str(post_id)
            if target.startswith(("http://", "https://")):
                # A post on another instance: our instance must know it before it can be boosted.
                found = api.client.search_v2(q=target, resolve=True, result_type="statuses")
                statuses = found.get("statuses") or []
                if not statuses:
                    raise NotFoundOnPlatform(
                        _("本实例找不到这条嘟文：%(url)s") % {"url": target}, platform=PLATFORM
                    )
                target = str(statuses[0]["id"])
            boost = api.client.status_reblog(target, visibility="public")
        original = boost.get("reblog") or {}
        return PublishedPost(
            platform=PLATFORM,
            id=str(boost["id"]),
            account_handle=account.handle,
            text="",
            url=str(original.get("url") or boost.get("url") or "") or None,
            created_at=_utc(boost.get("created_at")),
            repost_of_id=str(original["id"]) if original else target,
            raw={"id": str(boost["id"]), "reblog_of": str(original.get("id", target))},
        )

    def delete_post(self, account: AccountRef, post_id: str, ctx: ActionContext) -> None:
        require(self, Capability.DELETE_OWN_POST, instead="")
        with self._calling(account, Capability.DELETE_OWN_POST) as api:
            api.client.status_delete(str(post_id))

    # --- answering and moderating -------------------------------------------------------------
    def reply(
        self, account: AccountRef, interaction_id: str, text: str, ctx: ActionContext
    ) -> Interaction:
        require(self, Capability.REPLY, instead="")
        with self._calling(account, Capability.REPLY) as api:
            target = api.client.status(str(interaction_id))
            acct = str(target["account"]["acct"])
            body = text if text.lstrip().startswith(f"@{acct}") else f"@{acct} {text}"
            visibility = (
                target.get("visibility")
                if target.get("visibility") in ("direct", "private")
                else "public"
            )
            status = api.client.status_post(
                body,
                in_reply_to_id=str(target["id"]),
                visibility=visibility,
                idempotency_key=ctx.idempotency_key,
            )
        kind = InteractionKind.DM if visibility == "direct" else InteractionKind.COMMENT
        # Our reply sits in the thread of the post the citizen answered.
        thread = str(target.get("in_reply_to_id") or target["id"])
        return self._interaction(status, kind, account, post_id=thread, text=body)

    def moderate(
        self,
        account: AccountRef,
        interaction_id: str,
        action: ModerationAction,
        ctx: ActionContext,
        *,
        reason: str,
        fallback: Sequence[ModerationAction] = (),
    ) -> ModerationResult:
        for candidate in [action, *fallback]:
            if _MODERATION_CAPABILITY[candidate] not in CAPABILITIES:
                continue
            with self._calling(account, _MODERATION_CAPABILITY[candidate]) as api:
                target = api.client.status(str(interaction_id))
                author = target["account"]
                if str(author["id"]) == api.account_id:
                    raise InvalidRequest(
                        _("这是本账号自己的嘟文，不能举报或拉黑。"), platform=PLATFORM
                    )
                if candidate == ModerationAction.REPORT:
                    report = api.client.report(
                        author["id"],
                        status_ids=[target["id"]],
                        comment=(reason or _("政务账号举报有害回复"))[:1000],
                        category="other",
                        # A remote author's own instance hears of it too, anonymously.
                        forward="@" in str(author["acct"]),
                    )
                    ref, note = (
                        str(report["id"]),
                        _("已向实例管理员举报（举报编号 %(id)s），由管理员决定是否处理。"),
                    )
                    ref_note = note % {"id": report["id"]}
                else:
                    api.client.account_block(author["id"])
                    ref = str(author["id"])
                    ref_note = _(
                        "已拉黑作者：对方不能再回复或提及本账号；已发布的回复在他人看来仍然可见。"
                    )
            if candidate != action:
                ref_note = _("Mastodon 不能%(requested)s他人的回复，改为：%(done)s") % {
                    "requested": _verb(action),
                    "done": ref_note,
                }
            return ModerationResult(
                requested=action, applied=candidate, platform_ref=ref, note=ref_note
            )
        raise Unsupported(_MODERATION_CAPABILITY[action], instead=_CANNOT_REMOVE, platform=PLATFORM)

    # --- listening ------------------------------------------------------------------------------
    def fetch_interactions(
        self, account: AccountRef, *, since_cursor: str | None, limit: int = 50
    ) -> Page[Interaction]:
        require(self, Capability.READ_INBOX, instead="")
        limit = max(1, min(limit, 500))
        after_notification, after_status = _parse_cursor(since_cursor)
        with self._calling(account, Capability.READ_INBOX) as api:
            mentions = self._mentions_after(api, after_notification, limit)
            replies = self._replies_after(api, after_status, limit)
        streams = [
            [
                Entry(
                    at=_utc(n["status"]["created_at"]),
                    tiebreak=int(n["status"]["id"]),
                    key=str(n["status"]["id"]),
                    position=str(n["id"]),
                    item=self._interaction(
                        n["status"], self._kind(n["status"], api.account_id), account
                    ),
                )
                for n in mentions
            ],
            [
                Entry(
                    at=_utc(status["created_at"]),
                    tiebreak=int(status["id"]),
                    key=str(status["id"]),
                    position=str(status["id"]),
                    item=self._interaction(status, InteractionKind.COMMENT, account, post_id=root),
                )
                for root, status in replies
            ],
        ]
        merged = merge(streams, limit=limit)
        positions = [
            int(last) if last is not None else before
            for last, before in zip(
                merged.last_positions, (after_notification, after_status), strict=True
            )
        ]
        return Page(
            items=merged.items, next_cursor=f"{_CURSOR_VERSION}.{positions[0]}.{positions[1]}"
        )

    def _mentions_after(self, api: _Api, after: int, limit: int) -> list[Any]:
        """Mention notifications after `after`, oldest first, following the `Link` header.

        `min_id` asks for the page just after the cursor; Mastodon.py's `fetch_previous`
        follows the answer's `Link: <…min_id=…>; rel="prev"` to the next newer page.
        """
        collected: dict[int, Any] = {}
        page = api.client.notifications(types=["mention"], min_id=str(after), limit=PAGE_SIZE)
        while page:
            for notification in page:
                if notification.get("status") and int(notification["id"]) > after:
                    collected[int(notification["id"])] = notification
            if len(page) < PAGE_SIZE or len(collected) >= limit:
                break
            page = api.client.fetch_previous(page)
        return [collected[key] for key in sorted(collected)][:limit]

    def _replies_after(self, api: _Api, after: int, limit: int) -> list[tuple[str, Any]]:
        """Replies under our recent posts that mention nobody of ours (those notify), oldest first."""
        found: dict[int, tuple[str, Any]] = {}
        posts = api.client.account_statuses(
            api.account_id, exclude_reblogs=True, limit=self.context_posts
        )
        for post in posts:
            if not post.get("replies_count"):
                continue
            for status in api.client.status_context(post["id"])["descendants"]:
                if (
                    int(status["id"]) > after
                    and str(status["account"]["id"]) != api.account_id
                    and status.get("visibility") != "direct"
                    and not any(
                        str(m["id"]) == api.account_id for m in status.get("mentions") or []
                    )
                ):
                    found[int(status["id"])] = (str(post["id"]), status)
        return [found[key] for key in sorted(found)][:limit]

    @staticmethod
    def _kind(status: Mapping[str, Any], account_id: str) -> InteractionKind:
        if status.get("visibility") == "direct":
            return InteractionKind.DM
        if str(status.get("in_reply_to_account_id") or "") == account_id:
            return InteractionKind.COMMENT
        return InteractionKind.MENTION

    # --- metrics --------------------------------------------------------------------------------
    def post_metrics(self, account: AccountRef, post_ids: Sequence[str]) -> dict[str, PostMetrics]:
        require(self, Capability.POST_METRICS, instead="")
        ids = list(dict.fromkeys(str(p) for p in post_ids if str(p).isdigit()))
        now = timezone.now()
        found: list[Any] = []
        with self._calling(account, Capability.POST_METRICS) as api:
            for start in range(0, len(ids), METRICS_BATCH):
                found.extend(api.client.statuses(ids[start : start + METRICS_BATCH]))
        return {
            str(s["id"]): PostMetrics(
                post_id=str(s["id"]),
                reposts=int(s.get("reblogs_count") or 0),
                comments=int(s.get("replies_count") or 0),
                likes=int(s.get("favourites_count") or 0),
                fetched_at=now,
            )
            for s in found
        }

    def account_metrics(self, account: AccountRef) -> AccountMetrics:
        require(self, Capability.ACCOUNT_METRICS, instead="")
        with self._calling(account, Capability.ACCOUNT_METRICS) as api:
            me = api.client.account_verify_credentials()
        return AccountMetrics(
            handle=account.handle,
            followers=int(me.get("followers_count") or 0),
            following=int(me.get("following_count") or 0),
            posts=int(me.get("statuses_count") or 0),
            fetched_at=timezone.now(),
        )

    # --- shapes ---------------------------------------------------------------------------------
    def _published(
        self, status: Mapping[str, Any], account: AccountRef, *, text: str
    ) -> PublishedPost:
        return PublishedPost(
            platform=PLATFORM,
            id=str(status["id"]),
            account_handle=account.handle,
            text=text,
            url=str(status.get("url") or "") or None,
            created_at=_utc(status.get("created_at")),
            repost_of_id=None,
            in_reply_to_id=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
            raw={"id": str(status["id"]), "visibility": status.get("visibility")},
        )

    def _interaction(
        self,
        status: Mapping[str, Any],
        kind: InteractionKind,
        account: AccountRef,
        *,
        post_id: str | None = None,
        text: str | None = None,
    ) -> Interaction:
        parent = str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None
        root = post_id or parent
        return Interaction(
            platform=PLATFORM,
            id=str(status["id"]),
            kind=kind,
            account_handle=account.handle,
            post_id=root,
            parent_id=parent if parent != root else None,
            author=_author(status["account"]),
            text=text if text is not None else html_to_text(str(status.get("content", ""))),
            created_at=_utc(status.get("created_at")),
            url=str(status.get("url") or "") or None,
            raw={
                "id": str(status["id"]),
                "visibility": status.get("visibility"),
                "in_reply_to_id": parent,
            },
        )


def _author(account: Mapping[str, Any]) -> Author:
    return Author(
        platform_user_id=str(account["id"]),
        handle=str(account.get("acct") or account.get("username") or account["id"]),
        display_name=str(account.get("display_name") or account.get("acct") or ""),
    )


def _verb(action: ModerationAction) -> str:
    return {
        ModerationAction.DELETE: _("删除"),
        ModerationAction.HIDE: _("隐藏"),
        ModerationAction.REPORT: _("举报"),
        ModerationAction.BLOCK_AUTHOR: _("拉黑"),
    }[action]


def _parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    parts = cursor.split(".")
    if (
        len(parts) != 3
        or parts[0] != _CURSOR_VERSION
        or not all(p.isascii() and p.isdigit() for p in parts[1:])
    ):
        raise InvalidRequest(
            _("无法识别的游标：%(cursor)s") % {"cursor": cursor}, platform=PLATFORM
        )
    return int(parts[1]), int(parts[2])
