"""A post on WeChat, which has no usable write API, in a real browser: the operator finds the
manual task among the to-dos, copies the approved text (or scans it), publishes it there and
pastes the link back; GovMatrix reads the page, finds the same text, and the post is published
with that link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.platforms.manual.conftest import Pages, pages  # noqa: F401 - the page server fixture

TEXT = "【城管提示】区城管执法局提醒：12月起主干道两侧禁止店外经营，请商户配合。"


def _approved_wechat_post() -> Any:
    from django.contrib.auth import get_user_model

    from govmatrix.matrix.models import Account
    from govmatrix.publishing import services
    from govmatrix.publishing.models import Topic

    users = get_user_model().objects
    operator, leader = users.get(username="dept20_operator"), users.get(username="dept20_leader")
    account = Account.objects.get(unit__code="dept20", platform="wechat")
    post = services.post_create(
        actor=operator,
        account_id=account.pk,
        text=TEXT,
        topic_ids=[Topic.objects.order_by("pk").values_list("pk", flat=True).first()],
    )
    services.post_submit(actor=operator, post_id=post.pk)
    return services.post_approve(actor=leader, post_id=post.pk)


def test_an_operator_completes_a_manual_publication_by_pasting_the_link(
    sign_in: Callable[..., Page],
    live_server: object,
    pages: Pages,  # noqa: F811 - the fixture imported above
    settings: Any,
) -> None:
    from govmatrix.publishing.models import Post

    settings.MANUAL_FETCH_ALLOW_PRIVATE = True  # the "platform" page is served on loopback
    settings.MANUAL_LINK_HOSTS = {}
    post = _approved_wechat_post()
    assert Post.objects.get(pk=post.pk).status == "publishing"

    operator = sign_in("dept20_operator")
    todo = operator.get_by_test_id("todo")
    expect(todo).to_contain_text("待手工发布的内容")
    todo.get_by_text("待手工发布的内容").click()
    operator.get_by_test_id("manual-tasks").get_by_text("城管提示").click()
    expect(operator.get_by_test_id("manual-instructions")).to_contain_text("微信公众号")
    expect(operator.get_by_test_id("manual-text")).to_have_value(TEXT)
    expect(operator.get_by_test_id("manual-qr")).to_be_visible()
    copy = operator.get_by_test_id("copy-text")
    copy.click()
    expect(copy).to_contain_text("已复制")
    screenshot(operator, "manual-task")

    # Published on the platform; the link comes back.
    url = pages.article("/s/UrbanMgmt2026", TEXT)
    operator.get_by_label("平台上这条内容的链接").fill(url)
    operator.get_by_test_id("manual-submit-link").click()
    expect(operator.locator(".alert-success.alert-dismissible")).to_contain_text("已完成发布")
    expect(operator.get_by_test_id("manual-state")).to_contain_text("已完成")
    expect(operator.get_by_test_id("manual-done")).to_contain_text("系统核对一致")
    operator.get_by_test_id("manual-subject").click()
    expect(operator.get_by_test_id("post-status")).to_contain_text("已发布")
    expect(operator.get_by_test_id("public-link")).to_have_attribute("href", url)

    post = Post.objects.get(pk=post.pk)
    assert post.status == "published" and post.public_url == url
    assert post.external_id == "UrbanMgmt2026"
