"""The xlsx ranking: accounts, units, every indicator, and what the result was computed from."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govmatrix.assessment.dates import quarter_title
from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunUnitResult
from govmatrix.assessment.reports.texts import labels

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _cell(value: Any) -> Any:
    if value is None:
        return "无数据"
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # data, never a formula
        for i, value in enumerate(values):
            widths[i] = min(50, max(widths[i], len(str(value)) * 2 // 1 + 2))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def ranking_xlsx(run: AssessmentRun, *, rank_changes: dict[int, int | None] | None = None) -> bytes:
    definition = run.scheme_version.definition
    dims = labels(definition, "dimensions")
    vetoes = labels(definition, "vetoes")
    indicators = labels(definition, "indicators")
    changes = rank_changes or {}
    book = Workbook()
    accounts = book.active
    assert accounts is not None
    accounts.title = "账号排名"
    rows = list(RunAccountResult.objects.filter(run=run).order_by("position"))
    _sheet(
        accounts,
        ["排名", "账号", "单位", "得分", "否决前得分", *dims.values(), "单项否决", "较上季度",
         "无数据指标", "数据覆盖"],
        [
            [r.rank if r.rank is not None else "未排名", r.account_name, r.unit_name, r.total,
             r.score_before_veto, *(r.dimensions.get(k) for k in dims),
             "、".join(vetoes.get(k, k) for k in r.vetoes) or "—",
             changes.get(r.account_id, "—") if changes.get(r.account_id) is not None else "—",
             len(r.missing), round(r.coverage, 3)]
            for r in rows
        ],
    )  # fmt: skip
    _sheet(
        book.create_sheet("单位排名"),
        ["排名", "单位", "得分", "账号数", "有得分账号", "否决账号"],
        [
            [u.rank if u.rank is not None else "未排名", u.unit_name, u.score, u.accounts,
             u.scored_accounts, u.vetoed_accounts]
            for u in RunUnitResult.objects.filter(run=run).order_by("position")
        ],
    )  # fmt: skip
    names = {r.account_id: (r.account_name, r.unit_name) for r in rows}
    detail_rows = []
    for acc in (run.result or {}).get("accounts", []):
        name, unit = names.get(int(acc["account"]), ("", ""))
        for key, ind in acc["indicators"].items():
            detail_rows.append(
                [name, unit, indicators.get(key, key), ind["raw"], ind["normalised"],
                 ind["weight"], ind["contribution"], "是" if ind["missing"] else "否"]
            )  # fmt: skip
    _sheet(
        book.create_sheet("指标明细"),
        ["账号", "单位", "指标", "原始值", "标准化值", "权重", "得分贡献", "无数据"],
        detail_rows,
    )
    version = run.scheme_version
    _sheet(
        book.create_sheet("说明"),
        ["项目", "内容"],
        [
            ["季度", quarter_title(run.quarter)],
            ["考核方案", f"{version.title_zh}（{version.name}，第{version.number}版，"
                     f"{version.version_label}）"],
            ["方案内容哈希", version.content_hash],
            ["数据截至", run.check_date],
            ["状态", run.get_status_display()],
            ["冻结时间", run.frozen_at],
            ["结果哈希", run.result_hash],
            ["说明", "“无数据”表示没有数据来源或未能读取，不是 0；无数据的指标按方案规则处理。"],
        ],
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
