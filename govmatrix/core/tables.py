"""Tables as files: every list that people work with can be exported to xlsx and csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

Cell = Any
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | int | float | str):
        return value
    return str(value)


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "Sheet1"
) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [_plain(v) for v in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            # Text that starts with "=" is data here, never a formula to run.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        for index, value in enumerate(values):
            widths[index] = min(60, max(widths[index], len(str(value)) + 2))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_safe(_plain(v)) for v in row])
    return buffer.getvalue()


def _csv_safe(value: Cell) -> Cell:
    # A cell that starts with = + - @ would run as a formula when the file is opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def download(
    *,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    file_format: str,
    title: str = "",
) -> HttpResponse:
    """An attachment in xlsx (the default) or csv (UTF-8 with BOM, so Excel and WPS read Chinese)."""
    if file_format == "csv":
        response = HttpResponse(
            "\ufeff" + csv_text(headers, rows), content_type="text/csv; charset=utf-8"
        )
        extension = "csv"
    else:
        response = HttpResponse(
            xlsx_bytes(headers, rows, title=title or filename), content_type=XLSX_CONTENT_TYPE
        )
        extension = "xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.{extension}"
    return response
