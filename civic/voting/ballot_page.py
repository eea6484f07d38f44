"""What the vote page shows around the ballot: the method in a sentence, design pictures, why someone has no ballot."""
from __future__ import annotations

from datetime import datetime

from flask import g
from flask_babel import format_datetime, to_user_timezone
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from civic.community.models import Building, Household
from civic.community.rules import Standing
from civic.designs.models import DesignVersion
from civic.extensions import db
from civic.voting import casting, electorate, rules
from civic.voting.models import Elector, Method, State, Unit, Vote


def method_sentences(vote: Vote) -> list[str]:
    """How to fill in this ballot, and for ranked votes how it is counted and how ties are broken."""
    if vote.method is Method.YES_NO:
        return [_("Choose for, against or abstain. Abstaining counts as taking part, never as approval.")]
    if vote.method is Method.SINGLE:
        return [_("Choose one option.")]
    if vote.method is Method.APPROVAL:
        limit = vote.max_choices or len(vote.choices)
        return [_("Tick every option you can accept, at most %(n)d.", n=limit)]
    if vote.method is Method.SCORE:
        return [_("Give every option a score from 0 (worst) to 5 (best). The option with the highest total wins.")]
    return [_("Number the options in your order of preference: 1 for your favourite. "
              "You need not number them all."),
            _("Counting (instant runoff): if no option has more than half of the ballots still in the count, the "
              "option with the fewest is dropped and its ballots go to their next choice, round by round, until "
              "one option has a majority."),
            _("Ties for last place: the option with fewer first preferences in the first round is dropped; if "
              "still tied, the option listed later on the ballot is dropped (the earlier one stays).")]


def short_time(value: datetime, now: datetime) -> str:
    """14:02 today, else 2025-11-20 14:02 (24 h, Asia/Shanghai)."""
    if to_user_timezone(value).date() == to_user_timezone(now).date():
        return format_datetime(value, "HH:mm")
    return format_datetime(value, "yyyy-MM-dd HH:mm")


def design_versions(vote: Vote) -> dict[int, DesignVersion]:
    """The stored version of each design choice, with its files (one query, however many choices)."""
    ids = [c.version_id for c in vote.choices if c.version_id]
    if not ids:
        return {}
    rows = db.session.execute(select(DesignVersion).where(DesignVersion.id.in_(ids))
                              .options(selectinload(DesignVersion.files))).scalars()
    return {v.id: v for v in rows}


def household_names(electors: list[Elector]) -> dict[int, str]:
    """The member's own households, named with the room (only ever shown to that member)."""
    ids = [e.household_id for e in electors]
    rows = db.session.execute(select(Household.id, Building.name, Household.room).join(Building)
                              .where(Household.id.in_(ids))) if ids else []
    by_id = {hid: f"{building} {room}" for hid, building, room in rows}
    return {e.id: by_id.get(e.household_id, "") for e in electors}


def why_no_ballot(vote: Vote, st: Standing) -> str:
    """In words, why this member has no ballot in this vote."""
    if vote.state is State.SCHEDULED:
        return _("Voting has not opened yet.")
    if not st.household_ids:
        return _("You are not registered in a household of this community, so you have no ballot in this vote.")
    in_snapshot = db.session.scalar(select(Elector.id).where(Elector.vote_id == vote.id,
                                                             Elector.household_id.in_(st.household_ids)).limit(1))
    if in_snapshot and vote.owners_only:
        return _("Only owners vote in this vote; an owner of your household votes for it.")
    if in_snapshot:
        return _("The list of voters was fixed when the vote opened, before you joined your household.")
    if vote.buildings:
        names = "、".join(b.name for b in vote.buildings)
        return _("This vote is for the households of %(buildings)s only.", buildings=names)
    return _("Your household was not registered when the vote opened, so it is not on the list of voters.")


def ballot_context(vote: Vote, user_id: int, now: datetime, *, chosen: int | None = None, cast=None) -> dict:  # noqa: ANN001
    """Everything the `ballot` block needs: the member's electors, the chosen one's status, whether to show the form."""
    electors = electorate.electors_of(vote, user_id) if vote.state is not State.SCHEDULED else []
    elector = next((e for e in electors if e.id == chosen), electors[0] if electors else None)
    if cast is not None and elector is not None and cast.elector_id == elector.id:
        status = casting.status_of(vote, cast, with_receipt=True)  # just cast: no second lookup
    else:
        status = casting.household_status(vote, elector, with_receipt=True) if elector else None
    return {"vote": vote, "electors": electors, "elector": elector, "ballot_status": status,
            "elector_names": household_names(electors) if len(electors) > 1 else {},
            "is_open": rules.is_open(vote, now), "no_ballot_reason": None if electors else why_no_ballot(vote, g.standing),
            "status_time": short_time(status.cast_at, now) if status else "", "is_resident_unit": vote.unit is Unit.RESIDENT}
