"""The office's edits to the harm lexicon and to the typo list. Every change is an audit event;
the screening used everywhere picks it up once the change has committed (`forget_lexicon`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.core.validation import apply_changes
from govmatrix.moderation import rules
from govmatrix.moderation.inspection.typo_list import DEFAULT_TYPOS
from govmatrix.moderation.models import (
    CATEGORISED,
    CATEGORY_LABELS,
    LexiconAction,
    LexiconEntry,
    TypoPair,
)
from govmatrix.moderation.screening import forget_lexicon, shipped_category
from govmatrix.org.permissions import require, scope_for
from govmatrix.textintel.screening.normalize import normalize_text

MAX_TERM = 100


def _office(actor: Actor) -> None:
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以修改词库。"))


def _checked_term(term: str, action: str, category: str) -> tuple[str, str]:
    term = " ".join(term.split())
    errors: dict[str, str] = {}
    if not term:
        errors["term"] = _("请填写词语。")
    elif len(term) > MAX_TERM:
        errors["term"] = _("词语不能超过 %(n)d 个字。") % {"n": MAX_TERM}
    elif not normalize_text(term):
        errors["term"] = _("词语须包含文字或数字。")
    if action not in LexiconAction.values:
        errors["action"] = _("请选择修改类型。")
    if action in CATEGORISED:
        if category not in CATEGORY_LABELS:
            errors["category"] = _("请选择类别。")
    else:
        category = ""
    if action == LexiconAction.REMOVE and term and not shipped_category(term):
        errors["term"] = _("词库中没有“%(t)s”，无需停用。") % {"t": term}
    if errors:
        raise ValidationFailed(errors)
    return term, category


@transaction.atomic
def lexicon_entry_create(
    *, actor: Actor, action: str, term: str, category: str = "", note: str = ""
) -> LexiconEntry:
    _office(actor)
    term, category = _checked_term(term, action, category)
    entry = LexiconEntry(
        action=action,
        term=term,
        category=category,
        note=note.strip()[:200],
        created_by=as_user(actor),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise ValidationFailed({"term": _("该词已在此列表中。")}) from exc
    event_record(
        actor=actor,
        verb="lexicon_entry.created",
        obj=entry,
        data={"action": action, "term": term, "category": category},
        note=entry.note,
    )
    transaction.on_commit(forget_lexicon)
    return entry


@transaction.atomic
def lexicon_entry_update(
    *,
    actor: Actor,
    entry_id: int,
    category: str | None = None,
    note: str | None = None,
    is_active: bool | None = None,
) -> LexiconEntry:
    _office(actor)
    entry = LexiconEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("词库修改不存在。"))
    wanted: dict[str, object] = {}
    if category is not None and entry.action in CATEGORISED:
        if category not in CATEGORY_LABELS:
            raise ValidationFailed({"category": _("请选择类别。")})
        wanted["category"] = category
    if note is not None:
        wanted["note"] = note.strip()[:200]
    if is_active is not None:
        wanted["is_active"] = is_active
    if changes := apply_changes(entry, wanted):
        entry.save(update_fields=[*changes, "updated_at"])
        event_record(
            actor=actor,
            verb="lexicon_entry.updated",
            obj=entry,
            data={"action": entry.action, "term": entry.term, "changes": changes},
        )
        transaction.on_commit(forget_lexicon)
    return entry


# --- typos ------------------------------------------------------------------------------------
@transaction.atomic
def typo_pairs_ensure_defaults() -> int:
    """Add the starting typo list's missing pairs (migration 0003 does it on a new database)."""
    existing = set(TypoPair.objects.values_list("wrong", flat=True))
    missing = [TypoPair(wrong=w, correct=c) for w, c in DEFAULT_TYPOS if w not in existing]
    TypoPair.objects.bulk_create(missing)
    if missing:
        event_record(actor=None, actor_name="system", verb="typo_pair.seeded",
                     data={"added": [p.wrong for p in missing]})  # fmt: skip
    return len(missing)


def _typo_fields(wrong: str, correct: str) -> tuple[str, str]:
    wrong, correct = wrong.strip(), correct.strip()
    errors = {}
    if not wrong:
        errors["wrong"] = _("请填写错误写法。")
    if not correct:
        errors["correct"] = _("请填写正确写法。")
    if wrong and wrong == correct:
        errors["correct"] = _("正确写法应与错误写法不同。")
    if len(wrong) > 40 or len(correct) > 40:
        errors["wrong"] = _("不能超过 40 个字。")
    if errors:
        raise ValidationFailed(errors)
    return wrong, correct


@transaction.atomic
def typo_pair_create(*, actor: Actor, wrong: str, correct: str, note: str = "") -> TypoPair:
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以修改错别字表。"))
    wrong, correct = _typo_fields(wrong, correct)
    pair = TypoPair(wrong=wrong, correct=correct, note=note.strip()[:200])
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError as exc:
        raise ValidationFailed({"wrong": _("该错误写法已在表中。")}) from exc
    event_record(actor=actor, verb="typo_pair.created", obj=pair,
                 data={"wrong": wrong, "correct": correct})  # fmt: skip
    return pair


@transaction.atomic
def typo_pair_update(
    *,
    actor: Actor,
    pair_id: int,
    correct: str | None = None,
    note: str | None = None,
    is_active: bool | None = None,
) -> TypoPair:
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以修改错别字表。"))
    pair = TypoPair.objects.select_for_update().filter(pk=pair_id).first()
    if pair is None:
        raise NotFound(_("错别字不存在。"))
    wanted: dict[str, object] = {}
    if correct is not None:
        wanted["correct"] = _typo_fields(pair.wrong, correct)[1]
    if note is not None:
        wanted["note"] = note.strip()[:200]
    if is_active is not None:
        wanted["is_active"] = is_active
    if changes := apply_changes(pair, wanted):
        pair.save(update_fields=[*changes, "updated_at"])
        event_record(actor=actor, verb="typo_pair.updated", obj=pair, data={"changes": changes})
    return pair
