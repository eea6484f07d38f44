"""Turnout by building (two GROUP BY queries, constant as ballots grow) and the expert table beside the result."""
from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from civic.extensions import db
from civic.voting import expert, tally, turnout
from civic.voting.models import Answer, Elector, Method, Secrecy, State
from tests.conftest import login
from tests.querycount import counted_queries
from tests.voting import tally_support as ts


def _electors(vworld, vote) -> dict:
    rooms = {h.id: h.room for h in vworld.households}
    return {rooms[e.household_id]: e for e in db.session.query(Elector).filter_by(vote_id=vote.id)}


def test_turnout_by_building_counts_households_and_area(vworld, make_vote):
    vote = make_vote()
    e = _electors(vworld, vote)
    ts.yes_no(vote, [e["102"], e["703"], e["704"]], [Answer.FOR, Answer.ABSTAIN, Answer.AGAINST])
    rows = turnout.by_building(vote)
    assert [(r.name, r.eligible, r.voted, r.eligible_area, r.voted_area) for r in rows] == [
        ("1号楼", 2, 1, Decimal("180.50"), Decimal("60.50")),
        ("7号楼", 4, 2, Decimal("364.50"), Decimal("180.75"))]
    assert rows[1].head_share == Fraction(1, 2) and rows[1].area_share == Fraction(18075, 36450)
    total = turnout.summary(vote)
    assert (total.eligible, total.voted, total.voted_area, total.not_voted) == (6, 3, Decimal("241.25"), 3)


def test_turnout_is_two_queries_however_many_ballots(vworld, make_vote):
    vote = make_vote()
    electors = ts.electorate(vote, vworld.b7, ["60"] * 25)
    counts = []
    for batch in (electors[:2], electors[2:]):
        ts.yes_no(vote, batch, [Answer.FOR] * len(batch))
        vote_id = vote.id  # reload the expired vote outside the count
        with counted_queries() as statements:
            rows = turnout.by_building(vote)
        counts.append(len(statements))
    assert counts[0] == counts[1] == 2 and rows[0].voted == 25 and vote_id


def test_stored_tally_holds_no_receipt_or_household(vworld, make_vote):
    vote = make_vote(secrecy=Secrecy.SECRET)
    e = _electors(vworld, vote)
    ts.ballot(vote, e["701"], answer=Answer.FOR, receipt="SECRET0001")
    db.session.commit()
    stored = json.dumps(tally.compute(vote).to_json(), ensure_ascii=False)
    assert "SECRET0001" not in stored and f'"household_id"' not in stored and "701" not in stored.replace(
        tally.compute(vote).digest, "")


def test_expert_table_sits_beside_the_public_result(vworld, make_vote, client, en):
    vote = make_vote(method=Method.SINGLE, choices=("方案A", "方案B"), expert_weight_percent=40)
    expert.set_rubric(vote, [("安全", 60), ("造价", 40)])
    db.session.commit()
    e = _electors(vworld, vote)
    a, b = (c.id for c in vote.choices)
    ts.chose(vote, e["101"], [a]), ts.chose(vote, e["701"], [a]), ts.chose(vote, e["702"], [b])
    db.session.commit()
    result = tally.compute(vote)
    assert result.expert is not None
    assert [r.public_share for r in result.rows if r.choice_id] == [Fraction(2, 3), Fraction(1, 3)]
    vote.tally, vote.digest, vote.counted_ballots, vote.state = result.to_json(), result.digest, 3, State.PUBLISHED
    db.session.commit()
    assert tally.stored(vote).expert is not None  # recomputed beside the stored tally
    assert login(client, vworld.resident.username).status_code == 303
    body = client.get(f"/c/{vworld.community.slug}/votes/{vote.id}/results").get_data(as_text=True)
    assert 'id="expert-summary"' in body and "choice-totals" in body
