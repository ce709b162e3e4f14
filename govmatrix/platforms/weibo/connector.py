"""The Weibo Open API v2 connector (`platform = "weibo"`).

Calls and what they do (platform-apis.md §1):

* publish → `statuses/share` (the safe-domain link appended, `rip` = the operator's IP);
  repost → `statuses/repost`; delete_post → `statuses/destroy`;
* fetch_interactions → `comments/to_me` + `comments/mentions` (each with its own `since_id`)
  + direct messages that the fan-service platform pushed to our webhook, merged in time order;
* reply → `comments/reply`; moderate(DELETE) → `comments/destroy` (comments under our own posts);
* post_metrics → `statuses/count` in batches of 100; account_metrics → `users/show`;
* authorisation: `oauth2/authorize`, `oauth2/access_token`, `oauth2/revokeoauth2`.

**No double posts.** Weibo takes no idempotency key. When a write may have taken effect
without our hearing so (a timeout after sending, a 5xx, a system error, 20032 "posted, server
slow") or when Weibo says the text repeats (20017/20019/20111), the connector reads the
account's own timeline (or the post's comments) for the same text and raises
`Duplicate(existing_id=…)` when it is there, so the outbox records that post instead of
making a second one. Not there after an ambiguous failure: `PlatformDown`, retried later —
and should the first write surface meanwhile, the retry meets 20019 and is reconciled too.

Ids it hands out: a post is Weibo's `idstr`; a comment is `comment:<post idstr>:<comment
idstr>` (a reply needs both); a pushed direct message is `dm:<digest>`. The interaction
cursor is `w1.<to_me since_id>.<mentions since_id>.<last pushed message seq>`.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlparse

from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.platforms.base import (
    AccountMetrics,
    AccountRef,
    ActionContext,
    AuthExpired,
    Author,
    Capability,
    ConnectorError,
    ContentRejected,
    Credentials,
    Duplicate,
    Interaction,
    InteractionKind,
    InvalidRequest,
    Limits,
    MediaFile,
    ModerationAction,
    ModerationResult,
    NotFoundOnPlatform,
    Page,
    PlatformDown,
    PostMetrics,
    PublishedPost,
    Unsupported,
    require,
)
from govmatrix.platforms.links.linking import Identity
from govmatrix.platforms.links.streams import Entry, merge
from govmatrix.platforms.weibo import text as rules
from govmatrix.platforms.weibo.budget import Budget
from govmatrix.platforms.weibo.client import (
    DEFAULT_BASE,
    Files,
    WeiboCallError,
    WeiboClient,
    WeiboTransportError,
)
from govmatrix.platforms.weibo.errors import (
    AMBIGUOUS_CODES,
    DUPLICATE_CODES,
    PLATFORM,
    as_int,
    error_for,
)
from govmatrix.platforms.weibo.push import PushedMessage, verify_and_parse

logger = logging.getLogger(__name__)
T = TypeVar("T")

CAPABILITIES = frozenset(
    {
        Capability.PUBLISH,
        Capability.REPOST,
        Capability.REPOST_WITH_COMMENT,
        Capability.DELETE_OWN_POST,
        Capability.READ_INBOX,
        Capability.READ_DMS,
        Capability.REPLY,
        Capability.DELETE_COMMENT,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    }
)
_INSTEAD = {
    Capability.HIDE_COMMENT: "微博开放平台没有隐藏评论的接口：请改用删除（仅限本账号微博下的评论），"
    "或由运维人员在微博客户端内处理。",
    Capability.REPORT: "微博开放平台没有举报接口：请由运维人员在微博客户端内举报，"
    "或对本账号微博下的评论改用删除。",
    Capability.BLOCK_AUTHOR: "微博开放平台没有拉黑接口：请由运维人员在微博客户端内拉黑该用户。",
}
_MODERATION_CAPABILITY = {
    ModerationAction.DELETE: Capability.DELETE_COMMENT,
    ModerationAction.HIDE: Capability.HIDE_COMMENT,
    ModerationAction.REPORT: Capability.REPORT,
    ModerationAction.BLOCK_AUTHOR: Capability.BLOCK_AUTHOR,
}
_CURSOR_VERSION = "w1"
# How far back our own timeline is read to recognise a post that may already exist.
RECONCILE_COUNT = 50
PAGE_SIZE = 100
MAX_PAGES = 50
COUNT_BATCH = 100


@dataclass(frozen=True)
class _CommentRef:
    post_id: str
    comment_id: str


def comment_ref(post_id: str, comment_id: str) -> str:
    return f"comment:{post_id}:{comment_id}"


def _parse_ref(interaction_id: str) -> _CommentRef | str:
    """A comment's two ids, or the digest of a pushed message."""
    parts = str(interaction_id).split(":")
    if len(parts) == 3 and parts[0] == "comment" and parts[1].isdigit() and parts[2].isdigit():
        return _CommentRef(post_id=parts[1], comment_id=parts[2])
    if len(parts) == 2 and parts[0] == "dm" and parts[1]:
        return parts[1]
    raise NotFoundOnPlatform(
        _("无法识别的微博互动编号：%(id)s") % {"id": interaction_id}, platform=PLATFORM
    )


def _idstr(obj: Mapping[str, Any]) -> str:
    return str(obj.get("idstr") or obj.get("id") or "")


class WeiboConnector:
    platform: ClassVar[str] = PLATFORM

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE,
        app_key: str = "",
        app_secret: str = "",
        safe_link: str = "",
        timeout: float = 15.0,
        budget: Budget | None = None,
        client: WeiboClient | None = None,
        pushed: Callable[[str, int, int], Sequence[PushedMessage]] | None = None,
    ) -> None:
        self.client = client or WeiboClient(base_url, timeout=timeout)
        self.app_key = app_key
        self.app_secret = app_secret
        self.safe_link = safe_link
        self.budget = budget
        self._pushed = pushed
        host = urlparse(self.client.base_url).hostname or ""
        # Where a post can be read by a person: Weibo's mobile site, or the simulator itself.
        self.web_base = "https://m.weibo.cn" if host.endswith("weibo.com") else self.client.base_url

    # --- what the platform can do ---------------------------------------------------------
    def capabilities(self) -> frozenset[Capability]:
        return CAPABILITIES

    def limits(self) -> Limits:
        return rules.limits(self.safe_link)

    # --- authorisation ----------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        self._need_app()
        return self.client.oauth_url(
            "authorize",
            {
                "client_id": self.app_key,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "state": state,
                # The browser may be signed in to someone's own Weibo: ask for the official one.
                "forcelogin": "true",
            },
        )

    def exchange_code(self, code: str, *, redirect_uri: str) -> Identity:
        self._need_app()
        with self._errors(Capability.ACCOUNT_METRICS):
            answer = self.client.oauth_post(
                "access_token",
                {
                    "client_id": self.app_key,
                    "client_secret": self.app_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                },
            )
        token = str(answer.get("access_token") or "")
        uid = str(answer.get("uid") or "")
        if not token or not uid:
            raise InvalidRequest(_("微博授权应答缺少令牌或用户编号。"), platform=PLATFORM)
        expires_in = as_int(answer.get("expires_in"))
        credentials = Credentials(
            access_token=token,
            expires_at=timezone.now() + timedelta(seconds=expires_in) if expires_in else None,
        )
        user = self._get(credentials, "users/show", {"uid": uid}, Capability.ACCOUNT_METRICS)
        return Identity(
            external_id=uid,
            handle=str(user.get("screen_name") or uid),
            display_name=str(user.get("name") or user.get("screen_name") or uid),
            credentials=credentials,
            api_base=self.client.base_url,
            scopes=str(answer.get("scope") or ""),
        )

    def revoke(self, credentials: Credentials) -> None:
        """Withdraw the token at Weibo (on unlinking). Best effort: the caller ignores failures."""
        with self._errors(Capability.ACCOUNT_METRICS):
            self.client.oauth_post("revokeoauth2", {"access_token": credentials.access_token})

    def verify(self, account: AccountRef) -> Author:
        creds, uid = self._creds(account)
        user = self._get(creds, "users/show", {"uid": uid}, Capability.ACCOUNT_METRICS)
        return _author(user)

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
        creds, uid = self._creds(account)
        if in_reply_to_id:
            raise InvalidRequest(
                _("微博不能把一条微博发成另一条的续篇：请在正文里引用上一条的链接，或以评论跟进。"),
                platform=PLATFORM,
            )
        if len(media) > 1:
            raise InvalidRequest(_("通过开放接口发布的微博只能带一张图片。"), platform=PLATFORM)
        status = self._prepared(text)
        rip = self._rip(ctx)
        files: Files | None = None
        if media:
            picture = media[0]
            files = {"pic": (picture.filename, picture.content, picture.content_type)}
        self._spend(uid, "post")
        try:
            answer = self._write(
                "statuses/share", creds, {"status": status, "rip": rip}, Capability.PUBLISH, files
            )
        except _MaybeWritten as unsure:
            raise self._reconciled(unsure, self._find_own_post(creds, status)) from unsure.cause
        return self._published(answer, account)

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost:
        require(self, Capability.REPOST, instead="")
        creds, uid = self._creds(account)
        if not str(post_id).isdigit():
            raise NotFoundOnPlatform(
                _("微博编号无效：%(id)s") % {"id": post_id}, platform=PLATFORM, code="20109"
            )
        if comment:
            self._check_text(comment)
        rip = self._rip(ctx)
        self._spend(uid, "post")
        data = {"id": post_id, "status": comment or None, "is_comment": 0, "rip": rip}
        try:
            answer = self._write("statuses/repost", creds, data, Capability.REPOST)
        except _MaybeWritten as unsure:
            raise self._reconciled(
                unsure, self._find_own_repost(creds, str(post_id))
            ) from unsure.cause
        return self._published(answer, account)

    def delete_post(self, account: AccountRef, post_id: str, ctx: ActionContext) -> None:
        require(self, Capability.DELETE_OWN_POST, instead="")
        creds, _uid = self._creds(account)
        if not str(post_id).isdigit():
            raise NotFoundOnPlatform(_("微博编号无效：%(id)s") % {"id": post_id}, platform=PLATFORM)
        with self._errors(Capability.DELETE_OWN_POST):
            self.client.post("statuses/destroy", creds.access_token, {"id": post_id})

    # --- answering and moderating ---------------------------------------------------------------
    def reply(
        self, account: AccountRef, interaction_id: str, text: str, ctx: ActionContext
    ) -> Interaction:
        require(self, Capability.REPLY, instead="")
        creds, uid = self._creds(account)
        target = _parse_ref(interaction_id)
        if not isinstance(target, _CommentRef):
            raise Unsupported(
                Capability.REPLY,
                instead="微博私信只能在粉丝服务平台（或微博客户端）内回复；GovMatrix 尚未接入 messages/reply。",
                platform=PLATFORM,
            )
        self._check_text(text)
        rip = self._rip(ctx)
        self._spend(uid, "comment")
        data = {
            "cid": target.comment_id,
            "id": target.post_id,
            "comment": text,
            "without_mention": 0,
            "rip": rip,
        }
        try:
            answer = self._write("comments/reply", creds, data, Capability.REPLY)
        except _MaybeWritten as unsure:
            found = self._find_own_reply(creds, uid, target, text)
            raise self._reconciled(unsure, found) from unsure.cause
        return self._comment(answer, InteractionKind.COMMENT, account)

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
        creds, _uid = self._creds(account)
        target = _parse_ref(interaction_id)
        skipped: list[str] = []
        for candidate in [action, *fallback]:
            capability = _MODERATION_CAPABILITY[candidate]
            if capability not in CAPABILITIES:
                skipped.append(_INSTEAD[capability])
                continue
            if not isinstance(target, _CommentRef):
                skipped.append(_("私信不能通过开放接口删除。"))
                continue
            with self._errors(Capability.DELETE_COMMENT):
                answer = self.client.post(
                    "comments/destroy", creds.access_token, {"cid": target.comment_id}
                )
            note = _("已删除该评论（微博 comments/destroy）。")
            if candidate != action:
                note = _("微博不能%(requested)s，已改为删除该评论。") % {"requested": _verb(action)}
            return ModerationResult(
                requested=action,
                applied=ModerationAction.DELETE,
                platform_ref=_idstr(answer) or target.comment_id,
                note=note,
            )
        raise Unsupported(
            _MODERATION_CAPABILITY[action],
            instead=" ".join(dict.fromkeys(skipped)),
            platform=PLATFORM,
        )

    # --- listening ----------------------------------------------------------------------------
    def fetch_interactions(
        self, account: AccountRef, *, since_cursor: str | None, limit: int = 50
    ) -> Page[Interaction]:
        require(self, Capability.READ_INBOX, instead="")
        creds, uid = self._creds(account)
        limit = max(1, min(limit, 500))
        to_me, mentions, pushed = _parse_cursor(since_cursor)
        streams: list[list[Entry[Interaction]]] = [
            [
                self._entry(c, InteractionKind.COMMENT, account)
                for c in self._comments_after(creds, "comments/to_me", to_me, limit)
            ],
            [
                self._entry(c, InteractionKind.MENTION, account)
                for c in self._comments_after(creds, "comments/mentions", mentions, limit)
            ],
            [
                Entry(
                    at=m.created_at,
                    # Weibo's times are whole seconds: within one, comments (int64 ids) go first.
                    tiebreak=2**63 + m.seq,
                    key=m.interaction_id,
                    position=str(m.seq),
                    item=self._dm(m, account),
                )
                for m in self._pushed_after(uid, pushed, limit)
            ],
        ]
        merged = merge(streams, limit=limit)
        positions = [
            int(last) if last is not None else before
            for last, before in zip(merged.last_positions, (to_me, mentions, pushed), strict=True)
        ]
        return Page(items=merged.items, next_cursor=_cursor(*positions))

    def ingest_push(
        self, headers: Mapping[str, str], body: bytes, *, query: Mapping[str, str]
    ) -> list[Interaction]:
        """A fan-service push, checked against the app secret; raises `Forbidden` if forged.

        The interactions' `account_handle` is the receiving account's Weibo uid: a push names
        its receiver only by uid, and the caller maps it to our account.
        """
        messages = verify_and_parse(body, query=query, app_secret=self.app_secret)
        return [
            self._dm(message, AccountRef(platform=PLATFORM, handle=message.receiver_id))
            for message in messages
        ]

    # --- metrics --------------------------------------------------------------------------------
    def post_metrics(self, account: AccountRef, post_ids: Sequence[str]) -> dict[str, PostMetrics]:
        require(self, Capability.POST_METRICS, instead="")
        creds, _uid = self._creds(account)
        ids = list(dict.fromkeys(str(p) for p in post_ids if str(p).isdigit()))
        now = timezone.now()
        metrics: dict[str, PostMetrics] = {}
        for start in range(0, len(ids), COUNT_BATCH):
            batch = ids[start : start + COUNT_BATCH]
            rows = self._get(
                creds, "statuses/count", {"ids": ",".join(batch)}, Capability.POST_METRICS
            )
            for row in rows if isinstance(rows, list) else []:
                post_id = _idstr(row)
                metrics[post_id] = PostMetrics(
                    post_id=post_id,
                    reposts=int(row.get("reposts") or 0),
                    comments=int(row.get("comments") or 0),
                    likes=int(row.get("attitudes") or 0),
                    fetched_at=now,
                )
        return metrics

    def account_metrics(self, account: AccountRef) -> AccountMetrics:
        require(self, Capability.ACCOUNT_METRICS, instead="")
        creds, uid = self._creds(account)
        user = self._get(creds, "users/show", {"uid": uid}, Capability.ACCOUNT_METRICS)
        return AccountMetrics(
            handle=account.handle,
            followers=int(user.get("followers_count") or 0),
            following=int(user.get("friends_count") or 0),
            posts=int(user.get("statuses_count") or 0),
            fetched_at=timezone.now(),
        )

    # --- the rules of a write ---------------------------------------------------------------------
    def _prepared(self, text: str) -> str:
        if not self.safe_link:
            raise InvalidRequest(
                _(
                    "未配置微博安全域名链接（WEIBO_SAFE_LINK）：微博要求每条微博带一个该域名下的链接。"
                ),
                platform=PLATFORM,
            )
        if rules.has_hashtag(text):
            raise ContentRejected(
                _("通过开放接口发布的微博不能带 #话题#：请把话题放进所链接的网页，或去掉 # 号。"),
                platform=PLATFORM,
                code="hashtag",
            )
        status = rules.with_safe_link(text, self.safe_link)
        self._check_text(status)
        return status

    def _check_text(self, text: str) -> None:
        if not text.strip():
            raise InvalidRequest(_("内容不能为空。"), platform=PLATFORM, code="20008")
        length = rules.weibo_length(text)
        if length > rules.MAX_CHARS:
            raise ContentRejected(
                _(
                    "微博按字计不能超过 %(max)s 字（两个英文字母或数字算一个字，含链接），现为 %(n)s 字。"
                )
                % {"max": rules.MAX_CHARS, "n": length},
                platform=PLATFORM,
                code="20012",
            )

    def _rip(self, ctx: ActionContext) -> str:
        ip = (ctx.operator_ip or "").strip()
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise InvalidRequest(
                _(
                    "微博要求每次发布、转发和评论都带上批准该操作的工作人员的真实 IP（rip），"
                    "这次操作没有记录到：请由工作人员在系统页面上重新批准后再执行。"
                ),
                platform=PLATFORM,
                code="rip",
            ) from None
        return ip

    def _spend(self, uid: str, kind: str) -> None:
        if self.budget is not None:
            self.budget.spend(uid, kind)

    # --- calls --------------------------------------------------------------------------------------
    def _need_app(self) -> None:
        if not self.app_key or not self.app_secret:
            raise InvalidRequest(
                _("未配置微博应用（WEIBO_APP_KEY / WEIBO_APP_SECRET），不能授权。"),
                platform=PLATFORM,
            )

    def _creds(self, account: AccountRef) -> tuple[Credentials, str]:
        creds = account.credentials
        if creds is None or not creds.access_token or not account.external_id:
            raise AuthExpired(
                _("账号 %(handle)s 尚未授权接入微博：请在“平台接入”中完成授权。")
                % {"handle": account.handle},
                platform=PLATFORM,
                code="not_linked",
            )
        if creds.expires_at is not None and creds.expires_at <= timezone.now():
            raise AuthExpired(
                _("账号 %(handle)s 的微博授权已于 %(when)s 到期：请重新授权。")
                % {
                    "handle": account.handle,
                    "when": timezone.localtime(creds.expires_at).strftime("%Y-%m-%d %H:%M"),
                },
                platform=PLATFORM,
                code="21327",
            )
        return creds, account.external_id

    @contextmanager
    def _errors(self, capability: Capability) -> Iterator[None]:
        try:
            yield
        except WeiboCallError as exc:
            raise error_for(
                exc.code, exc.message, http_status=exc.http_status, capability=capability
            ) from exc
        except WeiboTransportError as exc:
            raise PlatformDown(exc.message, platform=PLATFORM, http_status=exc.http_status) from exc

    def _get(
        self, creds: Credentials, resource: str, params: Mapping[str, Any], capability: Capability
    ) -> Any:
        with self._errors(capability):
            return self.client.get(resource, creds.access_token, params)

    def _write(
        self,
        resource: str,
        creds: Credentials,
        data: Mapping[str, Any],
        capability: Capability,
        files: Files | None = None,
    ) -> Any:
        """A write; raises `_MaybeWritten` when it may have taken effect, or may repeat one."""
        try:
            return self.client.post(resource, creds.access_token, data, files=files)
        except WeiboCallError as exc:
            error = error_for(
                exc.code, exc.message, http_status=exc.http_status, capability=capability
            )
            if exc.code in DUPLICATE_CODES or exc.code in AMBIGUOUS_CODES:
                raise _MaybeWritten(error, exc) from exc
            raise error from exc
        except WeiboTransportError as exc:
            error = PlatformDown(exc.message, platform=PLATFORM, http_status=exc.http_status)
            if exc.ambiguous:
                raise _MaybeWritten(error, exc) from exc
            raise error from exc

    def _reconciled(self, unsure: _MaybeWritten, existing_id: str | None) -> ConnectorError:
        """What to raise after looking for the write that may already exist."""
        if existing_id:
            logger.info("weibo: %s reconciled with existing %s", unsure.error.code, existing_id)
            return Duplicate(
                _("微博上已有这条内容（编号 %(id)s），不再重复发送。") % {"id": existing_id},
                existing_id=existing_id,
                platform=PLATFORM,
                code=unsure.error.code,
                http_status=unsure.error.http_status,
            )
        if isinstance(unsure.error, Duplicate):
            return Duplicate(
                _(
                    "微博认为内容重复（%(message)s），但在本账号最近的微博里没有找到它：请修改内容后再发。"
                )
                % {"message": unsure.error.message},
                existing_id=None,
                platform=PLATFORM,
                code=unsure.error.code,
                http_status=unsure.error.http_status,
            )
        # Not there (yet): a retry is safe — Weibo refuses the same text twice, and we reconcile again.
        return PlatformDown(
            _("微博未确认（%(message)s），且尚未在本账号的微博里看到这条内容：稍后重试。")
            % {"message": unsure.error.message},
            platform=PLATFORM,
            code=unsure.error.code,
            http_status=unsure.error.http_status,
        )

    # --- reconciliation -----------------------------------------------------------------------
    def _timeline(self, creds: Credentials) -> list[dict[str, Any]]:
        answer = self._get(
            creds, "statuses/user_timeline", {"count": RECONCILE_COUNT}, Capability.PUBLISH
        )
        return list(answer.get("statuses") or [])

    def _find_own_post(self, creds: Credentials, status: str) -> str | None:
        wanted = rules.normalised(status)
        for post in self._timeline(creds):
            if (
                not post.get("retweeted_status")
                and rules.normalised(str(post.get("text", ""))) == wanted
            ):
                return _idstr(post)
        return None

    def _find_own_repost(self, creds: Credentials, original_id: str) -> str | None:
        for post in self._timeline(creds):
            original = post.get("retweeted_status") or {}
            if original and _idstr(original) == original_id:
                return _idstr(post)
        return None

    def _find_own_reply(
        self, creds: Credentials, uid: str, target: _CommentRef, text: str
    ) -> str | None:
        answer = self._get(
            creds, "comments/show", {"id": target.post_id, "count": 200}, Capability.REPLY
        )
        wanted = rules.normalised(text)
        for comment in answer.get("comments") or []:
            author = _idstr(comment.get("user") or {})
            parent = _idstr(comment.get("reply_comment") or {})
            if (
                author == uid
                and parent == target.comment_id
                and rules.normalised(str(comment.get("text", ""))).endswith(wanted)
            ):
                return comment_ref(target.post_id, _idstr(comment))
        return None

    # --- reading the inbox --------------------------------------------------------------------
    def _comments_after(
        self, creds: Credentials, resource: str, since_id: int, limit: int
    ) -> list[dict[str, Any]]:
        """Every comment after `since_id`, oldest first.

        Weibo answers newest first, so this pages backwards (max_id) until it reaches since_id:
        taking only the newest page would skip the older ones whenever more than a page arrived.
        """
        collected: dict[int, dict[str, Any]] = {}
        max_id: int | None = None
        for _page in range(MAX_PAGES):
            params: dict[str, Any] = {"since_id": since_id, "count": PAGE_SIZE}
            if max_id is not None:
                params["max_id"] = max_id
            answer = self._get(creds, resource, params, Capability.READ_INBOX)
            batch = [c for c in answer.get("comments") or [] if as_int(c.get("id")) is not None]
            for comment in batch:
                collected[int(comment["id"])] = comment
            if len(batch) < PAGE_SIZE:
                break
            max_id = min(int(c["id"]) for c in batch) - 1
            if max_id <= since_id:
                break
        else:
            logger.warning(
                "weibo: %s has more than %s pages after %s", resource, MAX_PAGES, since_id
            )
        return [collected[key] for key in sorted(collected) if key > since_id]

    def _entry(
        self, comment: dict[str, Any], kind: InteractionKind, account: AccountRef
    ) -> Entry[Interaction]:
        interaction = self._comment(comment, kind, account)
        return Entry(
            at=interaction.created_at,
            tiebreak=int(comment["id"]),
            key=interaction.id,
            position=str(int(comment["id"])),
            item=interaction,
        )

    def _pushed_after(self, uid: str, after: int, limit: int) -> Sequence[PushedMessage]:
        if self._pushed is None:
            from govmatrix.platforms.links.selectors import pushed_messages_after

            return pushed_messages_after(PLATFORM, uid, after, limit)
        return self._pushed(uid, after, limit)

    # --- shapes ---------------------------------------------------------------------------------
    def post_url(self, post: Mapping[str, Any]) -> str:
        return f"{self.web_base}/status/{_idstr(post)}"

    def _published(self, status: Mapping[str, Any], account: AccountRef) -> PublishedPost:
        original = status.get("retweeted_status") or None
        return PublishedPost(
            platform=PLATFORM,
            id=_idstr(status),
            account_handle=account.handle,
            text=str(status.get("text", "")),
            url=self.post_url(status),
            created_at=_time(status),
            repost_of_id=_idstr(original) if original else None,
            in_reply_to_id=None,
            raw=dict(status),
        )

    def _comment(
        self, comment: Mapping[str, Any], kind: InteractionKind, account: AccountRef
    ) -> Interaction:
        status = comment.get("status") or {}
        post_id = _idstr(status)
        parent = comment.get("reply_comment") or None
        return Interaction(
            platform=PLATFORM,
            id=comment_ref(post_id, _idstr(comment)),
            kind=kind,
            account_handle=account.handle,
            post_id=post_id or None,
            parent_id=comment_ref(post_id, _idstr(parent)) if parent else None,
            author=_author(comment.get("user") or {}),
            text=str(comment.get("text", "")),
            created_at=_time(comment),
            url=self.post_url(status) if post_id else None,
            raw=dict(comment),
        )

    def _dm(self, message: PushedMessage, account: AccountRef) -> Interaction:
        return Interaction(
            platform=PLATFORM,
            id=message.interaction_id,
            kind=InteractionKind.DM,
            account_handle=account.handle,
            post_id=None,
            parent_id=None,
            author=Author(
                platform_user_id=message.sender_id,
                handle=message.sender_name or message.sender_id,
                display_name=message.sender_name or message.sender_id,
            ),
            text=message.text,
            created_at=message.created_at,
            url=None,
            raw=dict(message.raw),
        )


class _MaybeWritten(Exception):
    """Internal: a write whose effect is unknown, or that Weibo calls a repeat."""

    def __init__(self, error: ConnectorError, cause: Exception) -> None:
        super().__init__(error.message)
        self.error = error
        self.cause = cause


def _verb(action: ModerationAction) -> str:
    return {
        ModerationAction.DELETE: _("删除"),
        ModerationAction.HIDE: _("隐藏"),
        ModerationAction.REPORT: _("举报"),
        ModerationAction.BLOCK_AUTHOR: _("拉黑作者"),
    }[action]


def _author(user: Mapping[str, Any]) -> Author:
    uid = _idstr(user)
    screen_name = str(user.get("screen_name") or uid)
    return Author(
        platform_user_id=uid, handle=screen_name, display_name=str(user.get("name") or screen_name)
    )


def _time(obj: Mapping[str, Any]) -> datetime:
    try:
        return rules.parse_time(str(obj.get("created_at", "")))
    except ValueError:
        return timezone.now()


def _cursor(to_me: int, mentions: int, pushed: int) -> str:
    return f"{_CURSOR_VERSION}.{to_me}.{mentions}.{pushed}"


def _parse_cursor(cursor: str | None) -> tuple[int, int, int]:
    if not cursor:
        return 0, 0, 0
    parts = cursor.split(".")
    if (
        len(parts) != 4
        or parts[0] != _CURSOR_VERSION
        or not all(p.isascii() and p.isdigit() for p in parts[1:])
    ):
        raise InvalidRequest(
            _("无法识别的游标：%(cursor)s") % {"cursor": cursor}, platform=PLATFORM
        )
    return int(parts[1]), int(parts[2]), int(parts[3])
