"""The office runs, freezes and publishes a quarter in the demo and downloads both reports."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from govmatrix.assessment.dates import quarter_title
from govmatrix.assessment.scoring import Quarter
from tests.e2e.conftest import screenshot


def _download(page: Page, test_id: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as handle:
        return handle.read()


def test_the_office_runs_freezes_and_publishes_a_quarter_and_downloads_both_reports(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    page = sign_in("office")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-section=assessment]")
    expect(page.get_by_test_id("run-table")).to_contain_text("已发布")  # the demo's last quarter
    quarter = Quarter.containing(timezone.localdate())
    page.select_option("#id_quarter", str(quarter))
    page.select_option("#id_scheme", "four_dimensions")
    page.get_by_test_id("run-start").click()

    expect(page.get_by_test_id("run-status")).to_contain_text("待审核", timeout=60000)
    ranking = page.get_by_test_id("ranking-table")
    expect(ranking).to_contain_text("@示范区发布")
    expect(ranking).to_contain_text("无数据")  # accounts on platforms without a connector
    expect(page.locator("#chart-unit_scores canvas")).to_be_visible()
    screenshot(page, "assessment-run")

    ranking.get_by_role("link", name="示范区东城街道").first.click()
    expect(page.get_by_test_id("indicator-table")).to_contain_text("无数据（尚无数据来源）")
    page.locator("[data-metric=reposts_received]").click()
    expect(page.get_by_test_id("evidence-table")).to_be_visible()
    page.go_back()
    page.go_back()

    page.get_by_test_id("run-freeze").click()
    expect(page.get_by_test_id("run-status")).to_contain_text("已冻结")
    expect(page.get_by_test_id("run-freeze")).to_have_count(0)
    page.get_by_test_id("run-publish").click()
    expect(page.get_by_test_id("run-status")).to_contain_text("已发布")

    book = load_workbook(io.BytesIO(_download(page, "download-xlsx")))
    assert book.sheetnames[:2] == ["账号排名", "单位排名"]
    assert "@示范区发布" in [row[1] for row in book["账号排名"].values]
    notice = Document(io.BytesIO(_download(page, "download-docx")))
    texts = [p.text for p in notice.paragraphs]
    assert f"关于{quarter_title(str(quarter))}全区政务微博考核情况的通报" in texts
    assert notice.tables[0].rows[1].cells[1].text == "@示范区发布"


def test_a_street_operator_sees_the_published_result_of_their_own_street(
    sign_in: Callable[..., Page],
) -> None:
    page = sign_in("street01_operator")
    page.click("[data-section=assessment]")
    page.get_by_test_id("run-table").get_by_role("link").first.click()
    ranking = page.get_by_test_id("ranking-table")
    expect(ranking).to_contain_text("示范区东城街道")
    expect(ranking).not_to_contain_text("示范区西城街道")
    expect(page.get_by_test_id("download-xlsx")).to_have_count(0)
    expect(page.get_by_test_id("download-docx")).to_be_visible()
