"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from govmatrix.demo.district import DEMO_PASSWORD
from govmatrix.demo.seed import seed_demo_district

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo district 示范区, loaded into the live server's database."""
    seed_demo_district()


@pytest.fixture
def sign_in(browser: Browser, live_server: object, demo: None) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_as(username: str, *, viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            viewport=viewport or {"width": 1366, "height": 900}, locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server}/login/")  # type: ignore[str-bytes-safe]
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("[data-testid=login-submit]")
        page.wait_for_url(f"{live_server}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str) -> None:
    """Saved where GOVMATRIX_SCREENSHOTS points (`make screenshots` → docs/screenshots), else var/."""
    folder = Path(os.environ.get("GOVMATRIX_SCREENSHOTS", "var/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
