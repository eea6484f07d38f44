"""Real-browser fixtures: the system Chromium driven by Playwright against a live werkzeug server.

Chromium comes from Debian (apt packages `chromium` and `fonts-noto-cjk`); `playwright install` is never
needed. Without it the browser tests are skipped locally and fail on CI (CI=true).

The live server serves an app built with `make_app`, so it shares the test database with the factory
fixtures: create data in the test (before or after the server starts) and the server sees it.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import IS_CI, PASSWORD

SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
PHONE_VIEWPORT = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_BROWSER = "install apt packages chromium fonts-noto-cjk"


def _find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium; skip loudly without it (fail on CI, where it must be installed)."""
    path = _find_chromium()
    if path is None:
        message = f"No Chromium at /usr/bin/chromium or on PATH: {MISSING_BROWSER}"
        if IS_CI:
            pytest.fail(message + " (CI=true: browser tests must run on CI)", pytrace=False)
        pytest.skip(f"!!! BROWSER TESTS SKIPPED !!! {message}")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_errors() -> list[str]:
    """JavaScript errors and console errors (CSP refusals show up here) seen by `page`."""
    return []


@pytest.fixture
def page(browser, browser_errors):
    """A phone (390×844, Chinese) in a fresh browser context: no cookies shared between tests."""
    with another_phone(browser, browser_errors) as page:
        yield page


def watch_errors(page, errors: list[str]) -> None:
    """Collect JavaScript errors and console errors (CSP refusals show up there) of `page` into `errors`."""
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: errors.append(
        f"console.{msg.type}: {msg.text} ({msg.location.get('url', '')})") if msg.type == "error" else None)


@contextmanager
def another_phone(browser, errors: list[str], **options):
    """One more person's phone: a fresh context (390×844, Chinese, Shanghai time), its errors collected."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", device_scale_factor=2,
                                  timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch_errors(page, errors)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def live_server_config() -> dict:
    """Extra settings of the live server's app; a module overrides it (uploads: the test's UPLOAD_DIR)."""
    return {}


@pytest.fixture
def live_server(chromium_path, make_app, live_server_config):
    """Serve a fresh app on a free port in a daemon thread; yield its base URL."""
    from civic.extensions import db

    app = make_app(**live_server_config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()  # do not leave pooled connections behind (PostgreSQL drops the database)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to tests/browser/screenshots/<name>.png (git-ignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    path = SCREENSHOT_DIR / f"{safe}.png"
    # caret="initial": hiding the caret leaves style="" on every input, which htmx then copies when it settles a
    # swapped element with the same id — a CSP inline-style refusal that no real visitor would cause.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


# --- Steps shared by the browser tests -------------------------------------------------------------------

def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would (Chinese labels)."""
    page.goto(f"{base_url}/login")
    page.get_by_label("登录名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="登录", exact=True).click()
    assert page.url == f"{base_url}/", f"sign-in failed, still at {page.url}"


def elder_mode_button(page):
    return page.locator("footer.site").get_by_role("button", name=re.compile("关怀版|Elder mode"))


def turn_on_elder_mode(page) -> None:
    """Press the footer switch (stores the setting on a signed-in account, in a cookie otherwise)."""
    button = elder_mode_button(page)
    assert button.get_attribute("aria-pressed") == "false", "elder mode is already on"
    with page.expect_navigation():
        button.click()
    assert "elder" in (page.locator("html").get_attribute("class") or "").split()


def mark_page(page) -> None:
    """A marker that a full page load would wipe out: proves a swap happened in place."""
    page.evaluate("window.__marker = 1")


def still_marked(page) -> bool:
    return page.evaluate("window.__marker === 1")


def assert_redirected_after_post(response) -> None:
    """The page shown came from a GET that a 303 answer to the form's POST sent the browser to."""
    post = response.request.redirected_from
    assert post is not None and post.method == "POST", "the form did not answer with a redirect"
    assert post.response().status == 303
    assert response.request.method == "GET" and response.status == 200


def relevant_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "favicon.ico" not in e]
