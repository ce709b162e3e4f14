"""Scoring schemes as data: seeding the shipped ones, and new versions edited by the office."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govmatrix.assessment import rules
from govmatrix.assessment.models import SchemeVersion
from govmatrix.assessment.scoring import Scheme, SchemeError, shipped_scheme_dicts
from govmatrix.audit.services import event_record
from govmatrix.core.errors import NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.org.permissions import require, scope_for


def scheme_validate(definition: Any) -> Scheme:
    """The engine's own validation, as the errors services raise (field path → message)."""
    if not isinstance(definition, dict):
        raise ValidationFailed({"definition": _("方案应为 JSON 对象。")})
    try:
        return Scheme.from_dict(definition)
    except SchemeError as exc:
        raise ValidationFailed(exc.errors) from exc


def shipped_versions() -> list[tuple[str, Scheme]]:
    return [(name, Scheme.from_dict(data)) for name, data in shipped_scheme_dicts().items()]


def _row(scheme: Scheme, *, number: int, note: str, actor: Actor | None) -> SchemeVersion:
    return SchemeVersion.objects.create(
        name=scheme.name,
        number=number,
        version_label=scheme.version[:32],
        title_zh=scheme.title_zh[:200],
        definition=scheme.to_dict(),
        content_hash=scheme.content_hash,
        is_current=True,
        note=note[:300],
        created_by=as_user(actor) if actor else None,
    )


@transaction.atomic
def scheme_seed_shipped(*, actor: Actor | None = None) -> list[SchemeVersion]:
    """Add each shipped scheme that the database does not hold yet (safe to run again)."""
    created = []
    for name, scheme in shipped_versions():
        if SchemeVersion.objects.filter(name=name).exists():
            continue
        row = _row(scheme, number=1, note=_("随系统提供"), actor=actor)
        event_record(
            actor=actor,
            actor_name="" if actor else "system",
            verb="scheme.seeded",
            obj=row,
            data={"name": name, "hash": row.content_hash},
        )
        created.append(row)
    return created


@transaction.atomic
def scheme_version_create(
    *, actor: Actor, definition: Any, note: str = "", name: str | None = None
) -> SchemeVersion:
    """Save an edited scheme as the next version of its name (or the first of a new name).

    The previous version stays as it was, and every run computed with it keeps it. Content that
    equals the current version is refused: nothing would change.
    """
    require(rules.can_manage(scope_for(actor)), _("只有管理办公室可以修改考核方案。"))
    scheme = scheme_validate(definition)
    if name is not None and scheme.name != name:
        raise ValidationFailed(
            {
                "name": _("方案代码不能修改（应为 %(name)s）；另存为新方案请从新建开始。")
                % {"name": name}
            }
        )
    versions = SchemeVersion.objects.select_for_update().filter(name=scheme.name)
    current = versions.filter(is_current=True).first()
    if current is not None and current.content_hash == scheme.content_hash:
        raise ValidationFailed({"definition": _("内容与当前版本相同，未保存新版本。")})
    number = (max((v.number for v in versions), default=0)) + 1
    versions.update(is_current=False)
    row = _row(scheme, number=number, note=note.strip(), actor=actor)
    event_record(
        actor=actor,
        verb="scheme.version_created",
        obj=row,
        note=row.note,
        data={
            "name": row.name,
            "number": number,
            "hash": row.content_hash,
            "previous_hash": current.content_hash if current else None,
        },
    )
    return row


def scheme_version_for(ref: str | int) -> SchemeVersion:
    """The version a new run uses: an id, or a scheme name (its current version).

    A shipped scheme missing from the database (a freshly emptied one) is seeded first.
    """
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isascii() and ref.isdigit()):
        row = SchemeVersion.objects.filter(pk=int(ref)).first()
    else:
        row = SchemeVersion.objects.filter(name=str(ref), is_current=True).first()
        if row is None and str(ref) in shipped_scheme_dicts():
            scheme_seed_shipped()
            row = SchemeVersion.objects.filter(name=str(ref), is_current=True).first()
    if row is None:
        raise NotFound(_("考核方案不存在：%(ref)s") % {"ref": ref})
    return row
