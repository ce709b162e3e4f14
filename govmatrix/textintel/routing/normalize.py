"""Text normalisation for routing: one canonical form for what citizens type.

Citizens paste text from phones, Word and old forums: full-width letters and digits,
traditional characters, stray whitespace. The router, the rules and the kind classifier all
see text through `normalize_text`, so that `ＰＭ２.５`, `pm2.5` and `PM2.5` are one thing and
`噪聲擾民` matches the keyword `噪声扰民`.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

_SPACES = re.compile(r"\s+")
# The message boards store "title。detail"; a title is short, so a long first sentence is
# just the first sentence of a message without a title.
_TITLE_MAX_CHARS = 60
# Beyond this a message is a pasted document; its head carries the routing signal, and a
# bound keeps prediction time bounded whatever is pasted in.
MAX_CHARS = 4000


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str] | None:
    """Characters without which OpenCC's t2s leaves a text unchanged; None if unknown.

    OpenCC in pure Python is slow, and almost every message is already simplified: such a
    text contains none of the characters t2s changes (TSCharacters) and none of the few
    phrases that change although their characters do not (TSPhrases, e.g. 沈默 → 沉默).
    """
    try:
        import opencc

        folder = Path(opencc.__file__).parent / "dictionary"
        entries = {}
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                if values and any(value != key for value in values.split()):
                    entries[key] = name
    except (ImportError, OSError, UnicodeDecodeError):
        return None
    changing = {key for key, name in entries.items() if name == "TSCharacters.txt"}
    chars = set(changing)
    for key in entries:
        if not changing.intersection(key):
            chars.update(key)
    return frozenset(chars) if changing else None


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), traditional → simplified, lower case, one space."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS]
    if not text.isascii():
        traditional = _traditional_chars()
        if traditional is None or not traditional.isdisjoint(text):
            text = _t2s().convert(text)
    return _SPACES.sub(" ", text.lower()).strip()


def split_title(text: str) -> tuple[str, str]:
    """Split normalised `title。detail` into (title, detail); ('', text) when there is none."""
    head, sep, rest = text.partition("。")
    if sep and 0 < len(head) <= _TITLE_MAX_CHARS:
        return head, rest
    return "", text


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """jieba words of normalised text, without whitespace tokens."""
    return [w for w in _jieba().lcut(text) if w.strip()]
