"""The quarterly notice (季度通报) as docx, in the usual layout of an official document:
issuing office in red, document number, red line, title, addressees, body with numbered
sections (summary, ranking table, good practice, problems, rectification requirements), a
chart, the issuing office and date where the seal goes, and the colophon (版记).

Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体); Word and WPS
substitute their nearest font where one is missing, so the file opens cleanly everywhere.
"""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from govmatrix.assessment.dates import quarter_title
from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunNotice, RunUnitResult
from govmatrix.assessment.reports.chart import unit_score_chart
from govmatrix.assessment.reports.texts import labels
from govmatrix.core.official_docx import (
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

SECTIONS = ("一、总体情况", "二、考核排名", "三、好的做法", "四、存在的问题", "五、整改要求")


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _change(value: int | None) -> str:
    if value is None:
        return "—"
    return f"↑{value}" if value > 0 else f"↓{-value}" if value < 0 else "持平"


def notice_docx(
    run: AssessmentRun, notice: RunNotice, *, rank_changes: dict[int, int | None] | None = None
) -> bytes:
    doc = official_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    masthead(doc, notice.issuer, notice.number, issuer_size=30)
    title = f"关于{quarter_title(run.quarter)}全区政务微博考核情况的通报"
    paragraph(doc, title, font=TITLE_FONT, size=22, align=center)
    paragraph(doc)
    paragraph(doc, notice.addressees)
    paragraph(doc, SECTIONS[0], font=HEADING_FONT, indent=True)
    for line in notice.summary.splitlines() or [""]:
        paragraph(doc, line, indent=True)

    paragraph(doc, SECTIONS[1], font=HEADING_FONT, indent=True)
    definition = run.scheme_version.definition
    veto_labels = labels(definition, "vetoes")
    changes = rank_changes or {}
    rows = list(RunAccountResult.objects.filter(run=run).order_by("position"))
    ruled_table(
        doc,
        [
            [str(r.rank or "—"), r.account_name, r.unit_name, _score(r.total),
             _change(changes.get(r.account_id)),
             "单项否决：" + "、".join(veto_labels.get(k, k) for k in r.vetoes) if r.vetoed
             else ("数据不足" if r.total is None else "")]
            for r in rows
        ],
        headers=["排名", "账号", "单位", "得分", "较上季度", "备注"],
        widths=(1.3, 4.3, 3.6, 1.8, 1.8, 2.8),
        align=center,
        keep_rows_whole=True,
    )  # fmt: skip
    units = [
        (u.unit_name, u.score)
        for u in RunUnitResult.objects.filter(run=run).order_by("position")
        if u.score is not None
    ]
    if units:
        png = unit_score_chart(units[:25], title=f"{quarter_title(run.quarter)}各单位得分")
        paragraph(doc)
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.paragraphs[-1].alignment = center
        paragraph(doc, "图1  各单位得分（单位内账号得分的平均值）", size=12, align=center)

    for heading, text in zip(
        SECTIONS[2:], (notice.good_practice, notice.problems, notice.requirements), strict=True
    ):
        paragraph(doc, heading, font=HEADING_FONT, indent=True)
        for line in text.splitlines() or [""]:
            paragraph(doc, line, indent=True)

    paragraph(doc)
    paragraph(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(doc, notice.issuer + "    ", align=right)
    paragraph(doc, chinese_date(notice.issued_on) + "    ", align=right)
    paragraph(doc, "（此件主动公开）", indent=True)
    paragraph(doc)
    rule_below(paragraph(doc), color="000000", size=8)
    rule_below(paragraph(doc, f"抄送：{notice.copy_to}", size=14), color="000000", size=4)
    rule_below(
        paragraph(doc, f"{notice.issuer}        {chinese_date(notice.issued_on)}印发", size=14),
        color="000000",
        size=8,
    )
    return docx_bytes(doc, title=title, author=notice.issuer, subject=notice.number)
