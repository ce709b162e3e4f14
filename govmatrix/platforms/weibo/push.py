"""Direct messages pushed by Weibo's fan-service platform (粉丝服务平台) to our webhook.

The platform signs each request in its query string: `signature` is the SHA-1 of the app
secret, `timestamp` and `nonce` sorted and joined (the scheme WeChat also uses). Binding the
URL is a GET that must echo `echostr`. A push is a JSON event such as
`{"type": "text", "receiver_id": 1902538057, "sender_id": 2489518277,
"created_at": "Mon Jul 16 18:09:20 +0800 2012", "text": "…", "data": {}}`; it carries no id
of its own, so the message's id is a digest of its sender, receiver, time and text.

The signature does not cover the body, so a captured signature could be replayed with
another body; the timestamp window below limits that to a few minutes, and storing messages
unique on their digest makes a replayed message a no-op.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from govmatrix.platforms.base import Forbidden, InvalidRequest
from govmatrix.platforms.weibo.text import parse_time

PLATFORM = "weibo"
# How old (or how far in the future) a signed push may be.
MAX_SKEW_SECONDS = 300
# The event types that are a person writing to us; follows, clicks and the like are not.
MESSAGE_TYPES = frozenset({"text", "image", "voice", "position", "mention"})


@dataclass(frozen=True)
class PushedMessage:
    """One pushed message, as received or as stored (`seq` is its place in our store)."""

    digest: str
    receiver_id: str
    sender_id: str
    sender_name: str
    text: str
    created_at: datetime
    message_type: str
    seq: int = 0
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def interaction_id(self) -> str:
        return f"dm:{self.digest}"


def signature(app_secret: str, timestamp: str, nonce: str) -> str:
    joined = "".join(sorted([app_secret, timestamp, nonce]))
    return hashlib.sha1(joined.encode()).hexdigest()  # noqa: S324 - the platform's scheme


def check_signature(query: Mapping[str, str], *, app_secret: str, now: float | None = None) -> None:
    """Raise `Forbidden` unless the query carries a fresh, valid signature of the app secret."""
    if not app_secret:
        raise Forbidden("未配置微博应用密钥，无法验证推送。", platform=PLATFORM, code="no_secret")
    given = str(query.get("signature", ""))
    timestamp = str(query.get("timestamp", ""))
    nonce = str(query.get("nonce", ""))
    if not (given and timestamp.isdigit() and nonce):
        raise Forbidden("推送缺少签名。", platform=PLATFORM, code="signature")
    if abs((now or time.time()) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Forbidden("推送的时间戳已过期。", platform=PLATFORM, code="signature")
    if not hmac.compare_digest(given.lower(), signature(app_secret, timestamp, nonce)):
        raise Forbidden("推送签名不符。", platform=PLATFORM, code="signature")


def message_digest(sender_id: str, receiver_id: str, created_at: str, text: str) -> str:
    raw = json.dumps([sender_id, receiver_id, created_at, text], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def parse_event(event: Mapping[str, Any]) -> PushedMessage | None:
    """The message in one event, or None for an event that is not a message."""
    kind = str(event.get("type", ""))
    if kind not in MESSAGE_TYPES:
        return None
    receiver = str(event.get("receiver_id", ""))
    sender = str(event.get("sender_id", ""))
    created = str(event.get("created_at", ""))
    data = event.get("data") if isinstance(event.get("data"), Mapping) else {}
    text = str(event.get("text", ""))
    if not receiver.isdigit() or not sender.isdigit():
        raise InvalidRequest("推送缺少发送方或接收方。", platform=PLATFORM)
    try:
        at = parse_time(created)
    except ValueError as exc:
        raise InvalidRequest("推送的时间格式不对。", platform=PLATFORM) from exc
    name = str((data or {}).get("sender_screen_name") or event.get("sender_screen_name") or "")
    return PushedMessage(
        digest=message_digest(sender, receiver, created, text),
        receiver_id=receiver,
        sender_id=sender,
        sender_name=name,
        text=text,
        created_at=at,
        message_type=kind,
        raw=dict(event),
    )


def verify_and_parse(
    body: bytes, *, query: Mapping[str, str], app_secret: str
) -> list[PushedMessage]:
    check_signature(query, app_secret=app_secret)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequest("推送内容不是 JSON。", platform=PLATFORM) from exc
    events = payload if isinstance(payload, list) else [payload]
    messages = [parse_event(e) for e in events if isinstance(e, Mapping)]
    return [m for m in messages if m is not None]
