"""CSV files of a vote: the aggregate result (anyone who may see results) and the named register (the committee)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from civic.accounts.models import User
from civic.community.models import Building, Household
from civic.extensions import db
from civic.voting import forms_ballot
from civic.voting.decision import percent
from civic.voting.labels import CHANNEL_LABELS, label
from civic.voting.models import Answer, Ballot, Channel, Vote
from civic.voting.results_format import figure_name, fraction_text, number, threshold_text, verdict_sentence
from civic.voting.tally import Tally
from civic.web.templating import datetime_24h

BOM = "\ufeff"  # Excel on Chinese Windows reads UTF-8 only with it


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return BOM + out.getvalue()


def _choice_lines(result: Tally) -> list[list]:
    lines = [[_("Choice"), _("Ballots"), _("Households"), _("Area (m²)"), _("Share of ballots"), _("Share of area"),
              _("Score total"), _("Average score"), _("In favour (approval)")]]
    for row in result.rows:
        lines.append([row.display_label, row.ballots, row.households, f"{row.area:.2f}", percent(row.head_share),
                      percent(row.area_share), "" if row.score_sum is None else row.score_sum,
                      "" if row.score_avg is None else f"{float(row.score_avg):.2f}", row.favour_ballots])
    return lines


def results_csv(vote: Vote, result: Tally) -> str:
    """Totals only: per choice, the runoff rounds, the four figures, the verdict and the digest."""
    lines = [[vote.title], [_("Took part"), result.part_heads, _("of"), result.eligible_heads],
             [_("Area that took part (m²)"), number(result.part_area), _("of"), number(result.eligible_area)], []]
    lines += _choice_lines(result) + [[]]
    for rnd in result.rounds:
        lines.append([_("Round %(n)d", n=rnd.number)] + [f"{result.label_of(c.choice_id)}: {c.ballots}"
                                                          for c in rnd.counts] + [_("exhausted: %(n)d", n=rnd.exhausted)])
    lines += [[_("Figure"), _("Value"), _("Exact"), _("Needed"), _("Met")]]
    lines += [[figure_name(c.key), percent(c.value), fraction_text(c), threshold_text(c.threshold),
               _("yes") if c.passed else _("no")] for c in result.verdict.checks]
    lines += [[], [_("Verdict"), verdict_sentence(result.verdict)], [_("Digest (SHA-256)"), result.digest],
              [_("Ballots counted"), result.counted]]
    return _csv(lines)


@dataclass(frozen=True)
class RegisterLine:
    building: str
    room: str
    cast_at: datetime
    cast_by: str
    channel: Channel
    choice: str


def register(vote: Vote) -> list[RegisterLine]:
    """Who voted what on a named vote (one query), by building and room. Never called for a secret vote."""
    assert not vote.is_secret, "a secret vote has no register"
    rows = db.session.execute(
        select(Building.name, Household.room, Ballot.cast_at, User.display_name, Ballot.channel, Ballot.answer,
               Ballot.marks_key)
        .join(Household, Household.id == Ballot.household_id).join(Building, Building.id == Ballot.building_id)
        .outerjoin(User, User.id == Ballot.cast_by_id).where(Ballot.vote_id == vote.id)
        .order_by(Building.sort_key, Household.room, Ballot.id))
    return [RegisterLine(b, room, at, who or "—", channel, _choice_words(vote, answer, key))
            for b, room, at, who, channel, answer, key in rows]


def _choice_words(vote: Vote, answer: str | None, marks_key: str) -> str:
    return "、".join(forms_ballot.words(vote, Answer(answer) if answer else None,
                                       forms_ballot.marks_of_key(vote, marks_key)))


def register_csv(lines: list[RegisterLine]) -> str:
    head = [_("Building"), _("Room"), _("Cast at"), _("Cast by"), _("How"), _("Choice")]
    return _csv([head] + [[r.building, r.room, datetime_24h(r.cast_at), r.cast_by, label(CHANNEL_LABELS, r.channel),
                           r.choice] for r in lines])
