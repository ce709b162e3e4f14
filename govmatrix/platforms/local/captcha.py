"""An offline image captcha for the public forms: one-time, expiring, drawn with Pillow.

The challenge is a signed, timestamped nonce (the form carries it); the answer is derived from
the nonce with a keyed hash, so nothing is stored when a form is shown and a visitor cannot
read the answer from the token. Checking a challenge spends it, right or wrong: the nonce is
recorded in the shared cache until the challenge would have expired anyway.
"""

from __future__ import annotations

import io
import secrets

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from govmatrix.platforms.local.rules import setting

_SALT = "govmatrix.platforms.local.captcha"
# No 0/O, 1/I/L: letters a person can tell apart in a noisy image.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 5
WIDTH, HEIGHT = 168, 56


def lifetime_seconds() -> int:
    return setting("CAPTCHA_SECONDS", 600)


def captcha_new() -> str:
    """A fresh challenge token for a form."""
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_hex(12))


def _nonce(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=_SALT).unsign(token, max_age=lifetime_seconds())
    except signing.BadSignature:  # also SignatureExpired
        return None


def _answer_for(nonce: str) -> str:
    digest = salted_hmac(f"{_SALT}.answer", nonce, algorithm="sha256").digest()
    return "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:LENGTH])


def captcha_answer(token: str) -> str | None:
    """The answer to a live challenge (the image shows it; tests use it to fill the form)."""
    nonce = _nonce(token)
    return _answer_for(nonce) if nonce else None


def captcha_check(token: str | None, answer: str | None) -> bool:
    """True once for a live challenge answered right; the challenge is spent either way."""
    nonce = _nonce(token or "")
    if nonce is None:
        return False
    if not cache.add(f"local:captcha-used:{nonce}", 1, timeout=lifetime_seconds() + 60):
        return False  # already used
    given = "".join((answer or "").split()).upper()
    return constant_time_compare(given, _answer_for(nonce))


def captcha_png(token: str) -> bytes | None:
    """The challenge as a PNG image, or None when the token is not a live challenge."""
    answer = captcha_answer(token)
    if answer is None:
        return None
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _line in range(6):
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _point in range(2)],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    font = ImageFont.load_default(size=34)
    step = WIDTH // (LENGTH + 1)
    for index, char in enumerate(answer):
        glyph = Image.new("RGBA", (44, 52), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 4), char, font=font, fill=(rng.randint(10, 90), rng.randint(10, 90), 120)
        )
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (10 + index * step + rng.randint(-3, 3), rng.randint(0, 6)), glyph)
    for _dot in range(160):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(90, 90, 90))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# A form sent twice (a double click, a reload of the POST) reuses its spent challenge. When the
# first sending succeeded, the second is shown that success instead of a captcha error.
def remember_success(token: str, *, visitor: str, url: str) -> None:
    if nonce := _nonce(token):
        cache.set(f"local:captcha-done:{nonce}", f"{visitor} {url}", lifetime_seconds() + 60)


def earlier_success(token: str | None, *, visitor: str) -> str | None:
    """Where the first sending of this form went, if it succeeded for the same visitor."""
    nonce = _nonce(token or "")
    stored = cache.get(f"local:captcha-done:{nonce}") if nonce else None
    if not stored:
        return None
    who, _space, url = str(stored).partition(" ")
    return url if constant_time_compare(who, visitor) else None
