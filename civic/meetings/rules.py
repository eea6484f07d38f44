"""Who may do what with a meeting, when. Pure predicates over a Standing, the meeting's state and `now`."""
from __future__ import annotations

from datetime import datetime, timedelta

from civic.community.rules import Standing
from civic.meetings.localtime import day_bounds, local_date
from civic.meetings.models import Meeting, MeetingKind, MeetingStatus

AMENDMENT_WINDOW = timedelta(days=3)
SIGNIN_OPENS_BEFORE = timedelta(hours=2)  # residents arrive early; the code works from two hours before


def _here(st: Standing, meeting: Meeting) -> bool:
    return st.user_id is not None and st.is_member and meeting.community_id == st.community_id


def is_organiser(st: Standing, meeting: Meeting) -> bool:
    return st.user_id is not None and meeting.organiser_id == st.user_id


def can_list_meetings(st: Standing) -> bool:
    return st.is_member


def can_view_meeting(st: Standing, meeting: Meeting) -> bool:
    return _here(st, meeting)


def can_create(st: Standing, kind: MeetingKind) -> bool:
    """Any resident may propose a small round table; formal meetings and reception days are the committee's."""
    if st.user_id is None or not st.is_member:
        return False
    return kind is MeetingKind.ROUND_TABLE or st.is_committee


def can_manage(st: Standing, meeting: Meeting) -> bool:
    """Edit, agenda, poll slots, sign-in by hand, minutes: the organiser, or the committee for any meeting."""
    return _here(st, meeting) and (is_organiser(st, meeting) or st.is_committee)


def has_ended(meeting: Meeting, now: datetime) -> bool:
    return meeting.ends_at is not None and meeting.ends_at <= now


def has_started(meeting: Meeting, now: datetime) -> bool:
    return meeting.starts_at is not None and meeting.starts_at <= now


def can_edit(st: Standing, meeting: Meeting, now: datetime) -> bool:
    """Details, time and place change until the meeting has ended; a cancelled meeting stays as it was."""
    return can_manage(st, meeting) and not meeting.is_cancelled and not has_ended(meeting, now)


def can_cancel(st: Standing, meeting: Meeting, now: datetime) -> bool:
    return can_edit(st, meeting, now)


def is_poll_open(meeting: Meeting, now: datetime) -> bool:
    """Open while polling, until a slot is picked or the optional deadline passes."""
    if meeting.status is not MeetingStatus.POLLING or meeting.poll_closed_at is not None:
        return False
    return meeting.poll_deadline_at is None or now < meeting.poll_deadline_at


def can_answer_poll(st: Standing, meeting: Meeting, now: datetime) -> bool:
    return _here(st, meeting) and is_poll_open(meeting, now)


def can_manage_slots(st: Standing, meeting: Meeting, now: datetime) -> bool:
    """Add or remove candidate slots while the poll is open."""
    return can_manage(st, meeting) and is_poll_open(meeting, now)


def can_pick_slot(st: Standing, meeting: Meeting) -> bool:
    """The organiser picks a slot while polling, even after the deadline closed the answers."""
    return can_manage(st, meeting) and meeting.status is MeetingStatus.POLLING


def can_set_poll_deadline(st: Standing, meeting: Meeting) -> bool:
    """Set, move or remove the deadline until a slot is picked (a new deadline reopens a poll that ran out)."""
    return can_manage(st, meeting) and meeting.status is MeetingStatus.POLLING and meeting.poll_closed_at is None


def can_rsvp(st: Standing, meeting: Meeting, now: datetime) -> bool:
    return _here(st, meeting) and meeting.status is MeetingStatus.SCHEDULED and not has_ended(meeting, now)


def is_signin_open(meeting: Meeting, now: datetime) -> bool:
    """From two hours before the start until the end of the meeting's day in Asia/Shanghai."""
    if meeting.status is not MeetingStatus.SCHEDULED or meeting.starts_at is None or meeting.ends_at is None:
        return False
    _, day_end = day_bounds(local_date(meeting.ends_at))
    return meeting.starts_at - SIGNIN_OPENS_BEFORE <= now < day_end


def can_check_in(st: Standing, meeting: Meeting, now: datetime) -> bool:
    """A member signs themself in with the code shown at the venue."""
    return _here(st, meeting) and is_signin_open(meeting, now)


def can_sign_in_others(st: Standing, meeting: Meeting, now: datetime) -> bool:
    """By hand, and the paper sheet's photo: the organiser or the committee, from the day of the meeting on."""
    return can_manage(st, meeting) and meeting.status is MeetingStatus.SCHEDULED and meeting.starts_at is not None \
        and now >= meeting.starts_at - SIGNIN_OPENS_BEFORE


def can_show_signin_code(st: Standing, meeting: Meeting) -> bool:
    return can_manage(st, meeting) and meeting.status is MeetingStatus.SCHEDULED


def can_see_attendees(st: Standing, meeting: Meeting) -> bool:
    """Counts are public to members; the list of names is for the organiser and the committee."""
    return can_manage(st, meeting)


def can_write_minutes(st: Standing, meeting: Meeting, now: datetime) -> bool:
    return can_manage(st, meeting) and meeting.status is MeetingStatus.SCHEDULED and has_started(meeting, now)


def is_amendment_window_open(meeting: Meeting, now: datetime) -> bool:
    published = meeting.minutes_published_at
    return published is not None and now < published + AMENDMENT_WINDOW


def can_propose_amendment(st: Standing, meeting: Meeting, now: datetime, *, has_attended: bool) -> bool:
    """Attendees (signed in) may propose a change for 3 days after the minutes were first published."""
    return _here(st, meeting) and has_attended and is_amendment_window_open(meeting, now)


def can_decide_amendment(st: Standing, meeting: Meeting) -> bool:
    return can_manage(st, meeting) and meeting.minutes_published_at is not None


def can_open_amendment_form(st: Standing, meeting: Meeting, *, has_attended: bool) -> bool:
    """Attendees reach the amendment form once minutes are published; after the window it says when it closed."""
    return _here(st, meeting) and has_attended and meeting.minutes_published_at is not None


def can_add_note(st: Standing, meeting: Meeting, now: datetime, *, has_attended: bool) -> bool:
    """Round-table notes: the organiser, the committee or anyone who signed in, once the table has begun."""
    if meeting.kind is not MeetingKind.ROUND_TABLE or meeting.is_cancelled or not has_started(meeting, now):
        return False
    return can_manage(st, meeting) or (_here(st, meeting) and has_attended)


def can_promote_note(st: Standing, meeting: Meeting, note_author_id: int | None) -> bool:
    """One click turns a note into a proposal: its author, the organiser or the committee."""
    return _here(st, meeting) and (can_manage(st, meeting) or note_author_id == st.user_id)


def can_manage_series(st: Standing) -> bool:
    return st.user_id is not None and st.is_committee
