"""How results are put into words and numbers on pages (Jinja global `vote_results`): display rounding only."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from civic.voting import decision
from civic.voting.decision import CHECK_NAMES, Check, Threshold, fraction_words, percent, verdict_sentence  # noqa: F401
from civic.voting.models import Basis, Method, Op
from civic.voting.runoff import Round, tie_break_rule  # noqa: F401
from civic.voting.tally import Tally, approval_rule  # noqa: F401

BAR_WIDTH = 180  # px of a full (100 %) bar in the turnout chart's viewBox


def figure_name(key: str) -> str:
    return CHECK_NAMES[key]()


def symbol(t: Threshold) -> str:
    return "≥" if t.op is Op.GE else ">"


def threshold_text(t: Threshold) -> str:
    """"≥ 三分之二 (at least two thirds)" — the sign and the words, so nobody has to guess what 以上 means."""
    return f"{symbol(t)} {fraction_words(t.share)}"


def number(value: Decimal | int) -> str:
    """Areas with two decimals, heads as whole numbers."""
    return f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,d}"


def reduced(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def fraction_text(check: Check) -> str:
    """"800.00 / 1,200.00 m² = 2/3" — exact; the reduced fraction only when it is short enough to read."""
    unit = " m²" if check.key.endswith("_area") else ""
    text = f"{number(check.numerator)} / {number(check.denominator)}{unit}"
    if check.value.denominator <= 100 and reduced(check.value) != f"{check.numerator}/{check.denominator}":
        text += f" = {reduced(check.value)}"
    return text


def rule_sentence(t: Threshold, which: str) -> str:
    """One threshold in words, e.g. participation ≥ 2/3 of the area and of the owners."""
    if t.basis is Basis.NONE:
        return _("No participation threshold.") if which == "participation" else _("No approval threshold.")
    basis = {Basis.HEAD: _("by head"), Basis.AREA: _("by floor area"), Basis.BOTH: _("by head and by floor area")}
    if which == "participation":
        return _("Participation %(threshold)s, %(basis)s.", threshold=threshold_text(t), basis=basis[t.basis])
    return _("Approval %(threshold)s, %(basis)s.", threshold=threshold_text(t), basis=basis[t.basis])


def rule_of(vote) -> decision.Rule:  # noqa: ANN001
    return decision.rule_of(vote)


def is_method(tally: Tally, name: str) -> bool:
    return tally.method == Method[name].value


def round_sentence(tally: Tally, rnd: Round) -> str:
    """"Round 2: no choice has more than half of 9 ballots; 方案C is eliminated (fewer first preferences)."""
    if rnd.winner is not None:
        lead = rnd.count_of(rnd.winner)
        if rnd.majority:
            return _("Round %(n)d: %(choice)s has %(votes)d of %(total)d ballots, more than half, and wins.",
                     n=rnd.number, choice=tally.label_of(rnd.winner), votes=lead.ballots, total=rnd.continuing)
        return _("Round %(n)d: %(choice)s is the last choice left and wins.", n=rnd.number,
                 choice=tally.label_of(rnd.winner))
    if rnd.eliminated is None:
        return _("Round %(n)d: no ballot ranks a continuing choice.", n=rnd.number)
    why = {"": "", "first_preferences": _(" (tie broken by fewer first preferences in round 1)"),
           "position": _(" (tie broken by the later position on the ballot)")}[rnd.tie_break]
    return _("Round %(n)d: no choice has more than half of %(total)d ballots; %(choice)s has the fewest and is "
             "eliminated%(why)s.", n=rnd.number, total=rnd.continuing, choice=tally.label_of(rnd.eliminated), why=why)


def bar(share: Fraction) -> str:
    """Bar length in the chart's viewBox units (display rounding only)."""
    return f"{float(share) * BAR_WIDTH:.1f}"
