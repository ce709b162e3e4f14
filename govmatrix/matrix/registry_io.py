"""The registry as a file: the columns of the xlsx/csv export, and parsing an import file.

The export and the import use the same columns, so an exported file imports back unchanged.
Parsing turns text into typed values and names every problem; the rules themselves live in
`services` and run on import exactly as they do for a form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from govmatrix.matrix.models import Account, AccountKind, AccountStatus, Platform
from govmatrix.matrix.services import RegistryRow
from govmatrix.org.models import Membership, Person, Unit

# (key, Chinese header): the key is the English header; either is accepted on import.
COLUMNS: list[tuple[str, str]] = [
    ("platform", "平台"),
    ("handle", "账号"),
    ("display_name", "名称"),
    ("unit_code", "单位代码"),
    ("unit_name", "单位"),
    ("kind", "类型"),
    ("status", "状态"),
    ("planned_on", "筹建日期"),
    ("activated_on", "开通日期"),
    ("dormant_since", "休眠日期"),
    ("closed_on", "关停日期"),
    ("owner", "本人"),
    ("operators", "运维人员"),
    ("profile_url", "主页链接"),
    ("description", "简介"),
]
REQUIRED = ("platform", "handle", "display_name", "unit_code", "kind", "status")
DATE_COLUMNS = ("planned_on", "activated_on", "dormant_since", "closed_on")
NAME_SEPARATORS = ("、", "，", ",", ";", "；")
MAX_ROWS = 5000


def export_headers() -> list[str]:
    return [chinese for _key, chinese in COLUMNS]


def export_rows(accounts: QuerySet[Account]) -> Iterable[list[Any]]:
    for account in accounts.select_related("unit", "owner").prefetch_related("operators"):
        yield [
            account.get_platform_display(),
            account.handle,
            account.display_name,
            account.unit.code,
            account.unit.name,
            account.get_kind_display(),
            account.get_status_display(),
            account.planned_on,
            account.activated_on,
            account.dormant_since,
            account.closed_on,
            account.owner.name if account.owner else "",
            "、".join(sorted(p.name for p in account.operators.all())),
            account.profile_url,
            account.description,
        ]


class UnreadableFile(ValueError):
    pass


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of an xlsx or csv file as {key: text}, keyed by our column keys."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        raw_rows = _csv_rows(content)
    else:
        raise UnreadableFile(_("只能导入 .xlsx 或 .csv 文件。"))
    if not raw_rows:
        raise UnreadableFile(_("文件是空的。"))
    header_lookup = {chinese: key for key, chinese in COLUMNS} | {key: key for key, _c in COLUMNS}
    headers = [header_lookup.get(str(h or "").strip()) for h in raw_rows[0]]
    missing = [dict(COLUMNS)[key] for key in REQUIRED if key not in headers]
    if missing:
        raise UnreadableFile(_("缺少必需的列：%(cols)s。") % {"cols": "、".join(missing)})
    rows = []
    for raw in raw_rows[1:]:
        values = {key: _text(cell) for key, cell in zip(headers, raw, strict=False) if key}
        rows.append(values)
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    return rows


def _xlsx_rows(content: bytes) -> list[Sequence[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(_("无法读取该 xlsx 文件：%(error)s") % {"error": exc}) from exc
    sheet = workbook.worksheets[0]
    return [
        row for row in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in row)
    ]


def _csv_rows(content: bytes) -> list[Sequence[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("无法识别文件编码，请保存为 UTF-8 的 csv。"))
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip()
    return text[1:] if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"} else text


def _choice(value: str, choices: type[Any]) -> str | None:
    for code, label in choices.choices:
        if value in (code, str(label)):
            return str(code)
    return None


def _date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


def parse_rows(table: list[dict[str, str]]) -> list[RegistryRow]:
    """Typed values for the import service, with every parsing problem named per row."""
    units = {u.code: u for u in Unit.objects.all()}
    people_by_unit: dict[int, dict[str, list[int]]] = {}
    for person_id, name, unit_id in Membership.objects.filter(ended_on__isnull=True).values_list(
        "person_id", "person__name", "unit_id"
    ):
        people_by_unit.setdefault(unit_id, {}).setdefault(name, []).append(person_id)
    all_people: dict[str, list[int]] = {}
    for person_id, name in Person.objects.values_list("id", "name"):
        all_people.setdefault(name, []).append(person_id)

    parsed = []
    first_line_of: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(table, start=2):  # line 1 holds the headers
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for key in REQUIRED:
            if not raw.get(key):
                errors[key] = _("不能为空。")
        for key, choices in (
            ("platform", Platform),
            ("kind", AccountKind),
            ("status", AccountStatus),
        ):
            if raw.get(key) and (code := _choice(raw[key], choices)) is None:
                errors[key] = _("无法识别的取值「%(v)s」。") % {"v": raw[key]}
            elif raw.get(key):
                values[key] = code
        unit = units.get(raw.get("unit_code", ""))
        if raw.get("unit_code") and unit is None:
            errors["unit_code"] = _("没有代码为「%(v)s」的单位。") % {"v": raw["unit_code"]}
        for key in DATE_COLUMNS:
            if raw.get(key):
                try:
                    values[key] = _date(raw[key])
                except ValueError:
                    errors[key] = _("日期「%(v)s」无法识别，请写作 2026-06-30。") % {"v": raw[key]}
        if unit is not None:
            values["operator_ids"] = _resolve_people(
                raw.get("operators", ""), people_by_unit.get(unit.pk, {}), "operators", errors
            )
        owner_ids = _resolve_people(raw.get("owner", ""), all_people, "owner", errors)
        values["owner_id"] = owner_ids[0] if owner_ids else None
        values.update(
            handle=raw.get("handle", ""),
            display_name=raw.get("display_name", ""),
            profile_url=raw.get("profile_url", ""),
            description=raw.get("description", ""),
        )
        if unit is not None:
            values["unit_id"] = unit.pk
        identity = (values.get("platform", ""), values["handle"])
        if identity in first_line_of:
            errors["handle"] = _("与第 %(line)d 行是同一个账号。") % {
                "line": first_line_of[identity]
            }
        first_line_of.setdefault(identity, index)
        parsed.append(RegistryRow(row=index, values=values, errors=errors))
    return parsed


def _resolve_people(
    text: str, known: dict[str, list[int]], key: str, errors: dict[str, str]
) -> list[int]:
    names = [text]
    for separator in NAME_SEPARATORS:
        names = [part for name in names for part in name.split(separator)]
    ids = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        matches = known.get(name, [])
        if len(matches) != 1:
            reason = _("不是本单位在职人员") if not matches else _("有重名，无法确定是哪一位")
            errors[key] = _("「%(name)s」%(reason)s。") % {"name": name, "reason": reason}
            continue
        ids.append(matches[0])
    return ids
