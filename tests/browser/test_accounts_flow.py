"""A resident on a phone: register from the slip's QR code, look around, switch language and 关怀版, sign out and in."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civic.community import invites
from tests.browser.conftest import (
    elder_mode_button, relevant_errors, screenshot, sign_in, turn_on_elder_mode,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ELDER_MIN_TEXT_PX = 24  # 关怀版: at least 18pt text
ELDER_MIN_TAP_PX = 60  # 关怀版: tap targets at least 60px


def _code(household) -> str:
    return invites.active_codes([household.id])[household.id]


def _font_px(locator) -> float:
    return locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def test_resident_registers_from_the_slip_and_uses_the_site(live_server, page, browser_errors, make_household):
    household = make_household()
    building, community = household.building, household.building.community
    code = _code(household)
    household_label = f"{building.name} {household.room}"

    # The slip's QR code opens the registration page with the code already filled in.
    page.goto(f"{live_server}/register?code={code}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("注册")
    expect(page.get_by_label("邀请码", exact=True)).to_have_value(code)
    page.get_by_label("显示名称", exact=True).fill("王阿姨")
    page.get_by_label("登录名", exact=True).fill("wangayi")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再输一次密码", exact=True).fill(PASSWORD)
    screenshot(page, "register-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="创建账号").click()

    # Signed in, welcomed, with the community listed.
    assert page.url == f"{live_server}/"
    expect(page.get_by_role("status")).to_contain_text("欢迎您，王阿姨")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的居民区")
    header = page.locator("header.site")
    expect(header.get_by_role("link", name="王阿姨")).to_be_visible()
    expect(header.get_by_role("button", name="退出登录")).to_be_visible()
    community_link = page.locator("main").get_by_role("link", name=re.compile(re.escape(community.name)))
    expect(community_link).to_be_visible()
    screenshot(page, "registered-home")

    # The community home shows the household (building · room).
    with page.expect_navigation():
        community_link.click()
    assert page.url == f"{live_server}/c/{community.slug}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    my_household = page.locator("section.panel").filter(has=page.get_by_role("heading", name="我家", exact=True))
    expect(my_household).to_contain_text(household_label)
    screenshot(page, "community-home")

    # Language: English via the footer, then back to Chinese; the page stays the same.
    with page.expect_navigation():
        page.locator("footer.site").get_by_role("button", name="English").click()
    assert page.url == f"{live_server}/c/{community.slug}/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header.site").get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("heading", name="My household")).to_be_visible()
    screenshot(page, "english")
    with page.expect_navigation():
        page.locator("footer.site").get_by_role("button", name="切换到中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("header.site").get_by_role("button", name="退出登录")).to_be_visible()

    # 关怀版: large text and large tap targets.
    turn_on_elder_mode(page)
    assert page.url == f"{live_server}/c/{community.slug}/"
    expect(page.locator("html")).to_have_class(re.compile(r"(^|\s)elder(\s|$)"))
    expect(elder_mode_button(page)).to_have_attribute("aria-pressed", "true")
    expect(elder_mode_button(page)).to_have_text("关怀版：已开启")
    assert _font_px(page.locator("body")) >= ELDER_MIN_TEXT_PX
    body_text = page.locator("main p:not(.hint), main li")
    assert body_text.count() > 0
    for i in range(body_text.count()):
        size = _font_px(body_text.nth(i))
        assert size >= ELDER_MIN_TEXT_PX, f"{body_text.nth(i).inner_text()!r} is {size}px in 关怀版"
    footer_buttons = page.locator("footer.site button")
    assert footer_buttons.count() == 2
    for i in range(footer_buttons.count()):
        box = footer_buttons.nth(i).bounding_box()
        assert box and box["height"] >= ELDER_MIN_TAP_PX, f"footer button {i} is {box} in 关怀版"
    screenshot(page, "elder-mode")

    # Sign out: the 登录 link is back.
    with page.expect_navigation():
        page.locator("header.site").get_by_role("button", name="退出登录").click()
    assert page.url == f"{live_server}/"
    expect(page.locator("header.site").get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(page.locator("header.site").get_by_role("button", name="退出登录")).to_have_count(0)

    # Sign in again with the same credentials, from the header's 登录 link.
    with page.expect_navigation():
        page.locator("header.site").get_by_role("link", name="登录", exact=True).click()
    assert page.url == f"{live_server}/login"
    page.get_by_label("登录名", exact=True).fill("wangayi")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    screenshot(page, "login")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="登录", exact=True).click()
    assert page.url == f"{live_server}/"
    expect(page.locator("header.site").get_by_role("link", name="王阿姨")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name=re.compile(re.escape(community.name)))).to_be_visible()
    # The account remembers 关怀版 across sign-ins.
    expect(page.locator("html")).to_have_class(re.compile(r"(^|\s)elder(\s|$)"))
    screenshot(page, "signed-in-again")

    assert relevant_errors(browser_errors) == []


def test_wrong_invite_code_is_refused_in_chinese_and_keeps_the_display_name(live_server, page, make_household):
    make_household()
    page.goto(f"{live_server}/register")
    page.get_by_label("邀请码", exact=True).fill("ABCD-EFGH")
    page.get_by_label("显示名称", exact=True).fill("李老伯")
    page.get_by_label("登录名", exact=True).fill("lilaobo")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再输一次密码", exact=True).fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="创建账号").click()
    assert navigation.value.status == 422

    code_field = page.get_by_label("邀请码", exact=True)
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#code-error")).to_contain_text("邀请码无效")
    expect(page.get_by_role("alert")).to_contain_text("请")  # the summary asks to correct the marked fields
    expect(page.get_by_label("显示名称", exact=True)).to_have_value("李老伯")
    expect(page.get_by_label("登录名", exact=True)).to_have_value("lilaobo")
    expect(page.get_by_label("密码", exact=True)).to_have_value("")  # never sent back
    expect(page.locator("header.site").get_by_role("link", name="登录", exact=True)).to_be_visible()
    screenshot(page, "register-wrong-code")
