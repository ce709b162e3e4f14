"""The two documents: generated from the case as docx in the official layout, editable before
filing, every filed version kept and never changed; both open again with python-docx (and
convert with LibreOffice where it is installed)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from docx import Document

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.moderation import services
from govmatrix.moderation.documents.layout import chinese_date
from govmatrix.moderation.models import CaseDocument, DocumentKind
from govmatrix.moderation.selectors.documents import application_draft, preview_application
from tests.moderation.conftest import RUMOUR, Board, escalated, reload


def _texts(content: bytes) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[cell.text for row in t.rows for cell in row.cells] for t in doc.tables]
    return paragraphs, tables


def test_the_written_application_holds_the_case_in_the_official_layout(board: Board) -> None:
    case = board.flag()
    document = services.harm_case_application_file(actor=board.district.operator, case_id=case.pk)
    paragraphs, tables = _texts(bytes(document.content))
    assert paragraphs[0] == "东城街道"  # the issuing unit's mark
    assert document.number in paragraphs  # the document number
    assert any(p.startswith("关于协调删除“示范区东城街道”有害跟帖的申请") for p in paragraphs)
    assert "管理办公室：" in paragraphs  # the addressee
    assert "（盖章）" in paragraphs  # the seal line
    assert f"{chinese_date(timezone.localdate())}    " in paragraphs  # 2026年11月28日
    cells = tables[0]
    for label, value in (
        ("评论内容", RUMOUR), ("作者", "网民甲"), ("链接", case.comment_url),
        ("类别", "影响社会和谐稳定"), ("证据 SHA-256", case.evidence_sha256),
    ):  # fmt: skip
        assert cells[cells.index(label) + 1].startswith(value)
    assert any("编造停水停电谣言" in p for p in paragraphs)  # the reason
    assert (
        document.sha256 and document.version == 1 and document.created_by == board.district.operator
    )


def test_the_application_can_be_edited_and_regenerated_before_filing(board: Board) -> None:
    case = board.flag()
    services.harm_case_application_update(
        actor=board.district.operator, case_id=case.pk, reason="该跟帖辱骂基层干部，已有多人转发。",
        contact="李四", phone="0571-88880000",
    )  # fmt: skip
    draft = application_draft(reload(case))
    assert draft["reason"] == "该跟帖辱骂基层干部，已有多人转发。"
    paragraphs, _tables = _texts(preview_application(reload(case), actor=board.district.operator))
    assert "该跟帖辱骂基层干部，已有多人转发。" in paragraphs
    assert any("李四" in p and "0571-88880000" in p for p in paragraphs)
    assert CaseDocument.objects.count() == 0  # a preview is not filed
    edited = Event.objects.get(verb="harm_case.application_edited")
    assert edited.data["changes"]["reason"][1] == "该跟帖辱骂基层干部，已有多人转发。"


def test_the_evidence_is_not_among_the_editable_words(board: Board) -> None:
    case = board.flag()
    services.harm_case_application_update(
        actor=board.district.operator, case_id=case.pk, comment_text="改过", evidence_sha256="0"
    )
    _paragraphs, tables = _texts(preview_application(reload(case), actor=board.district.operator))
    assert RUMOUR in tables[0] and case.evidence_sha256 in tables[0]


def test_a_required_word_left_empty_is_refused(board: Board) -> None:
    case = board.flag()
    with pytest.raises(ValidationFailed) as refused:
        services.harm_case_application_file(
            actor=board.district.operator, case_id=case.pk, title=" "
        )
    assert set(refused.value.errors) == {"title"}
    assert CaseDocument.objects.count() == 0


def test_every_filed_version_is_kept(board: Board) -> None:
    case = board.flag()
    first = services.harm_case_application_file(actor=board.district.operator, case_id=case.pk)
    services.harm_case_application_return(
        actor=board.district.office_admin, case_id=case.pk, note="补充转发情况"
    )
    with pytest.raises(InvalidTransition):
        services.harm_case_escalate(actor=board.district.office_admin, case_id=case.pk)
    second = services.harm_case_application_file(
        actor=board.district.operator, case_id=case.pk, reason="已被转发 30 余次。"
    )
    versions = list(CaseDocument.objects.filter(case=case, kind="application").order_by("version"))
    assert [d.version for d in versions] == [1, 2] and versions[0].pk == first.pk
    assert "已被转发 30 余次。" in _texts(bytes(second.content))[0]
    assert "已被转发 30 余次。" not in _texts(bytes(first.content))[0]


def test_a_filed_document_cannot_be_changed(board: Board) -> None:
    case = board.flag()
    document = services.harm_case_application_file(actor=board.district.operator, case_id=case.pk)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        CaseDocument.objects.filter(pk=document.pk).update(number="改过")


def test_the_letter_escalates_to_the_city_and_records_its_recipients(board: Board) -> None:
    case = escalated(board)
    letter = CaseDocument.objects.get(case=case, kind=DocumentKind.LETTER)
    application = CaseDocument.objects.get(case=case, kind=DocumentKind.APPLICATION)
    assert case.recipients == ["市委宣传部", "市委网信办", "区委宣传部"]
    paragraphs, tables = _texts(bytes(letter.content))
    assert paragraphs[0] == "管理办公室"
    assert letter.number in paragraphs
    assert "关于提请协调删除政务微博有害跟帖的函" in paragraphs
    assert "市委宣传部：" in paragraphs
    assert any(p.startswith("抄送：市委网信办、区委宣传部") for p in paragraphs)
    assert "（盖章）" in paragraphs
    cells = tables[0]
    assert cells[cells.index("书面申请") + 1].startswith(application.number)
    assert cells[cells.index("申请文件 SHA-256") + 1] == application.sha256
    event = Event.objects.get(verb="harm_case.escalated")
    assert event.data["recipients"] == case.recipients


def test_the_office_chooses_the_recipients(board: Board) -> None:
    from tests.moderation.conftest import filed

    case = filed(board)
    services.harm_case_escalate(
        actor=board.district.office_admin, case_id=case.pk, addressee="市委宣传部",
        copy_to="省委网信办，市公安局网安支队",
    )  # fmt: skip
    assert reload(case).recipients == ["市委宣传部", "省委网信办", "市公安局网安支队"]


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_both_documents_convert_cleanly_with_libreoffice(board: Board, tmp_path: Path) -> None:
    case = escalated(board)
    for document in CaseDocument.objects.filter(case=case):
        source = tmp_path / f"{document.kind}.docx"
        source.write_bytes(bytes(document.content))
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
            check=True, capture_output=True, timeout=180,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        pdf = tmp_path / f"{document.kind}.pdf"
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
