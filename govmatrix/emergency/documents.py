"""The incident's timeline as an official document (docx): issuing office in red, document
number, red line, title, addressee, body in numbered sections (the incident; the statements
and the two clocks; the reposts with their latency; related citizen messages and
harmful-comment cases; the timeline), the issuing office and date with the seal line, and the
colophon. Fonts are named as Chinese offices have them; Word and WPS substitute their nearest
font where one is missing, so the file opens cleanly everywhere."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from govmatrix.core.types import Actor
from govmatrix.emergency.models import Incident
from govmatrix.emergency.selectors.incidents import incident_clocks, statements_of
from govmatrix.emergency.selectors.orders import OrderFilter, board_summary, order_list
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.emergency.selectors.timeline import incident_timeline
from govmatrix.emergency.templatetags.emergency import latency_text, order_state_label
from govmatrix.org.models import Unit, UnitKind

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
ORDER_ROWS = 300  # per statement; the rest are in the board's xlsx


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _font(run: Any, name: str, size: float, *, bold: bool = False, color: Any = None) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(
    doc: DocumentType,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = 16,
    align: Any = None,
    indent: bool = False,
    color: Any = None,
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
        _font(paragraph.add_run(text), font, size, color=color)
    return paragraph


def _rule(paragraph: Paragraph, *, color: str = "C00000", size: int = 12) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": str(size), "space": "1", "color": color}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _repeat_header(row: Any) -> None:
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    for values, font in ((headers, HEADING_FONT), *((r, BODY_FONT) for r in rows)):
        row = table.rows[0] if font == HEADING_FONT else table.add_row()
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(1)
            paragraph.paragraph_format.space_after = Pt(1)
            _font(paragraph.add_run(str(value)), font, 10.5)


def _issuer() -> str:
    office = Unit.objects.filter(kind=UnitKind.OFFICE).values_list("name", flat=True).first()
    return office or "政务微博管理办公室"


def _addressee() -> str:
    government = (
        Unit.objects.filter(kind=UnitKind.DISTRICT_GOVERNMENT)
        .values_list("name", flat=True)
        .first()
    )
    return f"{government or '区人民政府'}："


def _incident_section(doc: DocumentType, incident: Incident) -> None:
    units = "、".join(incident.units.values_list("name", flat=True)) or "—"
    commander = incident.commander
    lines = [
        f"{_when(incident.declared_at)}，管理办公室宣布“{incident.title}”为"
        f"{incident.get_level_display()}突发事件，现场最高领导为{commander.name}"
        f"{('（' + commander.title + '）') if commander.title else ''}，涉事单位：{units}。",
    ]
    if incident.summary:
        lines.append(incident.summary)
    for clock in incident_clocks(incident):
        hours = round((clock.due_at - incident.declared_at).total_seconds() / 3600)
        lines.append(f"{clock.label}（{hours}小时内，按自然时间计算）：{clock.text}。")
    if incident.stood_down_at:
        lines.append(f"{_when(incident.stood_down_at)}事件结束。{incident.stand_down_note}")
    for line in lines:
        _para(doc, line, indent=True)


def _statements_section(doc: DocumentType, incident: Incident) -> list[Any]:
    statements = list(statements_of(incident))
    rows = []
    for index, s in enumerate(statements, start=1):
        post = s.post
        since = (
            latency_text(int((s.published_at - incident.declared_at).total_seconds()))
            if s.published_at
            else "未发布"
        )
        approver = (
            post.approved_by.first_name or post.approved_by.username if post.approved_by else "—"
        )
        rows.append([str(index), s.label, _when(s.published_at), since, approver, post.text[:120]])
    if rows:
        _table(doc, ["序号", "类别", "发布时间", "距宣布", "审核人", "正文"], rows,
               widths=(1.0, 2.4, 2.4, 2.2, 1.8, 6.2))  # fmt: skip
    else:
        _para(doc, "尚未发布应对口径。", indent=True)
    return [s for s in statements if s.fanned_out_at]


def _reposts_section(doc: DocumentType, user: Actor, statements: list[Any]) -> None:
    if not statements:
        _para(doc, "尚未下达转发任务。", indent=True)
        return
    now = timezone.now()
    for s in statements:
        summary = board_summary(user=user, statement=s)
        median = latency_text(summary.median_latency) if summary.median_latency is not None else "—"
        _para(
            doc,
            f"{s.label}：向{summary.total}个子账号下达转发任务，时限{s.repost_minutes}分钟。"
            f"已转发{summary.reposted}个（按时{summary.on_time}个、超时{summary.late}个），"
            f"未转发{summary.open}个（其中超时{summary.overdue}个），免除{summary.exempted}个；"
            f"转发用时中位数{median}。",
            indent=True,
        )
        orders = order_list(user=user, filters=OrderFilter(statement_id=s.pk)).order_by(
            "unit__sort_order", "id"
        )
        rows = [
            [
                o.unit.name,
                o.account.display_name,
                order_state_label(o, now),
                _when(o.reposted_at),
                latency_text(o.latency_seconds) if o.latency_seconds is not None else "—",
                o.repost_url or o.repost_external_id or o.exemption_reason or "",
            ]
            for o in orders[:ORDER_ROWS]
        ]
        _table(doc, ["单位", "账号", "状态", "转发时间", "用时", "凭证／理由"], rows,
               widths=(2.6, 3.2, 2.8, 2.2, 1.8, 3.4))  # fmt: skip
        if summary.total > ORDER_ROWS:
            _para(
                doc,
                f"另有{summary.total - ORDER_ROWS}个账号，见系统导出的转发情况表。",
                indent=True,
            )


def timeline_docx_bytes(user: Actor, incident: Incident) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    issuer = _issuer()
    number = f"{emergency_settings().document_prefix}〔{incident.year}〕{incident.sequence}号"
    _para(doc, issuer, font=TITLE_FONT, size=26, align=center, color=RED)
    _para(doc)
    _rule(_para(doc, number, align=center))
    _para(doc)
    title = f"关于“{incident.title}”信息发布与转发情况的报告"
    _para(doc, title, font=TITLE_FONT, size=22, align=center)
    _para(doc)
    _para(doc, _addressee())
    _para(doc, "一、事件基本情况", font=HEADING_FONT, indent=True)
    _incident_section(doc, incident)
    _para(doc, "二、权威信息发布情况", font=HEADING_FONT, indent=True)
    published = _statements_section(doc, incident)
    _para(doc, "三、子账号转发情况", font=HEADING_FONT, indent=True)
    _reposts_section(doc, user, published)
    _para(doc, "四、相关网民留言与有害信息处置", font=HEADING_FONT, indent=True)
    timeline = incident_timeline(user=user, incident=incident)
    if not timeline.has_sources:
        _para(doc, "网民留言和有害信息处置模块尚未接入本报告，本节暂无内容。", indent=True)
    for part in timeline.parts:
        _para(doc, f"{part.source.label}：", indent=True)
        if part.error:
            _para(doc, part.error, indent=True)
        elif not part.entries:
            _para(doc, "事件期间无相关记录。", indent=True)
        for entry in part.entries:
            _para(doc, f"{_when(entry.at)}  {entry.text}", indent=True)
    _para(doc, "五、处置时间线", font=HEADING_FONT, indent=True)
    for entry in timeline.entries:
        detail = f"（{entry.detail}）" if entry.detail else ""
        _para(doc, f"{_when(entry.at)}  {entry.kind}：{entry.text}{detail}", indent=True)
    _para(doc)
    _para(doc, "（印章）    ", align=right)
    _para(doc, issuer + "    ", align=right)
    today = timezone.localdate()
    _para(doc, chinese_date(today) + "    ", align=right)
    _para(doc)
    _rule(_para(doc), color="000000", size=8)
    _rule(_para(doc, f"{issuer}        {chinese_date(today)}印发", size=14), color="000000", size=8)
    props = doc.core_properties
    props.title, props.author, props.subject = title, issuer, number
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
