"""What the office and a street operator see, in a real browser."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, screenshot


def test_the_office_sees_the_whole_registry_with_target_progress(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    page = sign_in("office")
    expect(page.get_by_test_id("target-progress")).to_contain_text("微博群成员达到20个")
    expect(page.get_by_test_id("target-figure").first).to_contain_text("/30")
    expect(page.locator("#chart-by_unit canvas")).to_be_visible()
    expect(page.get_by_test_id("sidebar")).to_contain_text("审计日志")
    screenshot(page, "dashboard")

    page.click("[data-section=registry]")
    expect(page.get_by_test_id("registry-table")).to_contain_text("@示范区发布")
    expect(page.get_by_test_id("registry-table")).to_contain_text("示范区西城街道")
    page.select_option("#id_status", "dormant")
    page.click("text=筛选")
    rows = page.locator("[data-testid=registry-table] tbody tr")
    expect(rows).to_have_count(2)
    screenshot(page, "registry")


def test_a_click_on_a_target_opens_the_accounts_it_counts(sign_in: Callable[..., Page]) -> None:
    page = sign_in("office")
    page.get_by_test_id("target-figure").first.locator("a").click()
    expect(page.locator(".alert-info")).to_contain_text("只显示计入目标")


def test_a_street_operator_sees_only_their_own_street(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    page = sign_in("street01_operator")
    sidebar = page.get_by_test_id("sidebar")
    expect(sidebar).to_contain_text("账号台账")
    expect(sidebar).not_to_contain_text("审计日志")
    expect(sidebar).not_to_contain_text("建设目标")
    expect(page.get_by_test_id("target-progress")).to_have_count(0)

    page.click("[data-section=registry]")
    table = page.get_by_test_id("registry-table")
    expect(table).to_contain_text("示范区东城街道")
    expect(table).not_to_contain_text("示范区西城街道")
    expect(table).not_to_contain_text("@示范区发布")

    page.goto(f"{live_server}/audit/")  # type: ignore[str-bytes-safe]
    expect(page.get_by_test_id("forbidden")).to_be_visible()


def test_another_streets_account_is_not_found_for_a_street_operator(
    sign_in: Callable[..., Page], live_server: object
) -> None:
    from govmatrix.matrix.models import Account

    other = Account.objects.get(handle="sfq_street02")
    page = sign_in("street01_operator")
    response = page.goto(f"{live_server}/registry/{other.pk}/")  # type: ignore[str-bytes-safe]
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()


def test_a_street_operator_edits_their_account_and_the_change_is_audited(
    sign_in: Callable[..., Page],
) -> None:
    page = sign_in("street01_operator")
    page.click("[data-section=registry]")
    page.click("text=示范区东城街道")
    page.click("text=编辑")
    page.fill("#id_description", "东城街道官方政务微博")
    page.click("text=保存")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("body")).to_contain_text("东城街道官方政务微博")

    office = sign_in("office")
    office.click("[data-section=audit]")
    expect(office.get_by_test_id("audit-table")).to_contain_text("修改账号")


def test_bad_input_in_a_form_is_explained_and_saves_nothing(sign_in: Callable[..., Page]) -> None:
    page = sign_in("street01_operator")
    page.click("[data-section=registry]")
    page.click("text=登记账号")
    page.select_option("#id_platform", "local")
    page.fill("#id_handle", "Bad Handle!")
    page.fill("#id_display_name", "测试账号")
    page.click("text=保存")
    expect(page.get_by_test_id("field-error-handle")).to_contain_text("账号格式")
    page.click("[data-section=registry]")
    expect(page.get_by_test_id("registry-table")).not_to_contain_text("测试账号")


def test_the_interface_switches_to_english_and_back(sign_in: Callable[..., Page]) -> None:
    page = sign_in("office")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("sidebar")).to_contain_text("Account registry")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("sidebar")).to_contain_text("账号台账")


def test_the_shell_works_on_a_phone(sign_in: Callable[..., Page]) -> None:
    page = sign_in("street01_leader", viewport=PHONE)
    page.get_by_label("菜单").click()
    page.get_by_test_id("sidebar").get_by_text("账号台账").click()
    expect(page.get_by_test_id("registry-table")).to_be_visible()
