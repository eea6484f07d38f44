"""RSVP (报名): going or not, by person; capacity kept by conditional UPDATEs; a waiting list promoted in order.

Every change is a conditional UPDATE whose WHERE clause states what it expects, so that concurrent requests
(sixty neighbours pressing "going" at once, or one neighbour pressing twice) can neither exceed the capacity
nor count anybody twice, on PostgreSQL as on SQLite.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from civic.accounts.models import User
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpStatus
from civic.meetings.rules import has_ended
from civic.notices.models import NoticeKind
from civic.notices.services import notify

GOING_LIST_MAX = 60  # the panel names this many; the count says how many more
PROMOTIONS_MAX = 1000  # a bound on one fill-up pass (capacity raised a lot at once)


def refusal(meeting: Meeting, now: datetime) -> str | None:
    """Why nobody can answer this meeting now, in words (None: answers are open). Mirrors rules.can_rsvp."""
    if meeting.status is MeetingStatus.CANCELLED:
        return _("This meeting was cancelled, so you cannot sign up for it.")
    if meeting.status is MeetingStatus.POLLING:
        return _("The time of this meeting is not fixed yet; answer the time poll first.")
    if has_ended(meeting, now):
        return _("This meeting has already taken place.")
    return None


def respond(meeting: Meeting, user_id: int, household_id: int | None, going: bool, *, now: datetime) -> RsvpStatus:
    """Answer for one person; returns where they stand now (GOING, WAITLIST or NOT_GOING)."""
    reason = refusal(meeting, now)
    if reason:
        raise RuleViolation(reason)
    row_id = _row_id(meeting, user_id, household_id, now)
    status = _join(meeting, row_id, household_id, now) if going else _leave(meeting, row_id, now)
    db.session.expire(meeting, ["going_count"])
    return status


def _row_id(meeting: Meeting, user_id: int, household_id: int | None, now: datetime) -> int:
    """The person's answer row, made if missing; the INSERT meets UNIQUE(meeting, user) in a savepoint."""
    found = _find(meeting.id, user_id)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = Rsvp(meeting_id=meeting.id, user_id=user_id, household_id=household_id,
                       status=RsvpStatus.NOT_GOING, responded_at=now)
            db.session.add(row)
    except IntegrityError:
        return _find(meeting.id, user_id)  # a double click: the other request made it
    return row.id


def _find(meeting_id: int, user_id: int) -> int | None:
    return db.session.execute(db.select(Rsvp.id).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == user_id)
                              ).scalar_one_or_none()


def _move(row_id: int, expected: RsvpStatus, **values) -> bool:
    """Change one answer only if it still is `expected`: of two requests, one wins the change."""
    return db.session.execute(
        db.update(Rsvp).where(Rsvp.id == row_id, Rsvp.status == expected).values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1


def _status_of(row_id: int) -> RsvpStatus:
    return db.session.execute(db.select(Rsvp.status).where(Rsvp.id == row_id)).scalar_one()


def _join(meeting: Meeting, row_id: int, household_id: int | None, now: datetime) -> RsvpStatus:
    if not _move(row_id, RsvpStatus.NOT_GOING, status=RsvpStatus.GOING, responded_at=now,
                 household_id=household_id, waitlisted_at=None, promoted_at=None):
        return _status_of(row_id)  # already going or waiting: a second click changes nothing
    if _take_place(meeting):
        return RsvpStatus.GOING
    _move(row_id, RsvpStatus.GOING, status=RsvpStatus.WAITLIST, waitlisted_at=now)
    return RsvpStatus.WAITLIST


def _leave(meeting: Meeting, row_id: int, now: datetime) -> RsvpStatus:
    if _move(row_id, RsvpStatus.GOING, status=RsvpStatus.NOT_GOING, responded_at=now, promoted_at=None):
        _give_back(meeting)
        fill_from_waitlist(meeting, now)
    else:
        _move(row_id, RsvpStatus.WAITLIST, status=RsvpStatus.NOT_GOING, responded_at=now, waitlisted_at=None)
    return RsvpStatus.NOT_GOING


def _take_place(meeting: Meeting) -> bool:
    """One conditional UPDATE: the database, not a count read earlier, decides whether a place is left."""
    return db.session.execute(
        db.update(Meeting).where(Meeting.id == meeting.id,
                                 (Meeting.capacity.is_(None)) | (Meeting.going_count < Meeting.capacity))
        .values(going_count=Meeting.going_count + 1).execution_options(synchronize_session=False)).rowcount == 1


def _give_back(meeting: Meeting) -> None:
    db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.going_count > 0)
                       .values(going_count=Meeting.going_count - 1).execution_options(synchronize_session=False))


def fill_from_waitlist(meeting: Meeting, now: datetime) -> list[int]:
    """Promote waiting people, first come first served, while places are free; notify them. Returns their ids.

    Called when someone going leaves, and by the edit service when the capacity was raised. The place is
    taken first, then the person claimed; if they left the list meanwhile the place is given back.
    """
    promoted: list[int] = []
    for _attempt in range(PROMOTIONS_MAX):
        if not _take_place(meeting):
            break
        first = _first_waiting(meeting)
        if first is None:
            _give_back(meeting)
            break
        row_id, user_id = first
        if _move(row_id, RsvpStatus.WAITLIST, status=RsvpStatus.GOING, promoted_at=now):
            promoted.append(user_id)
        else:
            _give_back(meeting)
    db.session.expire(meeting, ["going_count"])
    if promoted:
        notify(promoted, community_id=meeting.community_id, kind=NoticeKind.WAITLIST_PROMOTED, now=now,
               meeting_id=meeting.id, summary=meeting.title)
    return promoted


def _first_waiting(meeting: Meeting) -> tuple[int, int] | None:
    row = db.session.execute(
        db.select(Rsvp.id, Rsvp.user_id).where(Rsvp.meeting_id == meeting.id, Rsvp.status == RsvpStatus.WAITLIST)
        .order_by(Rsvp.waitlisted_at, Rsvp.id).limit(1)).first()
    return (row.id, row.user_id) if row else None


# ---- what the panel shows ----

def counts(meeting: Meeting) -> tuple[int, int]:
    """(going, waiting): going from the counter the capacity is kept by, waiting counted."""
    waiting = db.session.scalar(db.select(func.count()).select_from(Rsvp).where(
        Rsvp.meeting_id == meeting.id, Rsvp.status == RsvpStatus.WAITLIST))
    return meeting.going_count, waiting


def going_households(meeting: Meeting) -> int:
    return db.session.scalar(db.select(func.count(func.distinct(Rsvp.household_id))).where(
        Rsvp.meeting_id == meeting.id, Rsvp.status == RsvpStatus.GOING))


def mine(meeting: Meeting, user_id: int | None) -> Rsvp | None:
    if user_id is None:
        return None
    return db.session.execute(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user_id)
                              ).scalar_one_or_none()


def waitlist_position(row: Rsvp) -> int:
    """1 for the first person waiting: everyone who joined the list earlier (ties by id), plus one."""
    earlier = (Rsvp.waitlisted_at < row.waitlisted_at) | ((Rsvp.waitlisted_at == row.waitlisted_at) & (Rsvp.id < row.id))
    return 1 + db.session.scalar(db.select(func.count()).select_from(Rsvp).where(
        Rsvp.meeting_id == row.meeting_id, Rsvp.status == RsvpStatus.WAITLIST, earlier))


def people(meeting: Meeting, *statuses: RsvpStatus, limit: int = GOING_LIST_MAX) -> list[User]:
    """Who answered so (going by default), in the order they answered; one query."""
    wanted = statuses or (RsvpStatus.GOING,)
    return list(db.session.execute(
        db.select(User).join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.meeting_id == meeting.id, Rsvp.status.in_(wanted))
        .order_by(Rsvp.responded_at, Rsvp.id).limit(limit)).scalars())
