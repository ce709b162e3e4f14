"""The inbox's pages: scoped, escaped, with filters, search, bulk actions that say how many,
the leader's phone page with the diff against the wording, and the office's pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govmatrix.inbox import services
from govmatrix.inbox.models import Message, MessageState, ReplyState
from tests.inbox.conftest import Inbox, published_reply, submitted_reply


def _page(client: Client, path: str, user: Any) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_queue_shows_the_units_messages_with_their_clocks_and_escapes_citizens_text(
    inbox: Inbox, client: Client
) -> None:
    d = inbox.district
    inbox.arrive(d.street01_account, "路灯坏了<script>alert(1)</script>", who="<b>王</b>")
    inbox.arrive(d.street02_account, "西城的井盖松了", who="西城人")
    page = _page(client, "/inbox/", d.operator)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;王&lt;/b&gt;" in page
    assert "西城的井盖" not in page
    assert 'data-testid="sla"' in page and "首次答复剩余" in page


def test_filters_search_and_export(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    inbox.arrive(d.street01_account, "工地夜间施工噪音扰民。", who="甲")
    inbox.arrive(d.street01_account, "请问社区医院几点开门？", who="乙")
    page = _page(client, "/inbox/?q=噪音", d.operator)
    assert "噪音扰民" in page and "社区医院" not in page
    assert "社区医院" in _page(client, "/inbox/?kind=inquiry", d.operator)
    # Remembered: the bare list goes back to the user's last filters.
    assert client.get("/inbox/").status_code == 302
    response = client.get("/inbox/?q=噪音&export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_the_triage_queue_is_the_offices(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    inbox.arrive(d.main_account, "有个事情想反映一下。")
    client.force_login(d.operator)
    assert client.get("/inbox/triage/").status_code == 302
    page = _page(client, "/inbox/triage/", d.office_admin)
    assert "有个事情想反映一下" in page and "批量分办" in page


def test_bulk_actions_say_how_many_and_change_all_or_nothing(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    rows = [inbox.arrive(d.street01_account, f"重复留言{n}", who=f"甲{n}") for n in range(3)]
    page = _page(client, "/inbox/", d.leader)
    assert "将办结所选的 {n} 条留言。确定吗？" in page
    response = client.post(
        "/inbox/bulk/",
        {"ids": [m.pk for m in rows], "action": "close", "note": "重复留言"},
        follow=True,
    )
    assert "已处理 3 条留言" in response.content.decode()
    assert Message.objects.filter(state=MessageState.CLOSED).count() == 3


def test_the_message_page_drafts_from_a_suggested_wording(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    wording = services.wording_create(
        actor=d.office_admin, title="路灯维修", text="已通知路灯养护单位到场维修损坏的路灯。"
    )
    message = inbox.arrive(d.street01_account, "小区路灯坏了，请维修。")
    page = _page(client, f"/inbox/{message.pk}/", d.operator)
    assert 'data-testid="wording-suggestions"' in page and "路灯维修" in page
    page = _page(client, f"/inbox/{message.pk}/?wording={wording.pk}", d.operator)
    assert "已通知路灯养护单位到场维修损坏的路灯。</textarea>" in page
    response = client.post(
        f"/inbox/{message.pk}/reply/",
        {
            "text": "已通知路灯养护单位明天上午维修损坏的路灯。",
            "wording": wording.pk,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    reply = message.replies.get()
    assert reply.state == ReplyState.SUBMITTED and reply.wording == wording


def test_the_leaders_phone_page_shows_the_citizen_the_check_and_the_diff(
    inbox: Inbox, client: Client
) -> None:
    d = inbox.district
    wording = services.wording_create(
        actor=d.office_admin, title="路灯维修", text="已通知路灯养护单位到场维修。"
    )
    message = inbox.arrive(d.street01_account, "路灯坏了<i>急</i>")
    reply = submitted_reply(
        message, d.operator, text="已通知路灯养护单位明天到场维修。", wording_id=wording.pk
    )
    page = _page(client, f"/inbox/approvals/{reply.pk}/", d.leader)
    assert "路灯坏了&lt;i&gt;急&lt;/i&gt;" in page
    assert '<ins class="gm-ins"' in page and "明天" in page and "与所用口径相比" in page
    assert 'data-testid="approve-reply"' in page and 'data-testid="check-clean"' in page
    operator_view = _page(client, f"/inbox/approvals/{reply.pk}/", d.operator)
    assert 'data-testid="approve-reply"' not in operator_view
    client.force_login(d.leader)
    response = client.post(
        f"/inbox/approvals/{reply.pk}/", {"version": reply.version, "comment": ""}
    )
    assert response.status_code == 302
    assert message.replies.get().state in {ReplyState.PUBLISHING, ReplyState.PUBLISHED}


def test_a_return_on_the_phone_page_needs_a_comment(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了")
    reply = submitted_reply(message, d.operator)
    client.force_login(d.leader)
    response = client.post(
        f"/inbox/approvals/{reply.pk}/", {"version": reply.version, "comment": "", "return": "1"}
    )
    assert response.status_code == 200 and "退回时请写明修改意见" in response.content.decode()
    assert message.replies.get().state == ReplyState.SUBMITTED


def test_actions_on_the_message_page(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了")
    client.force_login(d.operator)
    client.post(f"/inbox/{message.pk}/take/")
    client.post(f"/inbox/{message.pk}/note/", {"text": "下午去现场"})
    refused = client.post(f"/inbox/{message.pk}/route/", {"unit": d.street02.pk}, follow=True)
    assert "请写明理由" in refused.content.decode()
    message.refresh_from_db()
    assert (
        message.assignee == d.operator and message.notes.count() == 1 and message.unit == d.street01
    )


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/inbox/settings/", "主题与责任单位"),
        ("/inbox/trends/", "与此前 28 天的平常水平相比"),
        ("/inbox/trends/?window=7d", "近 7 天"),
        ("/inbox/wordings/", "添加口径"),
        ("/inbox/approvals/", "没有待您审核的答复"),
    ],
)
def test_the_office_pages_open(inbox: Inbox, client: Client, path: str, title: str) -> None:
    inbox.arrive(inbox.district.street01_account, "路灯坏了")
    assert title in _page(client, path, inbox.district.office_admin)


def test_the_office_pages_are_closed_to_units(inbox: Inbox, client: Client) -> None:
    client.force_login(inbox.district.operator)
    assert client.get("/inbox/settings/").status_code == 403
    assert client.get("/inbox/trends/").status_code == 403
    assert client.get("/inbox/rebuttals/new/?ids=1").status_code == 403


def test_the_office_changes_the_topic_map_and_targets_on_the_settings_page(
    inbox: Inbox, client: Client
) -> None:
    from govmatrix.inbox.models import MessageTopic, SlaTarget

    d = inbox.district
    urban = MessageTopic.objects.get(code="urban")
    client.force_login(d.office_admin)
    client.post(
        "/inbox/settings/",
        {"form": "topic_unit", "topic": urban.pk, "unit": d.street02.pk, "keywords": "井盖 路灯"},
    )
    urban.refresh_from_db()
    assert urban.unit == d.street02 and urban.keywords == "井盖 路灯"
    client.post(
        "/inbox/settings/",
        {
            "form": "sla",
            "kind": "inquiry",
            "ack_hours": "2",
            "resolve_days": "3",
            "ack_warn_hours": "0.5",
            "resolve_warn_days": "1",
        },
    )
    target = SlaTarget.objects.get(kind="inquiry")
    assert (target.ack_hours, target.resolve_days) == (2, 3)


def test_trend_charts_export_their_table(inbox: Inbox, client: Client) -> None:
    client.force_login(inbox.district.office_admin)
    response = client.get("/inbox/trends/?export=daily&window=24h")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/inbox/charts/sla/export/").status_code == 200


def test_the_dashboard_lists_what_needs_each_person(inbox: Inbox, client: Client) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了")
    submitted_reply(message, d.operator)
    inbox.arrive(d.main_account, "有个事情想反映一下。")
    assert "答复待审核" in _page(client, "/", d.leader)
    office = _page(client, "/", d.office_admin)
    assert "留言待分办" in office and 'data-testid="inbox-panel"' in office
    published = inbox.arrive(d.street01_account, "井盖松了", who="乙")
    published_reply(published, d.operator, d.leader)
    assert "网民留言" in _page(client, "/", d.operator)
