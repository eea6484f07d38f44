"""Turnout by building (households and area that voted): for every member, and never a word about choices."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select

from civic.community.models import Building
from civic.extensions import db
from civic.voting.decision import share
from civic.voting.models import Ballot, Elector, Vote

CENT = Decimal("0.01")


@dataclass(frozen=True)
class TurnoutRow:
    building_id: int | None  # None on the total line
    name: str
    eligible: int  # households (or residents on a per-resident vote) in the electorate
    voted: int  # of them with a current ballot (an abstention is a ballot)
    eligible_area: Decimal
    voted_area: Decimal

    @property
    def head_share(self) -> Fraction:
        return share(self.voted, self.eligible)

    @property
    def area_share(self) -> Fraction:
        return share(self.voted_area, self.eligible_area)

    @property
    def not_voted(self) -> int:
        return self.eligible - self.voted


def _dec(value) -> Decimal:  # noqa: ANN001
    return Decimal(str(value or 0)).quantize(CENT)


def by_building(vote: Vote) -> list[TurnoutRow]:
    """One row per building of the electorate, in the buildings' natural order (two GROUP BY queries)."""
    eligible = db.session.execute(
        select(Building.id, Building.name, func.count(Elector.id), func.sum(Elector.area_m2))
        .join(Building, Building.id == Elector.building_id).where(Elector.vote_id == vote.id)
        .group_by(Building.id, Building.name, Building.sort_key).order_by(Building.sort_key, Building.id)).all()
    voted = {b: (n, _dec(a)) for b, n, a in db.session.execute(
        select(Ballot.building_id, func.count(Ballot.id), func.sum(Ballot.area_m2))
        .where(Ballot.vote_id == vote.id).group_by(Ballot.building_id))}
    return [TurnoutRow(b, name, n, voted.get(b, (0, 0))[0], _dec(area), voted.get(b, (0, _dec(0)))[1])
            for b, name, n, area in eligible]


def total(rows: list[TurnoutRow]) -> TurnoutRow:
    return TurnoutRow(None, "", sum(r.eligible for r in rows), sum(r.voted for r in rows),
                      sum((r.eligible_area for r in rows), _dec(0)), sum((r.voted_area for r in rows), _dec(0)))


def summary(vote: Vote, rows: list[TurnoutRow] | None = None) -> TurnoutRow:
    """The whole electorate's turnout (the total line of `by_building`)."""
    return total(by_building(vote) if rows is None else rows)
