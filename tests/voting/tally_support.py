"""Prepared electorates and ballots inserted directly (no casting rules): the raw material of independent tallies."""
from __future__ import annotations

import itertools
import secrets
from decimal import Decimal

from sqlalchemy import delete

from civic.clock import utcnow
from civic.community.models import Building, Household
from civic.extensions import db
from civic.voting.models import Answer, Ballot, BallotMark, Elector, Vote

_rooms = itertools.count(1000)


def electorate(vote: Vote, building: Building, areas: list[str]) -> list[Elector]:
    """Replace the vote's snapshot by fresh households with these areas (one elector each, in order)."""
    db.session.execute(delete(Elector).where(Elector.vote_id == vote.id))
    homes = [Household(building=building, room=f"R{next(_rooms)}", area_m2=Decimal(a)) for a in areas]
    db.session.add_all(homes)
    db.session.flush()
    electors = [Elector(vote_id=vote.id, household_id=h.id, building_id=h.building_id, area_m2=h.area_m2)
                for h in homes]
    db.session.add_all(electors)
    db.session.commit()
    return electors


def ballot(vote: Vote, elector: Elector, *, answer: Answer | None = None, marks: dict[int, int] | None = None,
           key: str | None = None, receipt: str | None = None) -> Ballot:
    """A current ballot with its marks; `key` defaults to the canonical marks text for the vote's method."""
    marks = marks or {}
    b = Ballot(vote_id=vote.id, elector_id=elector.id, household_id=elector.household_id,
               building_id=elector.building_id, area_m2=elector.area_m2,
               answer=answer.value if answer else None, marks_key=key if key is not None else "",
               receipt=receipt or secrets.token_hex(6).upper(), cast_at=utcnow())
    db.session.add(b)
    db.session.flush()
    db.session.add_all(BallotMark(ballot_id=b.id, choice_id=c, vote_id=vote.id, value=v) for c, v in marks.items())
    return b


def yes_no(vote: Vote, electors: list[Elector], answers: list[Answer]) -> None:
    for elector, answer in zip(electors, answers):
        ballot(vote, elector, answer=answer)
    db.session.commit()


def ranked(vote: Vote, elector: Elector, order: list[int]) -> Ballot:
    return ballot(vote, elector, marks={c: i for i, c in enumerate(order, start=1)},
                  key=",".join(str(c) for c in order))


def scored(vote: Vote, elector: Elector, scores: dict[int, int]) -> Ballot:
    return ballot(vote, elector, marks=scores, key=",".join(f"{c}:{s}" for c, s in sorted(scores.items())))


def chose(vote: Vote, elector: Elector, choice_ids: list[int]) -> Ballot:
    return ballot(vote, elector, marks={c: 1 for c in choice_ids}, key=",".join(str(c) for c in sorted(choice_ids)))
