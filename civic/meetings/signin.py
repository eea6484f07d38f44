"""Sign-in (签到): with the meeting's code (QR or typed), by the organiser's hand, and the attendance counts."""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.models import Building, Community, Household
from civic.community.people import public_label, public_labels
from civic.community.rules import standing_of
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import services
from civic.meetings.localtime import day_bounds, local_date, to_local
from civic.meetings.models import Attendance, Meeting, MeetingStatus, Rsvp, SignInMethod
from civic.meetings.rules import SIGNIN_OPENS_BEFORE, is_signin_open

NAME_MAX = 20
PAGE_SIZE = 50
MARKUP = set("<>&\"'`{}\\")


def refusal(meeting: Meeting, now: datetime) -> str | None:
    """Why the code cannot be used now, in words (None: sign-in is open). Mirrors rules.is_signin_open."""
    if is_signin_open(meeting, now):
        return None
    if meeting.status is MeetingStatus.CANCELLED:
        return _("This meeting was cancelled.")
    if meeting.status is MeetingStatus.POLLING or meeting.starts_at is None:
        return _("The time of this meeting is not fixed yet, so sign-in is not open.")
    opens = meeting.starts_at - SIGNIN_OPENS_BEFORE
    if now < opens:
        return _("Sign-in is not open yet: it opens two hours before the meeting, at %(time)s.",
                 time=f"{to_local(opens):%H:%M}")
    return _("Sign-in for this meeting has closed: the code worked until the end of the meeting day.")


def closes_at(meeting: Meeting) -> datetime:
    """The end of the meeting's local day (naive UTC): the code stops working then."""
    return day_bounds(local_date(meeting.ends_at))[1]


def check_in(meeting: Meeting, user: User, code: str, *, now: datetime) -> bool:
    """Sign a member in with the code shown at the venue. True if new, False if already signed in.

    A code of another meeting, an old one or a guess is simply "wrong" (the route is rate limited).
    """
    reason = refusal(meeting, now)
    if reason:
        raise RuleViolation(reason, "code")
    typed = services.normalise_code(code)
    if not typed or not secrets.compare_digest(typed.encode(), meeting.signin_code.encode()):
        raise RuleViolation(_("This code is not right. Check the code shown at the venue and type it again."),
                            "code")
    return _insert(meeting, user_id=user.id, household_id=_household_of(meeting, user), method=SignInMethod.CODE,
                   by=user, now=now) is not None


def _household_of(meeting: Meeting, user: User) -> int | None:
    """The household the person answered the RSVP for, else their first household in this community."""
    answered = db.session.execute(db.select(Rsvp.household_id).where(
        Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)).scalar_one_or_none()
    if answered is not None:
        return answered
    households = standing_of(user, meeting.community).household_ids
    return households[0] if households else None


def _insert(meeting: Meeting, *, by: User, now: datetime, **values) -> Attendance | None:
    """One row per person: UNIQUE(meeting, user) decides, in a savepoint; None when they were signed in already."""
    row = Attendance(meeting_id=meeting.id, signed_in_at=now, signed_in_by_id=by.id, **values)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def clean_name(raw: str | None) -> str:
    """A name typed by hand: one line, no markup or control characters, at most NAME_MAX characters."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if any(unicodedata.category(ch).startswith("C") or ch in MARKUP for ch in name):
        raise RuleViolation(_("Type only the name: no symbols such as < > & or quotes."), "name")
    if len(name) > NAME_MAX:
        raise RuleViolation(_("A name may have at most %(n)d characters.", n=NAME_MAX), "name")
    return name


def sign_in_by_hand(meeting: Meeting, *, user_id: int | None = None, household_id: int | None = None,
                    name: str = "", actor: User, now: datetime) -> Attendance | None:
    """The organiser signs someone in: a member (by account), or a neighbour without one (a name, maybe a household).

    Returns the new row, or None when that member was signed in already.
    """
    name = clean_name(name)
    if user_id:
        user = _member(meeting.community, user_id)
        row = _insert(meeting, user_id=user.id, household_id=_household_of(meeting, user), method=SignInMethod.MANUAL,
                      by=actor, now=now)
    elif name or household_id:
        if not name:
            raise RuleViolation(_("Type the neighbour's name."), "name")
        row = _insert(meeting, household_id=_household_in(meeting.community, household_id), name=name,
                      method=SignInMethod.MANUAL, by=actor, now=now)
    else:
        raise RuleViolation(_("Choose a person from the list, or type a name."), "user_id")
    if row is not None:
        record(meeting.community_id, actor, "meeting.signin_by_hand", f"meeting:{meeting.id}", now,
               attendance_id=row.id, user_id=row.user_id, name=row.name)
    return row


def _member(community: Community, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not standing_of(user, community).is_member:
        raise RuleViolation(_("This person is not a member of this community."), "user_id")
    return user


def _household_in(community: Community, household_id: int | None) -> int | None:
    if household_id is None:
        return None
    found = db.session.execute(db.select(Household.id).join(Building, Building.id == Household.building_id).where(
        Household.id == household_id, Building.community_id == community.id)).scalar_one_or_none()
    if found is None:
        raise RuleViolation(_("This household is not in this community."), "household_id")
    return found


def undo_sign_in(meeting: Meeting, attendance_id: int, *, actor: User, now: datetime) -> bool:
    """Take a sign-in back (a mistake by hand, or a neighbour who left at once). False if it was not there."""
    row = attendance_in(meeting, attendance_id)
    if row is None:
        return False
    record(meeting.community_id, actor, "meeting.signin_undone", f"meeting:{meeting.id}", now,
           attendance_id=row.id, user_id=row.user_id, name=row.name, method=row.method.value)
    db.session.delete(row)
    db.session.flush()
    return True


def attendance_in(meeting: Meeting, attendance_id: int) -> Attendance | None:
    return db.session.execute(db.select(Attendance).where(
        Attendance.id == attendance_id, Attendance.meeting_id == meeting.id)).scalar_one_or_none()


def mine(meeting: Meeting, user_id: int | None) -> Attendance | None:
    if user_id is None:
        return None
    return db.session.execute(db.select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == user_id)).scalar_one_or_none()


def counts(meeting: Meeting) -> tuple[int, int]:
    """(people, households): every sign-in, and the distinct households they came from (when known)."""
    people, households = db.session.execute(
        db.select(func.count(Attendance.id), func.count(func.distinct(Attendance.household_id)))
        .where(Attendance.meeting_id == meeting.id)).one()
    return people, households


@dataclass(frozen=True)
class Attendee:
    row: Attendance
    label: str  # "王阿姨 · 7号楼", or a typed name with the household's building


def attendees(meeting: Meeting, *, page: int = 1, newest_first: bool = False) -> list[Attendee]:
    """One page of who signed in, labelled as neighbours see people (never a room number); bounded queries."""
    order = (Attendance.signed_in_at.desc(), Attendance.id.desc()) if newest_first else \
        (Attendance.signed_in_at, Attendance.id)
    rows = list(db.session.execute(
        db.select(Attendance).where(Attendance.meeting_id == meeting.id)
        .options(joinedload(Attendance.user), joinedload(Attendance.household).joinedload(Household.building))
        .order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars())
    users = public_labels([r.user for r in rows if r.user is not None], meeting.community)
    return [Attendee(r, users.get(r.user_id) or public_label(r.name or _("a removed account"),
                                                           r.household.building.name if r.household else None))
            for r in rows]


def signed_in_user_ids(meeting: Meeting) -> set[int]:
    return set(db.session.execute(db.select(Attendance.user_id).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id.is_not(None))).scalars())
