"""Neighbours on phones: raise a proposal, second it, discuss it live; the committee takes it up as a project.

Also: hostile Markdown in a comment stays inert (after the htmx append and after a reload), and a phone
without JavaScript can still comment and second with plain forms.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civic.clock import utcnow
from civic.community.models import Role
from civic.extensions import db
from civic.projects.models import Category
from civic.proposals import services
from tests.browser.conftest import (another_phone, assert_redirected_after_post, mark_page, relevant_errors, screenshot,
                                    sign_in, still_marked)

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 20_000  # the thread polls every 10 s while visible (static/js/threads.js)
TITLE = "7号楼加装电梯"
BODY = "7号楼住着很多老人，爬六楼很吃力。建议**加装电梯**，请大家附议，一起向居委会申请。"
COMMENT = "我家八十岁的老母亲住五楼，加装电梯我们全家支持！"
HOSTILE = "\n\n".join([
    "<script>window.__pwned=1</script>",
    "[click](javascript:window.__pwned=1)",
    '<img src=x onerror="window.__pwned=1">',
    '<a hx-get="/logout" hx-trigger="load">x</a>',
])


def _neighbours(make_community, make_building, make_household, make_member, grant) -> dict:
    community = make_community(name="虹桥居民区")
    building = make_building(community, name="7号楼")
    author = make_member(make_household(building), username="wangayi", display_name="王阿姨")
    neighbour = make_member(make_household(building), username="lilaobo", display_name="李老伯")
    committee = make_member(make_household(building), username="zhangshuji", display_name="张书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    return {"community": community, "building": building, "author": author, "neighbour": neighbour,
            "committee": committee}


def _published(community, author, building, *, title: str = TITLE, body: str = BODY):  # noqa: ANN001, ANN202
    """A published proposal written through the service (for tests that start from one)."""
    text = services.ProposalText(title=title, body_md=body, category=Category.ELEVATOR, buildings=[building])
    now = utcnow()
    household_id = author.memberships[0].household_id
    proposal = services.raise_proposal(community, text, household_id=household_id, actor=author, now=now)
    services.publish(proposal, actor=author, now=now)
    db.session.commit()
    return proposal


def _raise_through_the_form(page, base_url: str, slug: str) -> str:
    page.goto(f"{base_url}/c/{slug}/proposals/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("我要提事")
    page.get_by_label("标题", exact=True).fill(TITLE)
    page.get_by_label("遇到了什么问题？您建议怎么做？", exact=True).fill(BODY)
    page.get_by_label("类别", exact=True).select_option(label="加装电梯")
    expect(page.get_by_role("checkbox", name="7号楼")).to_be_checked()  # the author's own building, preselected
    with page.expect_navigation():
        page.get_by_role("button", name="发布", exact=True).click()
    assert re.fullmatch(rf"{re.escape(base_url)}/c/{slug}/proposals/\d+", page.url), page.url
    return page.url


def _post_comment(page, text: str) -> None:
    page.get_by_label("您的评论", exact=True).fill(text)
    page.get_by_role("button", name="发表评论", exact=True).click()


def _answer_accept_into_new_project(page, proposal_url: str) -> None:
    page.goto(proposal_url)
    page.get_by_text("发布正式答复", exact=True).click()  # the <summary> that opens the answer form
    page.get_by_role("radio", name="受理，立为新项目", exact=True).check()
    page.get_by_label("书面答复（显示在提议顶部）", exact=True).fill("居委会受理。下周二晚上开议事会，请7号楼各户派代表参加。")
    with page.expect_navigation():
        page.get_by_role("button", name="发布答复", exact=True).click()
    assert page.url == proposal_url
    expect(page.get_by_role("status")).to_contain_text("提议已受理，并立为新项目。")


def _move_to_deliberating(page) -> None:
    page.get_by_text("调整项目阶段", exact=True).click()
    page.get_by_role("radio", name="议事", exact=True).check()
    page.get_by_label("理由", exact=True).fill("居民附议踊跃，先开议事会听听大家的意见。")
    mark_page(page)
    page.get_by_role("button", name="转到该阶段", exact=True).click()
    expect(page.locator("#project_status [role=status]")).to_contain_text("项目已进入“议事”阶段。")
    assert still_marked(page), "moving the stage reloaded the page instead of swapping the status block"


def test_neighbours_raise_second_and_discuss_and_the_committee_takes_it_up(
        live_server, page, browser, browser_errors, make_community, make_building, make_household, make_member,
        grant):
    people = _neighbours(make_community, make_building, make_household, make_member, grant)
    slug = people["community"].slug

    # 王阿姨 raises the proposal; it is on the list, and she keeps its page open.
    sign_in(page, live_server, "wangayi")
    proposal_url = _raise_through_the_form(page, live_server, slug)
    expect(page.get_by_role("status")).to_contain_text("您的提议已发布。")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".proposal-body")).to_contain_text("加装电梯")
    expect(page.locator("#second_count")).to_have_text("0 户附议")
    page.goto(f"{live_server}/c/{slug}/proposals")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=TITLE).click()
    assert page.url == proposal_url
    expect(page.locator(".thread")).to_contain_text("还没有评论。")
    screenshot(page, "proposal-page")
    mark_page(page)

    with another_phone(browser, browser_errors) as neighbour:
        # 李老伯 seconds it: the counter changes in place.
        sign_in(neighbour, live_server, "lilaobo")
        neighbour.goto(proposal_url)
        expect(neighbour.get_by_role("heading", level=1)).to_have_text(TITLE)
        mark_page(neighbour)
        neighbour.get_by_role("button", name="附议这条提议", exact=True).click()
        expect(neighbour.locator("#second_count")).to_have_text("1 户附议")
        expect(neighbour.locator("#second_panel")).to_contain_text("1 户附议")
        expect(neighbour.get_by_role("button", name="撤回我家的附议", exact=True)).to_be_visible()
        assert neighbour.url == proposal_url and still_marked(neighbour), "seconding reloaded the page"
        screenshot(neighbour, "proposal-after-seconding")

        # …and comments: his comment is added to his page without a reload.
        _post_comment(neighbour, COMMENT)
        expect(neighbour.locator(".comment-body", has_text=COMMENT)).to_be_visible()
        expect(neighbour.get_by_label("您的评论", exact=True)).to_have_value("")
        assert still_marked(neighbour), "posting the comment reloaded the page"

    # 王阿姨's open page shows the comment by the next poll, without a reload.
    comment = page.locator(".comment", has_text=COMMENT)
    expect(comment).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(comment.locator(".comment-meta")).to_contain_text("李老伯 · 7号楼")
    expect(page.locator(".thread-empty")).to_be_hidden()
    assert page.url == proposal_url and still_marked(page), "the author's page reloaded instead of updating"
    screenshot(page, "proposal-live-reply")

    # 张书记 (residents' committee) accepts it into a new project and moves that to 议事.
    with another_phone(browser, browser_errors) as committee:
        sign_in(committee, live_server, "zhangshuji")
        _answer_accept_into_new_project(committee, proposal_url)
        answer = committee.locator(".proposal-answer")
        expect(answer).to_contain_text("已受理，纳入项目：")
        expect(answer).to_contain_text("下周二晚上开议事会")
        screenshot(committee, "proposal-answered")
        with committee.expect_navigation():
            answer.get_by_role("link", name=TITLE).click()
        assert re.fullmatch(rf"{re.escape(live_server)}/c/{slug}/projects/\d+", committee.url), committee.url
        expect(committee.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(committee.locator(".stage-strip li[aria-current=step]")).to_contain_text("提事")
        _move_to_deliberating(committee)
        current = committee.locator(".stage-strip li[aria-current=step]")
        expect(current).to_have_count(1)
        expect(current.locator(".stage-name")).to_have_text("议事")
        expect(committee.locator(".timeline")).to_contain_text("先开议事会听听大家的意见")
        expect(committee.locator(".project-proposals")).to_contain_text(TITLE)
        screenshot(committee, "project-page")

    assert relevant_errors(browser_errors) == []


def _assert_inert(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "hostile Markdown ran a script"
    expect(page.locator("a[href^='javascript' i]")).to_have_count(0)
    body = page.locator(".comment-body").last
    expect(body.locator("[hx-get], [hx-trigger], [hx-post], img, script, [onerror]")).to_have_count(0)
    expect(body).to_contain_text("window.__pwned=1")  # shown as text, not run


def test_hostile_markdown_in_a_comment_stays_inert(live_server, page, browser_errors, make_community,
                                                  make_building, make_household, make_member, grant):
    people = _neighbours(make_community, make_building, make_household, make_member, grant)
    proposal = _published(people["community"], people["author"], people["building"])
    proposal_url = f"{live_server}/c/{people['community'].slug}/proposals/{proposal.id}"
    logouts = []
    page.on("request", lambda request: logouts.append(request.url) if "/logout" in request.url else None)

    sign_in(page, live_server, "lilaobo")
    page.goto(proposal_url)
    mark_page(page)
    _post_comment(page, HOSTILE)
    expect(page.locator(".comment")).to_have_count(1)
    assert still_marked(page), "the comment was not added by htmx"
    _assert_inert(page)
    screenshot(page, "hostile-comment-appended")

    page.reload()
    expect(page.locator(".comment")).to_have_count(1)
    _assert_inert(page)
    expect(page.locator("header.site").get_by_role("button", name="退出登录")).to_be_visible()  # still signed in
    assert logouts == [], f"user text made the browser call {logouts}"
    assert relevant_errors(browser_errors) == []


def test_without_javascript_a_resident_comments_and_seconds_with_plain_forms(
        live_server, browser, browser_errors, make_community, make_building, make_household, make_member, grant):
    people = _neighbours(make_community, make_building, make_household, make_member, grant)
    proposal = _published(people["community"], people["author"], people["building"])
    proposal_url = f"{live_server}/c/{people['community'].slug}/proposals/{proposal.id}"

    with another_phone(browser, browser_errors, java_script_enabled=False) as phone:
        sign_in(phone, live_server, "lilaobo")
        phone.goto(proposal_url)

        with phone.expect_navigation() as posted:
            _post_comment(phone, COMMENT)
        assert_redirected_after_post(posted.value)
        assert re.fullmatch(rf"{re.escape(proposal_url)}#comment-\d+", phone.url), phone.url
        expect(phone.locator(".comment-body", has_text=COMMENT)).to_be_visible()
        expect(phone.locator(".comment-meta").first).to_contain_text("李老伯 · 7号楼")

        with phone.expect_navigation() as seconded:
            phone.get_by_role("button", name="附议这条提议", exact=True).click()
        assert_redirected_after_post(seconded.value)
        assert phone.url == f"{proposal_url}#second_panel", phone.url
        expect(phone.get_by_role("status")).to_contain_text("您家已附议这条提议。")
        expect(phone.locator("#second_count")).to_have_text("1 户附议")
        expect(phone.get_by_role("button", name="撤回我家的附议", exact=True)).to_be_visible()
        screenshot(phone, "no-javascript-seconded")

    assert relevant_errors(browser_errors) == []
