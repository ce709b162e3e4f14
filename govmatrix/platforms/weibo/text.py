"""Weibo's rules for the text of a post, and its date format; no Django, no network."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlparse

from govmatrix.platforms.base import Limits, text_length

MAX_CHARS = 140
# A topic (话题) is text between two '#'. `statuses/share` refuses it (platform-apis.md §1.3).
HASHTAG = re.compile(r"#[^#\s][^#\n]*?#")
URL = re.compile(r"https?://[^\s\u3000，。！？；：、）】》”’]+", re.IGNORECASE)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BEIJING = timezone(timedelta(hours=8))


def limits(safe_link: str) -> Limits:
    return Limits(
        max_chars=MAX_CHARS,
        requires_link_domain=urlparse(safe_link).hostname if safe_link else None,
        forbids_hashtags=True,
        counts_latin_as_half=True,
        # statuses/share takes one picture (`pic`); more need the commercial API.
        max_images=1,
        reserved_chars=weibo_length(f" {safe_link}") if safe_link else 0,
    )


def weibo_length(text: str) -> int:
    """Length as Weibo counts it: a CJK character is 1, two Latin characters are 1."""
    return text_length(text, Limits(max_chars=MAX_CHARS, counts_latin_as_half=True))


def has_hashtag(text: str) -> bool:
    return HASHTAG.search(text) is not None


def under_domain(url: str, domain: str) -> bool:
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    domain = domain.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


def has_link_under(text: str, domain: str) -> bool:
    return any(under_domain(match.group(0), domain) for match in URL.finditer(text))


def with_safe_link(text: str, safe_link: str) -> str:
    """The text with the safe-domain link appended, unless it already has a link under it."""
    domain = urlparse(safe_link).hostname or ""
    stripped = text.rstrip()
    if domain and has_link_under(stripped, domain):
        return stripped
    return f"{stripped} {safe_link}"


def normalised(text: str) -> str:
    """For recognising our own text again: links (Weibo shortens them), spaces and width dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = URL.sub("", text)
    return "".join(text.split())


def parse_time(value: str) -> datetime:
    """`Tue May 31 17:46:55 +0800 2011`, read without depending on the process's locale."""
    try:
        _day, month, day, clock, offset, year = value.split()
        hours, minutes, seconds = (int(part) for part in clock.split(":"))
        sign = -1 if offset.startswith("-") else 1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        return datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            hours,
            minutes,
            seconds,
            tzinfo=timezone(sign * delta),
        ).astimezone(UTC)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"not a Weibo time: {value!r}") from exc


def format_time(moment: datetime) -> str:
    local = moment.astimezone(BEIJING)
    return (
        f"{_DAYS[local.weekday()]} {_MONTHS[local.month - 1]} {local.day:02d} "
        f"{local:%H:%M:%S} +0800 {local.year}"
    )
