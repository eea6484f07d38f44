"""The expert table: per choice the criteria averages, the expert score, the public share and the final score.

Everything is an exact Fraction (aggregated in SQL as sums and counts, never as floating AVG); the page rounds
to one decimal only when it shows a number. Individual experts are published anonymised (专家1, 专家2 …): the
weighted total each gave each choice is shown so that a lopsided score is visible to everyone, but not whose it
is — experts are often neighbours or local professionals, and a named score invites lobbying and grudges.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select

from civic.extensions import db
from civic.voting.models import ExpertCriterion, ExpertScore, Vote


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    weight_percent: int


@dataclass(frozen=True)
class ChoiceRow:
    """One choice's line of the table (scores are None where no expert has scored it yet)."""

    choice_id: int
    label: str
    averages: tuple[Fraction | None, ...]  # per criterion, in rubric order, on 0–10
    expert_score: Fraction | None  # 0–100: Σ weight% × average / 10 × 100
    public_score: Fraction  # 0–100: the public vote share
    final_score: Fraction | None  # public × (100 − w)% + expert × w%
    experts: int  # how many experts scored this choice
    by_expert: tuple[Fraction | None, ...]  # each anonymised expert's weighted total (0–100), in panel order


@dataclass(frozen=True)
class ExpertSummary:
    criteria: tuple[Criterion, ...]
    rows: tuple[ChoiceRow, ...]
    expert_weight_percent: int
    public_weight_percent: int
    expert_count: int  # experts who scored at least one choice (the anonymised panel: 专家1 … 专家N)
    formula: str  # "最终得分 = 大众投票得分 × 60% + 专家评分 × 40%"

    @staticmethod
    def shown(value: Fraction | None) -> str:
        """For the template: one decimal, or "—" when there is no score yet."""
        return one_decimal(value)

    @property
    def leader(self) -> ChoiceRow | None:
        """The choice with the highest final score, when every choice has one and no two share the top."""
        finals = [r for r in self.rows if r.final_score is not None]
        if not finals or len(finals) != len(self.rows):
            return None
        ranked = sorted(finals, key=lambda r: r.final_score, reverse=True)
        return ranked[0] if len(ranked) == 1 or ranked[0].final_score != ranked[1].final_score else None


def one_decimal(value: Fraction | None) -> str:
    """Display only: 57.25 → "57.3" (half up); None → "—"."""
    if value is None:
        return "—"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def formula_sentence(expert_weight_percent: int) -> str:
    return _("Final score = public vote score × %(public)d%% + expert score × %(expert)d%%",
             public=100 - expert_weight_percent, expert=expert_weight_percent)


def _cell_sums(vote_id: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(criterion id, choice id) → (sum of scores, number of experts), one grouped query."""
    rows = db.session.execute(
        select(ExpertScore.criterion_id, ExpertScore.choice_id, func.sum(ExpertScore.score), func.count())
        .where(ExpertScore.vote_id == vote_id).group_by(ExpertScore.criterion_id, ExpertScore.choice_id))
    return {(cid, chid): (int(total), int(n)) for cid, chid, total, n in rows}


def _expert_totals(vote_id: int) -> dict[tuple[int, int], Fraction]:
    """(expert id, choice id) → that expert's weighted total on 0–100 (Σ weight × score / 10), one grouped query."""
    rows = db.session.execute(
        select(ExpertScore.expert_id, ExpertScore.choice_id,
               func.sum(ExpertScore.score * ExpertCriterion.weight_percent))
        .join(ExpertCriterion, ExpertCriterion.id == ExpertScore.criterion_id)
        .where(ExpertScore.vote_id == vote_id).group_by(ExpertScore.expert_id, ExpertScore.choice_id))
    return {(expert_id, chid): Fraction(int(total), 10) for expert_id, chid, total in rows}


def _averages(criteria: tuple[Criterion, ...], choice_id: int,
              cells: dict[tuple[int, int], tuple[int, int]]) -> tuple[Fraction | None, ...]:
    """The average score per criterion over the experts who scored that cell (None: nobody yet)."""
    averages = []
    for c in criteria:
        total, n = cells.get((c.id, choice_id), (0, 0))
        averages.append(Fraction(total, n) if n else None)
    return tuple(averages)


def _weighted(criteria: tuple[Criterion, ...], averages: tuple[Fraction | None, ...]) -> Fraction | None:
    """Σ weight% × average/10 × 100 = Σ weight × average / 10; None unless every criterion has an average."""
    if not averages or any(a is None for a in averages):
        return None
    return sum((c.weight_percent * a / 10 for c, a in zip(criteria, averages)), Fraction(0))


def _final(public: Fraction, expert: Fraction | None, expert_weight: int) -> Fraction | None:
    if expert is None:
        return None
    return (public * (100 - expert_weight) + expert * expert_weight) / 100


def summary(vote: Vote, public_shares: dict[int, Fraction]) -> ExpertSummary | None:
    """The expert table of a vote (None without expert review); `public_shares` are 0..1 per choice id (the tally's)."""
    if not vote.has_expert_review or not vote.criteria:
        return None
    criteria = tuple(Criterion(c.id, c.name, c.weight_percent) for c in vote.criteria)
    cells, totals = _cell_sums(vote.id), _expert_totals(vote.id)
    panel = sorted({expert_id for expert_id, _chid in totals})  # anonymised: 专家1 is the lowest id, nothing more
    weight = vote.expert_weight_percent
    rows = []
    for choice in vote.choices:
        averages = _averages(criteria, choice.id, cells)
        expert = _weighted(criteria, averages)
        public = Fraction(public_shares.get(choice.id, 0)) * 100
        rows.append(ChoiceRow(choice.id, choice.label, averages, expert, public, _final(public, expert, weight),
                              sum(1 for e in panel if (e, choice.id) in totals),
                              tuple(totals.get((e, choice.id)) for e in panel)))
    return ExpertSummary(criteria, tuple(rows), weight, 100 - weight, len(panel), formula_sentence(weight))
