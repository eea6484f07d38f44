"""The count of a vote: totals aggregated in SQL, instant runoff over ranking patterns, the verdict and the digest."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from civic.extensions import db
from civic.voting import codec, decision, expert, runoff
from civic.voting.labels import ANSWER_LABELS, label
from civic.voting.models import Answer, Ballot, BallotMark, Elector, Method, State, Vote, VoteChoice
from civic.voting.digest import canonical_text, digest_and_count, digest_of  # noqa: F401  (re-exported)
from civic.voting.runoff import Round, tie_break_rule  # noqa: F401  (re-exported for pages)

CENT = Decimal("0.01")
FAVOUR_SCORE = 4  # on a score vote, a household "approves" a choice it scored 4 or 5


def _dec(value) -> Decimal:  # noqa: ANN001
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class Row:
    """One line of the result: a choice, or 同意/反对/弃权 on a yes/no vote (弃权 also on choice votes)."""

    key: str  # "for" / "against" / "abstain", or "choice-<id>"
    label: str
    choice_id: int | None = None
    position: int = 0
    ballots: int = 0  # voting units (households, or residents on a per-resident vote)
    households: int = 0
    area: Decimal = field(default_factory=Decimal)
    head_share: Fraction = field(default_factory=Fraction)  # of all participating ballots
    area_share: Fraction = field(default_factory=Fraction)  # of all participating area
    score_sum: int | None = None  # SCORE only
    score_avg: Fraction | None = None
    favour_ballots: int = 0  # counted as approval if this is the leading choice
    favour_area: Decimal = field(default_factory=Decimal)
    public_share: Fraction | None = None  # the public part handed to the expert review

    @property
    def display_label(self) -> str:
        """Choices by their label; 同意/反对/弃权 translated when shown (the stored tally is language-free)."""
        if self.choice_id is None:
            return label(ANSWER_LABELS, Answer(self.key))
        return self.label


@dataclass
class Tally:
    vote_id: int
    method: str
    eligible_heads: int
    eligible_households: int
    eligible_area: Decimal
    part_heads: int
    part_households: int
    part_area: Decimal
    rows: list[Row]
    rounds: list[Round]
    leading_key: str | None
    figures: decision.Figures
    verdict: decision.Verdict
    digest: str
    counted: int
    expert: object = field(default=None, compare=False, metadata={"json": False})  # recomputed, never stored

    @property
    def leading(self) -> Row | None:
        return next((r for r in self.rows if r.key == self.leading_key), None)

    @property
    def abstained(self) -> Row | None:
        return next((r for r in self.rows if r.key == Answer.ABSTAIN.value), None)

    def label_of(self, choice_id: int | None) -> str:
        return next((r.label for r in self.rows if r.choice_id == choice_id and choice_id is not None), "")

    def to_json(self) -> dict:
        return codec.encode(self)

    @classmethod
    def from_json(cls, data: dict) -> Tally:
        return codec.decode(cls, data)


@dataclass(frozen=True)
class Recount:
    matches: bool
    text: str


# --- the SQL ---------------------------------------------------------------------------------------------------

def _totals(model, vote_id: int) -> tuple[int, int, Decimal]:  # noqa: ANN001
    row = db.session.execute(select(func.count(), func.count(model.household_id.distinct()), func.sum(model.area_m2))
                             .where(model.vote_id == vote_id)).one()
    return row[0] or 0, row[1] or 0, _dec(row[2])


def _answer_rows(vote_id: int) -> dict[str, tuple[int, int, Decimal]]:
    rows = db.session.execute(
        select(Ballot.answer, func.count(), func.count(Ballot.household_id.distinct()), func.sum(Ballot.area_m2))
        .where(Ballot.vote_id == vote_id, Ballot.answer.is_not(None)).group_by(Ballot.answer))
    return {a: (n, h, _dec(area)) for a, n, h, area in rows}


def _mark_rows(vote_id: int) -> dict[int, tuple]:
    favour = BallotMark.value >= FAVOUR_SCORE
    rows = db.session.execute(
        select(BallotMark.choice_id, func.count(), func.count(Ballot.household_id.distinct()), func.sum(Ballot.area_m2),
               func.sum(BallotMark.value), func.sum(case((favour, 1), else_=0)),
               func.sum(case((favour, Ballot.area_m2), else_=0)))
        .join(Ballot, Ballot.id == BallotMark.ballot_id)
        .where(BallotMark.vote_id == vote_id, Ballot.answer.is_(None)).group_by(BallotMark.choice_id))
    return {r[0]: (r[1], r[2], _dec(r[3]), int(r[4] or 0), int(r[5] or 0), _dec(r[6])) for r in rows}


def _patterns(vote_id: int) -> list[runoff.Pattern]:
    rows = db.session.execute(
        select(Ballot.marks_key, func.count(), func.sum(Ballot.area_m2))
        .where(Ballot.vote_id == vote_id, Ballot.answer.is_(None)).group_by(Ballot.marks_key))
    return [runoff.Pattern(runoff.parse_key(key), n, _dec(area)) for key, n, area in rows]


def _choices(vote_id: int) -> list[tuple[int, int, str]]:
    return list(db.session.execute(select(VoteChoice.id, VoteChoice.position, VoteChoice.label)
                                   .where(VoteChoice.vote_id == vote_id).order_by(VoteChoice.position)))


# --- rows per method ------------------------------------------------------------------------------------------

def _answer_row(answer: Answer, counts: dict, part: tuple[int, Decimal]) -> Row:
    n, h, area = counts.get(answer.value, (0, 0, _dec(0)))
    return Row(answer.value, "", ballots=n, households=h, area=area, head_share=decision.share(n, part[0]),
               area_share=decision.share(area, part[1]), favour_ballots=n, favour_area=area)


def _yes_no_rows(vote: Vote, part: tuple[int, Decimal]) -> tuple[list[Row], list[Round]]:
    counts = _answer_rows(vote.id)
    return [_answer_row(a, counts, part) for a in (Answer.FOR, Answer.AGAINST, Answer.ABSTAIN)], []


def _choice_row(choice: tuple[int, int, str], n: int, h: int, area: Decimal, part: tuple[int, Decimal]) -> Row:
    cid, position, label = choice
    return Row(f"choice-{cid}", label, cid, position, n, h, area, decision.share(n, part[0]),
               decision.share(area, part[1]), favour_ballots=n, favour_area=area)


def _marked_rows(vote: Vote, part: tuple[int, Decimal]) -> tuple[list[Row], list[Round]]:
    """Single, approval and score: one GROUP BY over the marks of current, non-abstaining ballots."""
    marks, abstain = _mark_rows(vote.id), _answer_row(Answer.ABSTAIN, _answer_rows(vote.id), part)
    expressed = part[0] - abstain.ballots
    rows = []
    for choice in _choices(vote.id):
        n, h, area, score, favour_n, favour_area = marks.get(choice[0], (0, 0, _dec(0), 0, 0, _dec(0)))
        row = _choice_row(choice, n, h, area, part)
        row.public_share = decision.share(n, expressed)
        if vote.method is Method.SCORE:
            row.score_sum, row.score_avg = score, (Fraction(score, n) if n else Fraction(0))
            row.favour_ballots, row.favour_area = favour_n, favour_area
            row.public_share = row.score_avg / 5
        rows.append(row)
    return rows + [abstain], []


def _ranked_rows(vote: Vote, part: tuple[int, Decimal]) -> tuple[list[Row], list[Round]]:
    """First preferences per choice; approval of each choice = its ballots in the final round."""
    choices = _choices(vote.id)
    rounds = runoff.instant_runoff(_patterns(vote.id), {cid: position for cid, position, _label in choices})
    first, final = (rounds[0], rounds[-1]) if rounds else (None, None)
    rows = []
    for choice in choices:
        count = first.count_of(choice[0]) if first else None
        n, area = (count.ballots, count.area) if count else (0, _dec(0))
        row = _choice_row(choice, n, n, area, part)
        row.public_share = decision.share(n, first.continuing if first else 0)
        last = final.count_of(choice[0]) if final else None
        row.favour_ballots, row.favour_area = (last.ballots, last.area) if last else (0, _dec(0))
        rows.append(row)
    abstain = _answer_row(Answer.ABSTAIN, _answer_rows(vote.id), part)
    return rows + [abstain], rounds


_ROWS = {Method.YES_NO: _yes_no_rows, Method.SINGLE: _marked_rows, Method.APPROVAL: _marked_rows,
         Method.SCORE: _marked_rows, Method.RANKED: _ranked_rows}


def _leading(method: Method, rows: list[Row], rounds: list[Round]) -> str | None:
    """同意 on yes/no; the runoff winner; the highest score sum; else the most ballots (then area, then position)."""
    if method is Method.YES_NO:
        return Answer.FOR.value
    choices = [r for r in rows if r.choice_id is not None]
    if method is Method.RANKED:
        final = rounds[-1] if rounds else None
        return f"choice-{final.winner}" if final and final.winner else None
    if method is Method.SCORE:
        best = max(choices, key=lambda r: (r.score_sum or 0, r.favour_ballots, -r.position), default=None)
    else:
        best = max(choices, key=lambda r: (r.ballots, r.area, -r.position), default=None)
    return best.key if best is not None and best.ballots else None


# --- the tally --------------------------------------------------------------------------------------------------

def compute(vote: Vote) -> Tally:
    """Count the current ballots now (a fixed number of queries, however many ballots there are)."""
    eligible_heads, eligible_households, eligible_area = _totals(Elector, vote.id)
    part_heads, part_households, part_area = _totals(Ballot, vote.id)
    rows, rounds = _ROWS[vote.method](vote, (part_heads, part_area))
    leading_key = _leading(vote.method, rows, rounds)
    lead = next((r for r in rows if r.key == leading_key), None)
    figures = decision.Figures(eligible_heads, eligible_area, part_heads, part_area,
                               lead.favour_ballots if lead else 0, lead.favour_area if lead else _dec(0))
    digest, counted = digest_and_count(vote.id)
    result = Tally(vote.id, vote.method.value, eligible_heads, eligible_households, eligible_area, part_heads,
                   part_households, part_area, rows, rounds, leading_key, figures,
                   decision.verdict(decision.rule_of(vote), figures), digest, counted)
    result.expert = _expert(vote, result)
    return result


def _expert(vote: Vote, result: Tally):  # noqa: ANN202
    if not vote.has_expert_review or vote.method is Method.YES_NO:
        return None
    return expert.summary(vote, {r.choice_id: r.public_share or Fraction(0) for r in result.rows
                                 if r.choice_id is not None})


def stored(vote: Vote) -> Tally:
    """The tally stored at the close once the vote is closed; before that, the live count."""
    if vote.state in (State.CLOSED, State.PUBLISHED) and vote.tally:
        result = Tally.from_json(vote.tally)
        result.expert = _expert(vote, result)
        return result
    return compute(vote)


def recount(vote_id: int) -> Recount:
    """Recompute the tally and the digest from the ballot rows and compare them with what the close stored."""
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        return Recount(False, f"Vote {vote_id} does not exist.")
    if vote.tally is None or vote.digest is None:
        return Recount(False, f"Vote {vote_id} has no stored tally yet (it is {vote.state.value}).")
    fresh = compute(vote)
    checks = [("tally", fresh.to_json() == vote.tally), ("digest", fresh.digest == vote.digest),
              ("counted ballots", fresh.counted == vote.counted_ballots)]
    lines = [f"Vote {vote.id} “{vote.title}”: {fresh.counted} ballots counted from the rows.",
             f"Digest recomputed: {fresh.digest}", f"Digest stored:     {vote.digest}"]
    lines += [f"{name}: {'matches' if ok else 'DIFFERS'}" for name, ok in checks]
    matches = all(ok for _name, ok in checks)
    lines.append("OK: the stored result matches the ballots." if matches
                 else "MISMATCH: the stored result does not match the ballots.")
    return Recount(matches, "\n".join(lines))


def approval_rule(method: Method) -> str:
    """What counts as approval of the leading choice, stated on the results page."""
    return {
        Method.YES_NO: _("Approval counts the households that voted for."),
        Method.SINGLE: _("Approval counts the households that chose the leading choice."),
        Method.APPROVAL: _("Approval counts the households that approved the leading choice."),
        Method.RANKED: _("Approval counts the ballots counting for the leading choice in the final round."),
        Method.SCORE: _("Approval counts the households that scored the leading choice 4 or 5."),
    }[method]
