"""The layout of an official document (公文, after GB/T 9704) in python-docx, one copy for every
document GovMatrix writes: the quarterly notice, an incident's timeline, a case's application
and letter.

A4 with the standard margins, page numbers between dashes in the footer, the issuing office in
red over the document number and its red rule, body text on a fixed line grid with a
two-character first-line indent, ruled tables, dates written out (2026年11月28日).

Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体); Word and WPS
substitute their nearest font where one is missing, so the file opens cleanly everywhere.
No Django here: the callers bring their texts, dates already local.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
# The body's line grid: 22 lines of 三号 to an A4 page; larger type gets proportionally more.
MIN_LINE_PT = 28
LEADING = 1.5


def chinese_date(day: date) -> str:
    """2026年11月28日: no leading zeros, as an issuing date is written."""
    return f"{day.year}年{day.month}月{day.day}日"


def official_document(*, page_numbers: bool = True) -> DocumentType:
    """An empty A4 document with the margins of GB/T 9704 (37/35 mm top/bottom, 28/26 mm
    left/right)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    if page_numbers:
        page_number_footer(doc)
    return doc


def set_font(
    run: Run, font: str, size: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    # Word takes Chinese characters from the East-Asian font slot only; Latin letters and digits
    # in the same run stay in Times New Roman, as the standard asks.
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def paragraph(
    doc: DocumentType,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
    leading: float = LEADING,
) -> Paragraph:
    """A paragraph on the fixed line grid; `indent` sets in the first line by two characters.
    Without text it is an empty line of the grid, the spacer official documents use."""
    added = doc.add_paragraph()
    fmt = added.paragraph_format
    # Exact spacing rather than "multiple": the page holds the same number of lines whatever
    # font Word or WPS substitutes.
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(MIN_LINE_PT, size * leading))
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        added.alignment = align
    if text:
        set_font(added.add_run(text), font, size, bold=bold, color=color)
    return added


_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def rule_below(paragraph: Paragraph, *, color: str = "C00000", size: int = 12) -> None:
    """A line under the paragraph: red under the document number, black in the colophon.
    `size` is in eighths of a point."""
    # A paragraph border rather than a drawn shape, so the rule moves with the text.
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": str(size), "space": "1", "color": color}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # The schema orders a paragraph's properties: the border goes before spacing, indent and
    # alignment, which strict readers check.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)


def masthead(
    doc: DocumentType,
    issuer: str,
    number: str,
    *,
    issuer_size: float = 26,
    rule_size: int = 12,
    leading: float = LEADING,
) -> None:
    """The issuing office's mark in red, the document number over the red rule, and the empty
    lines around them."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(
        doc, issuer, font=TITLE_FONT, size=issuer_size, align=center, color=RED, leading=leading
    )
    paragraph(doc, leading=leading)
    rule_below(paragraph(doc, number, align=center, leading=leading), size=rule_size)
    paragraph(doc, leading=leading)


def page_number_footer(doc: DocumentType) -> None:
    """— 1 — centred in the footer."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), BODY_FONT, 14)
    # A PAGE field, so Word and WPS number every page themselves; the "1" is only what shows
    # before they update the field.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    footer._p.append(field)
    set_font(footer.add_run(" —"), BODY_FONT, 14)


def _row_flag(row: _Row, name: str) -> None:
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def ruled_table(
    doc: DocumentType,
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float],
    headers: Sequence[str] | None = None,
    size: float = 10.5,
    spacing: float = 2,
    align: WD_ALIGN_PARAGRAPH | None = None,
    keep_rows_whole: bool = False,
    label_column: bool = False,
) -> Table:
    """A table ruled on every side, centred on the page, with fixed column widths in cm.

    `headers` make a first row in 黑体 that Word repeats at the top of every page the table
    runs onto. `keep_rows_whole` stops a row from breaking across pages; `label_column` sets
    the first column in 黑体 too, for a table of what and its value. `spacing` (pt) is the air
    above and below each cell's text.
    """
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Without this Word widens columns to their content and the widths given mean nothing.
    table.autofit = False
    lines: list[tuple[Sequence[object], bool]] = [(values, False) for values in rows]
    if headers is not None:
        lines.insert(0, (headers, True))
    for values, is_header in lines:
        row = table.add_row()
        if is_header:
            _row_flag(row, "tblHeader")
        if keep_rows_whole:
            _row_flag(row, "cantSplit")
        for column, (cell, value, width) in enumerate(zip(row.cells, values, widths, strict=True)):
            cell.width = Cm(width)
            cell.text = ""
            text = cell.paragraphs[0]
            if align is not None:
                text.alignment = align
            text.paragraph_format.space_before = Pt(spacing)
            text.paragraph_format.space_after = Pt(spacing)
            heading = is_header or (label_column and column == 0)
            set_font(text.add_run(str(value)), HEADING_FONT if heading else BODY_FONT, size)
    return table


def docx_bytes(
    doc: DocumentType,
    *,
    title: str,
    author: str,
    subject: str | None = None,
    language: str | None = None,
) -> bytes:
    """The file, with the title, issuing office and number in its properties, where search and
    the document management systems read them."""
    props = doc.core_properties
    props.title = title
    props.author = author
    if subject is not None:
        props.subject = subject
    if language is not None:
        props.language = language
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
