"""Expert review: rubric parsing and validation, scoring, and the summary checked against hand arithmetic."""
from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from flask_babel import force_locale

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.models import Role
from civic.community.rules import standing_of
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import expert
from civic.voting.expert_summary import formula_sentence, one_decimal
from civic.voting.models import ExpertCriterion, ExpertScore, Method, State
from tests.querycount import counted_queries

RUBRIC = [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)]


@pytest.fixture
def reviewed(vworld, make_vote):
    """An open single-choice vote, 60/40, with the rubric 安全 30 / 造价 30 / 消防 20 / 维护 20."""
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40)
    expert.set_rubric(vote, RUBRIC)
    db.session.commit()
    return vote


def _refused(call, *args, **kwargs) -> RuleViolation:
    with force_locale("en"), pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    return caught.value


def _all(vote, values_per_choice: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    """{choice position: [score per criterion in rubric order]} → the cells dict score() takes."""
    out = {}
    for choice in vote.choices:
        for criterion, value in zip(vote.criteria, values_per_choice[choice.position]):
            out[(criterion.id, choice.id)] = value
    return out


def _score(vworld, vote, user, cells, now=None):
    st = standing_of(user, vworld.community)
    saved = expert.score(vote, expert=user, standing=st, scores=cells, now=now or utcnow())
    db.session.commit()
    return saved


# --- the rubric -------------------------------------------------------------------------------------------------

def test_parse_rubric_accepts_spaces_percent_and_full_width(app):
    text = "安全 30\n\n 造价：30% \r\n消防　２０％\n维护20"
    assert expert.parse_rubric(text) == [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)]
    assert expert.parse_rubric("3号楼通道 100") == [("3号楼通道", 100)]


@pytest.mark.parametrize("text, words", [
    ("安全", "Line 1"),
    ("安全 30\n40", "Line 2"),
    ("安全 30.5\n消防 69.5", "whole percentages"),
    ("安全 -30", "Line 1: weights are whole percentages above 0"),
    ("x" * 3000, "too long"),
])
def test_parse_rubric_refuses_lines_without_a_weight(app, text, words):
    error = _refused(expert.parse_rubric, text)
    assert words in error.message and error.field == "rubric"


@pytest.mark.parametrize("criteria, words", [
    ([], "at least one"),
    ([("安全", 30), ("消防", 30)], "add up to 60%"),
    ([("安全", 60), ("消防", 60)], "add up to 120%"),
    ([("安全", 50), ("安全", 50)], "listed twice"),
    ([("安全", 100), ("消防", 0)], "above 0"),
    ([("安全", 110), ("消防", -10)], "above 0"),
    ([(f"项{i}", 10) for i in range(10)], "At most 8"),
    ([("长" * 41, 100)], "1 to 40"),
    ([("安全\x00", 100)], "1 to 40"),
    ([("安全", 99.5), ("消防", 0.5)], "whole percentage"),
])
def test_set_rubric_refuses_bad_rubrics(vworld, make_vote, criteria, words):
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40)
    error = _refused(expert.set_rubric, vote, criteria)
    assert words in error.message and error.field == "rubric"
    assert vote.criteria == []


def test_hostile_names_are_stored_as_text(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40)
    expert.set_rubric(vote, expert.parse_rubric('<script>alert(1)</script> 50\n"; DROP TABLE votes;-- 50'))
    db.session.commit()
    assert [c.name for c in vote.criteria] == ["<script>alert(1)</script>", '"; DROP TABLE votes;--']


def test_set_rubric_with_the_same_names_keeps_the_scores(vworld, reviewed):
    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [8, 8, 8, 8], 2: [5, 5, 5, 5]}))
    ids = [c.id for c in reviewed.criteria]
    expert.set_rubric(reviewed, [("安全", 40), ("造价", 20), ("消防", 20), ("维护", 20)])
    db.session.commit()
    assert [c.id for c in reviewed.criteria] == ids and reviewed.criteria[0].weight_percent == 40
    assert db.session.query(ExpertScore).filter_by(vote_id=reviewed.id).count() == 8


def test_set_rubric_replaces_criteria_and_their_scores(vworld, reviewed):
    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [8, 8, 8, 8], 2: [5, 5, 5, 5]}))
    expert.set_rubric(reviewed, [("安全", 50), ("造价", 50)])
    db.session.commit()
    assert [(c.position, c.name, c.weight_percent) for c in reviewed.criteria] == [(1, "安全", 50), (2, "造价", 50)]
    assert db.session.query(ExpertCriterion).filter_by(vote_id=reviewed.id).count() == 2
    assert db.session.query(ExpertScore).filter_by(vote_id=reviewed.id).count() == 0
    assert expert.rubric_text(reviewed) == "安全 50\n造价 50"


# --- scoring ----------------------------------------------------------------------------------------------------

def test_scores_are_saved_changed_and_audited(vworld, reviewed):
    assert _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})) == 8
    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [10, 7, 9, 6], 2: [0, 5, 5, 5]}))
    mine = expert.scores_of(reviewed, vworld.expert.id)
    first, second = reviewed.choices
    assert mine[(reviewed.criteria[0].id, first.id)] == 10 and mine[(reviewed.criteria[0].id, second.id)] == 0
    assert db.session.query(ExpertScore).filter_by(vote_id=reviewed.id).count() == 8  # replaced, not added
    events = db.session.query(AuditEvent).filter_by(action="vote.expert_score").all()
    assert len(events) == 2 and events[0].actor_id == vworld.expert.id and events[0].target == f"vote:{reviewed.id}"


@pytest.mark.parametrize("bad", [11, -1, True, "7", 7.5])
def test_a_score_out_of_range_is_refused(vworld, reviewed, bad):
    cells = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    cells[next(iter(cells))] = bad
    assert "0 to 10" in _refused(_score, vworld, reviewed, vworld.expert, cells).message
    assert db.session.query(ExpertScore).count() == 0


def test_every_cell_is_required(vworld, reviewed):
    cells = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    cells.pop(next(iter(cells)))
    assert "(1 missing)" in _refused(_score, vworld, reviewed, vworld.expert, cells).message
    assert db.session.query(ExpertScore).count() == 0


def test_a_choice_of_another_vote_is_refused(vworld, reviewed, make_vote):
    other = make_vote(title="电动车棚", method=Method.SINGLE, expert_weight_percent=40)
    expert.set_rubric(other, RUBRIC)
    db.session.commit()
    cells = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    cells[(reviewed.criteria[0].id, other.choices[0].id)] = 5
    assert "not part of this vote" in _refused(_score, vworld, reviewed, vworld.expert, cells).message
    foreign_criterion = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    foreign_criterion[(other.criteria[0].id, reviewed.choices[0].id)] = 5
    assert "not part of this vote" in _refused(_score, vworld, reviewed, vworld.expert, foreign_criterion).message
    assert db.session.query(ExpertScore).count() == 0


@pytest.mark.parametrize("who", ["resident", "committee", "leader", "outsider"])
def test_only_experts_score(vworld, reviewed, who):
    user = getattr(vworld, who)
    cells = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    assert "expert reviewers" in _refused(_score, vworld, reviewed, user, cells).message
    assert db.session.query(ExpertScore).count() == 0


def test_no_scores_after_the_close(vworld, reviewed):
    cells = _all(reviewed, {1: [8, 7, 9, 6], 2: [5, 5, 5, 5]})
    late = reviewed.closes_at + timedelta(seconds=1)
    assert "ended when the vote closed" in _refused(_score, vworld, reviewed, vworld.expert, cells, now=late).message
    reviewed.state = State.CLOSED
    db.session.commit()
    assert "ended when the vote closed" in _refused(_score, vworld, reviewed, vworld.expert, cells).message
    assert db.session.query(ExpertScore).count() == 0


def test_a_vote_without_expert_review_takes_no_scores(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE)
    assert "no expert review" in _refused(_score, vworld, vote, vworld.expert, {}).message
    assert expert.summary(vote, {}) is None


# --- the summary ------------------------------------------------------------------------------------------------

def test_summary_matches_hand_arithmetic(vworld, reviewed, make_user, grant):
    second_expert = make_user(display_name="吴工")
    grant(second_expert, vworld.community, Role.EXPERT)
    # 周工: A 9 6 9 7, B 5 9 6 8 — 吴工: A 5 8 7 9, B 7 7 8 6
    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [9, 6, 9, 7], 2: [5, 9, 6, 8]}))
    _score(vworld, reviewed, second_expert, _all(reviewed, {1: [5, 8, 7, 9], 2: [7, 7, 8, 6]}))
    a, b = reviewed.choices
    result = expert.summary(reviewed, {a.id: Fraction(55, 100), b.id: Fraction(45, 100)})
    row_a, row_b = result.rows
    # Averages: A 7 7 8 8; B 6 8 7 7
    assert row_a.averages == (7, 7, 8, 8) and row_b.averages == (6, 8, 7, 7)
    # Expert score = Σ weight × avg / 10: A = (30·7 + 30·7 + 20·8 + 20·8)/10 = 74; B = (180 + 240 + 140 + 140)/10 = 70
    assert row_a.expert_score == 74 and row_b.expert_score == 70
    # Final = 0.6 × public + 0.4 × expert: A = 33 + 29.6 = 62.6; B = 27 + 28 = 55
    assert row_a.public_score == 55 and row_b.public_score == 45
    assert row_a.final_score == Fraction(626, 10) and row_b.final_score == 55
    assert row_a.experts == row_b.experts == 2 and result.expert_count == 2
    # Each expert anonymised, 专家1 first: 周工 gave A (270+180+180+140)/10 = 77, 吴工 (150+240+140+180)/10 = 71;
    # B: 周工 (150+270+120+160)/10 = 70, 吴工 (210+210+160+120)/10 = 70
    assert row_a.by_expert == (77, 71) and row_b.by_expert == (70, 70)
    assert result.leader is row_a
    with force_locale("en"):
        assert formula_sentence(40) == "Final score = public vote score × 60% + expert score × 40%"


def test_summary_keeps_exact_fractions_and_rounds_only_for_display(vworld, reviewed):
    # One expert: A 7 7 7 8 → (210+210+140+160)/10 = 72; public 1/3 → 33.33…; final = 20 + 28.8 = 48.8
    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [7, 7, 7, 8], 2: [0, 0, 0, 1]}))
    a, b = reviewed.choices
    result = expert.summary(reviewed, {a.id: Fraction(1, 3), b.id: Fraction(2, 3)})
    assert result.rows[0].final_score == Fraction(1, 3) * 60 + Fraction(72 * 40, 100)
    assert one_decimal(result.rows[0].public_score) == "33.3" and one_decimal(result.rows[1].public_score) == "66.7"
    assert one_decimal(Fraction(5725, 100)) == "57.3" and one_decimal(None) == "—"
    # B: 20/10 = 2; final = 40 + 0.8 = 40.8
    assert result.rows[1].expert_score == 2 and result.rows[1].final_score == Fraction(408, 10)


def test_summary_before_any_score_has_no_final(vworld, reviewed):
    result = expert.summary(reviewed, {})
    assert result.expert_count == 0 and result.leader is None
    assert all(r.expert_score is None and r.final_score is None and r.public_score == 0 for r in result.rows)


def test_summary_query_count_does_not_grow_with_experts(vworld, reviewed, make_user, grant):
    def queries() -> int:
        db.session.expire_all()
        with counted_queries() as statements:
            expert.summary(reviewed, {})
        return len(statements)

    _score(vworld, reviewed, vworld.expert, _all(reviewed, {1: [8, 6, 9, 7], 2: [5, 9, 6, 8]}))
    one = queries()
    for name in ("吴工", "郑工", "钱工"):
        user = make_user(display_name=name)
        grant(user, vworld.community, Role.EXPERT)
        _score(vworld, reviewed, user, _all(reviewed, {1: [8, 6, 9, 7], 2: [5, 9, 6, 8]}))
    assert queries() == one
