"""Hostile Markdown in a proposal renders inert on the proposal page, its history, and the list."""
import re

import pytest

from civic.extensions import db
from civic.proposals.models import Proposal

HOSTILE = "\n\n".join([
    "<script>alert(1)</script>",
    "[点我](javascript:alert(1))",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a hx-get="/logout" hx-trigger="load">x</a>',
    '<div data-hx-post="/c/x/proposals/1/second" data-hx-trigger="load">y</div>',
    '<img src=x onerror="alert(1)">',
    "[ok](https://example.org)",
])
HOSTILE_TITLE = '<script>alert("t")</script><a hx-get="/x">t</a>'


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html and "<svg" not in html and "<img src=x" not in html
    # The page itself uses htmx; the user's attributes must not survive anywhere.
    assert not re.search(r"""hx-get=["']?/logout""", html) and not re.search(r"<[^>]+\sdata-hx-", html)
    for user_text in re.findall(r'<div class="proposal-(?:body|answer-text)">(.*?)</div>', html, re.S):
        assert not re.search(r"<[^>]+\shx-", user_text), "user text drives htmx"
    assert not re.search(r"""href=["']?javascript:""", html, re.I)
    assert not re.search(r"<[^>]+\sonload=|<[^>]+\sonerror=", html)


@pytest.fixture
def hostile(world, make_proposal):
    return make_proposal(title=HOSTILE_TITLE[:80], body=HOSTILE)


def test_stored_html_is_sanitised(hostile):
    p = db.session.get(Proposal, hostile.id)
    assert_inert("<main>" + p.body_html)
    assert 'href="https://example.org"' in p.body_html and "&lt;script&gt;" in p.body_html


@pytest.mark.parametrize("path", ["", "/history"])
def test_show_and_history_pages_are_inert(en, login_as, world, hostile, path):
    hostile.edited_at = hostile.published_at
    db.session.commit()
    login_as(world.neighbour)
    html = en.get(f"/c/{world.community.slug}/proposals/{hostile.id}{path}").get_data(as_text=True)
    assert_inert(html)
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;t&quot;)" in html


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_list_page_and_fragment_are_inert(en, login_as, world, hostile, headers):
    login_as(world.neighbour)
    response = en.get(f"/c/{world.community.slug}/proposals", headers=headers)
    html = response.get_data(as_text=True)
    assert_inert(html if "<main" in html else "<main>" + html)
    assert "&lt;script&gt;" in html


def test_hostile_answer_is_inert(en, login_as, world, hostile):
    login_as(world.committee)
    en.post(f"/c/{world.community.slug}/proposals/{hostile.id}/answer", data={"kind": "decline", "answer": HOSTILE})
    html = en.get(f"/c/{world.community.slug}/proposals/{hostile.id}").get_data(as_text=True)
    assert_inert(html)
    assert "Declined" in html
