"""The committee's closing page: access matrix, signing plain (303) and over htmx (the #signoffs block), 409s."""
from __future__ import annotations

import pytest

from civic.extensions import db
from civic.voting.models import SignOff, State, Vote
from tests.querycount import counted_queries
from tests.voting.closing_support import cast_for, many_households


def _urls(vworld, vote) -> dict[str, str]:  # noqa: ANN001
    base = f"/c/{vworld.community.slug}/votes/{vote.id}"
    return {"manage": f"{base}/manage", "close": f"{base}/sign/close", "publish": f"{base}/sign/publish"}


@pytest.mark.parametrize("who, status", [("resident", 403), ("leader", 403), ("expert", 403), ("outsider", 404),
                                         ("committee", 200), ("owners_committee", 200), ("property_manager", 200)])
def test_who_may_open_the_closing_page(vworld, make_vote, login_as, en, who, status):
    vote = make_vote()
    client = login_as(getattr(vworld, who))
    assert client.get(_urls(vworld, vote)["manage"]).status_code == status


@pytest.mark.parametrize("who, status", [("resident", 403), ("leader", 403), ("outsider", 404)])
def test_who_may_not_sign(vworld, make_vote, login_as, who, status):
    vote = make_vote()
    client = login_as(getattr(vworld, who))
    assert client.post(_urls(vworld, vote)["close"]).status_code == status
    assert db.session.query(SignOff).count() == 0


def test_the_page_shows_the_count_and_the_sign_forms(vworld, make_vote, login_as, en):
    vote = make_vote()
    cast_for(vote, vworld.resident)
    page = login_as(vworld.committee).get(_urls(vworld, vote)["manage"]).get_data(as_text=True)
    assert 'id="signoffs"' in page and 'class="sign-form" data-action="close"' in page
    assert 'data-action="publish"' in page and 'class="sign-form" data-action="publish"' not in page  # still open
    assert '<dd class="counted">1 / 6</dd>' in page and "Sign for Residents" in page


def test_plain_sign_redirects_and_two_carriages_close(vworld, make_vote, client, login_as, en):
    vote = make_vote()
    urls = _urls(vworld, vote)
    first = login_as(vworld.committee).post(urls["close"], data={"note": "提前结束"})
    assert first.status_code == 303 and first.headers["Location"].endswith("/manage#signoffs")
    page = client.get(urls["manage"]).get_data(as_text=True)
    assert "提前结束" in page and "1 more carriage must sign." in page
    again = client.post(urls["close"])  # a double click
    assert again.status_code == 409 and "already signed" in again.get_data(as_text=True)
    client.post("/logout")
    second = login_as(vworld.owners_committee).post(urls["close"], headers={"HX-Request": "true"})
    body = second.get_data(as_text=True)
    assert second.status_code == 200 and "HX-Request" in second.headers["Vary"]
    assert body.lstrip().startswith('<section id="signoffs"') and "<html" not in body
    assert "The vote is closed and counted." in body and 'class="sign-form" data-action="publish"' in body
    assert db.session.get(Vote, vote.id).state is State.CLOSED


def test_signing_a_closed_vote_over_htmx_answers_409_in_place(vworld, make_vote, login_as, en):
    vote = make_vote(signoffs_required=1)
    client = login_as(vworld.committee)
    assert client.post(_urls(vworld, vote)["close"]).status_code == 303
    response = client.post(_urls(vworld, vote)["close"], headers={"HX-Request": "true"})
    assert response.status_code == 409 and "not open any more" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_publish_over_the_page(vworld, make_vote, login_as, en):
    vote = make_vote(signoffs_required=1)
    client = login_as(vworld.committee)
    urls = _urls(vworld, vote)
    assert client.post(urls["publish"]).status_code == 409  # not closed yet
    client.post(urls["close"])
    assert client.post(urls["publish"]).status_code == 303
    assert db.session.get(Vote, vote.id).state is State.PUBLISHED
    assert client.post("/c/x/votes/1/sign/nonsense").status_code == 404
    assert client.post(f"/c/{vworld.community.slug}/votes/{vote.id}/sign/nonsense").status_code == 404


def test_the_page_does_not_grow_with_ballots(vworld, make_vote, login_as):
    vote = make_vote(buildings=[vworld.b7])
    client = login_as(vworld.committee)
    url = _urls(vworld, vote)["manage"]
    client.get(url)
    with counted_queries() as few:
        client.get(url)
    users = many_households(vworld.b7, 20, "q")
    vote = make_vote(buildings=[vworld.b7], title="另一个")
    for user in users:
        cast_for(vote, user)
    url = _urls(vworld, vote)["manage"]
    client.get(url)
    with counted_queries() as many:
        client.get(url)
    assert len(many) == len(few)
