"""The quarterly notice (季度通报) as docx, in the usual layout of an official document:
issuing office in red, document number, red line, title, addressees, body with numbered
sections (summary, ranking table, good practice, problems, rectification requirements), a
chart, the issuing office and date where the seal goes, and the colophon (版记).

Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体); Word and WPS
substitute their nearest font where one is missing, so the file opens cleanly everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from govmatrix.assessment.dates import chinese_date, quarter_title
from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunNotice, RunUnitResult
from govmatrix.assessment.reports.chart import unit_score_chart
from govmatrix.assessment.reports.texts import labels

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SECTIONS = ("一、总体情况", "二、考核排名", "三、好的做法", "四、存在的问题", "五、整改要求")


def _font(
    run: Any, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _para(
    doc: DocumentType,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = 16,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(28, size * 1.5))
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _rule(paragraph: Paragraph, *, color: str = "C00000", size: int = 12) -> None:
    """A line under the paragraph (the red line under the document number; the colophon's)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": str(size), "space": "1", "color": color}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number_footer(doc: DocumentType) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _row_property(row: Any, name: str) -> None:
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
) -> None:
    """A ruled table; the header row repeats on every page and no row breaks across pages."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _row_property(table.rows[0], "tblHeader")
    for values, font in ((headers, HEADING_FONT), *((r, BODY_FONT) for r in rows)):
        row = table.rows[0] if font == HEADING_FONT else table.add_row()
        _row_property(row, "cantSplit")
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
            _font(paragraph.add_run(value), font, 10.5)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _change(value: int | None) -> str:
    if value is None:
        return "—"
    return f"↑{value}" if value > 0 else f"↓{-value}" if value < 0 else "持平"


def notice_docx(
    run: AssessmentRun, notice: RunNotice, *, rank_changes: dict[int, int | None] | None = None
) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, notice.issuer, font=TITLE_FONT, size=30, align=center, color=RED)
    _para(doc)
    _rule(_para(doc, notice.number, align=center))
    _para(doc)
    title = f"关于{quarter_title(run.quarter)}全区政务微博考核情况的通报"
    _para(doc, title, font=TITLE_FONT, size=22, align=center)
    _para(doc)
    _para(doc, notice.addressees)
    _para(doc, SECTIONS[0], font=HEADING_FONT, indent=True)
    for line in notice.summary.splitlines() or [""]:
        _para(doc, line, indent=True)

    _para(doc, SECTIONS[1], font=HEADING_FONT, indent=True)
    definition = run.scheme_version.definition
    veto_labels = labels(definition, "vetoes")
    changes = rank_changes or {}
    rows = list(RunAccountResult.objects.filter(run=run).order_by("position"))
    _table(
        doc,
        ["排名", "账号", "单位", "得分", "较上季度", "备注"],
        [
            [str(r.rank or "—"), r.account_name, r.unit_name, _score(r.total),
             _change(changes.get(r.account_id)),
             "单项否决：" + "、".join(veto_labels.get(k, k) for k in r.vetoes) if r.vetoed
             else ("数据不足" if r.total is None else "")]
            for r in rows
        ],
        widths=(1.3, 4.3, 3.6, 1.8, 1.8, 2.8),
    )  # fmt: skip
    units = [
        (u.unit_name, u.score)
        for u in RunUnitResult.objects.filter(run=run).order_by("position")
        if u.score is not None
    ]
    if units:
        png = unit_score_chart(units[:25], title=f"{quarter_title(run.quarter)}各单位得分")
        _para(doc)
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.paragraphs[-1].alignment = center
        _para(doc, "图1  各单位得分（单位内账号得分的平均值）", size=12, align=center)

    for heading, text in zip(
        SECTIONS[2:], (notice.good_practice, notice.problems, notice.requirements), strict=True
    ):
        _para(doc, heading, font=HEADING_FONT, indent=True)
        for line in text.splitlines() or [""]:
            _para(doc, line, indent=True)

    _para(doc)
    _para(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, notice.issuer + "    ", align=right)
    _para(doc, chinese_date(notice.issued_on) + "    ", align=right)
    _para(doc, "（此件主动公开）", indent=True)
    _para(doc)
    _rule(_para(doc), color="000000", size=8)
    _rule(_para(doc, f"抄送：{notice.copy_to}", size=14), color="000000", size=4)
    _rule(
        _para(doc, f"{notice.issuer}        {chinese_date(notice.issued_on)}印发", size=14),
        color="000000",
        size=8,
    )
    props = doc.core_properties
    props.title = title
    props.author = notice.issuer
    props.subject = notice.number
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
