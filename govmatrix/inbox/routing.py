"""The district's classifier and the routing rule: which unit answers a message, and how sure.

The classifier (textintel's engines) is built from the district's lists — its topics with their
keywords, the gazetteer of streets and towns, the routers it trained — once per process and
again whenever the office changes one of them (`forget_classifier`).

Who answers a message (first rule that applies):

1. **place**: the message names a street or town (its unit's name, the name without 街道/镇/
   乡, or a place name the office added) → that street/town; confidence = the share of the
   place mentions that point to it.
2. **account**: it reached the account of a street/town or a department → that unit (属地 and
   the citizen's own choice); confidence 0.8.
3. **model**: the district has trained a unit router (`textintel_train`) → its prediction.
4. **topic**: the topic → unit map the office keeps; confidence = the topic's.

No unit, or a confidence below the office's threshold (default 0.6): the message waits in the
office's triage queue (待分办), with the best guess shown as a suggestion.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from govmatrix.inbox import hooks
from govmatrix.inbox.models import MessageTopic, PlaceName, RoutedBy, RouterModel, RouterTarget
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit, UnitKind
from govmatrix.textintel.classify import Classification, MessageClassifier
from govmatrix.textintel.routing import RuleRouter
from govmatrix.textintel.routing.prediction import MessageRouter, Prediction

logger = logging.getLogger(__name__)

ACCOUNT_CONFIDENCE = 0.8
# Units whose own accounts keep the messages they receive.
ANSWERING_KINDS = (UnitKind.STREET_TOWN, UnitKind.DEPARTMENT)
_PLACE_SUFFIXES = ("街道办事处", "街道", "镇", "乡")
_VERSION_KEY = "inbox:classifier-version"
_local: dict[str, Any] = {}


def models_dir() -> Path:
    """Where the district's trained routers are kept (under var/, never shipped)."""
    return Path(settings.VAR_DIR) / "models" / "routing"


def forget_classifier() -> None:
    """Every process rebuilds its classifier (topics, places or a router changed)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
    _local.clear()


def short_place_name(name: str) -> str:
    """东城街道 → 东城, 清河镇 → 清河; a name that would become one character stays whole."""
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def gazetteer() -> dict[str, list[str]]:
    """{unit code: names} of every active street/town: its name, the short form, added names."""
    names: dict[str, list[str]] = {}
    for unit in Unit.objects.filter(kind=UnitKind.STREET_TOWN, is_active=True):
        names[unit.code] = list(dict.fromkeys([unit.name, short_place_name(unit.name)]))
    for code, name in PlaceName.objects.filter(unit__is_active=True).values_list(
        "unit__code", "name"
    ):
        names.setdefault(code, []).append(name)
    return names


def _load_router(target: str) -> tuple[MessageRouter | None, RouterModel | None]:
    record = RouterModel.objects.filter(target=target, is_active=True).first()
    if record is None:
        return None, None
    from govmatrix.textintel.routing import Router

    path = models_dir() / record.path
    try:
        return Router.load(path), record
    except (OSError, ValueError, EOFError) as exc:
        # The rules take over; the office sees the model as in use but the log says why not.
        logger.error(
            "router %s v%s could not be loaded from %s: %s", target, record.version, path, exc
        )
        return None, None


@dataclass
class District:
    """What routing needs, loaded once per process."""

    classifier: MessageClassifier
    topics: dict[str, MessageTopic]  # by name (the router's labels)
    units: dict[str, Unit]  # by code
    unit_router: MessageRouter | None
    topic_model: RouterModel | None
    unit_model: RouterModel | None


def _units_fingerprint() -> tuple[Any, ...]:
    """Units change in org, which knows nothing of the inbox: a unit added, renamed, closed or
    recreated under the same code shows here, so routing never points at a unit that is gone."""
    return tuple(
        Unit.objects.aggregate(
            count=Count("pk"), last_id=Max("pk"), last_change=Max("updated_at")
        ).values()
    )


def district(*, harm_classifier: bool = True) -> District:
    version = (cache.get(_VERSION_KEY, 0), _units_fingerprint())
    key = f"district:{harm_classifier}"
    held = _local.get(key)
    if held is not None and held[0] == version:
        return held[1]  # type: ignore[no-any-return,unused-ignore]
    topics = {t.name: t for t in MessageTopic.objects.filter(is_active=True).select_related("unit")}
    extra = {name: topic.keyword_list for name, topic in topics.items() if topic.keyword_list}
    topic_router, topic_model = _load_router(RouterTarget.TOPIC)
    unit_router, unit_model = _load_router(RouterTarget.UNIT)
    router = topic_router or RuleRouter(extra)
    classifier = MessageClassifier.build(
        router=router, gazetteer=gazetteer(), harm_classifier=harm_classifier
    )
    if (screen := hooks.harm_screen()) is not None:
        # another app's harm lexicon (moderation: the shipped one with the office's edits)
        classifier.lexicon = screen
    loaded = District(
        classifier=classifier,
        topics=topics,
        units={u.code: u for u in Unit.objects.filter(is_active=True)},
        unit_router=unit_router,
        topic_model=topic_model,
        unit_model=unit_model,
    )
    _local[key] = (version, loaded)
    return loaded


@dataclass(frozen=True)
class Route:
    unit: Unit | None
    confidence: float
    routed_by: str


def decide_route(
    found: Classification,
    account: Account,
    place: District,
    *,
    unit_prediction: Prediction | None = None,
) -> Route:
    if found.place_unit and found.place_unit in place.units:
        return Route(place.units[found.place_unit], found.place_confidence, RoutedBy.PLACE)
    owner = place.units.get(account.unit.code) if account.unit_id else None
    if owner is not None and owner.kind in ANSWERING_KINDS:
        return Route(owner, ACCOUNT_CONFIDENCE, RoutedBy.ACCOUNT)
    if unit_prediction is not None and unit_prediction.label in place.units:
        return Route(
            place.units[unit_prediction.label], round(unit_prediction.confidence, 4), RoutedBy.MODEL
        )
    topic = place.topics.get(found.topic)
    if topic is not None and topic.unit_id is not None and topic.unit is not None:
        return Route(topic.unit, found.topic_confidence, RoutedBy.TOPIC)
    return Route(None, 0.0, RoutedBy.NONE)
