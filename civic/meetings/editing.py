"""Creating, editing and cancelling a meeting: what the organiser (or the committee) writes, checked and audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from civic.audit.models import record
from civic.community.models import Community
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import queries, rsvp, services
from civic.meetings.labels import when_text
from civic.meetings.models import PLACE_MAX, REASON_MAX, TITLE_MAX, Meeting, MeetingKind, MeetingStatus, RsvpStatus
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.web.markdown import render

DESCRIPTION_MAX = 10_000
CAPACITY_MAX = 10_000
REASON_MIN = 2


@dataclass(frozen=True)
class MeetingData:
    """What a meeting form says. Times are naive UTC (forms convert Asia/Shanghai wall-clock time with
    localtime.combine); no time at all means "find a time with a poll" (约时间). `projects` and `proposals`
    hold ids (or the objects) of this community's projects and published proposals."""

    kind: MeetingKind
    title: str
    place: str
    description_md: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = None
    projects: tuple = ()
    proposals: tuple = ()

    @property
    def is_poll(self) -> bool:
        return self.starts_at is None and self.ends_at is None


def _ids(values) -> list[int]:  # noqa: ANN001
    return [v if isinstance(v, int) else v.id for v in values]


def check_text(title: str, place: str, description_md: str = "", capacity: int | None = None) -> None:
    """The rules every meeting (and a reception-day series) keeps; the forms say the same earlier."""
    if not title.strip():
        raise RuleViolation(_("Give the meeting a title."), "title")
    if len(title.strip()) > TITLE_MAX:
        raise RuleViolation(_("The title may have at most %(max)d characters.", max=TITLE_MAX), "title")
    if not place.strip():
        raise RuleViolation(_("Say where the meeting takes place."), "place")
    if len(place.strip()) > PLACE_MAX:
        raise RuleViolation(_("The place may have at most %(max)d characters.", max=PLACE_MAX), "place")
    if len(description_md) > DESCRIPTION_MAX:
        raise RuleViolation(_("The text may have at most %(max)d characters.", max=DESCRIPTION_MAX), "description")
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        raise RuleViolation(_("Enter a number of places from %(min)d to %(max)d, or leave it empty for no limit.",
                              min=1, max=CAPACITY_MAX), "capacity")


def _check(data: MeetingData) -> None:
    check_text(data.title, data.place, data.description_md, data.capacity)
    if (data.starts_at is None) != (data.ends_at is None):
        raise RuleViolation(_("Give both a start and an end time."), "ends_at")


def _links(community_id: int, data: MeetingData, meeting: Meeting | None = None) -> tuple[list, list]:
    """The projects and proposals asked for, all of this community (proposals published); else refused."""
    project_ids, proposal_ids = set(_ids(data.projects)), set(_ids(data.proposals))
    projects = queries.projects_in(community_id, project_ids)
    if len(projects) != len(project_ids):
        raise RuleViolation(_("One of the chosen projects is not one of this community's."), "projects")
    kept = [p.id for p in meeting.proposals] if meeting is not None else []  # linked before it was hidden
    proposals = queries.published_proposals_in(community_id, proposal_ids, keep=kept)
    if len(proposals) != len(proposal_ids):
        raise RuleViolation(_("One of the chosen proposals cannot be linked: it is not a published proposal of "
                              "this community."), "proposals")
    return projects, proposals


def create_meeting(community: Community, data: MeetingData, *, actor, now: datetime) -> Meeting:  # noqa: ANN001
    """A fixed time schedules it (timelines: meeting_scheduled); no time opens a time poll (meeting_polling)."""
    _check(data)
    if not data.is_poll:
        services.check_times(data.starts_at, data.ends_at, now)
    projects, proposals = _links(community.id, data)
    meeting = Meeting(community_id=community.id, kind=data.kind, title=data.title.strip(), place=data.place.strip(),
                      description_md=data.description_md, description_html=render(data.description_md),
                      capacity=data.capacity, organiser_id=actor.id, created_at=now, updated_at=now,
                      status=MeetingStatus.POLLING if data.is_poll else MeetingStatus.SCHEDULED,
                      signin_code=services.new_signin_code(), projects=projects, proposals=proposals)
    db.session.add(meeting)
    db.session.flush()
    if data.is_poll:
        services.on_timelines(meeting, "meeting_polling", actor, now)
    else:
        services.schedule(meeting, data.starts_at, data.ends_at, actor=actor, now=now)
    record(community.id, actor, "meeting.created", f"meeting:{meeting.id}", now, kind=data.kind.value,
           title=meeting.title, is_poll=data.is_poll)
    return meeting


def _time_change(meeting: Meeting, data: MeetingData, now: datetime) -> bool:
    """Whether the time changes; refused before anything is written when the new time is not acceptable."""
    if data.is_poll:
        if meeting.status is MeetingStatus.SCHEDULED:
            raise RuleViolation(_("This meeting already has a fixed time; change its date and time instead."),
                                "time_mode")
        return False
    if (data.starts_at, data.ends_at) == (meeting.starts_at, meeting.ends_at):
        return False
    if data.starts_at == meeting.starts_at and meeting.status is MeetingStatus.SCHEDULED:
        # Only the end moves (a meeting under way may run longer): the start may already be past.
        if data.ends_at <= data.starts_at:
            raise RuleViolation(_("The end must be after the start."), "ends_at")
        if data.ends_at <= now:
            raise RuleViolation(_("This time is in the past; choose a time that is still to come."), "ends_at")
    else:
        services.check_times(data.starts_at, data.ends_at, now)
    return True


def _set_capacity(meeting: Meeting, capacity: int | None) -> bool:
    """Never below those already going: a conditional UPDATE, so an RSVP arriving meanwhile cannot slip past."""
    if capacity == meeting.capacity:
        return False
    query = db.update(Meeting).where(Meeting.id == meeting.id)
    if capacity is not None:
        query = query.where(Meeting.going_count <= capacity)
    allowed = db.session.execute(query.values(capacity=capacity)
                                 .execution_options(synchronize_session=False)).rowcount == 1
    if not allowed:
        db.session.expire(meeting, ["going_count"])
        raise RuleViolation(_("%(n)d people are already going, so there must be at least %(n)d places.",
                              n=meeting.going_count), "capacity")
    set_committed_value(meeting, "capacity", capacity)
    return True


def _has_more_places(before: int | None, after: int | None) -> bool:
    return before is not None and (after is None or after > before)


def _set_text(meeting: Meeting, data: MeetingData) -> list[str]:
    changed = []
    for name, value in (("kind", data.kind), ("title", data.title.strip()), ("place", data.place.strip())):
        if getattr(meeting, name) != value:
            setattr(meeting, name, value)
            changed.append(name)
    if meeting.description_md != data.description_md:
        meeting.description_md, meeting.description_html = data.description_md, render(data.description_md)
        changed.append("description")
    return changed


def _set_links(meeting: Meeting, projects: list, proposals: list, actor, now: datetime) -> list[str]:  # noqa: ANN001
    """New projects hear of the meeting on their timelines; the ones it was already on keep their events."""
    changed = []
    added = [p for p in projects if p not in meeting.projects]
    if added or len(projects) != len(meeting.projects):
        meeting.projects = projects
        changed.append("projects")
        kind = "meeting_polling" if meeting.is_polling else "meeting_scheduled"
        for project in added:
            timeline.add(project, kind, actor, now, meeting_id=meeting.id, title=meeting.title,
                         **({"starts_at": meeting.starts_at.isoformat()} if meeting.starts_at else {}))
    if {p.id for p in proposals} != {p.id for p in meeting.proposals}:
        meeting.proposals = proposals
        changed.append("proposals")
    return changed


def edit_meeting(meeting: Meeting, data: MeetingData, *, actor, now: datetime) -> bool:  # noqa: ANN001
    """Change what the organiser wrote; returns False when nothing changed. Everything is checked before
    anything is written. A new time or place is told to those going or waiting (MEETING_CHANGED); fixing
    the time of a meeting that was finding one tells those who answered its poll (MEETING_SCHEDULED)."""
    if meeting.is_cancelled:
        raise RuleViolation(_("This meeting was cancelled; it can no longer be changed."))
    _check(data)
    is_new_time = _time_change(meeting, data, now)
    projects, proposals = _links(meeting.community_id, data, meeting)
    was_polling = meeting.is_polling
    old_capacity = meeting.capacity
    changed = ["capacity"] if _set_capacity(meeting, data.capacity) else []
    changed += _set_text(meeting, data)
    if is_new_time:  # before new projects are linked: they get "scheduled" at the new time, not "moved"
        services.schedule(meeting, data.starts_at, data.ends_at, actor=actor, now=now, check_future=False)
        if was_polling and meeting.poll_closed_at is None:
            meeting.poll_closed_at = now  # the organiser fixed the time without the poll: it is over
        changed.append("time")
    changed += _set_links(meeting, projects, proposals, actor, now)
    if not changed:
        return False
    meeting.updated_at = now
    record(meeting.community_id, actor, "meeting.edited", f"meeting:{meeting.id}", now, fields=changed,
           title=meeting.title)
    if "capacity" in changed and _has_more_places(old_capacity, meeting.capacity):
        rsvp.fill_from_waitlist(meeting, now)  # more places: the people waiting move up, first come first served
    _tell(meeting, changed, was_polling, actor, now)
    return True


def _tell(meeting: Meeting, changed: list[str], was_polling: bool, actor, now: datetime) -> None:  # noqa: ANN001
    if "time" in changed and was_polling:
        notify(queries.answerer_ids(meeting), community_id=meeting.community_id, kind=NoticeKind.MEETING_SCHEDULED,
               now=now, actor=actor, meeting_id=meeting.id, summary=f"{meeting.title} · {when_text(meeting)}")
    elif "time" in changed or "place" in changed:
        people = queries.rsvp_user_ids(meeting, RsvpStatus.GOING, RsvpStatus.WAITLIST)
        notify(people, community_id=meeting.community_id, kind=NoticeKind.MEETING_CHANGED, now=now, actor=actor,
               meeting_id=meeting.id, summary=f"{meeting.title} · {when_text(meeting)} · {meeting.place}")


def cancel_meeting(meeting: Meeting, reason: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Cancelled with a reason everyone sees; those going, waiting or who answered the poll are told."""
    reason = " ".join((reason or "").split())
    if meeting.is_cancelled:
        raise RuleViolation(_("This meeting was already cancelled."))
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise RuleViolation(_("Say in %(min)d to %(max)d characters why the meeting is cancelled.",
                              min=REASON_MIN, max=REASON_MAX), "reason")
    meeting.status, meeting.cancelled_at, meeting.cancel_reason, meeting.updated_at = (
        MeetingStatus.CANCELLED, now, reason, now)
    services.on_timelines(meeting, "meeting_cancelled", actor, now, reason=reason)
    people = set(queries.rsvp_user_ids(meeting, RsvpStatus.GOING, RsvpStatus.WAITLIST)) | set(
        queries.answerer_ids(meeting))
    notify(people, community_id=meeting.community_id, kind=NoticeKind.MEETING_CHANGED, now=now, actor=actor,
           meeting_id=meeting.id, summary=f"{meeting.title} · {reason}")
    record(meeting.community_id, actor, "meeting.cancelled", f"meeting:{meeting.id}", now, reason=reason,
           title=meeting.title)
