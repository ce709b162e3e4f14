"""The simulator's state and the rules it enforces, with no web framework in sight.

Every operation takes the calling user (already authenticated by the app) and either returns
the documented JSON shape or raises `WeiboError` with the documented code and message
(platform-apis.md §1). One lock guards the whole world: it is small and calls are short.
"""

from __future__ import annotations

import copy
import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from govmatrix.platforms.weibo.text import (
    MAX_CHARS,
    format_time,
    has_hashtag,
    has_link_under,
    weibo_length,
)

# Which limit each writing endpoint spends (10024 names the endpoint).
POSTING = frozenset({"statuses/share", "statuses/repost"})
COMMENTING = frozenset({"comments/create", "comments/reply"})


class WeiboError(Exception):
    def __init__(self, code: int, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


@dataclass
class SimConfig:
    app_key: str = "govmatrix-demo"
    app_secret: str = "govmatrix-demo-app-secret"  # noqa: S105 - the simulator's own demo app
    safe_domain: str = "www.sfq.gov.cn"
    token_ttl: int = 30 * 86400
    calls_per_hour: int = 1000
    posts_per_hour: int = 30
    comments_per_hour: int = 60
    ip_calls_per_hour: int = 15000
    # More posts than this within a minute: 20016, Weibo's "posting too frequently".
    burst_posts_per_minute: int = 10
    duplicate_window_seconds: int = 86400
    webhook_url: str = ""
    users: list[dict[str, Any]] = field(default_factory=list)


DEFAULT_USERS: list[dict[str, Any]] = [
    {"screen_name": "示范区发布", "verified": True, "followers_count": 182000},
    {"screen_name": "示范区东城街道", "verified": True, "followers_count": 23000},
    {"screen_name": "示范区西城街道", "verified": True, "followers_count": 18000},
    {"screen_name": "热心市民小王", "followers_count": 120},
    {"screen_name": "东城居民老李", "followers_count": 45},
]


@dataclass
class User:
    uid: int
    screen_name: str
    name: str
    verified: bool = False
    followers_count: int = 0
    friends_count: int = 0
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Status:
    id: int
    uid: int
    text: str
    created_at: datetime
    retweeted_id: int | None = None
    deleted: bool = False
    attitudes: int = 0
    has_picture: bool = False


@dataclass
class Comment:
    id: int
    status_id: int
    uid: int
    text: str
    created_at: datetime
    reply_to: int | None = None
    deleted: bool = False


@dataclass
class Token:
    uid: int
    expires_at: datetime
    revoked: bool = False


def _mentions(text: str, screen_name: str) -> bool:
    return re.search(rf"@{re.escape(screen_name)}(?![\w\u4e00-\u9fff-])", text) is not None


class World:
    def __init__(self, config: SimConfig | None = None) -> None:
        self._initial = copy.deepcopy(config or SimConfig())
        self.lock = threading.RLock()
        self.reset()

    # --- state ------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the start: the configuration given at start-up, its users, nothing else."""
        with self.lock:
            self.config = copy.deepcopy(self._initial)
            self.users: dict[int, User] = {}
            self.statuses: dict[int, Status] = {}
            self.comments: dict[int, Comment] = {}
            self.tokens: dict[str, Token] = {}
            self.codes: dict[str, tuple[int, str, datetime]] = {}
            self.counters: dict[tuple[str, str, str], int] = {}
            self.post_times: dict[int, list[float]] = {}
            self.bound_webhooks: set[str] = set()
            self._last_id = 0
            self._next_uid = 5_000_000_001
            for spec in self.config.users or DEFAULT_USERS:
                self.user_create(**spec)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def next_id(self) -> int:
        """Time-ordered int64 ids, 16 digits like Weibo's mids."""
        self._last_id = max(self._last_id + 1, int(time.time() * 1000) * 1000)
        return self._last_id

    # --- users and tokens ---------------------------------------------------------------------
    def user_create(
        self,
        screen_name: str,
        name: str = "",
        verified: bool = False,
        followers_count: int = 0,
        friends_count: int = 0,
    ) -> User:
        with self.lock:
            existing = self.user_by_name(screen_name)
            if existing is not None:
                return existing
            user = User(
                uid=self._next_uid,
                screen_name=screen_name,
                name=name or screen_name,
                verified=verified,
                followers_count=followers_count,
                friends_count=friends_count,
            )
            self._next_uid += 1
            self.users[user.uid] = user
            return user

    def user_by_name(self, screen_name: str) -> User | None:
        return next((u for u in self.users.values() if u.screen_name == screen_name), None)

    def user(self, uid: Any) -> User:
        try:
            found = self.users.get(int(uid))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise WeiboError(20003, "User does not exists!")
        return found

    def find_user(self, *, uid: Any = None, screen_name: Any = None) -> User:
        if uid not in (None, ""):
            return self.user(uid)
        if screen_name:
            found = self.user_by_name(str(screen_name))
            if found is None:
                raise WeiboError(20003, "User does not exists!")
            return found
        raise WeiboError(10016, "miss required parameter (uid), see doc for more info.")

    def token_issue(self, uid: int, ttl: int | None = None) -> tuple[str, int]:
        with self.lock:
            ttl = self.config.token_ttl if ttl is None else ttl
            token = "2.00" + secrets.token_hex(16)
            self.tokens[token] = Token(uid=uid, expires_at=self.now() + timedelta(seconds=ttl))
            return token, ttl

    def authenticate(self, token: str) -> User:
        with self.lock:
            if not token:
                raise WeiboError(21301, "auth faild!", 401)
            found = self.tokens.get(token)
            if found is None:
                raise WeiboError(21332, "invalid_access_token", 401)
            if found.revoked:
                raise WeiboError(21316, "Token revoked", 401)
            if found.expires_at <= self.now():
                raise WeiboError(21327, "expired_token", 401)
            return self.user(found.uid)

    def tokens_expire(self, *, token: str = "", uid: int | None = None) -> int:
        with self.lock:
            hit = [
                t
                for key, t in self.tokens.items()
                if key == token or (uid is not None and t.uid == uid)
            ]
            for t in hit:
                t.expires_at = self.now() - timedelta(seconds=1)
            return len(hit)

    # --- OAuth --------------------------------------------------------------------------------
    def code_issue(self, *, client_id: str, redirect_uri: str, uid: int) -> str:
        with self.lock:
            if client_id != self.config.app_key:
                raise WeiboError(21324, "invalid_client")
            self.user(uid)
            code = secrets.token_hex(16)
            self.codes[code] = (uid, redirect_uri, self.now() + timedelta(minutes=10))
            return code

    def code_exchange(self, form: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            if (
                form.get("client_id") != self.config.app_key
                or form.get("client_secret") != self.config.app_secret
            ):
                raise WeiboError(21324, "invalid_client")
            if form.get("grant_type") != "authorization_code":
                raise WeiboError(21328, "unsupported_grant_type")
            entry = self.codes.pop(str(form.get("code", "")), None)
            if entry is None or entry[2] <= self.now():
                raise WeiboError(21325, "invalid_grant")
            uid, redirect_uri, _expires = entry
            if form.get("redirect_uri") != redirect_uri:
                raise WeiboError(21322, "redirect_uri_mismatch")
            token, ttl = self.token_issue(uid)
            return {
                "access_token": token,
                "expires_in": ttl,
                "remind_in": str(ttl),
                "uid": str(uid),
            }

    def token_info(self, token: str) -> dict[str, Any]:
        with self.lock:
            user = self.authenticate(token)
            found = self.tokens[token]
            return {
                "uid": user.uid,
                "appkey": self.config.app_key,
                "scope": "",
                "create_at": int(time.time()),
                "expire_in": int((found.expires_at - self.now()).total_seconds()),
            }

    def token_revoke(self, token: str) -> dict[str, Any]:
        with self.lock:
            self.authenticate(token)
            self.tokens[token].revoked = True
            return {"result": "true"}

    # --- limits -------------------------------------------------------------------------------
    def _count(self, scope: str, key: str, limit: int) -> bool:
        hour = self.now().strftime("%Y%m%d%H")
        slot = (scope, key, hour)
        self.counters[slot] = self.counters.get(slot, 0) + 1
        return self.counters[slot] <= limit

    def spend(self, *, user: User, ip: str, endpoint: str) -> None:
        """Every authenticated call spends from its user's and its IP's hourly budgets."""
        with self.lock:
            if not self._count("ip", ip, self.config.ip_calls_per_hour):
                raise WeiboError(10022, "IP requests out of rate limit!", 403)
            if not self._count("user", str(user.uid), self.config.calls_per_hour):
                raise WeiboError(10023, "User requests out of rate limit!", 403)
            special = (
                self.config.posts_per_hour
                if endpoint in POSTING
                else self.config.comments_per_hour
                if endpoint in COMMENTING
                else None
            )
            if special is not None and not self._count(endpoint, str(user.uid), special):
                raise WeiboError(10024, f"User requests for ({endpoint}) out of rate limit!", 403)
            if endpoint in POSTING:
                now = time.time()
                recent = [t for t in self.post_times.get(user.uid, []) if now - t < 60]
                if len(recent) >= self.config.burst_posts_per_minute:
                    raise WeiboError(20016, "Out of limit!", 403)
                self.post_times[user.uid] = [*recent, now]

    # --- checks -------------------------------------------------------------------------------
    @staticmethod
    def _required(form: dict[str, str], name: str) -> str:
        value = str(form.get(name, "")).strip()
        if not value:
            raise WeiboError(10016, f"miss required parameter ({name}), see doc for more info.")
        return value

    def _rip(self, form: dict[str, str]) -> None:
        rip = self._required(form, "rip")
        try:
            ipaddress.ip_address(rip)
        except ValueError:
            raise WeiboError(
                10017, "parameter (rip)'s value invalid, see doc for more info."
            ) from None

    @staticmethod
    def _length(text: str) -> None:
        if not text.strip():
            raise WeiboError(20008, "Content is null!")
        if weibo_length(text) > MAX_CHARS:
            raise WeiboError(20012, "Text too long, please input text less than 140 characters!")

    @staticmethod
    def _find(
        table: dict[int, Any], raw: Any, *, name: str, null: WeiboError, missing: WeiboError
    ) -> Any:
        if raw in (None, ""):
            raise null
        try:
            found = table.get(int(raw))
        except (TypeError, ValueError):
            raise WeiboError(
                10017, f"parameter ({name})'s value invalid, see doc for more info."
            ) from None
        if found is None or found.deleted:
            raise missing
        return found

    def _status(self, status_id: Any) -> Status:
        return cast(
            Status,
            self._find(
                self.statuses,
                status_id,
                name="id",
                null=WeiboError(20109, "Weibo id is null!"),
                missing=WeiboError(20101, "Target weibo does not exist!"),
            ),
        )

    def _comment(self, cid: Any) -> Comment:
        return cast(
            Comment,
            self._find(
                self.comments,
                cid,
                name="cid",
                null=WeiboError(20204, "Comment id is null!"),
                missing=WeiboError(20201, "Target weibo comment does not exist!"),
            ),
        )

    def _recent(self, when: datetime) -> bool:
        return (self.now() - when).total_seconds() < self.config.duplicate_window_seconds

    # --- statuses -----------------------------------------------------------------------------
    def share(
        self, user: User, form: dict[str, str], *, has_picture: bool = False
    ) -> dict[str, Any]:
        with self.lock:
            text = str(form.get("status", ""))
            if not text.strip():
                raise WeiboError(20008, "Content is null!")
            self._rip(form)
            self._length(text)
            if not has_link_under(text, self.config.safe_domain):
                raise WeiboError(10017, "text not find domain!")
            if has_hashtag(text):
                # The reference names no code for a topic in statuses/share: 20021 is our choice.
                raise WeiboError(20021, "Content is illegal! (topic #...# is not allowed in share)")
            self._no_repeat(user, text, retweeted_id=None)
            status = Status(
                id=self.next_id(),
                uid=user.uid,
                text=text,
                created_at=self.now(),
                has_picture=has_picture,
            )
            self.statuses[status.id] = status
            return self.status_json(status)

    def _no_repeat(self, user: User, text: str, *, retweeted_id: int | None) -> None:
        for status in self.statuses.values():
            if (
                status.uid == user.uid
                and not status.deleted
                and status.text == text
                and status.retweeted_id == retweeted_id
                and self._recent(status.created_at)
            ):
                raise WeiboError(20019, "Repeat conetnt!")

    def repost(self, user: User, form: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            original = self._status(form.get("id"))
            self._rip(form)
            root = self.statuses[original.retweeted_id] if original.retweeted_id else original
            if root.uid == user.uid:
                raise WeiboError(20103, "Can't repost your own weibo!")
            text = str(form.get("status", "")).strip() or "转发微博"
            self._length(text)
            self._no_repeat(user, text, retweeted_id=root.id)
            status = Status(
                id=self.next_id(),
                uid=user.uid,
                text=text,
                created_at=self.now(),
                retweeted_id=root.id,
            )
            self.statuses[status.id] = status
            return self.status_json(status)

    def destroy(self, user: User, form: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            status = self._status(form.get("id"))
            if status.uid != user.uid:
                raise WeiboError(20102, "Not your own weibo!", 403)
            status.deleted = True
            return self.status_json(status)

    def status_show(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            return self.status_json(self._status(params.get("id")))

    def user_timeline(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            # The open API returns the authorised user's own posts only.
            own = [s for s in self.statuses.values() if s.uid == user.uid and not s.deleted]
            return self._page("statuses", own, params, self.status_json)

    def status_mentions(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            hits = [
                s
                for s in self.statuses.values()
                if not s.deleted and s.uid != user.uid and _mentions(s.text, user.screen_name)
            ]
            return self._page("statuses", hits, params, self.status_json)

    def counts(self, user: User, params: dict[str, str]) -> list[dict[str, Any]]:
        with self.lock:
            ids = [i for i in str(params.get("ids", "")).split(",") if i.strip()]
            if not ids:
                raise WeiboError(10016, "miss required parameter (ids), see doc for more info.")
            if len(ids) > 100:
                raise WeiboError(10017, "parameter (ids)'s value invalid, see doc for more info.")
            rows = []
            for raw in ids:
                status = self.statuses.get(int(raw)) if raw.strip().isdigit() else None
                if status is None or status.deleted:
                    continue
                rows.append(
                    {
                        "id": status.id,
                        "idstr": str(status.id),
                        "comments": self._comment_count(status),
                        "reposts": self._repost_count(status),
                        "attitudes": status.attitudes,
                    }
                )
            return rows

    # --- comments -----------------------------------------------------------------------------
    def comment_create(
        self, user: User, form: dict[str, str], *, citizen: bool = False
    ) -> dict[str, Any]:
        with self.lock:
            status = self._status(form.get("id"))
            text = str(form.get("comment", ""))
            if not citizen:
                self._rip(form)
            self._length(text)
            self._no_repeat_comment(user, status.id, text)
            comment = Comment(
                id=self.next_id(),
                status_id=status.id,
                uid=user.uid,
                text=text,
                created_at=self.now(),
            )
            self.comments[comment.id] = comment
            return self.comment_json(comment)

    def _no_repeat_comment(self, user: User, status_id: int, text: str) -> None:
        for comment in self.comments.values():
            if (
                comment.uid == user.uid
                and comment.status_id == status_id
                and comment.text == text
                and not comment.deleted
                and self._recent(comment.created_at)
            ):
                raise WeiboError(20019, "Repeat conetnt!")

    def comment_reply(
        self, user: User, form: dict[str, str], *, citizen: bool = False
    ) -> dict[str, Any]:
        with self.lock:
            parent = self._comment(form.get("cid"))
            status = self._status(form.get("id"))
            if parent.status_id != status.id:
                raise WeiboError(20201, "Target weibo comment does not exist!")
            if not citizen:
                self._rip(form)
            body = str(form.get("comment", ""))
            self._length(body)
            text = body
            if str(form.get("without_mention", "0")) != "1":
                text = f"回复@{self.users[parent.uid].screen_name}:{body}"
            self._no_repeat_comment(user, status.id, text)
            comment = Comment(
                id=self.next_id(),
                status_id=status.id,
                uid=user.uid,
                text=text,
                created_at=self.now(),
                reply_to=parent.id,
            )
            self.comments[comment.id] = comment
            return self.comment_json(comment)

    def comment_destroy(self, user: User, form: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            comment = self._comment(form.get("cid"))
            status = self.statuses[comment.status_id]
            # Own comments, and anyone's comments under our own posts (the 2018 revision).
            if comment.uid != user.uid and status.uid != user.uid:
                raise WeiboError(20203, "Not your own comment!", 403)
            comment.deleted = True
            return self.comment_json(comment)

    def comments_show(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            status = self._status(params.get("id"))
            hits = [c for c in self.comments.values() if c.status_id == status.id and not c.deleted]
            return self._page("comments", hits, params, self.comment_json)

    def comments_to_me(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            hits = [
                c
                for c in self._live_comments()
                if c.uid != user.uid and self._addressed_to(c, user)
            ]
            return self._page("comments", hits, params, self.comment_json)

    def comments_by_me(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            hits = [c for c in self._live_comments() if c.uid == user.uid]
            return self._page("comments", hits, params, self.comment_json)

    def comments_mentions(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            hits = [
                c
                for c in self._live_comments()
                if c.uid != user.uid and _mentions(c.text, user.screen_name)
            ]
            return self._page("comments", hits, params, self.comment_json)

    def _live_comments(self) -> Iterable[Comment]:
        return (
            c
            for c in self.comments.values()
            if not c.deleted and not self.statuses[c.status_id].deleted
        )

    def _addressed_to(self, comment: Comment, user: User) -> bool:
        if self.statuses[comment.status_id].uid == user.uid:
            return True
        parent = self.comments.get(comment.reply_to) if comment.reply_to else None
        return parent is not None and parent.uid == user.uid

    # --- users --------------------------------------------------------------------------------
    def users_show(self, user: User, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            target = self.find_user(uid=params.get("uid"), screen_name=params.get("screen_name"))
            return self.user_json(target)

    def users_counts(self, user: User, params: dict[str, str]) -> list[dict[str, Any]]:
        with self.lock:
            uids = [u for u in str(params.get("uids", "")).split(",") if u.strip().isdigit()][:100]
            return [
                {
                    "id": u.uid,
                    "followers_count": u.followers_count,
                    "friends_count": u.friends_count,
                    "statuses_count": self._statuses_count(u),
                }
                for u in (self.users.get(int(x)) for x in uids)
                if u is not None
            ]

    # --- shapes -------------------------------------------------------------------------------
    def _page(
        self, key: str, rows: list[Any], params: dict[str, str], shape: Any
    ) -> dict[str, Any]:
        """Weibo's list semantics: newest first, id > since_id, id <= max_id, then count/page."""

        def number(name: str, default: int) -> int:
            raw = str(params.get(name, "")).strip()
            return int(raw) if raw.isdigit() else default

        since_id, max_id = number("since_id", 0), number("max_id", 0)
        count = max(1, min(number("count", 20 if key == "statuses" else 50), 200))
        page = max(1, number("page", 1))
        hits = sorted(
            (r for r in rows if r.id > since_id and (not max_id or r.id <= max_id)),
            key=lambda r: -r.id,
        )
        chunk = hits[(page - 1) * count : page * count]
        rest = hits[page * count :]
        return {
            key: [shape(r) for r in chunk],
            "hasvisible": False,
            "previous_cursor": 0,
            "next_cursor": rest[0].id if rest else 0,
            "total_number": len(hits),
        }

    def _statuses_count(self, user: User) -> int:
        return sum(1 for s in self.statuses.values() if s.uid == user.uid and not s.deleted)

    def _comment_count(self, status: Status) -> int:
        return sum(1 for c in self.comments.values() if c.status_id == status.id and not c.deleted)

    def _repost_count(self, status: Status) -> int:
        return sum(
            1 for s in self.statuses.values() if s.retweeted_id == status.id and not s.deleted
        )

    def user_json(self, user: User) -> dict[str, Any]:
        return {
            "id": user.uid,
            "idstr": str(user.uid),
            "screen_name": user.screen_name,
            "name": user.name,
            "description": "",
            "followers_count": user.followers_count,
            "friends_count": user.friends_count,
            "statuses_count": self._statuses_count(user),
            "bi_followers_count": 0,
            "verified": user.verified,
            "created_at": format_time(user.created_at),
        }

    def status_json(self, status: Status, *, nested: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "created_at": format_time(status.created_at),
            "id": status.id,
            "mid": str(status.id),
            "idstr": str(status.id),
            "text": status.text,
            "source": '<a href="https://open.weibo.com" rel="nofollow">GovMatrix</a>',
            "favorited": False,
            "truncated": False,
            "in_reply_to_status_id": "",
            "pic_urls": [{"thumbnail_pic": f"/pic/{status.id}.jpg"}] if status.has_picture else [],
            "geo": None,
            "user": self.user_json(self.users[status.uid]),
            "reposts_count": self._repost_count(status),
            "comments_count": self._comment_count(status),
            "attitudes_count": status.attitudes,
            "visible": {"type": 0, "list_id": 0},
        }
        if status.retweeted_id and not nested:
            body["retweeted_status"] = self.status_json(
                self.statuses[status.retweeted_id], nested=True
            )
        return body

    def comment_json(self, comment: Comment, *, nested: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "created_at": format_time(comment.created_at),
            "id": comment.id,
            "idstr": str(comment.id),
            "mid": str(comment.id),
            "text": comment.text,
            "source": '<a href="https://open.weibo.com" rel="nofollow">GovMatrix</a>',
            "user": self.user_json(self.users[comment.uid]),
        }
        if not nested:
            body["status"] = self.status_json(self.statuses[comment.status_id])
            if comment.reply_to and comment.reply_to in self.comments:
                body["reply_comment"] = self.comment_json(
                    self.comments[comment.reply_to], nested=True
                )
        return body
