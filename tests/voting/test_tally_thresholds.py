"""Independent tallies of prepared electorates at, just above and just below every preset's thresholds.

The expected figures are plain sums written in the test; the expected verdicts are worked out by hand (the
comment on each case says why) and checked again here by a few lines of Fraction arithmetic of our own.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from civic.extensions import db
from civic.voting import decision, tally
from civic.voting.models import Answer, ApprovalBase, Basis, Op, Preset
from tests.voting import tally_support as ts

F, A, X, N = Answer.FOR, Answer.AGAINST, Answer.ABSTAIN, None  # N: did not vote

# (preset, [(area, answer)…], expected pass, first failing figure) — twelve households unless stated.
HUNDREDS = ["100"] * 12
CASES = {
    # 8/12 take part (exactly 2/3 by head and area), 6/8 approve (exactly 3/4): 以上 includes the number.
    "major-at": (Preset.ART278_MAJOR, HUNDREDS, [F] * 6 + [A] * 2 + [N] * 4, True, None),
    # one participant has 99.99 m² and one absentee 100.01 m²: 799.99/1200 < 2/3.
    "major-part-area-below": (Preset.ART278_MAJOR, ["100"] * 7 + ["99.99", "100.01"] + ["100"] * 3,
                              [F] * 6 + [A] * 2 + [N] * 4, False, "participation_area"),
    # 599.99 of 800 m² approve (< 3/4) though 6/8 by head do.
    "major-appr-area-below": (Preset.ART278_MAJOR, ["100"] * 5 + ["99.99", "100.01", "100"] + ["100"] * 4,
                              [F] * 6 + [A] * 2 + [N] * 4, False, "approval_area"),
    # 600.01 of 800 m² approve: just above.
    "major-appr-area-above": (Preset.ART278_MAJOR, ["100"] * 5 + ["100.01", "99.99", "100"] + ["100"] * 4,
                              [F] * 6 + [A] * 2 + [N] * 4, True, None),
    # 7/12 by head take part (< 2/3) though their area is 7×120 = 840 of 1190 (> 2/3).
    "major-part-head-below": (Preset.ART278_MAJOR, ["120"] * 7 + ["70"] * 5, [F] * 7 + [N] * 5, False,
                              "participation_head"),
    # abstentions take part but do not approve: 5 for, 3 abstain → 5/8 < 3/4.
    "major-abstain": (Preset.ART278_MAJOR, HUNDREDS, [F] * 5 + [X] * 3 + [N] * 4, False, "approval_area"),
    "major-abstain-at": (Preset.ART278_MAJOR, HUNDREDS, [F] * 6 + [X] * 2 + [N] * 4, True, None),
    # 其他事项: exactly half approve → not more than half.
    "other-half": (Preset.ART278_OTHER, HUNDREDS, [F] * 4 + [A] * 4 + [N] * 4, False, "approval_area"),
    "other-above": (Preset.ART278_OTHER, HUNDREDS, [F] * 5 + [A] * 3 + [N] * 4, True, None),
    # 5/8 by head but exactly 400 of 800 m² by area.
    "other-area-half": (Preset.ART278_OTHER, ["80"] * 5 + ["100", "100", "200"] + ["100"] * 4,
                        [F] * 5 + [A] * 3 + [N] * 4, False, "approval_area"),
    "other-area-above": (Preset.ART278_OTHER, ["80"] * 4 + ["80.01", "100", "100", "199.99"] + ["100"] * 4,
                         [F] * 5 + [A] * 3 + [N] * 4, True, None),
    # simple majority of ballots cast: no participation threshold.
    "simple-above": (Preset.SIMPLE_MAJORITY, HUNDREDS, [F] * 2 + [A] + [N] * 9, True, None),
    "simple-half": (Preset.SIMPLE_MAJORITY, HUNDREDS, [F] * 2 + [A] * 2 + [N] * 8, False, "approval_head"),
    "simple-abstain": (Preset.SIMPLE_MAJORITY, HUNDREDS, [F] * 2 + [A, X] + [N] * 8, False, "approval_head"),
    # majority of all twelve households: 6 is half, 7 is more.
    "households-half": (Preset.HOUSEHOLD_MAJORITY, HUNDREDS, [F] * 6 + [N] * 6, False, "approval_head"),
    "households-above": (Preset.HOUSEHOLD_MAJORITY, HUNDREDS, [F] * 7 + [A] + [N] * 4, True, None),
    "nobody": (Preset.SIMPLE_MAJORITY, HUNDREDS, [N] * 12, False, "approval_head"),
}


def _expected_checks(rule: decision.Rule, areas: list[Decimal], answers: list) -> dict[str, Fraction]:
    """Our own arithmetic: the four shares, from plain sums over the prepared households."""
    voted = [(a, x) for a, x in zip(areas, answers) if x is not None]
    eligible_h, eligible_a = len(areas), sum(areas)
    part_h, part_a = len(voted), sum((a for a, _ in voted), Decimal(0))
    yes_h, yes_a = sum(1 for _, x in voted if x is F), sum((a for a, x in voted if x is F), Decimal(0))
    base_h, base_a = (part_h, part_a) if rule.base is ApprovalBase.PARTICIPATING else (eligible_h, eligible_a)
    out = {"participation_area": Fraction(part_a) / Fraction(eligible_a),
           "participation_head": Fraction(part_h, eligible_h),
           "approval_area": Fraction(yes_a) / Fraction(base_a) if base_a else Fraction(0),
           "approval_head": Fraction(yes_h, base_h) if base_h else Fraction(0)}
    keep = {"participation": rule.participation.basis, "approval": rule.approval.basis}
    return {k: v for k, v in out.items() if keep[k.split("_")[0]] in (Basis.BOTH, Basis[k.split("_")[1].upper()])}


def _meets(value: Fraction, op: Op, share: Fraction) -> bool:
    return value >= share if op is Op.GE else value > share


@pytest.mark.parametrize("case", list(CASES))
def test_preset_verdicts_match_independent_arithmetic(vworld, make_vote, case):
    preset, area_texts, answers, passes, failing = CASES[case]
    vote = make_vote(preset=preset)
    electors = ts.electorate(vote, vworld.b1, area_texts)
    ts.yes_no(vote, [e for e, x in zip(electors, answers) if x], [x for x in answers if x])
    result = tally.compute(vote)

    areas = [Decimal(a) for a in area_texts]
    voted = [(a, x) for a, x in zip(areas, answers) if x]
    assert result.figures == decision.Figures(
        len(areas), sum(areas), len(voted), sum((a for a, _ in voted), Decimal(0)),
        sum(1 for _, x in voted if x is F), sum((a for a, x in voted if x is F), Decimal(0)))
    expected = _expected_checks(decision.PRESETS[preset], areas, answers)
    assert {c.key: c.value for c in result.verdict.checks} == expected
    rule = decision.PRESETS[preset]
    ours = all(_meets(v, (rule.participation if k.startswith("part") else rule.approval).op,
                      (rule.participation if k.startswith("part") else rule.approval).share)
               for k, v in expected.items()) and bool(voted)
    assert result.verdict.passed is passes is ours
    first = result.verdict.first_failure
    assert (first.key if first else None) == failing


CUSTOM = {
    # participation ≥ 3/5 by area only; approval > 1/2 by area only. 6 of 10 m²-equal households: exactly 3/5.
    "area-ge-at": (decision.Rule(decision.Threshold(Basis.AREA, Op.GE, Fraction(3, 5)),
                                 decision.Threshold(Basis.AREA, Op.GT, Fraction(1, 2))),
                   ["50"] * 10, [F] * 4 + [A] * 2 + [N] * 4, True, None),
    "area-ge-below": (decision.Rule(decision.Threshold(Basis.AREA, Op.GE, Fraction(3, 5)),
                                    decision.Threshold(Basis.AREA, Op.GT, Fraction(1, 2))),
                      ["50"] * 5 + ["49.99", "50.01"] + ["50"] * 3, [F] * 4 + [A] * 2 + [N] * 4, False,
                      "participation_area"),
    # participation > 2/3 by head: exactly 2/3 fails, one more passes.
    "head-gt-at": (decision.Rule(decision.Threshold(Basis.HEAD, Op.GT, Fraction(2, 3)),
                                 decision.Threshold(Basis.HEAD, Op.GE, Fraction(1, 2))),
                   ["90"] * 9, [F] * 6 + [N] * 3, False, "participation_head"),
    "head-gt-above": (decision.Rule(decision.Threshold(Basis.HEAD, Op.GT, Fraction(2, 3)),
                                    decision.Threshold(Basis.HEAD, Op.GE, Fraction(1, 2))),
                      ["90"] * 9, [F] * 4 + [A] * 3 + [N] * 2, True, None),
    # both ≥ 1/2 of the ELIGIBLE electorate: 5 of 10 households with 500.00 of 1000 m² approve.
    "both-eligible-at": (decision.Rule(decision.Threshold(Basis.NONE, Op.GE, Fraction(0)),
                                       decision.Threshold(Basis.BOTH, Op.GE, Fraction(1, 2)), ApprovalBase.ELIGIBLE),
                         ["100"] * 10, [F] * 5 + [A] * 3 + [N] * 2, True, None),
    "both-eligible-below": (decision.Rule(decision.Threshold(Basis.NONE, Op.GE, Fraction(0)),
                                          decision.Threshold(Basis.BOTH, Op.GE, Fraction(1, 2)),
                                          ApprovalBase.ELIGIBLE),
                            ["100"] * 4 + ["99.99", "100.01"] + ["100"] * 4, [F] * 5 + [A] * 3 + [N] * 2, False,
                            "approval_area"),
}


@pytest.mark.parametrize("case", list(CUSTOM))
def test_custom_rules_match_independent_arithmetic(vworld, make_vote, case):
    rule, area_texts, answers, passes, failing = CUSTOM[case]
    vote = make_vote()
    decision.apply_rule(vote, Preset.CUSTOM, rule)
    db.session.commit()
    electors = ts.electorate(vote, vworld.b7, area_texts)
    ts.yes_no(vote, [e for e, x in zip(electors, answers) if x], [x for x in answers if x])
    result = tally.compute(vote)
    expected = _expected_checks(rule, [Decimal(a) for a in area_texts], answers)
    assert {c.key: c.value for c in result.verdict.checks} == expected
    assert result.verdict.passed is passes
    assert (result.verdict.first_failure.key if result.verdict.first_failure else None) == failing
