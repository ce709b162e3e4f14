"""The local platform's rules on text, shared by its connector, services and forms."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac

# Lengths as the local platform counts them: one character is one, whatever the script.
POST_MAX_CHARS = 2000
COMMENT_MAX_CHARS = 500
MESSAGE_MAX_CHARS = 1000
NICKNAME_MAX_CHARS = 20
# A comment or message may address at most this many other accounts with "@name".
MAX_MENTIONS = 5
# Images a post may carry, their kinds and size (checked again here: the platform's own rule).
MAX_IMAGES = 9
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def clean_text(text: str) -> str:
    """Newlines made uniform, control and invisible characters removed, outer space stripped.

    PostgreSQL refuses NUL in text, and invisible characters let a nickname pass for another.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def clean_nickname(nickname: str) -> str:
    return " ".join(clean_text(nickname).split())


def visitor_hash(ip: str | None) -> str:
    """A stable pseudonym for a visitor's address; the address itself is never stored."""
    return salted_hmac(
        "govmatrix.platforms.local.visitor", ip or "unknown", algorithm="sha256"
    ).hexdigest()


def setting(name: str, default: int) -> int:
    """An optional integer setting of the local platform (LOCAL_PLATFORM_…)."""
    return int(getattr(settings, f"LOCAL_PLATFORM_{name}", default))


# Interaction ids on the local platform: "c<pk>" for a comment, "m<pk>" for a message (留言).
COMMENT_PREFIX = "c"
MESSAGE_PREFIX = "m"


def comment_ref(pk: int) -> str:
    return f"{COMMENT_PREFIX}{pk}"


def message_ref(pk: int) -> str:
    return f"{MESSAGE_PREFIX}{pk}"


def parse_ref(interaction_id: str) -> tuple[str, int] | None:
    """("c", 12) for "c12", ("m", 5) for "m5"; None for anything else."""
    prefix, digits = interaction_id[:1], interaction_id[1:]
    if prefix not in {COMMENT_PREFIX, MESSAGE_PREFIX} or not digits.isascii():
        return None
    if not digits.isdigit() or len(digits) > 18:
        return None
    return prefix, int(digits)


def parse_post_id(post_id: str) -> int | None:
    if not post_id.isascii() or not post_id.isdigit() or len(post_id) > 18:
        return None
    return int(post_id)
