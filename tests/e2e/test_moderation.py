"""A harmful comment in the demo goes from flag to recorded outcome, with both documents
generated: a street's operator flags it and files the written application, the office
escalates it to the city with the letter, deletes it through the local platform and records the
outcome; both documents are downloaded and opened with python-docx."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from playwright.sync_api import Page, expect

from govmatrix.moderation.demo import TO_FLAG
from govmatrix.moderation.models import HarmCase
from govmatrix.platforms.local.models import LocalComment, ModerationState
from tests.e2e.conftest import PHONE, screenshot


def _download(page: Page, test_id: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as handle:
        return handle.read()


def test_a_harmful_comment_goes_from_flag_to_recorded_outcome_with_both_documents(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    operator = sign_in("street01_operator")
    operator.on("dialog", lambda dialog: dialog.accept())
    operator.click("[data-section=harm_cases]")
    expect(operator.get_by_test_id("case-table")).to_contain_text(
        "内部消息"
    )  # the demo's open case
    operator.get_by_test_id("flag-link").click()
    operator.fill("#flag-q", "封路")
    operator.get_by_role("button", name="搜索").click()
    operator.get_by_test_id("comment-list").get_by_role("link", name="标记").first.click()
    expect(operator.get_by_test_id("chosen-text")).to_have_text(TO_FLAG)
    operator.select_option("#id_category", "social_stability")
    operator.fill("#id_reason", "编造封路谣言，煽动商户恐慌。")
    operator.get_by_test_id("flag-submit").click()
    expect(operator.get_by_test_id("case-state")).to_contain_text("已上报")
    expect(operator.get_by_test_id("evidence-ok")).to_be_visible()
    case = HarmCase.objects.get(comment_text=TO_FLAG)
    expect(operator.get_by_test_id("evidence-hash")).to_have_text(case.evidence_sha256)

    operator.get_by_test_id("open-application").click()
    operator.fill("#id_reason", "编造封路谣言，煽动商户恐慌，已被多次转发。")
    operator.fill("#id_contact", "东城街道宣传干事")
    operator.get_by_test_id("file-application").click()
    expect(operator.get_by_test_id("case-state")).to_contain_text("已提交书面申请")
    expect(operator.get_by_test_id("download-application-v1")).to_be_visible()
    screenshot(operator, "moderation-case-filed")

    office = sign_in("office")
    office.on("dialog", lambda dialog: dialog.accept())
    expect(office.get_by_test_id("moderation-panel")).to_be_visible()
    office.click("[data-section=harm_cases]")
    office.get_by_test_id("case-table").get_by_role("link", name=case.number).click()
    office.get_by_test_id("open-letter").click()
    office.fill("#id_copy_to", "市委网信办、区委宣传部")
    office.get_by_test_id("escalate").click()
    expect(office.get_by_test_id("case-state")).to_contain_text("已报请")
    expect(office.get_by_test_id("recipients")).to_contain_text(
        "市委宣传部、市委网信办、区委宣传部"
    )

    office.check("#act-delete")
    office.get_by_test_id("run-action").click()
    expect(office.get_by_test_id("action-result")).to_contain_text("删除评论")
    assert LocalComment.objects.get(pk=int(case.comment_id[1:])).state == ModerationState.DELETED

    office.select_option("#outcome-select", "deleted")
    office.get_by_test_id("record-outcome").click()
    expect(office.get_by_test_id("case-state")).to_contain_text("已办结")
    expect(office.get_by_test_id("case-outcome")).to_have_text("平台已删除")
    expect(office.get_by_test_id("case-timeline")).to_contain_text("全程用时")
    screenshot(office, "moderation-case-closed")

    application = Document(io.BytesIO(_download(office, "download-application-v1")))
    paragraphs = [p.text for p in application.paragraphs]
    assert paragraphs[0] == "东城街道" and "（盖章）" in paragraphs
    cells = [c.text for row in application.tables[0].rows for c in row.cells]
    assert TO_FLAG in cells and case.evidence_sha256 in cells
    assert "编造封路谣言，煽动商户恐慌，已被多次转发。" in paragraphs
    letter = Document(io.BytesIO(_download(office, "download-letter-v1")))
    paragraphs = [p.text for p in letter.paragraphs]
    assert "关于提请协调删除政务微博有害跟帖的函" in paragraphs and "市委宣传部：" in paragraphs
    assert any(p.startswith("抄送：市委网信办、区委宣传部") for p in paragraphs)


def test_the_unit_sees_its_findings_and_the_case_page_works_on_a_phone(
    sign_in: Callable[..., Page],
) -> None:
    operator = sign_in("street01_operator", viewport=PHONE)
    operator.goto(operator.url + "moderation/inspection/")
    expect(operator.get_by_test_id("finding-table")).to_contain_text("按装")
    expect(operator.get_by_test_id("finding-table")).not_to_contain_text("西城街道")
    operator.get_by_test_id("finding-table").get_by_role("link").first.click()
    expect(operator.get_by_test_id("finding-description")).to_be_visible()
    screenshot(operator, "moderation-finding-phone")
