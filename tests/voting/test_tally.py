"""Choice methods (single, approval, ranked runoff with its tie-break, score), the digest, JSON and the recount."""
from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from fractions import Fraction

from flask_babel import force_locale

from civic.extensions import db
from civic.voting import tally
from civic.voting.models import Answer, Method, Preset, State
from tests.querycount import counted_queries
from tests.voting import tally_support as ts


def _ids(vote):
    return [c.id for c in vote.choices]


def test_single_choice_counts_abstention_as_participation_only(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE, choices=("东侧", "西侧", "北侧"), preset=Preset.ART278_OTHER)
    a, b, c = _ids(vote)
    e = ts.electorate(vote, vworld.b1, ["100", "90", "80", "70.5", "60", "50"])
    ts.chose(vote, e[0], [a]), ts.chose(vote, e[1], [a]), ts.chose(vote, e[2], [b])
    ts.ballot(vote, e[3], answer=Answer.ABSTAIN)
    db.session.commit()
    t = tally.compute(vote)
    rows = {r.key: r for r in t.rows}
    assert (rows[f"choice-{a}"].ballots, rows[f"choice-{a}"].area) == (2, Decimal("190.00"))
    assert rows[f"choice-{c}"].ballots == 0
    assert rows["abstain"].ballots == 1 and rows["abstain"].area == Decimal("70.50")
    assert t.leading_key == f"choice-{a}"
    assert (t.figures.part_heads, t.figures.part_area) == (4, Decimal("340.50"))
    assert (t.figures.yes_heads, t.figures.yes_area) == (2, Decimal("190.00"))
    assert rows[f"choice-{a}"].head_share == Fraction(2, 4)
    assert rows[f"choice-{a}"].area_share == Fraction(19000, 34050)
    # participation 340.5/450.5 ≥ 2/3, 4/6 ≥ 2/3; approval 190/340.5 > 1/2 by area, but 2/4 by head is not
    assert not t.verdict.passed and t.verdict.first_failure.key == "approval_head"


def test_approval_counts_every_approved_choice(vworld, make_vote):
    vote = make_vote(method=Method.APPROVAL, choices=("A", "B", "C"), preset=Preset.SIMPLE_MAJORITY)
    a, b, c = _ids(vote)
    e = ts.electorate(vote, vworld.b1, ["100"] * 4)
    ts.chose(vote, e[0], [a, b]), ts.chose(vote, e[1], [b, c]), ts.chose(vote, e[2], [b])
    db.session.commit()
    t = tally.compute(vote)
    assert [r.ballots for r in t.rows] == [1, 3, 1, 0]  # A, B, C, abstain
    assert t.leading.choice_id == b and (t.figures.yes_heads, t.figures.part_heads) == (3, 3)
    assert t.verdict.passed


def test_scores_sum_average_and_approval_of_four_or_five(vworld, make_vote):
    vote = make_vote(method=Method.SCORE, choices=("A", "B"), preset=Preset.SIMPLE_MAJORITY)
    a, b = _ids(vote)
    e = ts.electorate(vote, vworld.b7, ["100", "80", "60"])
    ts.scored(vote, e[0], {a: 5, b: 3}), ts.scored(vote, e[1], {a: 2, b: 4}), ts.scored(vote, e[2], {a: 4, b: 4})
    db.session.commit()
    t = tally.compute(vote)
    ra, rb = t.rows[0], t.rows[1]
    assert (ra.score_sum, ra.score_avg) == (11, Fraction(11, 3))
    assert (rb.score_sum, rb.score_avg) == (11, Fraction(11, 3))
    # equal sums: more households scoring it 4 or 5 leads (B: 2, A: 2) → then the earlier position: A
    assert (ra.favour_ballots, ra.favour_area) == (2, Decimal("160.00"))
    assert (rb.favour_ballots, rb.favour_area) == (2, Decimal("140.00"))
    assert t.leading_key == f"choice-{a}"
    assert (t.figures.yes_heads, t.figures.yes_area) == (2, Decimal("160.00"))
    assert ra.public_share == Fraction(11, 15)


def _ranked_vote(make_vote, vworld, labels, rankings):
    vote = make_vote(method=Method.RANKED, choices=labels, preset=Preset.SIMPLE_MAJORITY)
    ids = dict(zip(labels, _ids(vote)))
    e = ts.electorate(vote, vworld.b1, ["100"] * len(rankings))
    for elector, ranking in zip(e, rankings):
        ts.ranked(vote, elector, [ids[x] for x in ranking])
    db.session.commit()
    return vote, ids


def test_runoff_every_round_and_the_first_preference_tie_break(vworld, make_vote):
    # ballot order A, C, B, D. Round 1: A 4, C 2, B 3, D 1 → D out; its ballot goes to C.
    # Round 2: B 3, C 3 tie → C had fewer first preferences (2 < 3) → C out (by position B would go).
    # Round 3: C's three ballots go to B → B 6 of 10 > half.
    rankings = [["A"]] * 4 + [["B"]] * 3 + [["C", "B"]] * 2 + [["D", "C", "B"]]
    vote, ids = _ranked_vote(make_vote, vworld, ("A", "C", "B", "D"), rankings)
    t = tally.compute(vote)
    got = [({t.label_of(c.choice_id): c.ballots for c in r.counts}, r.eliminated and t.label_of(r.eliminated),
            r.tie_break, r.winner and t.label_of(r.winner)) for r in t.rounds]
    assert got == [({"A": 4, "C": 2, "B": 3, "D": 1}, "D", "", None),
                   ({"A": 4, "C": 3, "B": 3}, "C", "first_preferences", None),
                   ({"A": 4, "B": 6}, None, "", "B")]
    assert t.leading.label == "B" and (t.figures.yes_heads, t.figures.yes_area) == (6, Decimal("600.00"))
    assert [r.ballots for r in t.rows if r.choice_id] == [4, 2, 3, 1]  # first preferences, ballot order
    with force_locale("en"):
        assert "later on the ballot" in tally.tie_break_rule()


def test_runoff_position_tie_break_and_exhausted_ballots(vworld, make_vote):
    # A 2, B 1, C 1: B and C tie with equal first preferences → C (later on the ballot) out; C's ballot → B.
    # Round 2: A 2, B 2 of 4 — no majority; tie → B had fewer first preferences → out; B's ballots end there.
    # Round 3: A 2 of 2 continuing, 2 exhausted.
    vote, ids = _ranked_vote(make_vote, vworld, ("A", "B", "C"), [["A"], ["A"], ["B"], ["C", "B"]])
    t = tally.compute(vote)
    assert [(r.eliminated and t.label_of(r.eliminated), r.tie_break) for r in t.rounds] == [
        ("C", "position"), ("B", "first_preferences"), (None, "")]
    last = t.rounds[-1]
    assert (last.winner, last.continuing, last.exhausted, last.majority) == (ids["A"], 2, 2, True)


def test_digest_is_sha256_of_the_sorted_canonical_lines(vworld, make_vote):
    vote = make_vote(method=Method.YES_NO)
    e = ts.electorate(vote, vworld.b1, ["88.5", "120", "60.25"])
    ts.ballot(vote, e[0], answer=Answer.FOR, receipt="ZZZ111")
    ts.ballot(vote, e[1], answer=Answer.ABSTAIN, receipt="AAA222")
    ts.ballot(vote, e[2], answer=Answer.AGAINST, receipt="MMM333")
    db.session.commit()
    text = "AAA222|abstain|120.00\nMMM333|against|60.25\nZZZ111|for|88.50"
    t = tally.compute(vote)
    assert t.digest == hashlib.sha256(text.encode()).hexdigest() and t.counted == 3
    assert tally.canonical_text(vote.id) == text


def test_digest_uses_the_marks_key_on_choice_votes(vworld, make_vote):
    vote = make_vote(method=Method.RANKED, choices=("A", "B"))
    a, b = _ids(vote)
    e = ts.electorate(vote, vworld.b1, ["50"])
    ts.ranked(vote, e[0], [b, a]).receipt = "K1"
    db.session.commit()
    assert tally.compute(vote).digest == hashlib.sha256(f"K1|{b},{a}|50.00".encode()).hexdigest()


def test_json_round_trip_is_exact(vworld, make_vote):
    vote, _ids_ = _ranked_vote(make_vote, vworld, ("A", "B", "C"), [["A", "B"], ["B"], ["C", "B"], ["A"]])
    t = tally.compute(vote)
    data = json.loads(json.dumps(t.to_json()))
    assert tally.Tally.from_json(data) == t
    assert tally.Tally.from_json(data).to_json() == data
    assert data["figures"]["eligible_area"] == "400.00" and data["rows"][0]["head_share"] == "1/2"


def _close(vote):
    t = tally.compute(vote)
    vote.tally, vote.digest, vote.counted_ballots, vote.state = t.to_json(), t.digest, t.counted, State.CLOSED
    db.session.commit()
    return t


def test_stored_reads_the_closed_tally_and_recount_matches(vworld, make_vote, runner):
    vote = make_vote()
    e = ts.electorate(vote, vworld.b1, ["100", "90"])
    ts.yes_no(vote, e, [Answer.FOR, Answer.AGAINST])
    t = _close(vote)
    assert tally.stored(vote) == t
    report = tally.recount(vote.id)
    assert report.matches and t.digest in report.text
    result = runner.invoke(args=["votes", "recount", str(vote.id)])
    assert result.exit_code == 0 and "OK" in result.output


def test_recount_detects_a_tampered_tally_and_a_changed_ballot(vworld, make_vote, runner):
    vote = make_vote()
    e = ts.electorate(vote, vworld.b1, ["100", "90", "80"])
    ts.yes_no(vote, e[:2], [Answer.FOR, Answer.AGAINST])
    _close(vote)
    tampered = copy.deepcopy(vote.tally)
    tampered["rows"][0]["ballots"] += 1
    vote.tally = tampered
    db.session.commit()
    report = tally.recount(vote.id)
    assert not report.matches and "tally: DIFFERS" in report.text and "digest: matches" in report.text
    assert runner.invoke(args=["votes", "recount", str(vote.id)]).exit_code == 1
    _close(vote)
    ts.yes_no(vote, e[2:], [Answer.FOR])  # a ballot slipped in after the close
    report = tally.recount(vote.id)
    assert not report.matches and "digest: DIFFERS" in report.text
    assert not tally.recount(999999).matches


def test_query_count_does_not_grow_with_ballots(vworld, make_vote):
    for method in (Method.YES_NO, Method.SINGLE, Method.RANKED, Method.SCORE):
        vote = make_vote(method=method, choices=("A", "B", "C"))
        e = ts.electorate(vote, vworld.b7, ["70"] * 40)
        counts = []
        for upto in (3, 40):
            for elector in e[len(counts) and 3:upto]:
                if method is Method.YES_NO:
                    ts.ballot(vote, elector, answer=Answer.FOR)
                elif method is Method.SCORE:
                    ts.scored(vote, elector, {c.id: 3 for c in vote.choices})
                elif method is Method.SINGLE:
                    ts.chose(vote, elector, [vote.choices[elector.id % 3].id])
                else:
                    ts.ranked(vote, elector, [c.id for c in vote.choices][: 1 + elector.id % 3])
            db.session.commit()
            with counted_queries() as statements:
                tally.compute(vote)
            counts.append(len(statements))
        assert counts[0] == counts[1], method
