"""The publishing flow in a real browser: an operator drafts and submits, the street's leader
approves on a phone, the post appears on the local platform's public page, and the office
finds it reported (R3.1, R3.2, R5.1)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, screenshot

TEXT = "【便民提示】东城街道本周六上午在社区服务中心开展免费测血压活动，欢迎居民参加。"


def test_a_post_goes_from_the_operator_through_the_leaders_phone_to_the_public_and_the_office(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    from govmatrix.publishing.models import Post

    operator = sign_in("street01_operator")
    operator.click("[data-section=posts]")
    operator.get_by_test_id("new-post").click()
    operator.fill("#id_text", TEXT)
    expect(operator.get_by_test_id("text-count")).to_contain_text(f"{len(TEXT)} / 2000")
    operator.get_by_label("医疗卫生").check()
    operator.get_by_test_id("save-submit").click()
    expect(operator.locator(".alert-success.alert-dismissible")).to_contain_text("已提交审核")
    expect(operator.get_by_test_id("post-status")).to_contain_text("待审核")

    leader = sign_in("street01_leader", viewport=PHONE)
    expect(leader.get_by_test_id("todo")).to_contain_text("稿件待审核")
    leader.goto(f"{live_server}/publishing/approvals/")  # type: ignore[str-bytes-safe]
    leader.get_by_test_id("approval-list").get_by_text("免费测血压").click()
    expect(leader.get_by_test_id("review-text")).to_contain_text("免费测血压")
    expect(leader.get_by_test_id("check-clean")).to_be_visible()
    approve = leader.get_by_test_id("approve")
    box = approve.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44  # a large button
    # Nothing of the page is wider than the phone. (The top bar's bell badge, which is not
    # this page's, sticks out a few pixels when the count has two digits.)
    review_page = leader.get_by_test_id("review-page").bounding_box()
    assert review_page is not None and review_page["x"] + review_page["width"] <= PHONE["width"]
    assert leader.evaluate("document.querySelector('main').scrollWidth") <= PHONE["width"]
    screenshot(leader, "publishing-approval-phone")
    approve.click()
    expect(leader.locator(".alert-success.alert-dismissible")).to_contain_text("已通过")

    post = Post.objects.get(text=TEXT)
    assert post.status == "published", post.failure_message
    assert post.public_url.startswith("/p/sfq_street01/")
    public = sign_in("inspector")
    public.goto(f"{live_server}{post.public_url}")  # type: ignore[str-bytes-safe]
    expect(public.locator("body")).to_contain_text("免费测血压")

    office = sign_in("office")
    office.click("[data-section=reports]")
    table = office.get_by_test_id("report-table")
    expect(table).to_contain_text("免费测血压")
    table.get_by_text("免费测血压").click()
    expect(office.get_by_test_id("report-state")).to_contain_text("待审阅")
    office.get_by_test_id("acknowledge").click()
    expect(office.get_by_test_id("report-state")).to_contain_text("已阅")
    screenshot(office, "publishing-report")


def test_a_leader_returns_a_post_with_comments_and_the_operator_sees_them(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    from govmatrix.publishing.models import Post

    operator = sign_in("street01_operator")
    operator.goto(f"{live_server}/publishing/new/")  # type: ignore[str-bytes-safe]
    operator.fill("#id_text", "东城街道将举办读书会。")
    operator.get_by_test_id("save-submit").click()
    post = Post.objects.get(text="东城街道将举办读书会。")

    leader = sign_in("street01_leader", viewport=PHONE)
    leader.goto(f"{live_server}/publishing/review/{post.pk}/")  # type: ignore[str-bytes-safe]
    leader.get_by_test_id("return").click()  # no comment yet: the page asks for one
    expect(leader.locator("#id_comment")).to_have_class("form-control is-invalid")
    leader.fill("#id_comment", "请写明读书会的时间和地点。")
    leader.get_by_test_id("return").click()
    expect(leader.locator(".alert-success.alert-dismissible")).to_contain_text("已退回")

    operator.goto(f"{live_server}/publishing/{post.pk}/")  # type: ignore[str-bytes-safe]
    expect(operator.get_by_test_id("post-status")).to_contain_text("已退回")
    expect(operator.get_by_test_id("reviews")).to_contain_text("请写明读书会的时间和地点")
