"""Learning from the district: retrain the router on the district's own messages.

Training data, from the inbox's own history (never from the shared research data):

* **topic**: messages whose topic a person set (`RoutingLabel` of a reclassification), or that
  their unit answered or closed under the topic they had — the label is the final topic;
* **unit**: messages a person routed (triage or 转办 — each is a `RoutingLabel`), or that
  their unit answered or closed — the label is the final unit's code.

Each run trains textintel's `Router`, measures it on a held-out fifth (stratified) when there
is enough data, then trains on everything and saves the file under `var/models/routing/` as a
new version, which becomes the one in use. The keyword rules stay the fallback: with no active
model (or a file that cannot be read) the product routes by the rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from govmatrix.audit.services import event_record
from govmatrix.inbox.models import (
    LabelSource,
    Message,
    MessageState,
    RoutedBy,
    RouterModel,
    RouterTarget,
    RoutingLabel,
)
from govmatrix.inbox.routing import forget_classifier, models_dir

MIN_MESSAGES = 30
MIN_PER_LABEL = 2
HOLDOUT_FROM = 50  # measure on a held-out fifth from this many messages on


@dataclass
class TrainingData:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.labels)


def training_data(target: str) -> TrainingData:
    handled = Q(state__in=[MessageState.ANSWERED, MessageState.CLOSED])
    data = TrainingData()
    if target == RouterTarget.TOPIC:
        labelled = Exists(
            RoutingLabel.objects.filter(message=OuterRef("pk"), source=LabelSource.RECLASSIFY)
        )
        rows = Message.objects.filter(topic__isnull=False).filter(handled | Q(labelled))
        pairs = rows.values_list("text", "topic__name")
    else:
        rows = Message.objects.filter(unit__isnull=False).filter(
            handled | Q(routed_by=RoutedBy.PERSON)
        )
        pairs = rows.values_list("text", "unit__code")
    for text, label in pairs.order_by("pk").iterator(chunk_size=2000):
        data.texts.append(text)
        data.labels.append(label)
    # Labels with too few messages cannot be learned (nor split): leave them to the rules.
    keep = {label for label, n in data.counts.items() if n >= MIN_PER_LABEL}
    pairs_kept = [(t, lb) for t, lb in zip(data.texts, data.labels, strict=True) if lb in keep]
    return TrainingData([t for t, _lb in pairs_kept], [lb for _t, lb in pairs_kept])


@dataclass(frozen=True)
class Trained:
    target: str
    version: int | None
    n_train: int
    labels: int
    metrics: dict[str, Any]
    skipped: str = ""


def _holdout(data: TrainingData) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    from govmatrix.textintel.routing import Router

    if len(data.texts) < HOLDOUT_FROM or len(data.counts) < 2:
        return {}
    train_x, test_x, train_y, test_y = train_test_split(
        data.texts, data.labels, test_size=0.2, random_state=42, stratify=data.labels
    )
    predicted = [p.label for p in Router().fit(train_x, train_y).predict(test_x)]
    return {
        "holdout": "stratified 20%, seed 42",
        "n_test": len(test_y),
        "macro_f1": round(float(f1_score(test_y, predicted, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(test_y, predicted)), 4),
    }


def router_train(*, target: str, min_messages: int = MIN_MESSAGES) -> Trained:
    """Train, measure and install a new version of the district's router for `target`."""
    from govmatrix.textintel.routing import Router

    data = training_data(target)
    if len(data.texts) < min_messages or len(data.counts) < 2:
        return Trained(
            target,
            None,
            len(data.texts),
            len(data.counts),
            {},
            skipped=f"need at least {min_messages} labelled messages in two or more labels "
            f"(have {len(data.texts)} in {len(data.counts)})",
        )
    metrics = _holdout(data)
    router = Router().fit(data.texts, data.labels)
    version = (
        RouterModel.objects.filter(target=target)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{target}-v{version}.joblib"
    router.save(folder / name)
    with transaction.atomic():
        RouterModel.objects.filter(target=target, is_active=True).update(is_active=False)
        record = RouterModel.objects.create(
            target=target,
            version=version,
            path=name,
            n_train=len(data.texts),
            labels=sorted(data.counts),
            metrics=metrics,
            is_active=True,
        )
        event_record(
            actor=None,
            actor_name="system",
            verb="router.trained",
            obj=record,
            data={
                "target": target,
                "version": version,
                "n_train": len(data.texts),
                "labels": len(data.counts),
                "metrics": metrics,
            },
        )
        transaction.on_commit(forget_classifier)
    return Trained(target, version, len(data.texts), len(data.counts), metrics)


@transaction.atomic
def routers_use_rules() -> int:
    """Stop using every trained router: the keyword rules route again."""
    changed = RouterModel.objects.filter(is_active=True).update(is_active=False)
    if changed:
        event_record(
            actor=None,
            actor_name="system",
            verb="router.rules_restored",
            data={"deactivated": changed},
        )
        transaction.on_commit(forget_classifier)
    return changed
