"""Expert review (专家评审): the rubric, experts' 0–10 scores, and the final score weighting public vote and experts."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.models import Role
from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import locks
from civic.voting.expert_summary import ExpertSummary, summary  # noqa: F401 (the public API lives here)
from civic.voting.models import ExpertCriterion, ExpertScore, State, Vote

MAX_CRITERIA = 8
MAX_NAME = 40
MAX_SCORE = 10
MAX_RUBRIC_TEXT = 2000  # a textarea of 8 short lines; anything longer is not a rubric
# "安全 30", "消防：20%", "维护20" — after NFKC, so full-width digits, ％ and ： are their ASCII selves.
_LINE = re.compile(r"^(?P<name>.*?)[\s:]*(?P<weight>\d+(?:\.\d+)?)\s*%?$")
_NEGATIVE = re.compile(r"[-−]\d+(?:\.\d+)?\s*%?$")


def _refuse(message: str) -> RuleViolation:
    return RuleViolation(message, "rubric")


def parse_rubric(text: str) -> list[tuple[str, int]]:
    """The setup form's textarea, one criterion per line ("安全 30" / "消防 20%"), as (name, weight) pairs."""
    if len(text or "") > MAX_RUBRIC_TEXT:
        raise _refuse(_("The rubric is too long: at most %(n)d criteria, one short line each.", n=MAX_CRITERIA))
    criteria = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None or not match["name"].strip():
            raise _refuse(_('Line %(n)d: write a criterion and its weight, for example "安全 30".', n=number))
        if "." in match["weight"] or _NEGATIVE.search(line):
            raise _refuse(_("Line %(n)d: weights are whole percentages above 0, such as 30.", n=number))
        criteria.append((match["name"].strip(), int(match["weight"])))
    return criteria


def rubric_text(vote: Vote) -> str:
    """The vote's rubric as the textarea shows it, so an edit form starts from what is stored."""
    return "\n".join(f"{c.name} {c.weight_percent}" for c in vote.criteria)


def validate_rubric(criteria: list[tuple[str, int]]) -> None:
    """1–8 distinct named criteria with whole positive weights summing to exactly 100, or RuleViolation."""
    if not criteria:
        raise _refuse(_('Give at least one criterion with its weight, for example "安全 30".'))
    if len(criteria) > MAX_CRITERIA:
        raise _refuse(_("At most %(n)d criteria.", n=MAX_CRITERIA))
    seen = set()
    for name, weight in criteria:
        if not name or len(name) > MAX_NAME or not name.isprintable():
            raise _refuse(_("Each criterion needs a name of 1 to %(n)d characters.", n=MAX_NAME))
        if name in seen:
            raise _refuse(_("The criterion “%(name)s” is listed twice.", name=name))
        seen.add(name)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise _refuse(_("The weight of “%(name)s” must be a whole percentage above 0.", name=name))
    total = sum(weight for _name, weight in criteria)
    if total != 100:
        raise _refuse(_("The weights add up to %(total)d%%; they must add up to exactly 100%%.", total=total))


def set_rubric(vote: Vote, criteria: list[tuple[str, int]]) -> None:
    """Set the vote's criteria. Refusing it once ballots exist is setup's.

    The same names in the same order keep their rows (only weights change), so experts' scores survive a
    re-saved settings form; any other change replaces the criteria, and the scores given on the old ones go.
    """
    validate_rubric(criteria)
    if [c.name for c in vote.criteria] == [name for name, _weight in criteria]:
        for row, (_name, weight) in zip(vote.criteria, criteria):
            row.weight_percent = weight
        return
    if vote.id is not None:
        # Bulk deletes first: the unit of work would insert the new positions before deleting the old (UNIQUE).
        db.session.execute(delete(ExpertScore).where(ExpertScore.vote_id == vote.id))
        db.session.execute(delete(ExpertCriterion).where(ExpertCriterion.vote_id == vote.id))
        db.session.expire(vote, ["criteria"])
    vote.criteria = [ExpertCriterion(position=i, name=name, weight_percent=weight)
                     for i, (name, weight) in enumerate(criteria, start=1)]


def clear_rubric(vote: Vote) -> None:
    """No expert review any more: the criteria and their scores go."""
    if vote.id is not None:
        db.session.execute(delete(ExpertScore).where(ExpertScore.vote_id == vote.id))
        db.session.execute(delete(ExpertCriterion).where(ExpertCriterion.vote_id == vote.id))
        db.session.expire(vote, ["criteria"])
    vote.criteria = []


def is_scoring_open(vote: Vote, now: datetime) -> bool:
    """Experts may score from the announcement until the close (the deadline, or an earlier committee close)."""
    return vote.state in (State.SCHEDULED, State.OPEN) and now < vote.closes_at


def closed_message() -> str:
    return _("Expert scoring ended when the vote closed; the scores given by then count.")


def expected_cells(vote: Vote) -> set[tuple[int, int]]:
    """Every (criterion id, choice id) pair of this vote: an expert scores them all."""
    return {(c.id, ch.id) for c in vote.criteria for ch in vote.choices}


def check_scores(vote: Vote, scores: dict[tuple[int, int], int]) -> None:
    """Every cell of this vote, each a whole number 0–10; a cell of another vote or criterion is refused."""
    expected = expected_cells(vote)
    if set(scores) - expected:
        raise RuleViolation(_("Some scores are for a choice or criterion that is not part of this vote."), "scores")
    missing = len(expected - set(scores))
    if missing:
        raise RuleViolation(_("Give every choice a score on every criterion (%(n)d missing).", n=missing), "scores")
    for value in scores.values():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
            raise RuleViolation(_("Scores are whole numbers from 0 to 10."), "scores")


def _upsert(vote_id: int, expert_id: int, scores: dict[tuple[int, int], int], now: datetime) -> None:
    """One statement for all cells: UNIQUE (criterion, choice, expert) makes a second save an update."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = ExpertScore.__table__
    statement = insert(table).values([
        {"vote_id": vote_id, "criterion_id": cid, "choice_id": chid, "expert_id": expert_id, "score": value,
         "scored_at": now} for (cid, chid), value in sorted(scores.items())])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.criterion_id, table.c.choice_id, table.c.expert_id],
        set_={"score": statement.excluded.score, "scored_at": statement.excluded.scored_at}))


def score(vote: Vote, *, expert: User, standing: Standing, scores: dict[tuple[int, int], int],
          now: datetime) -> int:
    """Save one expert's scores for every cell (replacing earlier ones) until the close; returns the cells saved.

    Takes the vote's shared lock (it commits the session first), so a score never lands after the close.
    """
    if Role.EXPERT not in standing.roles or standing.community_id != vote.community_id:
        raise RuleViolation(_("Only the community's expert reviewers score choices."), "scores")
    vote = locks.for_cast(vote.id)
    if not vote.has_expert_review:
        raise RuleViolation(_("This vote has no expert review."), "scores")
    if not is_scoring_open(vote, now):
        raise RuleViolation(closed_message(), "scores")
    check_scores(vote, scores)
    _upsert(vote.id, expert.id, scores, now)
    record(vote.community_id, expert, "vote.expert_score", f"vote:{vote.id}", now, cells=len(scores))
    return len(scores)


def scores_of(vote: Vote, expert_id: int) -> dict[tuple[int, int], int]:
    """One expert's current scores, to prefill their form."""
    rows = db.session.execute(db.select(ExpertScore.criterion_id, ExpertScore.choice_id, ExpertScore.score).where(
        ExpertScore.vote_id == vote.id, ExpertScore.expert_id == expert_id))
    return {(cid, chid): value for cid, chid, value in rows}
