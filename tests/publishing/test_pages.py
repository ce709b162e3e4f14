"""The pages of publishing, as each role sees them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook
from PIL import Image

from govmatrix.publishing import services
from govmatrix.publishing.models import Post, PostImage, PostStatus, Topic
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import approved, draft, reload, submitted

Capture = Callable[..., Any]


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


PAGES = [
    "/publishing/",
    "/publishing/new/",
    "/publishing/approvals/",
    "/publishing/calendar/?view=week",
    "/publishing/calendar/?view=month",
    "/publishing/reports/",
]


@pytest.mark.parametrize(
    "who", ["office_admin", "leader", "operator", "inspector", "office_inspector"]
)
def test_every_page_opens_for_every_role_without_inline_scripts(
    district: District, platform: FakeConnector, who: str
) -> None:
    submitted(district)
    client = _as(getattr(district, who))
    for path in PAGES:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), path
        assert " onclick=" not in html and " onchange=" not in html


def test_an_operator_writes_a_post_with_an_image_and_submits_it_from_the_form(
    district: District, platform: FakeConnector
) -> None:
    client = _as(district.operator)
    upload = io.BytesIO(_png())
    upload.name = "活动.png"
    response = client.post(
        "/publishing/new/",
        {
            "account": district.street01_account.pk,
            "text": "东城街道举办社区运动会。",
            "topics": [Topic.objects.get(code="culture").pk],
            "images": [upload],
            "submit": "1",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/publishing/{post.pk}/"
    assert post.status == PostStatus.SUBMITTED
    image = PostImage.objects.get(post=post)
    assert (
        image.content_type == "image/png"
        and image.file.name.endswith(".png")
        and "活动" not in image.file.name
    )
    served = client.get(f"/publishing/images/{image.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert _as(district.neighbour).get(f"/publishing/images/{image.pk}/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    district: District, platform: FakeConnector
) -> None:
    upload = io.BytesIO(b"#!/bin/sh\necho hello\n")
    upload.name = "photo.jpg"
    response = _as(district.operator).post(
        "/publishing/new/",
        {"account": district.street01_account.pk, "text": "正文", "images": [upload]},
    )
    assert response.status_code == 200
    assert "不是可识别的图片" in response.content.decode()
    assert not Post.objects.exists()


def test_the_phone_approval_page_has_one_button_to_approve_and_shows_the_check(
    district: District, platform: FakeConnector
) -> None:
    services.content_rule_create(
        actor=district.office_admin, kind="banned", phrase="北朝鲜", suggestion="朝鲜"
    )
    post = submitted(district, text="北朝鲜代表团来访。")
    page = _as(district.leader).get(f"/publishing/review/{post.pk}/").content.decode()
    assert 'data-testid="approve"' in page and "gm-big-button" in page
    assert "禁用表述" in page and "改为“朝鲜”" in page
    assert 'data-confirm="内容检查提示 1 处问题' in page
    response = _as(district.leader).post(
        f"/publishing/review/{post.pk}/", {"version": post.version, "approve": "1"}
    )
    assert response.status_code == 302
    assert reload(post).status == PostStatus.SCHEDULED


def test_returning_from_the_page_without_comments_is_refused_with_a_message(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    response = _as(district.leader).post(
        f"/publishing/review/{post.pk}/", {"version": 1, "return": "1", "comment": ""}
    )
    assert response.status_code == 200 and "退回时请写明修改意见" in response.content.decode()
    assert reload(post).status == PostStatus.SUBMITTED


def test_an_operator_sees_the_review_page_without_the_buttons(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    page = _as(district.operator).get(f"/publishing/review/{post.pk}/").content.decode()
    assert 'data-testid="approve"' not in page
    response = _as(district.operator).post(
        f"/publishing/review/{post.pk}/", {"version": 1, "approve": "1"}
    )
    assert response.status_code == 200 and reload(post).status == PostStatus.SUBMITTED


def test_the_leaders_sidebar_and_to_do_count_the_approvals_waiting(
    district: District, platform: FakeConnector
) -> None:
    submitted(district)
    submitted(district, text="第二篇稿件。")
    page = _as(district.leader).get("/").content.decode()
    assert re.search(r'data-section="approvals".*?<span class="badge[^>]*>2</span>', page, re.S)
    assert "稿件待审核" in page
    assert 'data-section="approvals"' not in _as(district.operator).get("/").content.decode()


def test_filters_are_remembered_and_the_list_exports_what_it_shows(
    district: District, platform: FakeConnector
) -> None:
    draft(district, text="草稿一。")
    submitted(district, text="待审二。")
    client = _as(district.operator)
    assert "草稿一" not in client.get("/publishing/?status=submitted").content.decode()
    again = client.get("/publishing/")
    assert again.status_code == 302 and "status=submitted" in again["Location"]
    export = client.get("/publishing/?status=submitted&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "待审二。"


def test_bulk_submit_is_all_or_nothing(district: District, platform: FakeConnector) -> None:
    first, second = draft(district), draft(district, text="第二篇。")
    services.post_submit(actor=district.operator, post_id=second.pk)
    client = _as(district.operator)
    response = client.post("/publishing/bulk-submit/", {"ids": [first.pk, second.pk]}, follow=True)
    assert "没有提交任何稿件" in response.content.decode()
    assert reload(first).status == PostStatus.DRAFT
    client.post("/publishing/bulk-submit/", {"ids": [first.pk]})
    assert reload(first).status == PostStatus.SUBMITTED


def test_the_calendar_shows_scheduled_and_published_posts_filtered_by_unit(
    district: District,
    platform: FakeConnector,
    west_leader: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(hours=2)
    approved(district, text="东城定时稿。", scheduled_at=later)
    approved(
        district,
        text="西城定时稿。",
        scheduled_at=later,
        author=district.neighbour,
        account=district.street02_account,
    )
    office = _as(district.office_admin)
    week = office.get(
        f"/publishing/calendar/?view=week&date={timezone.localdate().isoformat()}"
    ).content.decode()
    assert week.count('data-testid="calendar-post"') == 2
    east_only = office.get(
        f"/publishing/calendar/?view=month&unit={district.street01.pk}"
    ).content.decode()
    assert east_only.count('data-testid="calendar-post"') == 1 and "示范区东城街道" in east_only
    mine = _as(district.operator).get("/publishing/calendar/?view=week").content.decode()
    assert mine.count('data-testid="calendar-post"') == 1


def test_the_office_pauses_from_the_calendar_and_everyone_sees_it(
    district: District, platform: FakeConnector
) -> None:
    office = _as(district.office_admin)
    response = office.post(
        "/publishing/settings/switch/pause/", {"note": "演练", "next": "/publishing/calendar/"}
    )
    assert response.status_code == 302 and response["Location"] == "/publishing/calendar/"
    assert "定时发布已于" in _as(district.operator).get("/publishing/calendar/").content.decode()
    assert _as(district.operator).post("/publishing/settings/switch/resume/").status_code == 302
    from govmatrix.publishing.selectors.office import is_paused

    assert is_paused()  # the operator's resume was refused


def test_the_office_edits_its_lists_and_tries_a_sample(
    district: District, platform: FakeConnector
) -> None:
    office = _as(district.office_admin)
    office.post(
        "/publishing/settings/terms/", {"kind": "banned", "phrase": "北朝鲜", "suggestion": "朝鲜"}
    )
    office.post(
        "/publishing/settings/leaders/", {"name": "张三", "titles": "区长", "sort_order": 1}
    )
    office.post("/publishing/settings/", {"save_settings": "1", "important_review_hours": 6})
    office.post("/publishing/settings/", {"add_topic": "1", "name": "乡村振兴", "sort_order": 95})
    sample = office.get(
        "/publishing/settings/terms/?sample=张三副区长会见北朝鲜客人"
    ).content.decode()
    assert "职务不符" in sample and "禁用表述" in sample
    from govmatrix.publishing.selectors.office import publishing_settings

    assert publishing_settings().important_review_hours == 6
    assert Topic.objects.filter(name="乡村振兴", is_active=True).exists()
    assert _as(district.operator).get("/publishing/settings/").status_code == 403
    assert (
        _as(district.office_inspector)
        .post("/publishing/settings/terms/", {"kind": "banned", "phrase": "x"})
        .status_code
        == 200
    )


def test_the_check_preview_marks_hits_while_writing(
    district: District, platform: FakeConnector
) -> None:
    html = _as(district.operator).post("/publishing/check/", {"text": "骂人傻 逼"}).content.decode()
    assert 'data-testid="check-hits"' in html and "辱骂" in html


def test_the_office_dashboard_shows_todays_publishing_with_a_chart_and_its_table(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        approved(district)
    page = _as(district.office_admin).get("/").content.decode()
    assert 'data-testid="today-published">1<' in page
    assert 'id="chart-publishing_volume"' in page
    assert "status=published&amp;published_on=" in page or "status=published&published_on=" in page
    export = _as(district.office_admin).get("/publishing/charts/volume/export/")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 31 and rows[-1][1] == 1
    assert 'data-testid="publishing-panel"' not in _as(district.operator).get("/").content.decode()


def test_a_published_post_links_to_its_public_page_and_its_report(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = approved(district)
    page = _as(district.operator).get(f"/publishing/{post.pk}/").content.decode()
    assert (
        'href="http://fake.example/sfq_street01/1"' in page and 'data-testid="report-link"' in page
    )


def test_the_pages_speak_english_when_the_user_switches(
    district: District, platform: FakeConnector
) -> None:
    post = submitted(district)
    client = _as(district.leader)
    client.cookies["django_language"] = "en"
    page = client.get(f"/publishing/review/{post.pk}/").content.decode()
    assert "Awaiting approval" in page and "Return for changes" in page
    assert "Approvals" in client.get("/publishing/approvals/").content.decode()


def test_the_dashboards_scheduled_today_number_opens_exactly_its_rows(
    district: District, platform: FakeConnector
) -> None:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    with time_machine.travel(datetime.combine(today, time(8, 0), tzinfo=zone), tick=False):
        approved(
            district,
            text="今天稍后发布。",
            scheduled_at=datetime.combine(today, time(20, 0), tzinfo=zone),
        )
        approved(
            district,
            text="明天发布。",
            scheduled_at=datetime.combine(today + timedelta(days=1), time(9, 0), tzinfo=zone),
        )
        office = _as(district.office_admin)
        page = office.get("/").content.decode()
        assert 'data-testid="today-scheduled">1<' in page
        link = re.search(r'href="([^"]*scheduled_until=[^"]*)"', page)
        assert link is not None
        rows = office.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "今天稍后发布" in rows and "明天发布" not in rows


def test_the_calendar_remembers_the_view_and_unit_but_opens_on_the_current_week(
    district: District, platform: FakeConnector
) -> None:
    client = _as(district.office_admin)
    client.get(f"/publishing/calendar/?view=month&unit={district.street01.pk}&date=2020-01-01")
    again = client.get("/publishing/calendar/")
    assert again.status_code == 302
    assert "view=month" in again["Location"] and f"unit={district.street01.pk}" in again["Location"]
    assert "2020" not in again["Location"]
