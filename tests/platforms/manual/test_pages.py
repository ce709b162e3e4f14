"""The task's pages: the text to copy with its QR code, the link form, the check's outcome, the
card on the post page, the to-dos and the sidebar."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from govmatrix.platforms.manual.models import ManualTask, TaskState
from govmatrix.publishing.models import Post, PostStatus
from tests.conftest import District
from tests.platforms.manual.conftest import TEXT, Pages

pytestmark = pytest.mark.usefixtures("loopback")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and " onclick=" not in html  # the CSP allows none
    return html


def test_the_task_page_hands_over_the_text_with_a_qr_code_and_the_link_form(
    district: District, waiting: Any
) -> None:
    _post, task = waiting()
    html = _html(_as(district.operator).get(f"/manual/{task.pk}/"))
    assert TEXT in html and 'data-testid="copy-text"' in html
    assert 'src="data:image/png;base64,' in html
    assert 'data-testid="manual-link-form"' in html and "manual_platform/manual.js" in html
    assert 'data-testid="manual-override-form"' not in html  # nothing to decide yet
    # Readers see it and cannot act; other units do not see it at all.
    html = _html(_as(district.office_inspector).get(f"/manual/{task.pk}/"))
    assert TEXT in html and 'data-testid="manual-link-form"' not in html
    assert _as(district.neighbour).get(f"/manual/{task.pk}/").status_code == 404


def test_a_text_too_long_for_one_qr_code_gets_the_pages_qr_code(
    district: District, waiting: Any
) -> None:
    _post, task = waiting()
    ManualTask.objects.filter(pk=task.pk).update(text="停水通知" * 600)
    html = _html(_as(district.operator).get(f"/manual/{task.pk}/"))
    assert 'src="data:image/png;base64,' in html and "放不进一个二维码" in html


def test_the_post_page_shows_the_task_and_the_link_pasted_there_publishes_it(
    district: District, waiting: Any, pages: Pages
) -> None:
    post, task = waiting()
    client = _as(district.operator)
    html = _html(client.get(f"/publishing/{post.pk}/"))
    assert 'data-testid="manual-task-card"' in html and "正在发布到平台" not in html
    url = pages.article("/s/FromPost12", TEXT)
    response = client.post(
        f"/manual/{task.pk}/link/", {"url": url, "next": f"/publishing/{post.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/publishing/{post.pk}/"
    post = Post.objects.get(pk=post.pk)
    assert post.status == PostStatus.PUBLISHED and post.public_url == url
    html = _html(client.get(f"/publishing/{post.pk}/"))
    assert 'data-testid="manual-done"' in html and 'data-testid="public-link"' in html
    # A "next" elsewhere is not followed.
    _post2, task2 = waiting("第二条：东城街道12月5日恢复供水。")
    response = client.post(
        f"/manual/{task2.pk}/link/",
        {
            "url": pages.article("/s/Second1234", "第二条：东城街道12月5日恢复供水。"),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == f"/manual/{task2.pk}/"


def test_a_bad_link_is_shown_on_the_form(district: District, waiting: Any) -> None:
    _post, task = waiting()
    response = _as(district.operator).post(
        f"/manual/{task.pk}/link/", {"url": "ftp://files.example/x"}
    )
    assert response.status_code == 422
    assert 'data-testid="field-error-url"' in response.content.decode()


def test_a_difference_is_shown_and_the_office_decides_on_the_page(
    district: District, waiting: Any, pages: Pages
) -> None:
    post, task = waiting()
    operator = _as(district.operator)
    operator.post(
        f"/manual/{task.pk}/link/",
        {"url": pages.article("/s/Diff123456", TEXT.replace("17:00", "18:00"))},
    )
    html = _html(operator.get(f"/manual/{task.pk}/"))
    assert 'data-testid="manual-diff"' in html and '<del class="gm-diff-del"' in html
    assert 'data-testid="manual-override-form"' not in html
    office = _as(district.office_admin)
    html = _html(office.get(f"/manual/{task.pk}/"))
    assert 'data-testid="manual-override-form"' in html
    assert office.post(f"/manual/{task.pk}/override/", {"reason": ""}).status_code == 422
    response = office.post(f"/manual/{task.pk}/override/", {"reason": "时间以现场公告为准"})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
    # An operator posting the office's form is refused.
    _post2, task2 = waiting("另一条通知：东城街道图书馆周一闭馆。")
    assert operator.post(f"/manual/{task2.pk}/override/", {"reason": "x"}).status_code == 403


def test_confirming_an_unreadable_page_needs_the_box_ticked(
    district: District, waiting: Any, pages: Pages
) -> None:
    _post, task = waiting()
    client = _as(district.operator)
    client.post(f"/manual/{task.pk}/link/", {"url": pages.add("/s/Gone123456", "", status=404)})
    html = _html(client.get(f"/manual/{task.pk}/"))
    assert 'data-testid="manual-confirm-form"' in html and "HTTP 404" in html
    assert client.post(f"/manual/{task.pk}/confirm/", {}).status_code == 422
    response = client.post(f"/manual/{task.pk}/confirm/", {"attest": "on"})
    assert response.status_code == 302
    assert ManualTask.objects.get(pk=task.pk).state == TaskState.DONE


def test_the_list_todos_and_sidebar_show_what_waits(
    district: District, waiting: Any, pages: Pages
) -> None:
    _post, task = waiting()
    operator = _as(district.operator)
    html = _html(operator.get("/manual/"))
    assert f'href="/manual/{task.pk}/"' in html
    dashboard = _html(operator.get("/"))
    assert "待手工发布的内容" in dashboard and 'data-section="manual_tasks"' in dashboard
    # Another unit sees neither the task nor the section (it runs no manual platform).
    neighbour = _as(district.neighbour)
    assert 'data-testid="manual-empty"' in _html(neighbour.get("/manual/"))
    assert 'data-section="manual_tasks"' not in _html(neighbour.get("/"))
    # A difference is the office's to-do.
    operator.post(
        f"/manual/{task.pk}/link/",
        {"url": pages.article("/s/Todo123456", "与审定文本完全不同的另一段文字内容。")},
    )
    office = _html(_as(district.office_admin).get("/"))
    assert "手工发布内容与审定文本不一致" in office
    html = _html(_as(district.office_admin).get("/manual/?state=mismatch"))
    assert f'href="/manual/{task.pk}/"' in html


def test_the_pages_speak_english_when_asked(district: District, waiting: Any) -> None:
    _post, task = waiting()
    client = _as(district.operator)
    client.cookies["django_language"] = "en"
    html = _html(client.get(f"/manual/{task.pk}/"))
    assert "Paste the link" in html or "Submit and check" in html
