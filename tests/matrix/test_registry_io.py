"""Import and export of the registry: all or nothing, every bad row named, and a clean round trip."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from govmatrix.audit.models import Event
from govmatrix.core.tables import xlsx_bytes
from govmatrix.matrix import registry_io
from govmatrix.matrix.models import Account
from govmatrix.matrix.selectors import account_list
from govmatrix.matrix.services import ImportRejected, registry_import
from tests.conftest import District

HEADERS = ["平台", "账号", "名称", "单位代码", "类型", "状态", "开通日期", "运维人员"]


def _xlsx(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


def _import(
    district: District, content: bytes, filename: str = "registry.xlsx", actor: object = None
):
    table = registry_io.read_table(filename, content)
    return registry_import(actor=actor or district.office_admin, rows=registry_io.parse_rows(table))


def test_a_clean_file_imports_every_row(district: District) -> None:
    content = _xlsx(
        [
            [
                "本地平台",
                "sfq_dept01",
                "示范区教育局",
                "dept01",
                "子账号",
                "运行",
                "2025-03-01",
                "",
            ],
            ["weibo", "西城发布", "西城发布", "street02", "sub", "planned", "", "neighbour"],
        ]
    )
    summary = _import(district, content)
    assert (summary.created, summary.updated) == (2, 0)
    assert Account.objects.get(handle="西城发布").operators.get().name == "neighbour"
    assert Event.objects.filter(verb="account.imported").count() == 1


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(district: District) -> None:
    content = _xlsx(
        [
            [
                "本地平台",
                "sfq_dept01",
                "示范区教育局",
                "dept01",
                "子账号",
                "运行",
                "2025-03-01",
                "",
            ],
            ["火星平台", "x1", "坏平台", "dept01", "子账号", "运行", "", ""],
            ["本地平台", "Bad Handle", "坏账号", "dept01", "子账号", "运行", "", ""],
            ["本地平台", "sfq_nowhere", "无单位", "nowhere", "子账号", "运行", "2025-13-45", ""],
            ["本地平台", "sfq_dept01", "重复账号", "dept01", "子账号", "运行", "", ""],
        ]
    )
    events_before = Event.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        _import(district, content)
    reported = {(e.row, e.field) for e in rejected.value.errors}
    assert (3, "platform") in reported
    assert (4, "handle") in reported
    assert (5, "unit_code") in reported and (5, "activated_on") in reported
    assert any(row == 6 for row, _field in reported)  # the duplicate of row 2's handle
    assert not Account.objects.filter(handle="sfq_dept01").exists()
    assert Event.objects.count() == events_before


def test_an_operator_may_import_only_rows_of_their_own_unit(district: District) -> None:
    content = _xlsx(
        [
            ["本地平台", "dongcheng_b", "东城二号", "street01", "子账号", "筹建", "", ""],
            ["本地平台", "xicheng_b", "西城二号", "street02", "子账号", "筹建", "", ""],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(district, content, actor=district.operator)
    assert [e.row for e in rejected.value.errors] == [3]
    assert not Account.objects.filter(handle="dongcheng_b").exists()


def test_a_file_without_the_required_columns_is_refused_before_any_row(district: District) -> None:
    with pytest.raises(registry_io.UnreadableFile, match="单位代码"):
        registry_io.read_table("r.xlsx", _xlsx([["x"]], headers=["平台", "账号", "名称"]))


def test_a_damaged_file_is_refused_with_a_clear_message(district: District) -> None:
    with pytest.raises(registry_io.UnreadableFile):
        registry_io.read_table("r.xlsx", b"not a spreadsheet")
    with pytest.raises(registry_io.UnreadableFile):
        registry_io.read_table("r.pdf", b"%PDF")


def test_csv_in_gb18030_from_an_old_excel_is_read(district: District) -> None:
    text = ",".join(HEADERS) + "\n本地平台,sfq_dept01,示范区教育局,dept01,子账号,运行,2025/03/01,\n"
    summary = _import(district, text.encode("gb18030"), filename="r.csv")
    assert summary.created == 1


def test_an_exported_registry_imports_back_unchanged(district: District) -> None:
    accounts = account_list(user=district.office_admin)
    content = xlsx_bytes(registry_io.export_headers(), registry_io.export_rows(accounts))
    summary = _import(district, content)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_the_export_keeps_the_filters_and_the_columns(district: District) -> None:
    accounts = account_list(user=district.operator)
    workbook = load_workbook(
        io.BytesIO(xlsx_bytes(registry_io.export_headers(), registry_io.export_rows(accounts)))
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("平台", "账号", "名称", "单位代码")
    assert [r[1] for r in rows[1:]] == ["sfq_street01"]


def test_a_csv_cell_that_looks_like_a_formula_is_neutralised() -> None:
    from govmatrix.core.tables import csv_text

    text = csv_text(["名称"], [['=HYPERLINK("x")']])
    assert list(csv.reader(io.StringIO(text)))[1] == ['\'=HYPERLINK("x")']


def test_an_xlsx_cell_that_looks_like_a_formula_stays_text() -> None:
    workbook = load_workbook(io.BytesIO(xlsx_bytes(["名称"], [["=1+1"]])))
    cell = workbook.active["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    Workbook()  # openpyxl is importable on its own too
