"""The inbox in a real browser: a citizen comments on a public page of 东城街道's account, the
comment reaches street01's queue with its clock running, the operator drafts a reply from the
wording library, the street's leader approves it on a phone, and the reply appears under the
citizen's comment on the public page (R4.1, R4.2, R5.1)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, screenshot

COMPLAINT = "东城花园北门的路灯坏了一个多星期，晚上黑漆漆的，老人出门很不安全，请尽快修复。"
CITIZEN = "东城花园李阿姨"


def _citizen_comments(page: Page, live_server: object, post_url: str) -> None:
    """The public page, as any visitor sees it; the captcha is read from the server's hook."""
    from govmatrix.platforms.local.captcha import captcha_answer

    page.goto(f"{live_server}{post_url}")  # type: ignore[str-bytes-safe]
    form = page.get_by_test_id("comment-form")
    form.locator("input[name=nickname]").fill(CITIZEN)
    form.locator("textarea[name=text]").fill(COMPLAINT)
    token = form.locator("input[name=captcha_token]").get_attribute("value")
    assert token
    answer = captcha_answer(token)  # test-only: the answer the image shows, from its token
    assert answer
    form.locator("input[name=captcha]").fill(answer)
    form.get_by_role("button").click()
    expect(page.locator("body")).to_contain_text("评论已发表")


def test_a_citizens_comment_is_answered_with_an_approved_reply_under_it(
    sign_in: Callable[..., Page], browser: object, live_server: object
) -> None:
    from govmatrix.inbox.models import Message, Reply
    from govmatrix.matrix.models import Account
    from govmatrix.platforms.local.models import LocalPost

    account = Account.objects.get(handle="sfq_street01")
    post = LocalPost.objects.filter(account=account, repost_of__isnull=True).order_by("-pk").first()
    assert post is not None
    post_url = f"/p/{account.handle}/{post.pk}/"
    visitor = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[attr-defined]
    citizen = visitor.new_page()
    citizen.set_default_timeout(15000)
    _citizen_comments(citizen, live_server, post_url)

    # street01's operator pulls the new messages (the worker does it every minute).
    operator = sign_in("street01_operator")
    operator.click("[data-section=inbox]")
    operator.get_by_test_id("sync-now").click()
    table = operator.get_by_test_id("message-table")
    expect(table).to_contain_text("北门的路灯坏了")
    message = Message.objects.get(text=COMPLAINT)
    assert message.unit is not None and message.unit.code == "street01"
    assert message.state == "open" and message.ack_due_at is not None
    row = table.locator(f"tr[data-message='{message.pk}']")
    expect(row.get_by_test_id("sla")).to_contain_text("首次答复剩余")
    screenshot(operator, "inbox-queue")

    row.get_by_text("北门的路灯坏了").click()
    expect(operator.get_by_test_id("message-text")).to_contain_text(COMPLAINT)
    expect(operator.get_by_test_id("message-unit")).to_contain_text("东城街道")
    suggestions = operator.get_by_test_id("wording-suggestions")
    suggestions.get_by_text("路灯、井盖等设施损坏").click()
    box = operator.locator("#id_text")
    expect(box).to_have_value(
        "您好，您反映的设施损坏问题已收到，我们已通知养护单位于24小时内到现场查看维修。维修完成后将在此回复您，如仍有问题请继续留言。"
    )
    box.fill(
        "您好，您反映的东城花园北门路灯损坏问题已收到，我们已通知养护单位于24小时内到现场维修。维修完成后将在此回复您。"
    )
    operator.get_by_test_id("reply-save-submit").click()
    expect(operator.locator(".alert-success.alert-dismissible")).to_contain_text(
        "已提交主要领导审核"
    )
    screenshot(operator, "inbox-message")

    leader = sign_in("street01_leader", viewport=PHONE)
    expect(leader.get_by_test_id("todo")).to_contain_text("答复待审核")
    leader.goto(f"{live_server}/inbox/approvals/")  # type: ignore[str-bytes-safe]
    leader.get_by_test_id("reply-approval-list").get_by_text("北门路灯损坏").click()
    expect(leader.get_by_test_id("review-message")).to_contain_text(COMPLAINT)
    expect(leader.get_by_test_id("diff")).to_contain_text("与所用口径相比")
    approve = leader.get_by_test_id("approve-reply")
    box_size = approve.bounding_box()
    assert box_size is not None and box_size["width"] >= 300 and box_size["height"] >= 44
    page_box = leader.get_by_test_id("reply-review-page").bounding_box()
    assert page_box is not None and page_box["x"] + page_box["width"] <= PHONE["width"]
    assert leader.evaluate("document.querySelector('main').scrollWidth") <= PHONE["width"]
    screenshot(leader, "inbox-approval-phone")
    approve.click()
    expect(leader.locator(".alert-success.alert-dismissible")).to_contain_text("已通过")

    reply = Reply.objects.get(message=message)
    assert reply.state == "published", reply.failure_message
    message.refresh_from_db()
    assert message.state == "answered" and message.first_response_at is not None

    citizen.goto(f"{live_server}{post_url}")  # type: ignore[str-bytes-safe]
    # The official reply sits in the citizen's own thread, right under the comment.
    thread = citizen.get_by_test_id("thread").filter(has=citizen.locator(f"#{message.external_id}"))
    ours = thread.locator(f"#{reply.external_id}")
    expect(ours.get_by_test_id("official-badge")).to_be_visible()
    expect(ours.get_by_test_id("comment-text")).to_contain_text("东城花园北门路灯损坏问题已收到")
    expect(thread.get_by_test_id("nickname").first).to_have_text(CITIZEN)
    screenshot(citizen, "inbox-public-reply")
    visitor.close()
