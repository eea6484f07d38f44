"""The proposal list: filters, sorting, paging, hidden titles, htmx and plain, and a constant query count."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from civic.clock import utcnow
from civic.extensions import db
from civic.projects.models import Category
from civic.proposals.models import Proposal, ProposalStatus
from civic.threads.models import Thread


def list_url(world, query=""):
    return f"/c/{world.community.slug}/proposals{query}"


def ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="proposal-row" id="proposal-(\d+)"', html)]


def test_plain_page_and_htmx_fragment(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.neighbour)
    page = en.get(list_url(world))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "HX-Request" in page.headers["Vary"]
    assert "Raise a proposal" in html and "My drafts" in html
    assert 'hx-get="/c/' in html and 'hx-target="#proposal_list"' in html and 'hx-push-url="true"' in html
    fragment = en.get(list_url(world, "?sort=seconded"), headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert body.lstrip().startswith('<section id="proposal_list"') and "<html" not in body
    assert ids_in(body) == [p.id]
    assert "王阿姨 · 7号楼" in body and "Garbage room" in body and "7号楼" in body


def test_row_shows_seconds_comments_and_building(en, login_as, world, make_proposal):
    p = make_proposal(buildings=[world.b7, world.b8])
    p.second_count = 4
    db.session.get(Thread, p.thread_id).comment_count = 12
    db.session.commit()
    login_as(world.neighbour)
    html = en.get(list_url(world)).get_data(as_text=True)
    row = html[html.index(f'id="proposal-{p.id}"'):]
    assert "4 households" in row and "<dd>12</dd>" in row and "7号楼、8号楼" in row


def test_filters_status_category_and_building(en, login_as, world, make_proposal):
    garbage = make_proposal(title="垃圾", buildings=[world.b7])
    light = make_proposal(title="照明", buildings=[world.b8], category=Category.LIGHTING)
    declined = make_proposal(title="被拒", buildings=[world.b8])
    declined.status = ProposalStatus.DECLINED
    gone = make_proposal(title="撤回")
    gone.status = ProposalStatus.WITHDRAWN
    db.session.commit()
    login_as(world.neighbour)
    assert set(ids_in(en.get(list_url(world)).get_data(as_text=True))) == {garbage.id, light.id, declined.id}
    assert ids_in(en.get(list_url(world, "?status=declined")).get_data(as_text=True)) == [declined.id]
    assert ids_in(en.get(list_url(world, "?status=withdrawn")).get_data(as_text=True)) == [gone.id]
    assert ids_in(en.get(list_url(world, "?category=lighting")).get_data(as_text=True)) == [light.id]
    assert set(ids_in(en.get(list_url(world, f"?building={world.b8.id}")).get_data(as_text=True))) == {light.id, declined.id}
    # Unknown values are ignored rather than failing (a stale link still works).
    assert en.get(list_url(world, "?status=draft&category=nope&sort=x&building=999999")).status_code == 200
    assert "撤回" not in en.get(list_url(world, "?status=draft")).get_data(as_text=True)


def test_sorting(en, login_as, world, make_proposal):
    now = utcnow()
    old, mid, new = make_proposal(title="旧"), make_proposal(title="中"), make_proposal(title="新")
    for p, age, seconds, active in ((old, 3, 5, 0), (mid, 2, 1, 9), (new, 1, 3, 5)):
        p.published_at, p.second_count = now - timedelta(days=age), seconds
        p.last_activity_at = now - timedelta(days=active)
    db.session.commit()
    login_as(world.neighbour)
    assert ids_in(en.get(list_url(world)).get_data(as_text=True)) == [new.id, mid.id, old.id]
    assert ids_in(en.get(list_url(world, "?sort=seconded")).get_data(as_text=True)) == [old.id, new.id, mid.id]
    assert ids_in(en.get(list_url(world, "?sort=active")).get_data(as_text=True)) == [old.id, new.id, mid.id]


def test_hidden_titles_are_not_shown_to_other_residents(en, client, login_as, world, make_proposal):
    p = make_proposal(title="秘密标题")
    p.hidden_at, p.hidden_reason = utcnow(), "涉及隐私"
    db.session.commit()
    login_as(world.neighbour)
    html = en.get(list_url(world)).get_data(as_text=True)
    assert "秘密标题" not in html and "A proposal hidden by the committee" in html
    page = en.get(f"/c/{world.community.slug}/proposals/{p.id}").get_data(as_text=True)
    assert "秘密标题" not in page and "夏天" not in page and "Hidden by the committee: 涉及隐私" in page
    en.post("/logout")
    login_as(world.author)
    page = en.get(f"/c/{world.community.slug}/proposals/{p.id}").get_data(as_text=True)
    assert "秘密标题" in page and "Only the author and the committee can still read its text." in page


def test_drafts_never_listed(en, login_as, world, make_proposal):
    draft = make_proposal(publish=False, title="草稿")
    login_as(world.author)
    assert draft.id not in ids_in(en.get(list_url(world)).get_data(as_text=True))


def _many(world, n: int, community=None):
    """n published proposals inserted in bulk (threads first), in several buildings."""
    community = community or world.community
    now = utcnow()
    threads = [Thread(community_id=community.id, kind="proposal") for _ in range(n)]
    db.session.add_all(threads)
    db.session.flush()
    proposals = [Proposal(community_id=community.id, thread_id=t.id, author_id=world.author.id, title=f"提事{i}",
                          body_md="x", body_html="<p>x</p>", category=Category.OTHER, status=ProposalStatus.OPEN,
                          published_at=now - timedelta(minutes=i), last_activity_at=now,
                          buildings=[world.b7] if i % 2 else [world.b8])
                 for i, t in enumerate(threads)]
    db.session.add_all(proposals)
    db.session.commit()


def test_pagination_fifty_per_page(en, login_as, world):
    _many(world, 60)
    login_as(world.neighbour)
    first = en.get(list_url(world)).get_data(as_text=True)
    second = en.get(list_url(world, "?page=2")).get_data(as_text=True)
    assert len(ids_in(first)) == 50 and len(ids_in(second)) == 10
    assert not set(ids_in(first)) & set(ids_in(second))
    assert "?page=2" in first and "Next" in first and "Next" not in second.split('id="proposal_list"')[1]


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def _queries_for(client, url) -> int:
    with QueryCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("query", ["", "?sort=seconded&building={b8}"])
def test_query_count_does_not_grow_with_the_list(en, login_as, world, query, make_member, make_household):
    _many(world, 5)
    login_as(world.neighbour)
    query = query.format(b8=world.b8.id)
    small = _queries_for(en, list_url(world, query))
    _many(world, 55)
    # Authors from several buildings: their labels come in one query too.
    for i in range(5):
        db.session.execute(db.update(Proposal).where(Proposal.title == f"提事{i}")
                           .values(author_id=make_member(make_household(world.b8)).id))
    db.session.commit()
    large = _queries_for(en, list_url(world, query))
    assert small == large
    assert large <= 12
