"""Reading meetings: one meeting of a community, and who is connected to it (for notifications)."""
from __future__ import annotations

from civic.community.models import Community
from civic.extensions import db
from civic.meetings.models import Attendance, Meeting, PollAnswer, Rsvp, RsvpStatus


def meeting_in(community: Community, meeting_id: int) -> Meeting | None:
    """Scoped to the community in the URL: another community's meeting id is simply not found."""
    return db.session.execute(
        db.select(Meeting).where(Meeting.id == meeting_id, Meeting.community_id == community.id)
    ).scalar_one_or_none()


def rsvp_user_ids(meeting: Meeting, *statuses: RsvpStatus) -> list[int]:
    wanted = statuses or (RsvpStatus.GOING,)
    return list(db.session.execute(
        db.select(Rsvp.user_id).where(Rsvp.meeting_id == meeting.id, Rsvp.status.in_(wanted))).scalars())


def answerer_ids(meeting: Meeting) -> list[int]:
    """Everyone who answered any slot of the time poll."""
    return list(db.session.execute(
        db.select(PollAnswer.user_id).where(PollAnswer.meeting_id == meeting.id).distinct()).scalars())


def attendee_user_ids(meeting: Meeting) -> list[int]:
    return list(db.session.execute(
        db.select(Attendance.user_id).where(Attendance.meeting_id == meeting.id,
                                            Attendance.user_id.is_not(None))).scalars())


def has_attended(meeting: Meeting, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return db.session.execute(db.select(Attendance.id).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == user_id)).first() is not None
