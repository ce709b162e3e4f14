"""The online-exchange board: everyone in the district reads and posts; authors are recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govmatrix.core.errors import InvalidTransition, NotAllowed
from govmatrix.training.models import BoardThread
from govmatrix.training.selectors import thread_list
from govmatrix.training.services.board import (
    board_reply_create,
    board_thread_close,
    board_thread_create,
)
from tests.conftest import District


def test_an_operator_asks_the_office_answers_and_everyone_in_the_district_reads(
    district: District,
) -> None:
    thread = board_thread_create(actor=district.operator, title="评论区广告怎么处理？",
                                 body="同一网民反复发广告。")  # fmt: skip
    reply = board_reply_create(actor=district.office_admin, thread_id=thread.pk,
                               body="按平台规则隐藏并记录理由。")  # fmt: skip
    thread.refresh_from_db()
    assert (thread.author, thread.author_unit) == (district.operator, district.street01)
    assert (reply.author, reply.author_unit) == (district.office_admin, district.office)
    assert thread.reply_count == 1
    for user in (district.neighbour, district.leader, district.office_inspector):
        assert list(thread_list(user=user)) == [thread]
    assert list(thread_list(user=district.outsider)) == []
    with pytest.raises(NotAllowed):
        board_reply_create(actor=district.outsider, thread_id=thread.pk, body="路过")


def test_a_closed_thread_takes_no_more_replies_and_only_the_office_closes(
    district: District,
) -> None:
    thread = board_thread_create(actor=district.neighbour, title="问", body="答？")
    with pytest.raises(NotAllowed):
        board_thread_close(actor=district.operator, thread_id=thread.pk)
    board_thread_close(actor=district.office_admin, thread_id=thread.pk)
    with pytest.raises(InvalidTransition):
        board_reply_create(actor=district.operator, thread_id=thread.pk, body="再问")


def test_posting_on_the_page(district: District) -> None:
    client = Client()
    client.force_login(district.operator)
    response = client.post(
        reverse("training:board"), {"title": "转发任务超时怎么办", "body": "如题"}
    )
    thread = BoardThread.objects.get()
    assert response.status_code == 302 and thread.author == district.operator
    client.post(reverse("training:thread", args=[thread.pk]), {"body": "补充一下"})
    assert thread.replies.count() == 1
    outsider = Client()
    outsider.force_login(district.outsider)
    assert outsider.get(reverse("training:board")).status_code == 403
