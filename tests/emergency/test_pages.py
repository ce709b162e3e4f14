"""The emergency pages as each role sees them: the incident page with its clocks and the pause
offer, the commander's phone page, an operator's orders, the live board and its exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from govmatrix.emergency.models import Incident, RepostOrder, Statement
from govmatrix.publishing.models import PublishingSettings
from tests.conftest import District
from tests.emergency.flow import STATEMENT, declare, order_of, published, submitted
from tests.publishing.conftest import FakeConnector

Capture = Any


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def live(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> Any:
    incident = declare(district, commander)
    return published(district, incident, commander, django_capture_on_commit_callbacks)


def test_the_office_declares_on_the_page_and_is_offered_the_pause_switch(
    district: District, commander: Any, platform: FakeConnector
) -> None:
    office = _as(district.office_admin)
    assert office.get("/emergency/new/").status_code == 200
    response = office.post(
        "/emergency/new/",
        {
            "title": "暴雨内涝",
            "level": "II",
            "commander": commander.person.pk,
            "units": [district.street01.pk],
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/emergency/{incident.pk}/"
    page = office.get(response["Location"]).content.decode()
    assert 'data-testid="pause-offer"' in page and "剩余 4 小时 59 分" in page
    office.post(f"/emergency/{incident.pk}/pause/")
    assert PublishingSettings.objects.get(pk=1).paused
    page = office.get(f"/emergency/{incident.pk}/").content.decode()
    assert 'data-testid="pause-offer"' not in page and 'data-testid="paused-note"' in page


def test_the_declaration_form_refuses_a_missing_commander(district: District) -> None:
    response = _as(district.office_admin).post("/emergency/new/", {"title": "x", "level": "IV"})
    assert response.status_code == 200 and "请选择现场最高领导" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_operator_may_not_open_the_declaration_form(district: District) -> None:
    assert _as(district.operator).get("/emergency/new/").status_code == 403


def test_the_office_writes_and_submits_a_statement_on_the_page(
    district: District, commander: Any, platform: FakeConnector
) -> None:
    incident = declare(district, commander)
    office = _as(district.office_admin)
    assert office.get(f"/emergency/{incident.pk}/statements/new/").status_code == 200
    response = office.post(
        f"/emergency/{incident.pk}/statements/new/",
        {
            "account": district.main_account.pk,
            "kind": "first",
            "text": STATEMENT,
            "repost_comment": "请转发",
            "order_reposts": "on",
            "repost_minutes": 30,
            "target_all": "1",
            "submit": "1",
        },
    )
    statement = Statement.objects.get()
    assert response["Location"] == f"/emergency/statements/{statement.pk}/"
    assert statement.post.status == "submitted"
    assert (
        _as(district.operator).get(f"/emergency/{incident.pk}/statements/new/").status_code == 403
    )


def test_the_commander_approves_on_the_phone_page(
    district: District,
    commander: Any,
    platform: FakeConnector,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    statement = submitted(district, declare(district, commander))
    boss = _as(commander)
    page = boss.get(f"/emergency/statements/{statement.pk}/").content.decode()
    assert 'data-testid="approve"' in page and "请广大市民以权威发布为准" in page
    office_page = _as(district.office_admin).get(f"/emergency/statements/{statement.pk}/")
    assert 'data-testid="approve"' not in office_page.content.decode()
    assert "等待现场最高领导" in office_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        boss.post(
            f"/emergency/statements/{statement.pk}/",
            {"approve": "1", "version": statement.post.version, "comment": ""},
        )
    statement.refresh_from_db()
    assert statement.post.status == "published"
    # Publishing's approval list leads the commander to this page, not to publishing's own.
    redirected = boss.get(f"/publishing/review/{statement.post_id}/")
    assert redirected["Location"] == f"/emergency/statements/{statement.pk}/"


def test_the_commanders_dashboard_shows_the_statement_to_approve_first(
    district: District, commander: Any, platform: FakeConnector
) -> None:
    submitted(district, declare(district, commander))
    page = _as(commander).get("/").content.decode()
    assert "应对口径待您审核" in page and 'data-testid="emergency-panel"' in page


def test_the_office_dashboard_shows_active_incidents_with_their_clocks_first(
    district: District, live: Any
) -> None:
    page = _as(district.office_admin).get("/").content.decode()
    assert page.index('data-testid="emergency-panel"') < page.index(
        'data-testid="publishing-panel"'
    )
    assert "南湖街道燃气管道泄漏" in page and "已于" in page  # the first clock is met


def test_an_operator_reposts_from_the_order_page(
    district: District, live: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    operator = _as(district.operator)
    listing = operator.get("/emergency/orders/").content.decode()
    order = order_of(live, district.street01_account)
    assert f'data-order="{order.pk}"' in listing
    assert f'data-order="{order_of(live, district.street02_account).pk}"' not in listing
    page = operator.get(f"/emergency/orders/{order.pk}/").content.decode()
    assert 'data-testid="repost"' in page
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(f"/emergency/orders/{order.pk}/repost/")
    page = operator.get(f"/emergency/orders/{order.pk}/").content.decode()
    assert 'data-testid="order-proof"' in page and 'data-testid="repost"' not in page
    assert (
        operator.get(
            f"/emergency/orders/{order_of(live, district.street02_account).pk}/"
        ).status_code
        == 404
    )


def test_the_board_shows_every_order_to_the_office_and_its_own_to_a_unit(
    district: District, live: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    from govmatrix.emergency import services

    order = order_of(live, district.street01_account)
    with django_capture_on_commit_callbacks(execute=True):
        services.repost_order_repost(actor=district.operator, order_id=order.pk)
    board = _as(district.office_admin).get(f"/emergency/{live.incident_id}/board/").content.decode()
    assert 'hx-trigger="every 10s"' in board and 'data-testid="board-table"' in board
    assert "东城街道" in board and "西城街道" in board and "已按时转发" in board
    live_part = (
        _as(district.office_admin)
        .get(f"/emergency/{live.incident_id}/board/live/?state=reposted")
        .content.decode()
    )
    assert "东城街道" in live_part and "西城街道" not in live_part
    unit_board = (
        _as(district.operator).get(f"/emergency/{live.incident_id}/board/").content.decode()
    )
    assert "东城街道" in unit_board and 'data-unit="西城街道"' not in unit_board


def test_the_board_and_the_latency_chart_export_to_xlsx(district: District, live: Any) -> None:
    office = _as(district.office_admin)
    board = office.get(f"/emergency/{live.incident_id}/board/export/?statement={live.pk}")
    sheet = load_workbook(io.BytesIO(board.content)).active
    assert sheet is not None and sheet.max_row == 3
    assert [c.value for c in sheet[1]][:4] == ["单位", "账号", "平台", "状态"]
    chart = office.get(f"/emergency/{live.incident_id}/latency/export/?statement={live.pk}")
    rows = list(load_workbook(io.BytesIO(chart.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "用时" and rows[-1] == ("尚未转发", 2)


def test_the_incident_page_offers_the_timeline_as_docx(district: District, live: Any) -> None:
    office = _as(district.office_admin)
    page = office.get(f"/emergency/{live.incident_id}/").content.decode()
    assert 'data-testid="timeline"' in page
    assert "网民留言：0 条相关记录" in page and "有害信息处置：0 条相关记录" in page
    assert 'id="chart-latency"' in page
    response = office.get(f"/emergency/{live.incident_id}/timeline.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Document(io.BytesIO(response.content)).paragraphs


@pytest.mark.parametrize(
    "path", ["/emergency/", "/emergency/orders/", "/emergency/auto-repost/", "/emergency/settings/"]
)
def test_the_lists_open_for_the_office(district: District, path: str) -> None:
    assert _as(district.office_admin).get(path).status_code == 200


def test_the_office_stands_the_incident_down_from_its_page(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    _as(district.office_admin).post(f"/emergency/{incident.pk}/stand-down/", {"note": "结束"})
    incident.refresh_from_db()
    assert incident.status == "stood_down"
    assert RepostOrder.objects.count() == 0
