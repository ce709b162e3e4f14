"""The moderation pages, as each role sees them: lists with filters, search, exports and bulk
actions; the case page with its timeline and documents; the flag, application and letter forms;
the inspection and the lexicon; the sidebar, to-dos and the office's dashboard panel."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from govmatrix.moderation import services
from govmatrix.moderation.models import (
    CaseDocument,
    CaseState,
    ContentFinding,
    HarmCase,
    LexiconEntry,
)
from tests.moderation.conftest import RUMOUR, Board, escalated, filed, reload


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _finding(board: Board, **fields: Any) -> ContentFinding:
    values = {"rule": "typo", "subject_key": f"post:{ContentFinding.objects.count() + 1}",
              "account": board.district.street01_account, "unit": board.district.street01,
              "severity": "minor", "description": "错别字：“按装”应为“安装”", "found_on": "2026-11-27",
              "last_seen_at": "2026-11-27T10:00:00+08:00", "rectify_due": "2026-12-02"}  # fmt: skip
    values.update(fields)
    return ContentFinding.objects.create(**values)


PAGES = ["/moderation/", "/moderation/flag/", "/moderation/inspection/", "/"]


@pytest.mark.parametrize(
    "who", ["office_admin", "office_inspector", "leader", "operator", "inspector"]
)
def test_every_page_opens_for_every_role_without_inline_scripts(board: Board, who: str) -> None:
    case = escalated(board)
    _finding(board)
    client = _as(getattr(board.district, who))
    paths = [
        *PAGES,
        f"/moderation/{case.pk}/",
        f"/moderation/inspection/{ContentFinding.objects.get().pk}/",
    ]
    if who in ("office_admin", "office_inspector"):
        paths += ["/moderation/lexicon/?q=傻逼&text=你这个傻逼", "/moderation/typos/"]
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), path
        assert " onclick=" not in html and " onchange=" not in html


def test_citizens_text_is_escaped_everywhere(board: Board) -> None:
    case = board.flag('<script>alert("x")</script><img src=x onerror=alert(1)> 明天全区停水')
    client = _as(board.district.office_admin)
    for path in ("/moderation/", f"/moderation/{case.pk}/", f"/moderation/{case.pk}/letter/", "/"):
        html = client.get(path).content.decode()
        assert '<script>alert("x")' not in html and "<img src=x" not in html, path
    html = client.get(f"/moderation/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_unit_sees_only_its_own_cases_and_findings(board: Board) -> None:
    case = board.flag()
    _finding(board)
    neighbour = _as(board.district.neighbour)
    assert neighbour.get(f"/moderation/{case.pk}/").status_code == 404
    assert RUMOUR[:10] not in neighbour.get("/moderation/").content.decode()
    assert "按装" not in neighbour.get("/moderation/inspection/").content.decode()
    assert "按装" in _as(board.district.operator).get("/moderation/inspection/").content.decode()
    assert _as(board.district.operator).get("/moderation/lexicon/").status_code == 404


def test_a_person_flags_a_comment_from_the_page(board: Board) -> None:
    message = board.arrive(RUMOUR)
    client = _as(board.district.operator)
    listing = client.get("/moderation/flag/?q=停水").content.decode()
    assert f'data-testid="choose-{message.pk}"' in listing
    assert RUMOUR in client.get(f"/moderation/flag/?message={message.pk}").content.decode()
    with board.commit(execute=True):
        response = client.post(
            "/moderation/flag/",
            {"message_id": message.pk, "category": "social_stability", "reason": "造谣"},
        )
    case = HarmCase.objects.get(source_message_id=message.pk)
    assert response["Location"] == f"/moderation/{case.pk}/"
    assert (
        client.get(f"/moderation/flag/?message={message.pk}")["Location"]
        == f"/moderation/{case.pk}/"
    )


def test_the_unit_edits_previews_and_files_the_application_on_its_page(board: Board) -> None:
    case = board.flag()
    client = _as(board.district.operator)
    page = client.get(f"/moderation/{case.pk}/application/").content.decode()
    assert "东城街道申〔" in page and case.evidence_sha256 in page
    form = {"number": "东城申〔2026〕9号", "title": "关于协调删除有害跟帖的申请", "addressee": "管理办公室",
            "body": "情况说明。", "reason": "编造谣言。", "request": "请协调删除。", "contact": "张三", "phone": "1"}  # fmt: skip
    preview = client.post(f"/moderation/{case.pk}/application/", {**form, "do": "preview"})
    assert preview["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "东城申〔2026〕9号" in [p.text for p in Document(io.BytesIO(preview.content)).paragraphs]
    assert CaseDocument.objects.count() == 0
    with board.commit(execute=True):
        filed_page = client.post(f"/moderation/{case.pk}/application/", {**form, "do": "file"})
    assert filed_page["Location"] == f"/moderation/{case.pk}/"
    assert reload(case).state == CaseState.APPLICATION_FILED
    document = CaseDocument.objects.get()
    download = client.get(f"/moderation/{case.pk}/documents/{document.pk}/")
    assert download.content == bytes(document.content)
    assert "filename*=UTF-8''" in download["Content-Disposition"]


def test_the_office_escalates_acts_and_records_the_outcome_from_the_case_page(board: Board) -> None:
    case = filed(board)
    client = _as(board.district.office_admin)
    page = client.get(f"/moderation/{case.pk}/").content.decode()
    assert 'data-testid="open-letter"' in page and 'data-testid="run-action"' in page
    form = client.get(f"/moderation/{case.pk}/letter/").context["form"].initial
    with board.commit(execute=True):
        client.post(
            f"/moderation/{case.pk}/letter/", {**form, "copy_to": "市委网信办", "do": "file"}
        )
    assert reload(case).recipients == ["市委宣传部", "市委网信办"]
    with board.commit(execute=True):
        client.post(f"/moderation/{case.pk}/run/", {"platform_action": "hide", "note": ""})
    page = client.get(f"/moderation/{case.pk}/").content.decode()
    assert "实际：隐藏评论" in page
    client.post(f"/moderation/{case.pk}/close/", {"outcome": "hidden", "note": ""})
    case = reload(case)
    assert case.state == CaseState.CLOSED and case.outcome == "hidden"
    timeline = client.get(f"/moderation/{case.pk}/").content.decode()
    assert "全程用时" in timeline and "市委宣传部、市委网信办" in timeline


def test_a_refused_action_from_a_page_says_why_and_changes_nothing(board: Board) -> None:
    case = board.flag()
    client = _as(board.district.office_admin)
    response = client.post(f"/moderation/{case.pk}/close/", {"outcome": "deleted"}, follow=True)
    assert "不能登记" in response.content.decode()
    assert reload(case).state == CaseState.FLAGGED


def test_the_list_filters_searches_remembers_and_exports_what_it_shows(board: Board) -> None:
    flagged_case = board.flag()
    closed = board.flag("另一条：有人说区里要封城，大家快跑")
    services.harm_case_close(
        actor=board.district.office_admin, case_id=closed.pk, outcome="retained", note="x"
    )
    client = _as(board.district.office_admin)
    page = client.get("/moderation/?state=flagged").content.decode()
    assert f'data-case="{flagged_case.pk}"' in page and f'data-case="{closed.pk}"' not in page
    assert client.get("/moderation/")["Location"].endswith("?state=flagged")
    assert (
        f'data-case="{closed.pk}"'
        in client.get("/moderation/?q=封城&state=closed").content.decode()
    )
    export = client.get("/moderation/?state=flagged&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5] == RUMOUR and rows[1][15] == flagged_case.evidence_sha256
    assert "还没有有害跟帖案件" not in page


def test_bulk_retain_is_all_or_nothing_and_says_how_many(board: Board) -> None:
    first = board.flag()
    second = board.flag("另一条：有人说区里要封城，大家快跑")
    client = _as(board.district.office_admin)
    page = client.get("/moderation/").content.decode()
    assert "data-confirm-count=" in page
    response = client.post(
        "/moderation/bulk/retain/", {"ids": [first.pk, second.pk], "note": "均为误报"}, follow=True
    )
    assert "已将 2 件登记为保留" in response.content.decode()
    assert {reload(first).outcome, reload(second).outcome} == {"retained"}
    third = board.flag("第三条：封城了快跑")
    response = client.post("/moderation/bulk/retain/", {"ids": [third.pk, first.pk]}, follow=True)
    assert "没有登记任何案件" in response.content.decode()  # the closed one refuses: none changes
    assert reload(third).state == CaseState.FLAGGED


def test_an_empty_list_says_why(board: Board) -> None:
    client = _as(board.district.office_admin)
    assert "还没有有害跟帖案件" in client.get("/moderation/").content.decode()
    assert "没有符合筛选条件的案件" in client.get("/moderation/?state=closed").content.decode()
    assert "巡检还没有发现问题" in client.get("/moderation/inspection/").content.decode()


def test_sidebar_badges_and_to_dos_for_the_office_and_the_unit(board: Board) -> None:
    board.flag()
    office = _as(board.district.office_admin).get("/").content.decode()
    assert re.search(r'data-section="harm_cases".*?<span class="badge[^>]*>1</span>', office, re.S)
    assert "新上报的有害跟帖" in office and 'data-testid="moderation-panel"' in office
    unit = _as(board.district.operator).get("/").content.decode()
    assert re.search(r'data-section="harm_cases".*?<span class="badge[^>]*>1</span>', unit, re.S)
    assert "有害跟帖待提交书面申请" in unit and 'data-testid="moderation-panel"' not in unit
    _finding(board)
    unit = _as(board.district.operator).get("/").content.decode()
    assert "内容巡检问题待整改" in unit
    assert 'data-section="harm_lexicon"' not in unit


def test_the_dashboard_panel_shows_dormancy_warnings(board: Board) -> None:
    _finding(board, rule="dormant_warning", subject_key="account:2:2026-11-15", severity="warning",
             description="账号已 12 天未发布")  # fmt: skip
    page = _as(board.district.office_admin).get("/").content.decode()
    assert 'data-testid="panel-dormant">0<' in page and "另有 1 个即将不更新" in page
    assert "账号已 12 天未发布" in page


def test_a_unit_answers_a_finding_and_the_office_verifies_it_in_bulk(board: Board) -> None:
    finding = _finding(board)
    _as(board.district.operator).post(
        f"/moderation/inspection/{finding.pk}/respond/", {"response": "已删除重发"}
    )
    assert ContentFinding.objects.get(pk=finding.pk).status == "rectified"
    client = _as(board.district.office_admin)
    assert "data-confirm-count=" in client.get("/moderation/inspection/").content.decode()
    response = client.post(
        "/moderation/inspection/bulk/verify/", {"ids": [finding.pk]}, follow=True
    )
    assert "已核验 1 个" in response.content.decode()
    assert ContentFinding.objects.get(pk=finding.pk).status == "verified"
    export = client.get("/moderation/inspection/?export=xlsx&status=verified")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][4] == "错别字"


def test_the_office_runs_the_inspection_from_the_page(board: Board) -> None:
    client = _as(board.district.office_admin)
    with board.commit(execute=True):
        response = client.post("/moderation/inspection/run/", follow=True)
    assert "内容巡检已发起" in response.content.decode()
    assert "已完成" in client.get("/moderation/inspection/").content.decode()
    assert (
        _as(board.district.operator).post("/moderation/inspection/run/", follow=True).status_code
        == 200
    )


def test_the_office_searches_stops_and_restores_a_shipped_term_on_the_lexicon_page(
    board: Board,
) -> None:
    client = _as(board.district.office_admin)
    page = client.get("/moderation/lexicon/?q=傻逼").content.decode()
    assert 'data-testid="shipped-results"' in page
    client.post("/moderation/lexicon/remove/", {"term": "傻逼", "q": "傻逼"})
    entry = LexiconEntry.objects.get(action="remove", term="傻逼")
    assert "已停用" in client.get("/moderation/lexicon/?q=傻逼").content.decode()
    client.post(f"/moderation/lexicon/{entry.pk}/toggle/", {"q": "傻逼"})
    assert not LexiconEntry.objects.get(pk=entry.pk).is_active
    client.post(
        "/moderation/lexicon/", {"action": "add", "term": "黑心街道办", "category": "abuse"}
    )
    assert LexiconEntry.objects.filter(action="add", term="黑心街道办").exists()
    inspector = _as(board.district.office_inspector)
    assert (
        'data-testid="lexicon-form"' not in inspector.get("/moderation/lexicon/").content.decode()
    )
    inspector.post("/moderation/lexicon/", {"action": "add", "term": "别的词", "category": "abuse"})
    assert not LexiconEntry.objects.filter(term="别的词").exists()


def test_the_office_keeps_the_typo_list(board: Board) -> None:
    client = _as(board.district.office_admin)
    assert "再接再励" in client.get("/moderation/typos/?q=再接").content.decode()  # seeded
    client.post("/moderation/typos/", {"wrong": "部暑", "correct": "部署"})
    assert "部暑" in client.get("/moderation/typos/?q=部暑").content.decode()


def test_the_pages_speak_english_when_the_user_switches(board: Board) -> None:
    case = board.flag()
    client = _as(board.district.office_admin)
    client.cookies["django_language"] = "en"
    page = client.get(f"/moderation/{case.pk}/").content.decode()
    assert "Evidence (frozen when flagged)" in page and "Record the outcome" in page
    assert "Harmful comments" in client.get("/moderation/").content.decode()
