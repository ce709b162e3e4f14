"""Keeps secrets out of the logs, whatever a library or a careless message puts there."""

from __future__ import annotations

import logging
import re

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)(authorization:\s*bearer\s+)[^\s'\"]+"), r"\1***"),
    (
        re.compile(
            r"(?i)((?:access_token|refresh_token|password|passwd|secret|api_key|token|client_secret)"
            r"[\"']?\s*[=:]\s*[\"']?)[^\s&'\",}]+"
        ),
        r"\1***",
    ),
    (re.compile(r"(?i)(://[^:/\s]+:)[^@/\s]+(@)"), r"\1***\2"),
]


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
