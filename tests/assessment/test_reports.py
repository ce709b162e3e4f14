"""The xlsx ranking and the docx quarterly notice: made from a run, opened back and read."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunNotice
from govmatrix.assessment.reports import chart
from govmatrix.assessment.reports.notice import notice_docx
from govmatrix.assessment.reports.xlsx import ranking_xlsx
from govmatrix.assessment.services.notices import run_notice_update
from govmatrix.assessment.services.runs import run_freeze
from tests.conftest import District


def test_the_xlsx_ranking_lists_every_account_and_unit_with_its_scheme(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    book = load_workbook(io.BytesIO(ranking_xlsx(computed_run)))
    assert book.sheetnames == ["账号排名", "单位排名", "指标明细", "说明"]
    accounts = list(book["账号排名"].values)
    assert accounts[0][:4] == ("排名", "账号", "单位", "得分")
    assert [row[1] for row in accounts[1:]] == ["@示范区发布", "示范区东城街道", "示范区西城街道"]
    top = RunAccountResult.objects.get(run=computed_run, rank=1)
    assert accounts[1][3] == pytest.approx(top.total)
    assert len(list(book["单位排名"].values)) == 4
    detail = list(book["指标明细"].values)
    assert ("无数据" in {row[3] for row in detail}) and ("是" in {row[7] for row in detail})
    about = dict(list(book["说明"].values)[1:])
    assert about["方案内容哈希"] == computed_run.scheme_version.content_hash


def _docx(run: AssessmentRun) -> Document:
    return Document(io.BytesIO(notice_docx(run, RunNotice.objects.get(run=run))))


def test_the_notice_has_the_official_layout_and_the_ranking(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    run_notice_update(actor=quarter_data.office_admin, run_id=computed_run.pk,
                      number="示范区政务微博管理办公室〔2026〕3号",
                      issued_on=date(2026, 11, 28),
                      good_practice="东城街道坚持每日发布。")  # fmt: skip
    document = _docx(computed_run)
    text = [p.text for p in document.paragraphs]
    assert text[0] == "示范区政务微博管理办公室"
    assert "示范区政务微博管理办公室〔2026〕3号" in text
    assert "关于2026年第二季度全区政务微博考核情况的通报" in text
    for heading in (
        "一、总体情况",
        "二、考核排名",
        "三、好的做法",
        "四、存在的问题",
        "五、整改要求",
    ):
        assert heading in text
    assert "东城街道坚持每日发布。" in text
    assert any(t.strip() == "2026年11月28日" for t in text)
    assert any(t.endswith("2026年11月28日印发") for t in text)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "排名",
        "账号",
        "单位",
        "得分",
        "较上季度",
        "备注",
    ]
    assert [table.rows[i].cells[1].text for i in (1, 2, 3)] == [
        "@示范区发布", "示范区东城街道", "示范区西城街道"]  # fmt: skip
    assert len(document.inline_shapes) == 1  # the chart
    assert document.core_properties.title.startswith("关于2026年第二季度")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_notice_opens_cleanly_in_an_office_suite(
    quarter_data: District, computed_run: AssessmentRun, tmp_path: Path
) -> None:
    source = tmp_path / "notice.docx"
    source.write_bytes(notice_docx(computed_run, RunNotice.objects.get(run=computed_run)))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "notice.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") >= 2


def test_the_chart_falls_back_without_a_chinese_font_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(chart, "CJK_FAMILIES", ("No Such Font CJK",))
    with caplog.at_level(logging.WARNING):
        png = chart.unit_score_chart([("东城街道", 80.0), ("西城街道", 55.5)], title="各单位得分")
    assert png.startswith(b"\x89PNG")
    assert "no CJK font" in caplog.text


def test_the_office_downloads_both_reports_and_a_unit_only_the_published_notice(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    office = Client()
    office.force_login(quarter_data.office_admin)
    xlsx = office.get(reverse("assessment:run_xlsx", args=[computed_run.pk]))
    docx = office.get(reverse("assessment:run_docx", args=[computed_run.pk]))
    assert xlsx.status_code == docx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"] and ".docx" in docx["Content-Disposition"]
    run_freeze(actor=quarter_data.office_admin, run_id=computed_run.pk)
    unit = Client()
    unit.force_login(quarter_data.operator)
    assert unit.get(reverse("assessment:run_docx", args=[computed_run.pk])).status_code == 404
