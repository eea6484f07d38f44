"""Instant runoff over ranking patterns (each pattern counted once with its number of ballots), every round kept."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _


def tie_break_rule() -> str:
    """The rule stated on the vote page and on the results page (the code below applies exactly this)."""
    return _("Each round, the choice with the fewest ballots is eliminated and its ballots pass to their next "
             "preference; a choice wins with more than half of the ballots still counting. A tie for elimination "
             "is broken by fewer first preferences in round 1; if still tied, the choice listed later on the "
             "ballot is eliminated.")


@dataclass
class RoundCount:
    choice_id: int
    ballots: int
    area: Decimal


@dataclass
class Round:
    number: int
    counts: list[RoundCount]  # continuing choices in ballot order
    continuing: int  # ballots counting for a continuing choice
    exhausted: int  # ballots with no continuing choice left
    eliminated: int | None = None
    winner: int | None = None
    tie_break: str = ""  # "", "first_preferences" or "position": how a tie for elimination was decided
    majority: bool = False  # the winner had more than half of the continuing ballots

    def count_of(self, choice_id: int) -> RoundCount | None:
        return next((c for c in self.counts if c.choice_id == choice_id), None)


@dataclass
class Pattern:
    ranking: tuple[int, ...]
    ballots: int
    area: Decimal = field(default_factory=Decimal)


def parse_key(marks_key: str) -> tuple[int, ...]:
    """"15,12" → (15, 12): the ranked choices in order of preference."""
    return tuple(int(part) for part in marks_key.split(",") if part.strip())


def _count(patterns: list[Pattern], continuing: list[int]) -> tuple[dict[int, RoundCount], int]:
    counts = {c: RoundCount(c, 0, Decimal(0)) for c in continuing}
    exhausted = 0
    for p in patterns:
        top = next((c for c in p.ranking if c in counts), None)
        if top is None:
            exhausted += p.ballots
            continue
        counts[top].ballots += p.ballots
        counts[top].area += p.area
    return counts, exhausted


def _loser(counts: dict[int, RoundCount], first: dict[int, int], position: dict[int, int]) -> tuple[int, str]:
    """Fewest ballots; then fewer first preferences in round 1; then the later ballot position."""
    fewest = min(c.ballots for c in counts.values())
    tied = [c for c in counts if counts[c].ballots == fewest]
    if len(tied) == 1:
        return tied[0], ""
    least_first = min(first[c] for c in tied)
    by_first = [c for c in tied if first[c] == least_first]
    if len(by_first) == 1:
        return by_first[0], "first_preferences"
    return max(by_first, key=lambda c: position[c]), "position"


def instant_runoff(patterns: list[Pattern], positions: dict[int, int]) -> list[Round]:
    """Rounds until a choice has a majority of the continuing ballots (or is the last one left)."""
    continuing = sorted(positions, key=lambda c: positions[c])
    rounds: list[Round] = []
    first: dict[int, int] = {}
    while continuing:
        counts, exhausted = _count(patterns, continuing)
        first = first or {c: counts[c].ballots for c in counts}
        active = sum(c.ballots for c in counts.values())
        rnd = Round(len(rounds) + 1, [counts[c] for c in continuing], active, exhausted)
        rounds.append(rnd)
        if active == 0:
            break  # nobody ranked anything: no winner
        leader = max(continuing, key=lambda c: (counts[c].ballots, -positions[c]))
        if counts[leader].ballots * 2 > active or len(continuing) == 1:
            rnd.winner, rnd.majority = leader, counts[leader].ballots * 2 > active
            break
        rnd.eliminated, rnd.tie_break = _loser(counts, first, positions)
        continuing = [c for c in continuing if c != rnd.eliminated]
    return rounds
