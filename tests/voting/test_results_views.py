"""The results page, turnout (plain and htmx), the CSV of totals, the register, visibility and secrecy."""
from __future__ import annotations

import hashlib
import re
from html import unescape

import pytest

from civic.extensions import db
from civic.voting import tally
from civic.voting.models import Answer, Elector, Method, Preset, Secrecy, State
from tests.conftest import login
from tests.querycount import counted_queries
from tests.voting import tally_support as ts

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _url(vworld, vote, path=""):
    return f"/c/{vworld.community.slug}/votes/{vote.id}{path}"


@pytest.fixture
def signed_in(client, en):
    def do(user):
        assert login(client, user.username).status_code == 303
        return client
    return do


def _electors(vworld, vote) -> dict:
    rows = db.session.query(Elector).filter_by(vote_id=vote.id).all()
    rooms = {h.id: h.room for h in vworld.households}
    return {rooms[e.household_id]: e for e in rows}


def _publish(vote):
    result = tally.compute(vote)
    vote.tally, vote.digest, vote.counted_ballots = result.to_json(), result.digest, result.counted
    vote.state = State.PUBLISHED
    db.session.commit()
    return result


def _yes_no_vote(vworld, make_vote, **columns):
    """101 (120) for, 701 (88.5) for, 702 (95.25) against, 704 (110.75) abstains; 102 and 703 do not vote."""
    vote = make_vote(**columns)
    e = _electors(vworld, vote)
    ts.ballot(vote, e["101"], answer=Answer.FOR, receipt="AAAA000001")
    ts.ballot(vote, e["701"], answer=Answer.FOR, receipt="BBBB000002")
    ts.ballot(vote, e["702"], answer=Answer.AGAINST, receipt="CCCC000003")
    ts.ballot(vote, e["704"], answer=Answer.ABSTAIN, receipt="DDDD000004")
    db.session.commit()
    return vote


def test_published_result_shows_totals_panel_verdict_digest_and_turnout(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote)
    _publish(vote)
    page = signed_in(vworld.resident).get(_url(vworld, vote, "/results"))
    body = text(page)
    assert page.status_code == 200 and 'id="results"' in body and 'class="choice-totals' in body
    # participation 4/6 and 414.50/545.00 m² (≥ 2/3 both); approval 2/4 and 208.50/414.50 (< 3/4)
    figures = {key: status for status, key in re.findall(r'class="figure (passed|failed)" data-key="(\w+)"', body)}
    assert figures == {"participation_area": "passed", "participation_head": "passed",
                                                  "approval_area": "failed", "approval_head": "failed"}
    assert "414.50 / 545.00 m²" in body and "4 / 6 = 2/3" in body and "66.67%" in body
    assert "≥ three quarters" in body and "✗ not met" in body
    assert re.search(r'id="verdict"[^>]*><strong>Not passed: approving area below three quarters', body)
    lines = "AAAA000001|for|120.00\nBBBB000002|for|88.50\nCCCC000003|against|95.25\nDDDD000004|abstain|110.75"
    assert f'<code id="digest" class="digest">{hashlib.sha256(lines.encode()).hexdigest()}</code>' in body
    assert 'svg class="turnout-chart"' in body and 'form id="receipt-check"' in body
    assert 'id="receipt-result"' in body and "/receipt" in body


def test_hidden_results_wait_for_the_close_but_turnout_shows(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote, results_live=False)
    client = signed_in(vworld.committee)
    body = text(client.get(_url(vworld, vote, "/results")))
    assert "The results are shown after the close" in body and "choice-totals" not in body
    assert 'id="digest"' not in body and "turnout-chart" in body
    assert client.get(_url(vworld, vote, "/results.csv")).status_code == 403
    vote.state = State.CLOSED
    db.session.commit()
    assert "choice-totals" in text(client.get(_url(vworld, vote, "/results")))  # the committee sees it closed


def test_closed_unpublished_result_is_the_committees(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote, results_live=False)
    _publish(vote)
    vote.state = State.CLOSED
    db.session.commit()
    body = text(signed_in(vworld.resident).get(_url(vworld, vote, "/results")))
    assert "once it is published" in body and "choice-totals" not in body


def test_live_results_while_open(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote, results_live=True)
    body = text(signed_in(vworld.neighbour).get(_url(vworld, vote, "/results")))
    assert "Live count" in body and "choice-totals" in body


def test_ranked_result_shows_every_round_and_the_tie_break_rule(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.RANKED, choices=("东侧", "西侧", "北侧"), preset=Preset.SIMPLE_MAJORITY)
    a, b, c = (ch.id for ch in vote.choices)
    e = _electors(vworld, vote)
    for room, order in (("101", [a]), ("102", [a]), ("701", [b]), ("702", [c, b]), ("704", [b])):
        ts.ranked(vote, e[room], order)
    db.session.commit()
    _publish(vote)
    body = text(signed_in(vworld.resident).get(_url(vworld, vote, "/results")))
    assert "runoff-rounds" in body and "Round 2: 西侧 has 3 of 5 ballots, more than half, and wins." in body
    assert "listed later on the ballot is eliminated" in body
    assert "Round 1: no choice has more than half of 5 ballots; 北侧 has the fewest and is eliminated." in body


def test_turnout_page_plain_and_htmx_polling_without_choices(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("东侧方案", "西侧方案"))
    e = _electors(vworld, vote)
    ts.chose(vote, e["701"], [vote.choices[0].id])
    ts.chose(vote, e["101"], [vote.choices[1].id])
    db.session.commit()
    client = signed_in(vworld.neighbour)
    page = client.get(_url(vworld, vote, "/turnout"))
    body = text(page)
    assert page.status_code == 200 and "<html" in body and 'hx-trigger="every 30s"' in body
    assert "2 of 6 households have voted (33.33%)" in body
    assert "东侧方案" not in body and "西侧方案" not in body  # turnout never names a choice
    fragment = client.get(_url(vworld, vote, "/turnout"), headers=HTMX)
    assert "HX-Request" in fragment.headers["Vary"]
    fb = fragment.get_data(as_text=True).strip()
    assert fb.startswith('<div id="turnout"') and "<html" not in fb and "turnout-chart" in fb
    # 7号楼: 1 of 4 households, 88.50 of 364.50 m²
    assert "88.50 / 364.50" in unescape(fb)


def test_turnout_stops_polling_once_closed(vworld, make_vote, signed_in):
    vote = make_vote()
    vote.state = State.CLOSED
    db.session.commit()
    body = text(signed_in(vworld.resident).get(_url(vworld, vote, "/turnout")))
    assert "every 30s" not in body and "Final turnout" in body


def test_results_csv_has_bom_and_totals(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote)
    _publish(vote)
    response = signed_in(vworld.resident).get(_url(vworld, vote, "/results.csv"))
    raw = response.get_data()
    assert response.status_code == 200 and raw.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"].startswith("text/csv")
    csv_text = raw.decode("utf-8-sig")
    assert "For,2,2,208.50,50.00%" in csv_text and "Abstain,1,1,110.75" in csv_text
    assert "AAAA000001" not in csv_text and "王阿姨" not in csv_text  # totals only


def test_register_of_a_named_vote_for_the_committee(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote, secrecy=Secrecy.NAMED)
    committee = signed_in(vworld.committee)
    body = text(committee.get(_url(vworld, vote, "/register")))
    assert "ballot-register" in body and "702" in body and "Against" in body
    csv_response = committee.get(_url(vworld, vote, "/register?format=csv"))
    assert csv_response.get_data().startswith(b"\xef\xbb\xbf")
    assert "7号楼,702" in csv_response.get_data().decode("utf-8-sig")
    assert signed_in(vworld.resident).get(_url(vworld, vote, "/register")).status_code == 403


def test_secret_vote_has_no_register_and_no_choice_per_household(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote, secrecy=Secrecy.SECRET)
    _publish(vote)
    committee = signed_in(vworld.committee)
    assert committee.get(_url(vworld, vote, "/register")).status_code == 404
    assert committee.get(_url(vworld, vote, "/register?format=csv")).status_code == 404
    body = text(committee.get(_url(vworld, vote, "/results")))
    for secret in ("AAAA000001", "王阿姨", "李叔", ">702<", ">101<"):
        assert secret not in body
    csv_text = committee.get(_url(vworld, vote, "/results.csv")).get_data().decode("utf-8-sig")
    assert "AAAA000001" not in csv_text and "李叔" not in csv_text


def test_other_community_gets_404(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote)
    client = signed_in(vworld.outsider)
    for path in ("/results", "/turnout", "/results.csv", "/register"):
        assert client.get(_url(vworld, vote, path)).status_code == 404


def test_results_page_queries_do_not_grow_with_ballots(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("A", "B"), results_live=True)
    extra = ts.electorate(vote, vworld.b7, ["50"] * 30)
    client = signed_in(vworld.resident)
    counts = []
    for batch in (extra[:3], extra[3:]):
        for i, elector in enumerate(batch):
            ts.chose(vote, elector, [vote.choices[i % 2].id])
        db.session.commit()
        with counted_queries() as statements:
            assert client.get(_url(vworld, vote, "/results")).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("method", [Method.SINGLE, Method.APPROVAL, Method.SCORE])
def test_every_method_renders_its_totals(vworld, make_vote, signed_in, method):
    vote = make_vote(method=method, choices=("东侧", "西侧"), preset=Preset.SIMPLE_MAJORITY)
    a, b = (c.id for c in vote.choices)
    e = _electors(vworld, vote)
    if method is Method.SCORE:
        ts.scored(vote, e["101"], {a: 5, b: 1}), ts.scored(vote, e["701"], {a: 4, b: 2})
    else:
        ts.chose(vote, e["101"], [a]), ts.chose(vote, e["701"], [a, b] if method is Method.APPROVAL else [b])
    ts.ballot(vote, e["702"], answer=Answer.ABSTAIN)
    db.session.commit()
    _publish(vote)
    body = text(signed_in(vworld.resident).get(_url(vworld, vote, "/results")))
    assert "choice-totals" in body and 'data-key="abstain"' in body and "Leading choice: 东侧" in body
    if method is Method.SCORE:
        assert "Average score" in body and "4.50" in body and "scored the leading choice 4 or 5" in body
    else:
        assert "Share of ballots" in body


def test_receipt_check_from_the_results_page(vworld, make_vote, signed_in):
    vote = _yes_no_vote(vworld, make_vote)
    _publish(vote)
    client = signed_in(vworld.resident)
    body = text(client.get(_url(vworld, vote, "/results")))
    action = re.search(r'<form id="receipt-check" method="get" action="([^"]+)"', body).group(1)
    found = client.get(f"{action}?code=bbbb-000002", headers=HTMX)
    fragment = text(found)
    assert fragment.strip().startswith('<div id="receipt-result"') and "Counted in this vote." in fragment
    assert "Against" not in fragment  # a secret vote never says what was chosen
    assert "No ballot with this receipt" in text(client.get(f"{action}?code=ZZZZ999999", headers=HTMX))
