"""Readable names for the verbs in the event log. Each app registers its own in AppConfig.ready."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register_verbs(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def verb_label(verb: str) -> str:
    return str(_LABELS.get(verb, verb))


def all_verbs() -> list[tuple[str, str]]:
    return sorted(((verb, str(label)) for verb, label in _LABELS.items()), key=lambda item: item[0])
