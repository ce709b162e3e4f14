"""The case's documents as they stand: the editable words of the application and the letter
(the saved draft over the generated defaults), previews of them as docx, and the filed ones."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.moderation import documents
from govmatrix.moderation.models import CaseDocument, DocumentKind, HarmCase
from govmatrix.org.models import Person, Unit, UnitKind


def issuers() -> documents.Issuers:
    office = Unit.objects.filter(kind=UnitKind.OFFICE).values_list("name", flat=True).first()
    return documents.Issuers(office=office or "管理办公室", unit="")


def _person(actor: Actor) -> tuple[str, str]:
    user_id = getattr(actor, "pk", None)
    person = Person.objects.filter(user_id=user_id).first() if user_id is not None else None
    return (person.name, person.phone) if person is not None else ("", "")


def latest_document(case: HarmCase, kind: str) -> CaseDocument | None:
    return case.documents.filter(kind=kind).order_by("-version").first()


def application_draft(case: HarmCase, *, actor: Actor | None = None) -> dict[str, str]:
    """The application's words as they stand: the saved draft over the generated defaults."""
    contact, phone = _person(actor) if actor is not None else ("", "")
    base = documents.application_defaults(case, issuers(), contact=contact, phone=phone)
    return (
        {**base, **documents.clean_fields(case.application_draft, documents.APPLICATION_FIELDS)}
        if case.application_draft
        else base
    )


def letter_draft(case: HarmCase, *, actor: Actor | None = None) -> dict[str, str]:
    base = documents.letter_defaults(
        case, issuers(), latest_document(case, DocumentKind.APPLICATION)
    )
    if actor is not None:
        base["contact"], base["phone"] = _person(actor)
    return (
        {**base, **documents.clean_fields(case.letter_draft, documents.LETTER_FIELDS)}
        if case.letter_draft
        else base
    )


def preview_application(case: HarmCase, *, actor: Actor) -> bytes:
    """The application as it would be filed now (not stored): "regenerate" after an edit."""
    return documents.application_docx(
        case, application_draft(case, actor=actor), day=timezone.localdate()
    )


def preview_letter(case: HarmCase, *, actor: Actor) -> bytes:
    return documents.letter_docx(
        case,
        letter_draft(case, actor=actor),
        issuers=issuers(),
        application=latest_document(case, DocumentKind.APPLICATION),
        day=timezone.localdate(),
    )


def document_get(*, case: HarmCase, document_id: int) -> CaseDocument:
    """A filed document of a case the caller has already found visible."""
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("文书不存在。"))
    return document
