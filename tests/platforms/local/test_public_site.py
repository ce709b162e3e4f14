"""The public site under /p/: what citizens see and send, and what protects it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from govmatrix.matrix.models import Account
from govmatrix.platforms.local import services
from govmatrix.platforms.local.captcha import captcha_answer
from govmatrix.platforms.local.connector import LocalConnector
from govmatrix.platforms.local.models import (
    LocalAccountState,
    LocalBlock,
    LocalComment,
    LocalFollow,
    LocalInboxEntry,
    LocalLike,
    LocalMessage,
    LocalPost,
)
from govmatrix.platforms.local.rules import visitor_hash
from tests.conftest import District
from tests.factories import AccountFactory
from tests.platforms.local.conftest import ctx, ref

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _publish(account: Account, text: str = "关于开展秋季流感疫苗接种的通知") -> LocalPost:
    post = LocalConnector().publish(ref(account), text, ctx())
    return LocalPost.objects.get(pk=int(post.id))


def _url(post: LocalPost) -> str:
    return reverse("local:post", kwargs={"handle": post.account.handle, "post_id": post.pk})


def _token(html: str) -> str:
    found = re.search(r'name="captcha_token" value="([^"]+)"', html)
    assert found, "the form carries a captcha challenge"
    return found.group(1)


def _form(client: Client, url: str, **fields: Any) -> dict[str, Any]:
    """The form's fields with a freshly shown captcha, answered right unless told otherwise."""
    token = _token(client.get(url).content.decode())
    data = {"nickname": "热心市民", "text": "请问几点开始？", "captcha_token": token}
    data["captcha"] = captcha_answer(token)
    data.update(fields)
    return data


def _snapshot() -> tuple[Any, ...]:
    """Everything a citizen's submission could change."""
    return (
        LocalComment.objects.count(),
        LocalMessage.objects.count(),
        LocalInboxEntry.objects.count(),
        LocalLike.objects.count(),
        LocalFollow.objects.count(),
        sorted(LocalAccountState.objects.values_list("account_id", "version", "inbox_seq")),
    )


# --- the pages ----------------------------------------------------------------------------------
def test_the_index_lists_the_active_official_local_accounts_main_first(
    client: Client, district: District
) -> None:
    AccountFactory(
        unit=district.dept01, handle="sfq_planned", display_name="筹建中的号", status="planned"
    )
    AccountFactory(
        unit=district.dept01, handle="sfq_gone", display_name="已关停的号", status="closed"
    )
    AccountFactory(
        unit=district.dept01, platform="weibo", handle="教育局微博", display_name="微博上的号"
    )
    page = client.get(reverse("local:index")).content.decode()
    assert page.index("@示范区发布") < page.index("示范区东城街道")
    assert "示范区西城街道" in page
    for absent in ("筹建中的号", "已关停的号", "微博上的号"):
        assert absent not in page


def test_an_account_page_shows_posts_and_reposts_newest_first_a_page_at_a_time(
    client: Client, district: District
) -> None:
    account = district.street01_account
    start = timezone.now() - timedelta(days=1)
    for n in range(5):
        with time_machine.travel(start + timedelta(minutes=n), tick=False):
            _publish(account, f"第{n}号通知")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        statement = _publish(district.main_account, "权威发布：全区暴雨黄色预警")
        LocalConnector().repost(ref(account), str(statement.pk), ctx(), comment="请转告家人")
    url = reverse("local:account", kwargs={"handle": account.handle})
    with override_settings(LOCAL_PLATFORM_PAGE_SIZE=4):
        first = client.get(url).content.decode()
        second = client.get(url, {"page": 2}).content.decode()
        assert client.get(url, {"page": 3}).status_code == 404
    order = [first.index(t) for t in ("请转告家人", "第4号通知", "第3号通知", "第2号通知")]
    assert order == sorted(order)
    assert "权威发布：全区暴雨黄色预警" in first  # the reposted original is shown in the repost
    assert "第1号通知" in second and "第0号通知" in second and "第2号通知" not in second
    assert client.get(reverse("local:account", kwargs={"handle": "sfq_nobody"})).status_code == 404


def test_a_post_page_threads_comments_and_marks_official_replies(
    client: Client, district: District
) -> None:
    account = district.street01_account
    post = _publish(account)
    question = services.comment_submit(
        post=post, nickname="王女士", text="老人可以免费打吗？", visitor_hash="v1"
    )
    LocalConnector().reply(ref(account), f"c{question.pk}", "65岁以上免费接种。", ctx())
    services.comment_submit(
        post=post, nickname="李先生", text="谢谢回复", visitor_hash="v2", parent_id=question.pk
    )
    services.comment_submit(post=post, nickname="赵同学", text="另一个问题", visitor_hash="v3")
    page = client.get(_url(post)).content.decode()
    threads = page.split('data-testid="thread"')[1:]
    assert len(threads) == 2
    assert "老人可以免费打吗？" in threads[0] and "65岁以上免费接种。" in threads[0]
    assert "谢谢回复" in threads[0] and "另一个问题" in threads[1]
    assert threads[0].count('data-testid="official-badge"') == 1
    assert "官方回复" in threads[0]


def test_a_deleted_post_or_another_accounts_post_is_not_found(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    wrong = reverse("local:post", kwargs={"handle": "sfq_street02", "post_id": post.pk})
    assert client.get(wrong).status_code == 404
    LocalConnector().delete_post(ref(district.street01_account), str(post.pk), ctx())
    assert client.get(_url(post)).status_code == 404


# --- commenting ---------------------------------------------------------------------------------
def test_a_comment_with_a_right_captcha_is_saved_and_shown(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    response = client.post(_url(post), _form(client, _url(post)), follow=True)
    comment = LocalComment.objects.get()
    assert response.redirect_chain[-1] == (f"{_url(post)}#c{comment.pk}", 303)
    page = response.content.decode()
    assert "评论已发表" in page and "请问几点开始？" in page
    assert comment.nickname == "热心市民" and comment.visitor_hash == visitor_hash("127.0.0.1")


def test_the_captcha_is_required_and_works_once(client: Client, district: District) -> None:
    post = _publish(district.street01_account)
    missing = client.post(_url(post), _form(client, _url(post), captcha=""))
    assert missing.status_code == 400 and "验证码" in missing.content.decode()
    wrong = client.post(_url(post), _form(client, _url(post), captcha="AAAAA"))
    assert wrong.status_code == 400
    data = _form(client, _url(post))
    # A challenge spent on a refused sending cannot be used again.
    refused = client.post(_url(post), {**data, "nickname": ""})
    assert refused.status_code == 400
    again = client.post(_url(post), data)
    assert again.status_code == 400 and "已失效" in again.content.decode()
    # Nor can one that worked: another visitor replaying it is refused …
    data = _form(client, _url(post))
    first = client.post(_url(post), data)
    assert first.status_code == 303
    stranger = Client(REMOTE_ADDR="198.51.100.20")
    assert stranger.post(_url(post), data).status_code == 400
    # … and the same citizen sending it twice (a double click) is shown the first success.
    twice = client.post(_url(post), data)
    assert (twice.status_code, twice["Location"]) == (303, first["Location"])
    assert LocalComment.objects.count() == 1


def test_a_captcha_expires_after_ten_minutes(client: Client, district: District) -> None:
    post = _publish(district.street01_account)
    data = _form(client, _url(post))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert client.post(_url(post), data).status_code == 400
    assert not LocalComment.objects.exists()


def test_the_captcha_image_is_a_png_and_a_made_up_token_is_not_found(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    token = _token(client.get(_url(post)).content.decode())
    image = client.get(reverse("local:captcha", kwargs={"token": token}))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and image["Cache-Control"] == "no-store"
    forged = reverse("local:captcha", kwargs={"token": "abc:def:ghi"})
    assert client.get(forged).status_code == 404


@override_settings(LOCAL_PLATFORM_SUBMIT_LIMIT=2)
def test_a_visitor_over_the_rate_limit_is_refused_and_keeps_what_they_typed(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    for n in range(2):
        assert (
            client.post(_url(post), _form(client, _url(post), text=f"第{n}条")).status_code == 303
        )
    refused = client.post(_url(post), _form(client, _url(post), text="第三条意见很重要"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "过于频繁" in page and "第三条意见很重要" in page
    assert LocalComment.objects.count() == 2
    # Another address is not limited.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(_url(post), _form(other, _url(post))).status_code == 303


@override_settings(LOCAL_PLATFORM_CAPTCHA_FAILURE_LIMIT=3)
def test_guessing_captchas_closes_the_forms_to_that_visitor(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    for _guess in range(3):
        client.post(_url(post), _form(client, _url(post), captcha="ZZZZZ"))
    assert client.post(_url(post), _form(client, _url(post))).status_code == 429
    assert not LocalComment.objects.exists()


def test_length_limits_are_enforced_and_the_text_is_kept(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    too_long = "长" * 501
    refused = client.post(_url(post), _form(client, _url(post), text=too_long))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "不能超过 500 字（现为 501 字）" in page and too_long in page
    long_nick = client.post(_url(post), _form(client, _url(post), nickname="名" * 21))
    assert long_nick.status_code == 400 and "昵称不能超过 20 字" in long_nick.content.decode()
    assert client.post(_url(post), _form(client, _url(post), text="长" * 500)).status_code == 303
    assert LocalComment.objects.get().text == "长" * 500


def test_bad_input_changes_nothing(client: Client, district: District) -> None:
    post = _publish(district.street01_account)
    other = _publish(district.street02_account)
    foreign = services.comment_submit(
        post=other, nickname="甲", text="别处的评论", visitor_hash="v"
    )
    before = _snapshot()
    bad_inputs = [
        {"nickname": ""},
        {"text": "   "},
        {"nickname": "示范区东城街道"},  # passing for an official account
        {"nickname": "@sfq_street01"},
        {"parent": str(foreign.pk)},  # a comment under another post
        {"parent": "abc"},
        {"captcha": "WRONG"},
        {"captcha_token": "forged:token:value"},
        {"text": "\x00\x01"},
    ]
    for fields in bad_inputs:
        response = client.post(_url(post), _form(client, _url(post), **fields))
        assert response.status_code == 400, fields
    assert _snapshot() == before


def test_csrf_protection_stays_on_for_citizens(district: District) -> None:
    post = _publish(district.street01_account)
    client = Client(enforce_csrf_checks=True)
    data = _form(client, _url(post))
    assert client.post(_url(post), data).status_code == 403
    follow = reverse("local:follow", kwargs={"handle": "sfq_street01"})
    assert client.post(follow).status_code == 403
    assert not LocalComment.objects.exists() and not LocalFollow.objects.exists()


def test_everything_citizens_write_is_escaped(client: Client, district: District) -> None:
    account = district.street01_account
    post = _publish(account, f"官方内容也转义 {XSS}")
    client.post(_url(post), _form(client, _url(post), nickname="<b>坏人</b>", text=XSS))
    comment = LocalComment.objects.get()
    services.comment_submit(
        post=post, nickname="回复者", text=XSS, visitor_hash="v2", parent_id=comment.pk
    )
    pages = [
        client.get(_url(post)).content.decode(),
        client.get(reverse("local:account", kwargs={"handle": account.handle})).content.decode(),
        client.get(reverse("local:index")).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>坏人" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0]
    assert "&lt;b&gt;坏人&lt;/b&gt;" in pages[0]
    message_form = reverse("local:message", kwargs={"handle": account.handle})
    receipt = client.post(message_form, _form(client, message_form, text=XSS), follow=True)
    assert "<script>alert" not in receipt.content.decode()
    assert "&lt;script&gt;" in receipt.content.decode()
    # A refused form shows the typed text back escaped too.
    refused = client.post(_url(post), _form(client, _url(post), text=XSS, captcha="x"))
    assert "<script>alert" not in refused.content.decode()


def test_the_visitors_address_is_never_stored(client: Client, district: District) -> None:
    address = "198.51.100.77"
    citizen = Client(REMOTE_ADDR=address)
    account = district.street01_account
    post = _publish(account)
    citizen.post(_url(post), _form(citizen, _url(post)))
    message_form = reverse("local:message", kwargs={"handle": account.handle})
    citizen.post(message_form, _form(citizen, message_form))
    citizen.post(reverse("local:like", kwargs={"handle": account.handle, "post_id": post.pk}))
    citizen.post(reverse("local:follow", kwargs={"handle": account.handle}))
    rows = [
        *LocalComment.objects.values(),
        *LocalMessage.objects.values(),
        *LocalLike.objects.values(),
        *LocalFollow.objects.values(),
    ]
    assert len(rows) == 4
    assert all(address not in str(row) for row in rows)
    assert {row["visitor_hash"] for row in rows} == {visitor_hash(address)}


def test_a_blocked_visitor_is_told_and_nothing_is_saved(client: Client, district: District) -> None:
    account = district.street01_account
    post = _publish(account)
    LocalBlock.objects.create(account=account, visitor_hash=visitor_hash("127.0.0.1"))
    refused = client.post(_url(post), _form(client, _url(post), text="我想说的话"))
    assert refused.status_code == 403
    assert "限制您评论" in refused.content.decode() and "我想说的话" in refused.content.decode()
    assert not LocalComment.objects.exists()


def test_replying_to_a_comment_through_the_form_threads_it(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    first = services.comment_submit(post=post, nickname="甲", text="第一条", visitor_hash="v")
    url = f"{_url(post)}?reply_to={first.pk}"
    page = client.get(url).content.decode()
    assert f'name="parent" value="{first.pk}"' in page and "回复 甲" in page
    data = _form(client, url, parent=str(first.pk), text="同意楼上")
    assert client.post(_url(post), data).status_code == 303
    assert LocalComment.objects.get(text="同意楼上").parent == first


# --- messages, likes, follows -------------------------------------------------------------------
def test_a_message_is_private_and_its_author_reads_the_answer_on_a_private_page(
    client: Client, district: District
) -> None:
    account = district.street01_account
    url = reverse("local:message", kwargs={"handle": account.handle})
    data = _form(client, url, text="楼道灯坏了三天")
    response = client.post(url, data)
    assert response.status_code == 303
    receipt_url = response["Location"]
    assert client.post(url, data)["Location"] == receipt_url  # sent twice, kept once
    receipt = client.get(receipt_url)
    assert "楼道灯坏了三天" in receipt.content.decode()
    assert receipt["Cache-Control"] == "private, no-store"
    message = LocalMessage.objects.get()
    LocalConnector().reply(ref(account), f"m{message.pk}", "物业已修好。", ctx())
    assert "物业已修好。" in client.get(receipt_url).content.decode()
    account_page = client.get(reverse("local:account", kwargs={"handle": account.handle}))
    assert "楼道灯坏了三天" not in account_page.content.decode()
    assert client.get(reverse("local:receipt", kwargs={"token": "guess"})).status_code == 404


def test_a_message_with_bad_input_is_refused_and_kept(client: Client, district: District) -> None:
    url = reverse("local:message", kwargs={"handle": "sfq_street01"})
    refused = client.post(url, _form(client, url, text="长" * 1001))
    assert refused.status_code == 400 and "1000" in refused.content.decode()
    assert "长" * 1001 in refused.content.decode()
    assert not LocalMessage.objects.exists()


def test_likes_and_follows_count_once_per_visitor(client: Client, district: District) -> None:
    account = district.street01_account
    post = _publish(account)
    like = reverse("local:like", kwargs={"handle": account.handle, "post_id": post.pk})
    follow = reverse("local:follow", kwargs={"handle": account.handle})
    for visitor in (client, client, Client(REMOTE_ADDR="198.51.100.3")):
        assert visitor.post(like).status_code == 303
        assert visitor.post(follow).status_code == 303
    again = client.post(like, follow=True).content.decode()
    assert "您已经赞过" in again and "赞 2" in again
    page = client.get(reverse("local:account", kwargs={"handle": account.handle})).content.decode()
    assert "2 位关注者" in page
    assert LocalLike.objects.count() == 2 and LocalFollow.objects.count() == 2
    assert client.get(like).status_code == 405


# --- caching ------------------------------------------------------------------------------------
def test_a_new_comment_invalidates_the_cached_post_page(client: Client, district: District) -> None:
    post = _publish(district.street01_account)
    assert client.get(_url(post))["X-Local-Cache"] == "miss"
    assert client.get(_url(post))["X-Local-Cache"] == "hit"
    client.post(_url(post), _form(client, _url(post), text="新的评论进来了"))
    fresh = client.get(_url(post))
    assert fresh["X-Local-Cache"] == "miss" and "新的评论进来了" in fresh.content.decode()


def test_publishing_replying_and_moderating_invalidate_the_cached_pages(
    client: Client, district: District
) -> None:
    account = district.street01_account
    post = _publish(account)
    comment = services.comment_submit(
        post=post, nickname="甲", text="需要处理的评论", visitor_hash="v"
    )
    account_url = reverse("local:account", kwargs={"handle": account.handle})
    client.get(account_url), client.get(_url(post))
    assert client.get(account_url)["X-Local-Cache"] == "hit"
    _publish(account, "刚刚发布的新通知")
    assert "刚刚发布的新通知" in client.get(account_url).content.decode()
    connector = LocalConnector()
    connector.reply(ref(account), f"c{comment.pk}", "官方已经答复", ctx())
    assert "官方已经答复" in client.get(_url(post)).content.decode()
    from govmatrix.platforms.base import ModerationAction

    connector.moderate(ref(account), f"c{comment.pk}", ModerationAction.HIDE, ctx(), reason="x")
    page = client.get(_url(post)).content.decode()
    assert "需要处理的评论" not in page and "该评论已被隐藏" in page


def test_the_cached_page_carries_each_visitors_own_csrf_token_and_captcha(
    district: District,
) -> None:
    post = _publish(district.street01_account)
    first, second = Client(), Client()
    one, two = first.get(_url(post)), second.get(_url(post))
    assert two["X-Local-Cache"] == "hit"
    assert _token(one.content.decode()) != _token(two.content.decode())
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.findall(one.content.decode())[0] != token.findall(two.content.decode())[0]


@override_settings(LOCAL_PLATFORM_NOCACHE_TOKEN="bench-secret")
def test_the_same_page_is_served_uncached_only_with_the_configured_token(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    client.get(_url(post))
    cached = client.get(_url(post))
    uncached = client.get(_url(post), {"nocache": "bench-secret"})
    assert (cached["X-Local-Cache"], uncached["X-Local-Cache"]) == ("hit", "bypass")
    assert client.get(_url(post), {"nocache": "guess"})["X-Local-Cache"] == "hit"
    strip = re.compile(r'value="[^"]+"|captcha/[^"]+"')
    assert strip.sub("", cached.content.decode()) == strip.sub("", uncached.content.decode())


def test_without_a_configured_token_the_cache_cannot_be_bypassed(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    client.get(_url(post))
    assert client.get(_url(post), {"nocache": ""})["X-Local-Cache"] == "hit"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999"])
def test_odd_page_numbers_fall_back_to_the_first_page(
    client: Client, district: District, page: str
) -> None:
    _publish(district.street01_account)
    response = client.get(
        reverse("local:account", kwargs={"handle": "sfq_street01"}), {"page": page}
    )
    assert response.status_code == 200


def test_a_visitor_who_chose_english_reads_the_public_pages_in_english(
    client: Client, district: District
) -> None:
    post = _publish(district.street01_account)
    client.cookies["django_language"] = "en"
    index = client.get(reverse("local:index")).content.decode()
    assert "Official accounts" in index and "1 post" in index
    page = client.get(_url(post)).content.decode()
    assert "Write a comment" in page and "Captcha" in page
    refused = client.post(_url(post), _form(client, _url(post), text="x" * 501))
    assert "cannot be longer than 500 characters (it has 501)" in refused.content.decode()
    # The cached fragment is kept per language: Chinese visitors still get Chinese.
    assert "发表评论" in Client().get(_url(post)).content.decode()
