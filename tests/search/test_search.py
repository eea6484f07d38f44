"""Chinese full-text search: segmentation, visibility, isolation, hostile text and queries, htmx, reindex."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.proposals.models import ProposalStatus
from civic.search import index, segment
from civic.search.excerpts import excerpt
from civic.search.models import SearchDocument
from civic.search.queries import search
from tests.search import factories


@pytest.fixture
def place(make_household, make_member):
    home = make_household()
    community = home.building.community
    author = make_member(home, display_name="王阿姨")
    reader = make_member(make_household(home.building))
    return {"community": community, "author": author, "reader": reader}


@pytest.fixture
def reader(client, login_as, place):
    login_as(place["reader"])
    client.set_cookie("civic_lang", "en")
    return client


def _get(client, place, **params):
    return client.get(f"/c/{place['community'].slug}/search", query_string=params)


def _found(place, q, **kw) -> list[tuple[str, int]]:
    return [(d.kind, d.object_id) for d in search(place["community"], q, **kw).documents]


# --- segmentation -----------------------------------------------------------------------------------

def test_tokens_cut_words_and_their_parts_and_drop_punctuation():
    words = segment.tokens("希望加装电梯！小区停车难，物业 E-Bike").split()
    assert {"加装", "电梯", "加装电梯", "停车", "物业", "e", "bike"} <= set(words)
    assert not any(re.search(r"[！，\-]", w) for w in words)


@pytest.mark.parametrize("q", ['"', "*", "a OR", "NEAR(", "'; drop table proposals; --", "-电梯", "电梯*", "^x", ":"])
def test_query_terms_are_only_letters_and_digits(q):
    assert all(re.fullmatch(r"[^\W_]+", t) for t in segment.query_terms(q))


def test_query_terms_are_capped_and_deduplicated():
    assert segment.query_terms("电梯 电梯 电梯") == ["电梯"]
    assert len(segment.query_terms(" ".join(f"w{i}" for i in range(50)))) == segment.MAX_QUERY_TERMS


# --- finding ----------------------------------------------------------------------------------------

def test_a_two_character_word_finds_a_proposal_that_only_says_the_longer_word(place, reader):
    p = factories.proposal(place["community"], place["author"], title="老楼的事", body="我们想**加装电梯**。")
    assert _found(place, "电梯") == [("proposal", p.id)]
    assert _found(place, "加装电梯") == [("proposal", p.id)]
    html = _get(reader, place, q="电梯").get_data(as_text=True)
    assert f'href="/c/{place["community"].slug}/proposals/{p.id}"' in html
    assert "<mark>电梯</mark>" in html and "老楼的事" in html


def test_words_in_a_comment_are_found_and_link_to_the_comment_anchor(place, reader):
    p = factories.proposal(place["community"], place["author"], title="车棚", body="充电")
    c = factories.comment(p, place["author"], "小区停车难，物业也不管")
    for word in ("停车", "物业"):
        assert _found(place, word) == [("comment", c.id)]
    html = _get(reader, place, q="物业").get_data(as_text=True)
    assert f'/proposals/{p.id}#comment-{c.id}"' in html and "Comment on “车棚”" in html


def test_comment_on_a_project_links_to_the_project(place, reader):
    project = factories.project(place["community"], title="充电棚", description="八十个充电桩")
    c = factories.comment(project, place["author"], "物业什么时候开工")
    html = _get(reader, place, q="开工").get_data(as_text=True)
    assert f'/projects/{project.id}#comment-{c.id}"' in html
    assert _found(place, "充电桩") == [("project", project.id)]


def test_every_word_must_match(place):
    a = factories.proposal(place["community"], place["author"], title="加装电梯", body="")
    factories.proposal(place["community"], place["author"], title="停车", body="")
    assert _found(place, "电梯 停车") == []
    assert _found(place, "加装 电梯") == [("proposal", a.id)]


def test_kind_filter_and_newest_first(place):
    p = factories.proposal(place["community"], place["author"], title="电梯一", body="")
    c = factories.comment(p, place["author"], "电梯二")
    assert _found(place, "电梯") == [("comment", c.id), ("proposal", p.id)]
    assert _found(place, "电梯", kind="proposal") == [("proposal", p.id)]
    assert _found(place, "电梯", kind="comment") == [("comment", c.id)]


# --- only what every member may read ----------------------------------------------------------------

def test_draft_withdrawn_and_hidden_proposals_are_never_found(place):
    community, author = place["community"], place["author"]
    factories.proposal(community, author, title="草稿电梯", status=ProposalStatus.DRAFT)
    factories.proposal(community, author, title="撤回电梯", status=ProposalStatus.WITHDRAWN)
    factories.proposal(community, author, title="隐藏电梯", hidden_at=utcnow(), hidden_reason="x")
    assert _found(place, "电梯") == []
    assert db.session.query(SearchDocument).count() == 0


def test_query_time_filter_covers_a_proposal_changed_without_reindexing(place):
    """Belt and braces: even if an owner forgot to call the index, hidden things stay out."""
    p = factories.proposal(place["community"], place["author"], title="电梯", body="")
    c = factories.comment(p, place["author"], "电梯太慢")
    assert len(_found(place, "电梯")) == 2
    p.hidden_at = utcnow()
    db.session.commit()
    assert _found(place, "电梯") == []  # the proposal and the comments under it
    p.hidden_at, p.status = None, ProposalStatus.WITHDRAWN
    db.session.commit()
    assert _found(place, "电梯") == []
    p.status = ProposalStatus.OPEN
    c.withdrawn_at = utcnow()
    db.session.commit()
    assert _found(place, "电梯") == [("proposal", p.id)]


def test_withdrawn_and_hidden_comments_are_never_found(place):
    p = factories.proposal(place["community"], place["author"], title="车棚", body="")
    factories.comment(p, place["author"], "停车一", withdrawn_at=utcnow())
    factories.comment(p, place["author"], "停车二", hidden_at=utcnow())
    visible = factories.comment(p, place["author"], "停车三")
    assert _found(place, "停车") == [("comment", visible.id)]
    visible.hidden_at = utcnow()
    index.index_comment(visible)
    db.session.commit()
    assert _found(place, "停车") == []
    assert db.session.query(SearchDocument).filter_by(kind="comment").count() == 0


def test_index_follows_status_changes(place):
    p = factories.proposal(place["community"], place["author"], title="电梯", body="", status=ProposalStatus.DRAFT)
    assert _found(place, "电梯") == []
    p.status, p.published_at = ProposalStatus.OPEN, utcnow()
    index.index_proposal(p)
    db.session.commit()
    assert _found(place, "电梯") == [("proposal", p.id)]
    p.title = "停车"
    index.index_proposal(p)
    db.session.commit()
    assert _found(place, "电梯") == [] and _found(place, "停车") == [("proposal", p.id)]
    index.remove("proposal", p.id)
    db.session.commit()
    assert _found(place, "停车") == []


def test_another_communitys_documents_are_never_found(place, reader, make_household, make_member):
    elsewhere = make_household()
    factories.proposal(elsewhere.building.community, make_member(elsewhere), title="外面的电梯")
    assert _found(place, "电梯") == []
    assert "外面的电梯" not in _get(reader, place, q="电梯").get_data(as_text=True)


def test_non_members_get_404(client, login_as, place, make_member):
    login_as(make_member())
    assert _get(client, place, q="电梯").status_code == 404


# --- hostile text and queries -----------------------------------------------------------------------

HOSTILE = ["电梯 <script>alert(1)</script>", "电梯 <svg onload=alert(1)>", "电梯 [x](javascript:alert(1))",
           '电梯 <a hx-get="/x" hx-trigger="load">y</a>', '电梯 <div data-hx-post="/x">z</div>']


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags_in(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_hostile_markdown_is_inert_in_results_page_and_fragment(place, reader):
    p = factories.proposal(place["community"], place["author"], title="<b>电梯</b>", body="\n\n".join(HOSTILE))
    factories.comment(p, place["author"], "\n\n".join(HOSTILE))
    url = f"/c/{place['community'].slug}/search?q=电梯"
    for headers in ({}, {"HX-Request": "true"}):
        html = reader.get(url, headers=headers).get_data(as_text=True)
        assert "2 results" in html
        assert "<script>alert" not in html and "<svg" not in html and "<b>" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        for tag, attrs in _tags_in(html):
            assert tag not in {"svg", "b"}, tag
            assert tag != "script" or attrs.get("src", "").startswith("/static/"), attrs
            assert not any(name.startswith("on") or name.startswith("data-") for name in attrs), (tag, attrs)
            assert not any("javascript:" in (value or "") for value in attrs.values()), (tag, attrs)
            if "hx-get" in attrs:  # only our own search form and page links
                assert attrs["hx-get"].startswith(f"/c/{place['community'].slug}/search"), attrs


def test_excerpt_escapes_text_and_marks_only_matches():
    marked = str(excerpt('<mark>x</mark> 电梯 "&', ["电梯"]))
    assert marked == '&lt;mark&gt;x&lt;/mark&gt; <mark>电梯</mark> &#34;&amp;'


def test_excerpt_is_a_window_around_the_first_match():
    text = "前" * 300 + "电梯" + "后" * 300
    marked = str(excerpt(text, ["电梯"]))
    assert marked.startswith("…") and marked.endswith("…") and "<mark>电梯</mark>" in marked
    assert len(marked) < 160


@pytest.mark.parametrize("q", ['"', "*", "a OR", "NEAR(", "'; drop table search_documents; --", 'x" OR "y',
                               "电梯 AND", "-", "NOT 电梯", "电梯^", "%", "\\", "{}", "x" * 5000, "电梯 NEAR(停车, 2)"])
def test_weird_queries_answer_200(place, reader, q):
    factories.proposal(place["community"], place["author"], title="电梯", body="")
    assert _get(reader, place, q=q).status_code == 200
    assert _get(reader, place, q=q, kind="nonsense", page="999999999999999999999").status_code == 200


# --- page states, htmx, pagination, queries ---------------------------------------------------------

def test_empty_query_and_no_results_say_so(place, reader):
    assert "Type a word" in _get(reader, place).get_data(as_text=True)
    assert "at least one word" in _get(reader, place, q="！？").get_data(as_text=True)
    assert "Nothing found for “电梯”" in _get(reader, place, q="电梯").get_data(as_text=True)


def test_htmx_gets_only_the_result_block(place, reader):
    factories.proposal(place["community"], place["author"], title="电梯", body="")
    page = _get(reader, place, q="电梯")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]
    fragment = reader.get(f"/c/{place['community'].slug}/search?q=电梯", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert html.lstrip().startswith('<section id="search_results"') and "<html" not in html and "<form" not in html


def test_results_are_paged_twenty_at_a_time(place, reader):
    p = factories.proposal(place["community"], place["author"], title="电梯", body="")
    for i in range(24):
        factories.comment(p, place["author"], f"电梯第{i}条", indexed=True)
    first = _get(reader, place, q="电梯").get_data(as_text=True)
    assert "25 results" in first and first.count('class="search-hit"') == 20 and "Page 1 of 2" in first
    second = _get(reader, place, q="电梯", page=2).get_data(as_text=True)
    assert second.count('class="search-hit"') == 5 and "Previous" in second


def test_counting_stops_at_the_cap(place, reader, monkeypatch):
    from civic.search import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    p = factories.proposal(place["community"], place["author"], title="电梯", body="")
    for i in range(4):
        factories.comment(p, place["author"], f"电梯{i}")
    found = search(place["community"], "电梯")
    assert found.total == 3 and found.is_capped and len(found.documents) == 5
    assert "More than 3 results" in _get(reader, place, q="电梯").get_data(as_text=True)


def test_query_count_does_not_grow_with_results(place, reader):
    p = factories.proposal(place["community"], place["author"], title="电梯", body="")
    factories.comment(p, place["author"], "电梯")
    factories.project(place["community"], title="电梯")
    few = factories.count_queries(lambda: _get(reader, place, q="电梯"))
    project = factories.project(place["community"], title="电梯工程")
    for i in range(10):
        factories.comment(p if i % 2 else project, place["author"], f"电梯{i}")
    assert factories.count_queries(lambda: _get(reader, place, q="电梯")) == few


# --- reindex ----------------------------------------------------------------------------------------

def test_reindex_command_rebuilds_only_visible_documents(place, runner):
    community, author = place["community"], place["author"]
    p = factories.proposal(community, author, title="电梯", indexed=False)
    factories.proposal(community, author, title="草稿电梯", status=ProposalStatus.DRAFT, indexed=False)
    factories.comment(p, author, "停车", indexed=False)
    factories.comment(p, author, "隐藏的停车", hidden_at=utcnow(), indexed=False)
    project = factories.project(community, title="电梯工程", indexed=False)
    assert _found(place, "电梯") == []
    result = runner.invoke(args=["search", "reindex", community.slug])
    assert result.exit_code == 0 and f"{community.slug}: 3 documents indexed" in result.output
    assert sorted(_found(place, "电梯")) == sorted([("proposal", p.id), ("project", project.id)])
    assert len(_found(place, "停车")) == 1
    again = runner.invoke(args=["search", "reindex"])  # every community, idempotent
    assert again.exit_code == 0 and len(_found(place, "停车")) == 1
    assert runner.invoke(args=["search", "reindex", "no-such-place"]).exit_code != 0
