"""The incident's timeline as an official document (docx): issuing office in red, document
number, red line, title, addressee, body in numbered sections (the incident; the statements
and the two clocks; the reposts with their latency; related citizen messages and
harmful-comment cases; the timeline), the issuing office and date with the seal line, and the
colophon. Fonts are named as Chinese offices have them; Word and WPS substitute their nearest
font where one is missing, so the file opens cleanly everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH

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
from govmatrix.core.types import Actor
from govmatrix.emergency.models import Incident
from govmatrix.emergency.selectors.incidents import incident_clocks, statements_of
from govmatrix.emergency.selectors.orders import OrderFilter, board_summary, order_list
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.emergency.selectors.timeline import incident_timeline
from govmatrix.emergency.templatetags.emergency import latency_text, order_state_label
from govmatrix.org.models import Unit, UnitKind

ORDER_ROWS = 300  # per statement; the rest are in the board's xlsx


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


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
        paragraph(doc, line, indent=True)


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
        # The timeline's tables as they have always been issued (here and for the orders):
        # cells left-aligned with 1 pt of air, rows free to break across pages.
        ruled_table(doc, rows, headers=["序号", "类别", "发布时间", "距宣布", "审核人", "正文"],
                    widths=(1.0, 2.4, 2.4, 2.2, 1.8, 6.2), spacing=1)  # fmt: skip
    else:
        paragraph(doc, "尚未发布应对口径。", indent=True)
    return [s for s in statements if s.fanned_out_at]


def _reposts_section(doc: DocumentType, user: Actor, statements: list[Any]) -> None:
    if not statements:
        paragraph(doc, "尚未下达转发任务。", indent=True)
        return
    now = timezone.now()
    for s in statements:
        summary = board_summary(user=user, statement=s)
        median = latency_text(summary.median_latency) if summary.median_latency is not None else "—"
        paragraph(
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
        ruled_table(doc, rows, headers=["单位", "账号", "状态", "转发时间", "用时", "凭证／理由"],
                    widths=(2.6, 3.2, 2.8, 2.2, 1.8, 3.4), spacing=1)  # fmt: skip
        if summary.total > ORDER_ROWS:
            paragraph(
                doc,
                f"另有{summary.total - ORDER_ROWS}个账号，见系统导出的转发情况表。",
                indent=True,
            )


def timeline_docx_bytes(user: Actor, incident: Incident) -> bytes:
    # Without page numbers, as the timeline has always been issued.
    doc = official_document(page_numbers=False)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    issuer = _issuer()
    number = f"{emergency_settings().document_prefix}〔{incident.year}〕{incident.sequence}号"
    masthead(doc, issuer, number)
    title = f"关于“{incident.title}”信息发布与转发情况的报告"
    paragraph(doc, title, font=TITLE_FONT, size=22, align=center)
    paragraph(doc)
    paragraph(doc, _addressee())
    paragraph(doc, "一、事件基本情况", font=HEADING_FONT, indent=True)
    _incident_section(doc, incident)
    paragraph(doc, "二、权威信息发布情况", font=HEADING_FONT, indent=True)
    published = _statements_section(doc, incident)
    paragraph(doc, "三、子账号转发情况", font=HEADING_FONT, indent=True)
    _reposts_section(doc, user, published)
    paragraph(doc, "四、相关网民留言与有害信息处置", font=HEADING_FONT, indent=True)
    timeline = incident_timeline(user=user, incident=incident)
    if not timeline.has_sources:
        paragraph(doc, "网民留言和有害信息处置模块尚未接入本报告，本节暂无内容。", indent=True)
    for part in timeline.parts:
        paragraph(doc, f"{part.source.label}：", indent=True)
        if part.error:
            paragraph(doc, part.error, indent=True)
        elif not part.entries:
            paragraph(doc, "事件期间无相关记录。", indent=True)
        for entry in part.entries:
            paragraph(doc, f"{_when(entry.at)}  {entry.text}", indent=True)
    paragraph(doc, "五、处置时间线", font=HEADING_FONT, indent=True)
    for entry in timeline.entries:
        detail = f"（{entry.detail}）" if entry.detail else ""
        paragraph(doc, f"{_when(entry.at)}  {entry.kind}：{entry.text}{detail}", indent=True)
    paragraph(doc)
    paragraph(doc, "（印章）    ", align=right)
    paragraph(doc, issuer + "    ", align=right)
    today = timezone.localdate()
    paragraph(doc, chinese_date(today) + "    ", align=right)
    paragraph(doc)
    rule_below(paragraph(doc), color="000000", size=8)
    rule_below(
        paragraph(doc, f"{issuer}        {chinese_date(today)}印发", size=14),
        color="000000",
        size=8,
    )
    return docx_bytes(doc, title=title, author=issuer, subject=number)
