"""Raising, drafts, publishing, editing with history, withdrawing: through the test client."""
import re

import pytest

from civic.extensions import db
from civic.notices.models import NoticeKind, NoticeOptOut, Notification
from civic.proposals.models import Proposal, ProposalRevision, ProposalStatus
from civic.threads.models import Thread, ThreadKind


def url(world, tail=""):
    return f"/c/{world.community.slug}/proposals{tail}"


def form(world, **overrides):
    data = {"title": "  垃圾房夏天很臭  ", "body": "夏天**气味**很大，希望改成封闭式。", "category": "garbage_room",
            "buildings": [str(world.b7.id)], "publish": "Publish"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def only_proposal() -> Proposal:
    return db.session.execute(db.select(Proposal)).scalar_one()


def test_new_form_ticks_the_authors_own_building(en, login_as, world):
    login_as(world.far_neighbour)
    html = en.get(url(world, "/new")).get_data(as_text=True)
    assert re.search(rf'<input checked id="buildings-\d+" name="buildings" type="checkbox" value="{world.b8.id}">', html)
    assert not re.search(rf'<input checked[^>]*value="{world.b7.id}">', html)
    assert 'accept="image/*"' in html and "multiple" in html
    assert "Save draft" in html and "Publish" in html


def test_publish_creates_proposal_thread_and_notifies_the_building(en, login_as, world):
    db.session.add(NoticeOptOut(user_id=world.neighbour.id, community_id=world.community.id,
                                kind=NoticeKind.NEW_IN_BUILDING))
    db.session.commit()
    login_as(world.author)
    response = en.post(url(world, "/new"), data=form(world))
    assert response.status_code == 303
    p = only_proposal()
    assert response.headers["Location"].endswith(f"/proposals/{p.id}")
    assert p.title == "垃圾房夏天很臭" and p.status is ProposalStatus.OPEN
    assert p.published_at is not None and p.last_activity_at == p.published_at
    assert p.household_id == world.home.id and p.author_id == world.author.id
    assert "<strong>气味</strong>" in p.body_html
    assert db.session.get(Thread, p.thread_id).kind is ThreadKind.PROPOSAL
    notified = set(db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == NoticeKind.NEW_IN_BUILDING)).scalars())
    # 7号楼: the author's spouse; not the author, not the neighbour who opted out, not 8号楼.
    assert notified == {world.spouse.id}


def test_draft_is_private_listed_under_my_drafts_and_published_later(en, client, login_as, world):
    login_as(world.author)
    response = en.post(url(world, "/new"), data=form(world, publish=None, save_draft="Save draft", body=""))
    assert response.status_code == 303
    p = only_proposal()
    assert p.status is ProposalStatus.DRAFT and p.published_at is None
    assert "垃圾房夏天很臭" in en.get(url(world, "/drafts")).get_data(as_text=True)
    assert "垃圾房夏天很臭" not in en.get(url(world)).get_data(as_text=True)
    assert db.session.execute(db.select(Notification)).first() is None
    # An empty draft cannot be published; the author is sent to the edit page.
    response = en.post(url(world, f"/{p.id}/publish"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/edit")
    assert db.session.get(Proposal, p.id).status is ProposalStatus.DRAFT
    en.post(url(world, f"/{p.id}/edit"), data=form(world, publish=None, save_draft="Save draft"))
    assert en.post(url(world, f"/{p.id}/publish")).status_code == 303
    p = db.session.get(Proposal, p.id)
    assert p.status is ProposalStatus.OPEN and p.published_at is not None
    assert p.revisions == []  # drafts are edited without history


def test_drafts_are_404_for_everyone_else(client, login_as, world, make_proposal):
    draft = make_proposal(publish=False)
    for user in (world.spouse, world.neighbour, world.committee, world.outsider):
        client.post("/logout")
        login_as(user)
        assert client.get(url(world, f"/{draft.id}")).status_code == 404
        assert client.get(url(world, "/drafts")).get_data(as_text=True).count(draft.title) == 0


@pytest.mark.parametrize("title, body, problem", [
    ("", "正文", "Give your proposal a title."),
    ("   ", "正文", "Give your proposal a title."),
    ("长" * 81, "正文", "at most 80 characters"),
    ("标题", "", "Describe the problem before publishing"),
    ("标题", "字" * 10_001, "at most 10000 characters"),
])
def test_bad_input_is_refused_with_the_text_kept(en, login_as, world, title, body, problem):
    login_as(world.author)
    response = en.post(url(world, "/new"), data=form(world, title=title, body=body))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert problem in html
    if body:
        assert body[:50] in html
    assert db.session.execute(db.select(Proposal)).first() is None


def test_title_of_exactly_80_characters_is_accepted(en, login_as, world):
    login_as(world.author)
    assert en.post(url(world, "/new"), data=form(world, title="长" * 80)).status_code == 303


def test_another_communitys_building_is_ignored(en, login_as, world, make_building):
    foreign = make_building(world.other_community)
    login_as(world.author)
    response = en.post(url(world, "/new"), data=form(world, buildings=[str(foreign.id)]))
    assert response.status_code == 422  # not one of the offered choices
    assert db.session.execute(db.select(Proposal)).first() is None


def test_edit_keeps_history_and_shows_edited(en, login_as, world, make_proposal):
    p = make_proposal(title="第一版", body="最初的文字")
    published_at = p.published_at
    login_as(world.author)
    assert en.post(url(world, f"/{p.id}/edit"), data=form(world, title="第二版", body="改过的文字", publish=None,
                                                           save="Save")).status_code == 303
    assert en.post(url(world, f"/{p.id}/edit"), data=form(world, title="第三版", body="再改", publish=None,
                                                           save="Save")).status_code == 303
    p = db.session.get(Proposal, p.id)
    revisions = db.session.execute(db.select(ProposalRevision).order_by(ProposalRevision.id)).scalars().all()
    assert [r.title for r in revisions] == ["第一版", "第二版"]
    assert revisions[0].written_at == published_at and revisions[0].replaced_at == revisions[1].written_at
    assert revisions[1].replaced_at == p.edited_at
    page = en.get(url(world, f"/{p.id}")).get_data(as_text=True)
    assert "edited" in page and f"/proposals/{p.id}/history" in page
    history = en.get(url(world, f"/{p.id}/history")).get_data(as_text=True)
    assert history.index("第三版") < history.index("第二版") < history.index("第一版")
    assert "最初的文字" in history


def test_unchanged_submit_keeps_no_revision(en, login_as, world, make_proposal):
    p = make_proposal(title="原样", body="原文")
    login_as(world.author)
    en.post(url(world, f"/{p.id}/edit"), data=form(world, title="原样", body="原文", publish=None, save="Save"))
    p = db.session.get(Proposal, p.id)
    assert p.edited_at is None and p.revisions == []


def test_edit_of_a_published_proposal_needs_its_body(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.author)
    response = en.post(url(world, f"/{p.id}/edit"), data=form(world, title="新标题", body="", publish=None, save="Save"))
    assert response.status_code == 422 and "新标题" in response.get_data(as_text=True)
    assert db.session.get(Proposal, p.id).title == "垃圾房夏天很臭"


def test_only_the_author_may_edit_or_withdraw(client, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.spouse)
    assert client.get(url(world, f"/{p.id}/edit")).status_code == 403
    assert client.post(url(world, f"/{p.id}/edit"), data=form(world)).status_code == 403
    assert client.post(url(world, f"/{p.id}/withdraw")).status_code == 403
    client.post("/logout")
    login_as(world.committee)
    assert client.post(url(world, f"/{p.id}/withdraw")).status_code == 403
    assert db.session.get(Proposal, p.id).status is ProposalStatus.OPEN


def test_withdraw_marks_it_and_closes_seconding(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.author)
    page = en.get(url(world, f"/{p.id}")).get_data(as_text=True)
    assert "Withdraw this proposal" in page and "<details" in page
    assert en.post(url(world, f"/{p.id}/withdraw")).status_code == 303
    p = db.session.get(Proposal, p.id)
    assert p.status is ProposalStatus.WITHDRAWN and p.withdrawn_at is not None
    page = en.get(url(world, f"/{p.id}")).get_data(as_text=True)
    assert "Withdrawn by its author" in page and "Second this proposal" not in page
    assert en.get(url(world, f"/{p.id}/edit")).status_code == 403
    assert en.post(url(world, f"/{p.id}/withdraw")).status_code == 403
    assert f'id="proposal-{p.id}"' not in en.get(url(world)).get_data(as_text=True)
    assert f'id="proposal-{p.id}"' in en.get(url(world, "?status=withdrawn")).get_data(as_text=True)


def test_staff_without_a_household_can_raise(en, login_as, world):
    login_as(world.committee)
    assert en.post(url(world, "/new"), data=form(world)).status_code == 303
    p = only_proposal()
    assert p.household_id is None and p.author_id == world.committee.id


def test_outsider_gets_404(client, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.outsider)
    for path in ("", "/new", f"/{p.id}", f"/{p.id}/history", f"/{p.id}/edit", "/drafts", "/settings"):
        assert client.get(url(world, path)).status_code == 404, path
    assert client.post(url(world, f"/{p.id}/second")).status_code == 404


def test_proposal_of_another_community_is_404_through_this_communitys_url(client, login_as, world, make_proposal):
    foreign = make_proposal(world.outsider, community=world.other_community, buildings=[])
    login_as(world.author)
    assert client.get(url(world, f"/{foreign.id}")).status_code == 404
    assert client.post(url(world, f"/{foreign.id}/second")).status_code == 404


def test_category_must_be_chosen(en, login_as, world):
    login_as(world.author)
    html = en.get(url(world, "/new")).get_data(as_text=True)
    assert re.search(r'<select id="category" name="category"[^>]*><option value="">', html)
    response = en.post(url(world, "/new"), data=form(world, category=""))
    assert response.status_code == 422 and "Choose a category." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Proposal)).first() is None
