"""The usual layout of an official document (公文), as a small builder over python-docx.

From the top: the issuing unit's mark in red, the document number above a red line, the title,
the addressee, the body (paragraphs indented two characters, headings in 黑体, ruled tables),
then the issuing unit and the date (2026年11月28日) where the seal goes, with the seal line,
and the colophon (抄送 and who printed it when). A4, the standard margins, page numbers in the
footer. Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体); Word
and WPS substitute their nearest font where one is missing, so the file opens everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

MARK_RED = RGBColor(0xC0, 0x00, 0x00)
FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体", "kai": "楷体_GB2312"}
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class OfficialDocument:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        self._footer_page_number()

    # --- text -------------------------------------------------------------------------------
    @staticmethod
    def _style_run(run: Any, font: str, size: float, *, bold: bool, color: RGBColor | None) -> None:
        run.font.name = "Times New Roman"
        run.font.size = Pt(size)
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = color
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    def line(
        self,
        text: str = "",
        *,
        font: str = "body",
        size: float = BODY_SIZE,
        align: str = "",
        indent: bool = False,
        bold: bool = False,
        color: RGBColor | None = None,
    ) -> Any:
        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(28, size * 1.45))
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align:
            paragraph.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]
        if text:
            self._style_run(paragraph.add_run(text), FONTS[font], size, bold=bold, color=color)
        return paragraph

    def text_block(self, text: str) -> None:
        """A body text as written: one indented paragraph per line."""
        for part in text.splitlines() or [""]:
            if part.strip():
                self.line(part.strip(), indent=True)

    @staticmethod
    def _underline(paragraph: Any, *, color: str, size: int) -> None:
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)

    # --- the parts of the layout ------------------------------------------------------------
    def masthead(self, issuer: str, number: str) -> None:
        """The issuing unit's mark in red, the number, and the red line under it."""
        self.line(issuer, font="title", size=26, align="center", color=MARK_RED)
        self.line()
        self._underline(self.line(number, align="center"), color="C00000", size=18)
        self.line()

    def title(self, text: str) -> None:
        self.line(text, font="title", size=TITLE_SIZE, align="center")
        self.line()

    def addressee(self, text: str) -> None:
        self.line(f"{text}：" if text and not text.endswith(("：", ":")) else text)

    def heading(self, text: str) -> None:
        self.line(text, font="heading", indent=True)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """A two-column ruled table: what, and its value (the evidence)."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(3.6), Cm(12.0)
            for cell, text, font in ((cells[0], label, "heading"), (cells[1], value, "body")):
                cell.text = ""
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_before = Pt(2)
                paragraph.paragraph_format.space_after = Pt(2)
                self._style_run(paragraph.add_run(text), FONTS[font], 12, bold=False, color=None)

    def signature(self, issuer: str, day: date) -> None:
        """The issuing unit and the date, right-aligned, and the seal line over them."""
        self.line()
        self.line()
        self.line("（盖章）", align="right")
        self.line(issuer + "    ", align="right")
        self.line(chinese_date(day) + "    ", align="right")

    def contact(self, person: str, phone: str) -> None:
        if person or phone:
            self.line()
            self.line(f"（联系人：{person or '—'}，联系电话：{phone or '—'}）", indent=True)

    def colophon(self, copy_to: str, printed_by: str, day: date) -> None:
        self.line()
        if copy_to:
            self._underline(self.line(f"抄送：{copy_to}。", size=14), color="000000", size=6)
        printed = self.line(size=14)
        self._style_run(
            printed.add_run(f"{printed_by}    {chinese_date(day)}印发"),
            FONTS["body"],
            14,
            bold=False,
            color=None,
        )
        self._underline(printed, color="000000", size=6)

    def _footer_page_number(self) -> None:
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._style_run(paragraph.add_run("— "), FONTS["body"], 14, bold=False, color=None)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        self._style_run(paragraph.add_run(" —"), FONTS["body"], 14, bold=False, color=None)

    def to_bytes(self, *, title: str, author: str) -> bytes:
        props = self.doc.core_properties
        props.title, props.author, props.language = title, author, "zh-CN"
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
