"""The official-document layout shared by the notice, the incident timeline and the case
documents: each helper is written to a file, opened again and read back from its XML."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from govmatrix.core.official_docx import (
    BODY_FONT,
    HEADING_FONT,
    TITLE_FONT,
    chinese_date,
    docx_bytes,
    masthead,
    official_document,
    paragraph,
    rule_below,
    ruled_table,
)

HEADERS = ["排名", "账号", "得分"]
ROWS = [["1", "@示范区发布", "96.50"], ["2", "@东城街道", "91.00"]]
WIDTHS = (1.3, 4.3, 1.8)


def _reopened(doc: DocumentType) -> DocumentType:
    return Document(io.BytesIO(docx_bytes(doc, title="通报", author="管理办公室")))


def _attr(element: etree._Element, path: str, name: str) -> str | None:
    found = element.find(
        path, {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    )
    return None if found is None else found.get(qn(f"w:{name}"))


def _table_with(
    *, align: WD_ALIGN_PARAGRAPH | None = None, keep_rows_whole: bool = False
) -> etree._Element:
    doc = official_document()
    ruled_table(
        doc, ROWS, headers=HEADERS, widths=WIDTHS, align=align, keep_rows_whole=keep_rows_whole
    )
    return _reopened(doc).tables[0]._tbl


def test_a_chinese_date_is_written_out_without_leading_zeros() -> None:
    assert chinese_date(date(2026, 11, 28)) == "2026年11月28日"
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"


def test_the_page_is_a4_with_the_margins_of_the_standard() -> None:
    section = _reopened(official_document()).sections[0]._sectPr
    assert _attr(section, "w:pgSz", "w") == "11906" and _attr(section, "w:pgSz", "h") == "16838"
    margins = {side: _attr(section, "w:pgMar", side) for side in ("top", "bottom", "left", "right")}
    assert margins == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}


def test_the_page_number_footer_holds_a_page_field_between_dashes() -> None:
    footer = _reopened(official_document()).sections[0].footer.paragraphs[0]
    fields = footer._p.findall(qn("w:fldSimple"))
    assert [field.get(qn("w:instr")) for field in fields] == ["PAGE"]
    assert footer.text == "—  —"  # the number itself lives in the field
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_a_document_asked_for_without_page_numbers_has_no_page_field() -> None:
    footer = _reopened(official_document(page_numbers=False)).sections[0].footer
    assert footer.is_linked_to_previous  # no footer of its own
    assert not footer._element.findall(".//" + qn("w:fldSimple"))


def test_chinese_text_takes_its_font_from_the_east_asian_slot_and_latin_stays_roman() -> None:
    doc = official_document()
    paragraph(doc, "2026年第三季度", font=HEADING_FONT, size=16, bold=True)
    run = _reopened(doc).paragraphs[0].runs[0]
    fonts = run._r.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert run.font.size.pt == 16 and run.font.bold is True


def test_a_body_paragraph_sits_on_the_28_point_grid_with_a_two_character_indent() -> None:
    doc = official_document()
    paragraph(doc, "现将有关情况通报如下。", indent=True)
    fmt = _reopened(doc).paragraphs[0].paragraph_format
    assert fmt.line_spacing.pt == 28 and fmt.first_line_indent.pt == 32
    assert fmt.space_before.pt == fmt.space_after.pt == 0


def test_a_larger_line_gets_proportionally_more_room_by_the_leading_given() -> None:
    doc = official_document()
    paragraph(doc, "关于通报的通知", font=TITLE_FONT, size=22)
    paragraph(doc, "关于申请的函", font=TITLE_FONT, size=22, leading=1.45)
    spacings = [p.paragraph_format.line_spacing.pt for p in _reopened(doc).paragraphs]
    assert spacings == [33, 31.9]


def test_an_empty_paragraph_is_an_empty_line_of_the_grid() -> None:
    doc = official_document()
    paragraph(doc)
    line = _reopened(doc).paragraphs[0]
    assert line.runs == [] and line.paragraph_format.line_spacing.pt == 28


def test_the_rule_below_a_paragraph_is_red_unless_another_colour_is_given() -> None:
    doc = official_document()
    rule_below(paragraph(doc, "区政务微博办〔2026〕3号"))
    rule_below(paragraph(doc, "抄送：市委网信办"), color="000000", size=4)
    red, black = (p._p.pPr for p in _reopened(doc).paragraphs)
    assert _attr(red, "w:pBdr/w:bottom", "color") == "C00000"
    assert _attr(red, "w:pBdr/w:bottom", "val") == "single"
    assert _attr(red, "w:pBdr/w:bottom", "sz") == "12"
    assert _attr(black, "w:pBdr/w:bottom", "color") == "000000"
    assert _attr(black, "w:pBdr/w:bottom", "sz") == "4"


def test_the_rule_stands_before_spacing_indent_and_alignment_as_the_schema_orders_them() -> None:
    doc = official_document()
    rule_below(
        paragraph(doc, "区政务微博办〔2026〕3号", indent=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    )
    properties = [etree.QName(child).localname for child in _reopened(doc).paragraphs[0]._p.pPr]
    assert properties == ["pBdr", "spacing", "ind", "jc"]


def test_the_masthead_puts_the_issuer_in_red_over_the_number_and_its_red_rule() -> None:
    doc = official_document()
    masthead(doc, "示范区政务微博管理办公室", "区政务微博办〔2026〕3号", issuer_size=30)
    issuer, before, number, after = _reopened(doc).paragraphs
    assert issuer.text == "示范区政务微博管理办公室"
    assert str(issuer.runs[0].font.color.rgb) == "C00000" and issuer.runs[0].font.size.pt == 30
    assert issuer.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    assert number.text == "区政务微博办〔2026〕3号"
    assert _attr(number._p.pPr, "w:pBdr/w:bottom", "color") == "C00000"
    assert before.text == after.text == ""


def test_the_ruled_table_repeats_its_header_row_on_every_page() -> None:
    header, *rows = _table_with().tr_lst
    assert _attr(header, "w:trPr/w:tblHeader", "val") == "true"
    assert all(row.find(qn("w:trPr")) is None for row in rows)


def test_the_header_row_is_set_in_heidi_and_the_rows_in_fangsong() -> None:
    tbl = _table_with()
    fonts = [
        [tc.find(f".//{qn('w:rFonts')}").get(qn("w:eastAsia")) for tc in tr.tc_lst]
        for tr in tbl.tr_lst
    ]
    assert fonts == [[HEADING_FONT] * 3, [BODY_FONT] * 3, [BODY_FONT] * 3]


def test_the_ruled_table_is_ruled_centred_and_holds_its_widths() -> None:
    doc = official_document()
    ruled_table(doc, ROWS, headers=HEADERS, widths=WIDTHS)
    table = _reopened(doc).tables[0]
    assert table.style.name == "Table Grid"
    assert _attr(table._tbl.tblPr, "w:jc", "val") == "center"
    assert _attr(table._tbl.tblPr, "w:tblLayout", "type") == "fixed"
    assert [round(cell.width.cm, 1) for cell in table.rows[1].cells] == list(WIDTHS)
    assert [[cell.text for cell in row.cells] for row in table.rows] == [HEADERS, *ROWS]


def test_rows_break_across_pages_unless_they_are_kept_whole() -> None:
    assert not _table_with().findall(f".//{qn('w:cantSplit')}")
    kept = _table_with(keep_rows_whole=True)
    assert all(_attr(tr, "w:trPr/w:cantSplit", "val") == "true" for tr in kept.tr_lst)


def test_cells_keep_the_body_alignment_unless_centred() -> None:
    assert not _table_with().findall(f".//{qn('w:tc')}//{qn('w:jc')}")
    centred = _table_with(align=WD_ALIGN_PARAGRAPH.CENTER)
    alignments = {_attr(tc, "w:p/w:pPr/w:jc", "val") for tr in centred.tr_lst for tc in tr.tc_lst}
    assert alignments == {"center"}


def test_a_table_without_headers_can_name_each_row_in_its_first_column() -> None:
    doc = official_document()
    ruled_table(doc, [("类别", "谣言"), ("作者", "网民甲")], widths=(3.6, 12.0), label_column=True)
    table = _reopened(doc).tables[0]
    assert table._tbl.find(f".//{qn('w:tblHeader')}") is None
    fonts = [
        [cell._tc.find(f".//{qn('w:rFonts')}").get(qn("w:eastAsia")) for cell in row.cells]
        for row in table.rows
    ]
    assert fonts == [[HEADING_FONT, BODY_FONT], [HEADING_FONT, BODY_FONT]]


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        ruled_table(official_document(), [["1", "@示范区发布"]], headers=HEADERS, widths=WIDTHS)


def test_the_file_carries_its_title_issuer_and_number() -> None:
    content = docx_bytes(
        official_document(), title="通报", author="管理办公室", subject="办〔2026〕3号",
        language="zh-CN",
    )  # fmt: skip
    props = Document(io.BytesIO(content)).core_properties
    assert (props.title, props.author, props.subject, props.language) == (
        "通报", "管理办公室", "办〔2026〕3号", "zh-CN",
    )  # fmt: skip


def test_the_layout_loads_without_django() -> None:
    code = (
        "import sys, govmatrix.core.official_docx; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
