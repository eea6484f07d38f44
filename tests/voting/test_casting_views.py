"""The vote page and casting through it: plain and htmx, confirmation, refusals (422/409), receipts, secrecy."""
from __future__ import annotations

import re
from html import unescape
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.voting import casting, electorate
from civic.voting.models import Answer, Ballot, BallotMark, BallotRecord, Method, Secrecy, Vote
from tests.conftest import login

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _url(vworld, vote, path=""):
    return f"/c/{vworld.community.slug}/votes/{vote.id}{path}"


def _is_block(response) -> bool:
    body = response.get_data(as_text=True).strip()
    return "HX-Request" in response.headers.get("Vary", "") and body.startswith('<section id="ballot"') \
        and "<html" not in body


def _nothing_written(vote):
    db.session.rollback()
    assert db.session.query(Ballot).filter_by(vote_id=vote.id).count() == 0
    assert db.session.query(BallotRecord).filter_by(vote_id=vote.id).count() == 0
    assert db.session.query(BallotMark).filter_by(vote_id=vote.id).count() == 0


@pytest.fixture
def signed_in(client, en):
    def do(user):
        assert login(client, user.username).status_code == 303
        return client
    return do


def test_vote_page_shows_question_method_and_form(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.RANKED, choices=("东侧", "西侧", "北侧"))
    page = signed_in(vworld.resident).get(_url(vworld, vote))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and vote.title in html
    assert 'id="ballot-form"' in html and html.count('name="rank-') == 3
    assert "fewer first preferences in the first round" in html and "listed later on the ballot" in html
    assert "Your household has not voted yet." in html and "(Beijing time)" in html


def test_confirm_then_cast_plain_redirects_with_the_receipt(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("东侧", "西侧"))
    west = vote.choices[1].id
    client = signed_in(vworld.resident)
    confirm = client.post(_url(vworld, vote, "/confirm"), data={"choice": str(west)})
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'id="confirm"' in html and 'id="confirm-cast"' in html
    assert re.search(r'<li><strong>西侧</strong></li>', html)
    _nothing_written(vote)
    cast = client.post(_url(vworld, vote, "/ballot"), data={"choice": str(west)})
    assert cast.status_code == 303 and cast.headers["Location"].endswith(f"/votes/{vote.id}#ballot")
    ballot = db.session.query(Ballot).filter_by(vote_id=vote.id).one()
    assert ballot.marks_key == str(west) and ballot.cast_by_id == vworld.resident.id
    page = client.get(_url(vworld, vote)).get_data(as_text=True)
    assert ballot.receipt in page and 'id="receipt"' in page and 'class="receipt-code"' in page
    assert "Your household voted at" in page and "王阿姨 · 7号楼" in page and "Change our ballot" in page


def test_back_from_confirmation_keeps_the_input(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SCORE, choices=("A", "B"))
    a, b = (c.id for c in vote.choices)
    response = signed_in(vworld.resident).post(_url(vworld, vote, "/confirm"),
                                               data={f"score-{a}": "4", f"score-{b}": "0", "back": "1"},
                                               headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_block(response) and 'id="ballot-form"' in html
    assert f'<option value="4" selected>' in html and f'<option value="0" selected>' in html


def test_cast_over_htmx_answers_a_lean_block_with_receipt_and_status(vworld, make_vote, signed_in):
    vote = make_vote()
    response = signed_in(vworld.resident).post(_url(vworld, vote, "/ballot"), data={"answer": "for"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_block(response)
    assert response.headers["HX-Trigger"] == "ballot-cast"
    assert 'id="receipt"' in html and 'id="household-status"' in html
    assert len(response.get_data()) < 3 * 1024, len(response.get_data())
    assert db.session.query(Ballot).filter_by(vote_id=vote.id).one().answer == "for"


def test_another_member_sees_who_voted_but_never_the_choice(vworld, make_vote, signed_in, app):
    vote = make_vote(method=Method.SINGLE, choices=("东侧选址", "西侧选址"), owners_only=False)
    casting.cast(vote.id, elector_id=electorate.electors_of(vote, vworld.resident.id)[0].id, actor=vworld.resident,
                 answer=None, marks={vote.choices[1].id: 1}, now=utcnow())
    db.session.commit()
    html = signed_in(vworld.family).get(_url(vworld, vote)).get_data(as_text=True)
    assert "Your household voted at" in html and "王阿姨 · 7号楼" in html
    assert "checked" not in html  # the form is not filled with 王阿姨's choice
    changing = signed_in(vworld.family).get(_url(vworld, vote, "?change=1")).get_data(as_text=True)
    assert 'id="ballot-form"' in changing and "checked" not in changing


def test_change_of_ballot_keeps_one_row_and_the_history(vworld, make_vote, signed_in):
    vote = make_vote(owners_only=False)
    signed_in(vworld.resident).post(_url(vworld, vote, "/ballot"), data={"answer": "for"})
    client = signed_in(vworld.family)
    assert client.post(_url(vworld, vote, "/ballot"), data={"answer": "against"}).status_code == 303
    db.session.rollback()
    ballot = db.session.query(Ballot).filter_by(vote_id=vote.id).one()
    assert ballot.answer == "against" and ballot.revision == 2 and ballot.cast_by_id == vworld.family.id
    records = db.session.query(BallotRecord).filter_by(vote_id=vote.id).order_by(BallotRecord.id).all()
    assert [r.answer for r in records] == ["for", "against"]


@pytest.mark.parametrize("data,message", [
    ({"choice": ["{a}", "{a}"]}, "marked twice"),
    ({}, "Choose an option"),
    ({"choice": "{foreign}"}, "does not belong"),
    ({"choice": "{a}", "household_id": "{h702}"}, "takes no household"),
    ({"choice": "{a}", "elector_id": "{e702}"}, "takes no household"),
    ({"choice": "{a}", "elector": "{e702}"}, "only for your own household"),
    ({"choice": "abc"}, "not one of the ballot"),
])
@pytest.mark.parametrize("path", ["/confirm", "/ballot"])
def test_bad_ballots_answer_422_with_the_form_and_nothing_written(vworld, make_vote, signed_in, data, message, path):
    vote = make_vote(method=Method.SINGLE)
    other = make_vote(method=Method.SINGLE, title="另一个")
    e702 = db.session.query(electorate.Elector).filter_by(vote_id=vote.id, household_id=vworld.h702.id).one()
    values = {"a": vote.choices[0].id, "foreign": other.choices[0].id, "h702": vworld.h702.id, "e702": e702.id}
    form = {k: ([x.format(**values) for x in v] if isinstance(v, list) else v.format(**values)) for k, v in data.items()}
    client = signed_in(vworld.resident)
    for headers in ({}, HTMX):
        response = client.post(_url(vworld, vote, path), data=form, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html and 'id="ballot-form"' in html
        assert _is_block(response) == bool(headers)
    _nothing_written(vote)
    _nothing_written(other)


def test_ranked_gaps_and_repeats_and_scores_out_of_range_are_refused(vworld, make_vote, signed_in):
    ranked = make_vote(method=Method.RANKED, choices=("A", "B", "C"))
    scored = make_vote(method=Method.SCORE, choices=("A", "B"), title="score")
    r = [c.id for c in ranked.choices]
    s = [c.id for c in scored.choices]
    client = signed_in(vworld.resident)
    for vote, form, message in ((ranked, {f"rank-{r[0]}": "1", f"rank-{r[1]}": "3"}, "without gaps"),
                                (ranked, {f"rank-{r[0]}": "1", f"rank-{r[1]}": "1"}, "only once"),
                                (scored, {f"score-{s[0]}": "6", f"score-{s[1]}": "1"}, "between 0 and 5"),
                                (scored, {f"score-{s[0]}": "-1", f"score-{s[1]}": "1"}, "between 0 and 5"),
                                (scored, {f"score-{s[0]}": "3"}, "every option")):
        response = client.post(_url(vworld, vote, "/ballot"), data=form)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        kept = re.findall(r'<option value="(-?\d)" selected>', response.get_data(as_text=True))
        assert kept == [v for v in form.values() if v in {"0", "1", "2", "3", "4", "5"}][:len(kept)]
    _nothing_written(ranked)
    _nothing_written(scored)


def test_ineligible_members_are_told_why_and_cannot_cast(vworld, make_vote, signed_in):
    vote = make_vote(buildings=[vworld.b7])
    client = signed_in(vworld.family)  # owners only: 王叔叔 is family
    page = client.get(_url(vworld, vote)).get_data(as_text=True)
    assert "Only owners vote in this vote" in page and 'id="ballot-form"' not in page
    response = client.post(_url(vworld, vote, "/ballot"), data={"answer": "for"})
    assert response.status_code == 422 and "electorate" in response.get_data(as_text=True)
    teacher = signed_in(vworld.teacher)  # 1号楼 is not in the vote
    assert "7号楼 only" in teacher.get(_url(vworld, vote)).get_data(as_text=True)
    assert teacher.post(_url(vworld, vote, "/ballot"), data={"answer": "for"}).status_code == 422
    committee = signed_in(vworld.committee)
    assert "not registered in a household" in committee.get(_url(vworld, vote)).get_data(as_text=True)
    _nothing_written(vote)


def test_another_communitys_member_gets_404(vworld, make_vote, signed_in):
    vote = make_vote()
    client = signed_in(vworld.outsider)
    assert client.get(_url(vworld, vote)).status_code == 404
    assert client.post(_url(vworld, vote, "/ballot"), data={"answer": "for"}).status_code == 404
    _nothing_written(vote)


def test_closed_vote_answers_409_in_the_ballot_block(vworld, make_vote, signed_in):
    vote = make_vote()
    db.session.execute(db.update(Vote).where(Vote.id == vote.id).values(closes_at=utcnow() - timedelta(seconds=1),
                                                                        opens_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    client = signed_in(vworld.resident)
    for path in ("/ballot", "/confirm"):
        for headers in ({}, HTMX):
            response = client.post(_url(vworld, vote, path), data={"answer": "for"}, headers=headers)
            html = response.get_data(as_text=True)
            assert response.status_code == 409 and "Voting has closed; your ballot was not counted." in html
            assert _is_block(response) == bool(headers)
    _nothing_written(vote)


def test_before_opening_answers_409(vworld, make_vote, signed_in):
    vote = make_vote(opens_at=utcnow() + timedelta(hours=2))
    client = signed_in(vworld.resident)
    assert "Voting has not opened yet." in client.get(_url(vworld, vote)).get_data(as_text=True)
    response = client.post(_url(vworld, vote, "/ballot"), data={"answer": "for"})
    assert response.status_code == 409 and "Voting has not opened yet." in response.get_data(as_text=True)
    _nothing_written(vote)


def test_member_of_two_households_picks_which(vworld, make_vote, signed_in):
    from civic.community.models import Membership
    db.session.add(Membership(user_id=vworld.resident.id, household_id=vworld.h703.id))
    db.session.commit()
    vote = make_vote()
    mine = electorate.electors_of(vote, vworld.resident.id)
    assert len(mine) == 2
    client = signed_in(vworld.resident)
    response = client.post(_url(vworld, vote, "/ballot"), data={"answer": "for"})
    assert response.status_code == 422 and "choose which one" in response.get_data(as_text=True)
    page = client.get(_url(vworld, vote, f"?elector={mine[1].id}")).get_data(as_text=True)
    assert f'name="elector" value="{mine[1].id}"' in page and "7号楼 703" in page
    assert client.post(_url(vworld, vote, "/ballot"), data={"answer": "for", "elector": str(mine[1].id)}
                       ).status_code == 303
    db.session.rollback()
    assert db.session.query(Ballot).filter_by(vote_id=vote.id).one().household_id == vworld.h703.id


def _receipt_result(client, vworld, vote, code, headers=None):
    response = client.get(_url(vworld, vote, f"/receipt?code={code}"), headers=headers or {})
    assert response.status_code == 200
    return response


def test_receipts_say_counted_replaced_or_not_found_and_never_the_secret_choice(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("东侧选址", "西侧选址"))
    elector = electorate.electors_of(vote, vworld.resident.id)[0]
    first = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=None,
                         marks={vote.choices[0].id: 1}, now=utcnow()).receipt
    db.session.commit()
    second = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=None,
                          marks={vote.choices[1].id: 1}, now=utcnow()).receipt
    db.session.commit()
    client = signed_in(vworld.resident)
    counted = _receipt_result(client, vworld, vote, second.lower()).get_data(as_text=True)
    assert "it will be counted" in counted and "西侧选址" not in counted.split('id="receipt-result"')[1]
    replaced = _receipt_result(client, vworld, vote, first, HTMX)
    assert "Replaced by a later ballot of your household" in replaced.get_data(as_text=True)
    assert replaced.get_data(as_text=True).strip().startswith('<div id="receipt-result"')
    assert "No ballot with this receipt" in _receipt_result(client, vworld, vote, "ZZZZZZZZZZ").get_data(as_text=True)


def test_named_vote_shows_the_choice_only_to_the_household(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("东侧选址", "西侧选址"), secrecy=Secrecy.NAMED)
    code = casting.cast(vote.id, elector_id=electorate.electors_of(vote, vworld.resident.id)[0].id,
                        actor=vworld.resident, answer=None, marks={vote.choices[1].id: 1}, now=utcnow()).receipt
    db.session.commit()
    assert "西侧选址" in _receipt_result(signed_in(vworld.resident), vworld, vote, code).get_data(as_text=True
                                                                                          ).split('id="receipt-result"')[1]
    other = _receipt_result(signed_in(vworld.neighbour), vworld, vote, code).get_data(as_text=True)
    assert "it will be counted" in other and "西侧选址" not in other.split('id="receipt-result"')[1]


def test_casting_runs_a_small_fixed_number_of_queries(vworld, make_vote, signed_in):
    from tests.querycount import counted_queries
    vote = make_vote()
    client = signed_in(vworld.resident)
    client.post(_url(vworld, vote, "/ballot"), data={"answer": "for"}, headers=HTMX)
    with counted_queries() as statements:
        response = client.post(_url(vworld, vote, "/ballot"), data={"answer": "against"}, headers=HTMX)
    assert response.status_code == 200
    assert len(statements) <= 23, "\n".join(statements)
