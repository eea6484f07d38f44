"""Decision rules: presets (Civil Code Art. 278 …), and the verdict from exact figures (Fractions, never floats)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from civic.voting.models import ApprovalBase, Basis, Op, Preset, Vote


@dataclass(frozen=True)
class Threshold:
    basis: Basis
    op: Op
    share: Fraction

    def meets(self, value: Fraction) -> bool:
        return value >= self.share if self.op is Op.GE else value > self.share


@dataclass(frozen=True)
class Rule:
    participation: Threshold
    approval: Threshold
    base: ApprovalBase = ApprovalBase.PARTICIPATING


NO_THRESHOLD = Threshold(Basis.NONE, Op.GE, Fraction(0))
TWO_THIRDS_BOTH = Threshold(Basis.BOTH, Op.GE, Fraction(2, 3))

PRESETS: dict[Preset, Rule] = {
    Preset.ART278_MAJOR: Rule(TWO_THIRDS_BOTH, Threshold(Basis.BOTH, Op.GE, Fraction(3, 4))),
    Preset.ART278_OTHER: Rule(TWO_THIRDS_BOTH, Threshold(Basis.BOTH, Op.GT, Fraction(1, 2))),
    Preset.SIMPLE_MAJORITY: Rule(NO_THRESHOLD, Threshold(Basis.HEAD, Op.GT, Fraction(1, 2))),
    Preset.HOUSEHOLD_MAJORITY: Rule(NO_THRESHOLD, Threshold(Basis.HEAD, Op.GT, Fraction(1, 2)), ApprovalBase.ELIGIBLE),
}


def rule_of(vote: Vote) -> Rule:
    """The rule as stored on the vote (a preset's numbers were copied there when it was chosen)."""
    return Rule(Threshold(vote.part_basis, vote.part_op, Fraction(vote.part_num, vote.part_den)),
                Threshold(vote.appr_basis, vote.appr_op, Fraction(vote.appr_num, vote.appr_den)),
                vote.appr_base)


def apply_rule(vote: Vote, preset: Preset, custom: Rule | None = None) -> None:
    """Copy a preset's numbers (or a custom rule's) onto the vote's columns."""
    rule = custom if preset is Preset.CUSTOM else PRESETS[preset]
    if rule is None:
        raise ValueError("a custom rule needs its thresholds")
    vote.preset = preset
    vote.part_basis, vote.part_op = rule.participation.basis, rule.participation.op
    vote.part_num, vote.part_den = rule.participation.share.numerator, rule.participation.share.denominator
    vote.appr_basis, vote.appr_op = rule.approval.basis, rule.approval.op
    vote.appr_num, vote.appr_den = rule.approval.share.numerator, rule.approval.share.denominator
    vote.appr_base = rule.base


@dataclass(frozen=True)
class Figures:
    """Heads and areas: of the electorate, of those who took part, and of those in favour (of the leading choice)."""

    eligible_heads: int
    eligible_area: Decimal
    part_heads: int
    part_area: Decimal
    yes_heads: int
    yes_area: Decimal


@dataclass(frozen=True)
class Check:
    """One of the (up to four) figures held against its threshold."""

    key: str  # participation_area, participation_head, approval_area, approval_head
    value: Fraction
    threshold: Threshold
    numerator: Decimal | int
    denominator: Decimal | int

    @property
    def passed(self) -> bool:
        return self.threshold.meets(self.value)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    checks: tuple[Check, ...]

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if not c.passed), None)


def share(part: Decimal | int, whole: Decimal | int) -> Fraction:
    """Exact share; an empty whole gives 0 (nothing can pass on an empty electorate)."""
    return Fraction(Decimal(part)) / Fraction(Decimal(whole)) if whole else Fraction(0)


def _checks(prefix: str, t: Threshold, heads: tuple[int, int], area: tuple[Decimal, Decimal]) -> list[Check]:
    out = []
    if t.basis in (Basis.AREA, Basis.BOTH):
        out.append(Check(f"{prefix}_area", share(*area), t, *area))
    if t.basis in (Basis.HEAD, Basis.BOTH):
        out.append(Check(f"{prefix}_head", share(*heads), t, *heads))
    return out


def verdict(rule: Rule, f: Figures) -> Verdict:
    """Participation against the electorate; approval against those who took part (or the whole electorate)."""
    checks = _checks("participation", rule.participation, (f.part_heads, f.eligible_heads),
                     (f.part_area, f.eligible_area))
    if rule.base is ApprovalBase.PARTICIPATING:
        heads, area = (f.yes_heads, f.part_heads), (f.yes_area, f.part_area)
    else:
        heads, area = (f.yes_heads, f.eligible_heads), (f.yes_area, f.eligible_area)
    checks += _checks("approval", rule.approval, heads, area)
    return Verdict(all(c.passed for c in checks) and (f.part_heads > 0), tuple(checks))


def fraction_words(value: Fraction) -> str:
    """三分之二, 四分之三, 半数 … (or "2/3" for fractions without a common name)."""
    named = {Fraction(1, 2): _("half"), Fraction(2, 3): _("two thirds"), Fraction(3, 4): _("three quarters"),
             Fraction(1, 3): _("one third"), Fraction(1, 4): _("one quarter")}
    return str(named.get(value, f"{value.numerator}/{value.denominator}"))


def threshold_words(t: Threshold) -> str:
    """"at least two thirds" / "more than half" — 以上 includes the number, 过半数 does not."""
    if t.op is Op.GE:
        return _("at least %(share)s", share=fraction_words(t.share))
    return _("more than %(share)s", share=fraction_words(t.share))


CHECK_NAMES = {
    "participation_area": lambda: _("participating area"),
    "participation_head": lambda: _("participating owners"),
    "approval_area": lambda: _("approving area"),
    "approval_head": lambda: _("approving owners"),
}


def verdict_sentence(v: Verdict) -> str:
    """"通过" or "未通过：参与面积不足三分之二" — the first failing figure, in plain words."""
    failure = v.first_failure
    if v.passed:
        return _("Passed")
    if failure is None:
        return _("Not passed: nobody took part")
    what = CHECK_NAMES[failure.key]()
    if failure.threshold.op is Op.GE:
        return _("Not passed: %(what)s below %(share)s", what=what, share=fraction_words(failure.threshold.share))
    return _("Not passed: %(what)s not more than %(share)s", what=what,
             share=fraction_words(failure.threshold.share))


def percent(value: Fraction, places: int = 2) -> str:
    """A share as a percentage for display only ("66.67%"); the verdict never uses this rounding."""
    q = (Decimal(value.numerator) / Decimal(value.denominator) * 100) if value.denominator else Decimal(0)
    return f"{q.quantize(Decimal(1).scaleb(-places))}%"
