"""Paper ballots (纸质表决票): entered for a household by its building leader or the committee, with a slip photo."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.models import Household
from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.voting import casting, rules
from civic.voting.models import Answer, Ballot, Caster, Channel, Elector, PaperSlip, Unit, Vote
from civic.web.uploads import StoredImage, delete_image, store_image


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def elector_of(vote: Vote, household_id: int) -> Elector:
    """The household's elector in this vote. Paper is entered per household, so only for household-unit votes:
    with one ballot per resident a slip would have to say which resident signed, and that is done online."""
    if vote.unit is Unit.RESIDENT:
        raise RuleViolation(_("This vote has one ballot per resident: paper ballots can only be entered for votes "
                              "with one ballot per household. Each resident votes online (a neighbour can help)."),
                            "household")
    elector = db.session.execute(select(Elector).where(Elector.vote_id == vote.id,
                                                       Elector.household_id == household_id)).scalar_one_or_none()
    if elector is None:
        raise RuleViolation(_("This household is not in this vote's electorate."), "household")
    return elector


def _check(vote: Vote, elector: Elector, standing: Standing, answer: Answer | None, marks: dict[int, int],
           photo: FileStorage | None) -> None:
    """Everything that can be refused before a file is written (the cast checks again under its lock)."""
    if not rules.can_enter_paper(standing, vote, elector.building_id):
        raise RuleViolation(_("You can enter paper ballots only for the buildings you lead."), "building")
    casting.validate(vote, answer, marks)
    if photo is None or not (photo.filename or "").strip():
        raise RuleViolation(_("Attach a photo of the signed paper slip: it is kept as the record of this ballot."),
                            "photo")


def _slip(image: StoredImage, actor: User, now: datetime) -> PaperSlip:
    """Unsaved: `casting.cast` adds it after its own checks, in the ballot's transaction."""
    return PaperSlip(photo_name=image.name, phone_name=image.thumbnails["phone"],
                     desktop_name=image.thumbnails["desktop"], entered_by_id=actor.id, entered_at=now)


def enter(vote: Vote, *, household_id: int, actor: User, standing: Standing, answer: Answer | None,
          marks: dict[int, int], photo: FileStorage | None, now: datetime) -> Ballot:
    """Check, store the photo, cast on paper, tell the household. Raises RuleViolation / UploadRejected /
    casting.VoteNotOpen with nothing kept; the caller commits, and calls `discard(slip)` if that commit fails."""
    elector = elector_of(vote, household_id)
    _check(vote, elector, standing, answer, marks, photo)
    image = store_image(photo, upload_dir=upload_dir())
    try:
        ballot = casting.cast(vote.id, elector_id=elector.id, actor=actor, answer=answer, marks=marks, now=now,
                              channel=Channel.PAPER, slip=_slip(image, actor, now))
        _tell_household(vote, elector, actor, now)
        record(vote.community_id, actor, "vote.paper_ballot", f"vote:{vote.id}", now, household_id=household_id,
               building_id=elector.building_id, slip_id=ballot.slip_id)
        db.session.flush()
    except BaseException:
        delete_image(upload_dir(), image)
        raise
    return ballot


def _tell_household(vote: Vote, elector: Elector, actor: User, now: datetime) -> None:
    """Those who may vote for the household online hear of it, so they can check and override it."""
    casters = db.session.execute(select(Caster.user_id).where(Caster.vote_id == vote.id,
                                                              Caster.elector_id == elector.id)).scalars()
    notify(casters, community_id=vote.community_id, kind=NoticeKind.PAPER_BALLOT, now=now, actor=actor,
           vote_id=vote.id, summary=vote.title)


def discard(slip: PaperSlip) -> None:
    """Delete a slip's photo files (its commit failed)."""
    delete_image(upload_dir(), StoredImage(name=slip.photo_name, width=0, height=0, content_type="image/jpeg",
                                           original_filename="",
                                           thumbnails={"phone": slip.phone_name, "desktop": slip.desktop_name}))


# ---------------------------------------------------------------- the slip photo

def slip_in(vote: Vote, slip_id: int) -> PaperSlip | None:
    slip = db.session.get(PaperSlip, slip_id)
    return slip if slip is not None and slip.vote_id == vote.id else None


def can_view_slip(standing: Standing, vote: Vote, slip: PaperSlip) -> bool:
    """The committee, the leader of the slip's building, and the household's own members."""
    if rules.can_view_building_lists(standing, vote, slip.building_id):
        return True
    household_id = db.session.scalar(select(Elector.household_id).where(Elector.id == slip.elector_id))
    return household_id in standing.household_ids


# ---------------------------------------------------------------- households to choose from

@dataclass(frozen=True)
class Room:
    household_id: int
    room: str
    channel: Channel | None  # the current ballot's channel, None while the household has not voted


def rooms(vote: Vote, building_id: int) -> list[Room]:
    """The building's households in this vote, by room, with whether (and how) each has voted: one query."""
    rows = db.session.execute(
        select(Elector.household_id, Household.room, Ballot.channel)
        .join(Household, Household.id == Elector.household_id)
        .outerjoin(Ballot, (Ballot.vote_id == vote.id) & (Ballot.elector_id == Elector.id))
        .where(Elector.vote_id == vote.id, Elector.building_id == building_id)
        .order_by(db.func.length(Household.room), Household.room))
    return [Room(*row) for row in rows]


# ---------------------------------------------------------------- reconciliation with the pile of slips

COUNTED, ONLINE, REPLACED = "counted", "online", "replaced"


@dataclass(frozen=True)
class SlipRow:
    slip_id: int
    room: str
    entered_by: str
    entered_at: datetime
    status: str  # COUNTED: the current ballot; ONLINE: the household overrode it online; REPLACED: a later slip


@dataclass(frozen=True)
class Reconciliation:
    slips: list[SlipRow]
    paper_ballots: int  # households of the building whose current ballot is on paper (counted in SQL)

    def total(self, status: str | None = None) -> int:
        return sum(1 for s in self.slips if status is None or s.status == status)

    @property
    def matches(self) -> bool:
        """Every counted slip is one current paper ballot, and the other way round."""
        return self.total(COUNTED) == self.paper_ballots


def _status(slip_id: int, ballot_slip_id: int | None, channel: Channel | None) -> str:
    if ballot_slip_id == slip_id:
        return COUNTED
    return ONLINE if channel is Channel.ONLINE else REPLACED


def reconcile(vote: Vote, building_id: int) -> Reconciliation:
    """The building's slips (room, by whom, when, still counted or not) and its current paper ballots: two queries."""
    rows = db.session.execute(
        select(PaperSlip.id, Household.room, User.display_name, PaperSlip.entered_at, Ballot.slip_id, Ballot.channel)
        .join(Elector, Elector.id == PaperSlip.elector_id).join(Household, Household.id == Elector.household_id)
        .outerjoin(User, User.id == PaperSlip.entered_by_id)
        .outerjoin(Ballot, (Ballot.vote_id == vote.id) & (Ballot.elector_id == PaperSlip.elector_id))
        .where(PaperSlip.vote_id == vote.id, PaperSlip.building_id == building_id)
        .order_by(db.func.length(Household.room), Household.room, PaperSlip.entered_at, PaperSlip.id))
    slips = [SlipRow(slip_id, room, name or "—", at, _status(slip_id, current, channel))
             for slip_id, room, name, at, current, channel in rows]
    paper_ballots = db.session.scalar(
        select(db.func.count()).select_from(Ballot)
        .where(Ballot.vote_id == vote.id, Ballot.building_id == building_id, Ballot.channel == Channel.PAPER)) or 0
    return Reconciliation(slips, paper_ballots)
