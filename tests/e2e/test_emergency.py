"""The emergency flow in a real browser (R5.2, R6.1, R6.2): the office declares an incident
and pauses routine posts, the on-site commander approves the statement on a phone, the main
account publishes it at once, 东城街道's operator reposts from the order, and the board shows
the repost with its latency and the platform's link."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, screenshot

TITLE = "西城街道化工仓库火情"
TEXT = "【权威发布】今天10时许，西城街道一处化工仓库发生火情，消防救援力量已到场处置，暂无人员伤亡。请周边居民关闭门窗，不要围观。"
COMMENT = "请以@示范区发布的权威信息为准。"


def _fits_the_phone(page: Page, testid: str) -> None:
    box = page.get_by_test_id(testid).bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.querySelector('main').scrollWidth") <= PHONE["width"]


def test_an_incident_goes_from_the_office_through_the_commanders_phone_to_every_sub_account(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    from govmatrix.emergency.models import RepostOrder, Statement
    from govmatrix.org.models import Person

    office = sign_in("office")
    office.click("[data-section=incidents]")
    office.get_by_test_id("declare").click()
    office.fill("#id_title", TITLE)
    office.select_option("#id_level", "II")
    commander = Person.objects.get(user__username="commander")
    office.select_option("#id_commander", str(commander.pk))
    office.get_by_label("西城街道", exact=True).check()
    office.get_by_test_id("declare-submit").click()
    expect(office.get_by_test_id("incident-title")).to_contain_text(TITLE)
    expect(office.get_by_test_id("clocks")).to_contain_text("剩余 4 小时 59 分")
    expect(office.get_by_test_id("pause-offer")).to_be_visible()
    office.get_by_test_id("pause-publishing").click()  # routine posts wait; statements do not
    expect(office.get_by_test_id("paused-note")).to_be_visible()

    office.get_by_test_id("new-statement").click()
    office.fill("#id_text", TEXT)
    office.fill("#id_repost_comment", COMMENT)
    office.get_by_test_id("save-submit").click()
    expect(office.get_by_test_id("statement-status")).to_contain_text("待审核")
    expect(office.get_by_test_id("waiting-commander")).to_contain_text("赵振华")

    boss = sign_in("commander", viewport=PHONE)
    expect(boss.get_by_test_id("todo")).to_contain_text("应对口径待您审核")
    boss.get_by_test_id("todo").get_by_text("应对口径待您审核").click()
    expect(boss.get_by_test_id("statement-text")).to_contain_text("化工仓库发生火情")
    expect(boss.get_by_test_id("repost-comment")).to_contain_text(COMMENT)
    approve = boss.get_by_test_id("approve")
    box = approve.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44  # a large button
    _fits_the_phone(boss, "statement-page")
    screenshot(boss, "emergency-statement-phone")
    approve.click()
    expect(boss.locator(".alert-success.alert-dismissible")).to_contain_text("主账号立即发布")
    expect(boss.get_by_test_id("statement-status")).to_contain_text("已发布")

    statement = Statement.objects.select_related("post__account").get(incident__title=TITLE)
    assert statement.post.account.kind == "main" and statement.post.public_url
    orders = RepostOrder.objects.filter(statement=statement)
    assert orders.count() > 20 and orders.filter(account__unit__code="street01").count() == 1

    operator = sign_in("street01_operator", viewport=PHONE)
    expect(operator.get_by_test_id("todo")).to_contain_text("转发任务待完成")
    operator.get_by_test_id("todo").get_by_text("转发任务待完成").click()  # the phone's way in
    operator.get_by_test_id("order-list").get_by_text("示范区东城街道").click()
    expect(operator.get_by_test_id("order-statement")).to_contain_text("化工仓库发生火情")
    repost = operator.get_by_test_id("repost")
    box = repost.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44
    _fits_the_phone(operator, "order-page")
    repost.click()
    expect(operator.get_by_test_id("order-proof")).to_contain_text("用时")
    order = orders.get(account__unit__code="street01")
    assert order.state == "reposted" and order.repost_url.startswith("/p/sfq_street01/")
    screenshot(operator, "emergency-order-phone")

    public = sign_in("inspector")
    public.goto(f"{live_server}{order.repost_url}")  # type: ignore[str-bytes-safe]
    expect(public.locator("body")).to_contain_text("化工仓库发生火情")

    office.goto(f"{live_server}/emergency/{statement.incident_id}/board/")  # type: ignore[str-bytes-safe]
    row = office.locator(f"[data-order='{order.pk}']")
    expect(row).to_contain_text("已按时转发")
    expect(row.get_by_test_id("latency")).to_contain_text("秒")
    expect(office.get_by_test_id("count-reposted")).not_to_have_text("0")
    expect(office.locator("#chart-latency[data-drawn]")).to_be_attached()  # ECharts drew it
    screenshot(office, "emergency-board")
