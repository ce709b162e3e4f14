"""The usual layout of an official document (公文), as a small builder over the shared helpers
in `govmatrix.core.official_docx`.

From the top: the issuing unit's mark in red, the document number above a red line, the title,
the addressee, the body (paragraphs indented two characters, headings in 黑体, ruled tables),
then the issuing unit and the date (2026年11月28日) where the seal goes, with the seal line,
and the colophon (抄送 and who printed it when). A4, the standard margins, page numbers in the
footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

from govmatrix.core.official_docx import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    TITLE_FONT,
    TITLE_SIZE,
    chinese_date,
    docx_bytes,
    masthead,
    official_document,
    paragraph,
    rule_below,
    ruled_table,
)

# The case documents have always been set a little tighter than the notice (1.45 × the size,
# not 1.5); kept, so that a document generated again matches the one already filed.
LEADING = 1.45
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}

__all__ = ["OfficialDocument", "chinese_date"]


class OfficialDocument:
    def __init__(self) -> None:
        self.doc = official_document()

    # --- text -------------------------------------------------------------------------------
    def line(
        self,
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: float = BODY_SIZE,
        align: str = "",
        indent: bool = False,
        bold: bool = False,
        color: RGBColor | None = None,
    ) -> Paragraph:
        return paragraph(
            self.doc,
            text,
            font=font,
            size=size,
            align=ALIGN[align] if align else None,
            indent=indent,
            bold=bold,
            color=color,
            leading=LEADING,
        )

    def text_block(self, text: str) -> None:
        """A body text as written: one indented paragraph per line."""
        for part in text.splitlines() or [""]:
            if part.strip():
                self.line(part.strip(), indent=True)

    # --- the parts of the layout ------------------------------------------------------------
    def masthead(self, issuer: str, number: str) -> None:
        """The issuing unit's mark in red, the number, and the red line under it."""
        masthead(self.doc, issuer, number, rule_size=18, leading=LEADING)

    def title(self, text: str) -> None:
        self.line(text, font=TITLE_FONT, size=TITLE_SIZE, align="center")
        self.line()

    def addressee(self, text: str) -> None:
        self.line(f"{text}：" if text and not text.endswith(("：", ":")) else text)

    def heading(self, text: str) -> None:
        self.line(text, font=HEADING_FONT, indent=True)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """A two-column ruled table: what, and its value (the evidence)."""
        ruled_table(self.doc, rows, widths=(3.6, 12.0), size=12, label_column=True)

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
            rule_below(self.line(f"抄送：{copy_to}。", size=14), color="000000", size=6)
        printed = self.line(f"{printed_by}    {chinese_date(day)}印发", size=14)
        rule_below(printed, color="000000", size=6)

    def to_bytes(self, *, title: str, author: str) -> bytes:
        return docx_bytes(self.doc, title=title, author=author, language="zh-CN")
