"""Reading meetings: one meeting of a community, who is connected to it (for notifications), what it links to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_

from civic.community.models import Community
from civic.extensions import db
from civic.meetings.models import (Attendance, Meeting, MeetingSeries, MeetingStatus, PollAnswer, Rsvp, RsvpStatus,
                                   meeting_projects)
from civic.projects.models import Project, Stage
from civic.proposals.models import Proposal, ProposalStatus


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


# ---- what a meeting links to (editing.py, agenda.py, the project page) ----

LINK_CHOICES_MAX = 50  # the form offers this many projects / proposals; ones already linked always stay


def linkable_projects(community: Community, include=()) -> list[Project]:  # noqa: ANN001
    """Projects a meeting may be about: the active ones, most recently active first, and those in `include`."""
    include = list(include)
    return list(db.session.execute(
        db.select(Project).where(Project.community_id == community.id,
                                 or_(Project.id.in_(include), Project.stage.not_in([Stage.DONE, Stage.SHELVED])))
        .order_by(Project.id.in_(include).desc(), Project.last_activity_at.desc(), Project.id.desc())
        .limit(LINK_CHOICES_MAX)).scalars())


def linkable_proposals(community: Community, include=()) -> list[Proposal]:  # noqa: ANN001
    """Open or accepted proposals (published, not hidden), most recently active first, and those in `include`."""
    include = list(include)
    live = (Proposal.status.in_([ProposalStatus.OPEN, ProposalStatus.ACCEPTED])) & Proposal.hidden_at.is_(None)
    return list(db.session.execute(
        db.select(Proposal).where(Proposal.community_id == community.id, or_(Proposal.id.in_(include), live))
        .order_by(Proposal.id.in_(include).desc(), Proposal.last_activity_at.desc(), Proposal.id.desc())
        .limit(LINK_CHOICES_MAX)).scalars())


def projects_in(community_id: int, ids) -> list[Project]:  # noqa: ANN001
    """This community's projects among `ids` (another community's id is simply not found)."""
    ids = set(ids)
    if not ids:
        return []
    return list(db.session.execute(db.select(Project).where(Project.community_id == community_id, Project.id.in_(ids))
                                   .order_by(Project.id)).scalars())


def published_proposals_in(community_id: int, ids, keep=()) -> list[Proposal]:  # noqa: ANN001
    """This community's published, visible proposals among `ids`; ids in `keep` (already linked) pass as they are."""
    ids, keep = set(ids), list(keep)
    if not ids:
        return []
    visible = (Proposal.status != ProposalStatus.DRAFT) & Proposal.hidden_at.is_(None)
    return list(db.session.execute(
        db.select(Proposal).where(Proposal.community_id == community_id, Proposal.id.in_(ids),
                                  or_(visible, Proposal.id.in_(keep))).order_by(Proposal.id)).scalars())


def series_in(community: Community, series_id: int) -> MeetingSeries | None:
    return db.session.execute(db.select(MeetingSeries).where(
        MeetingSeries.id == series_id, MeetingSeries.community_id == community.id)).scalar_one_or_none()


def series_occurrences(series_id: int, *, after: datetime | None = None, limit: int | None = None) -> list[Meeting]:
    """A series' meetings in time order (cancelled ones too: they say so), from `after` on when given."""
    query = db.select(Meeting).where(Meeting.series_id == series_id)
    if after is not None:
        query = query.where(Meeting.starts_at >= after)
    return list(db.session.execute(query.order_by(Meeting.starts_at, Meeting.id).limit(limit)).scalars())


@dataclass(frozen=True)
class ProjectMeetings:
    upcoming: list[Meeting]  # still to come, or finding a time; cancelled ones too, marked (people look for them)
    recent: list[Meeting]  # ended, newest first


def meetings_of_project(project: Project, now: datetime, limit: int = 5) -> ProjectMeetings:
    """The project page's meetings: two bounded queries, whatever the number of meetings."""
    linked = db.select(Meeting).join(meeting_projects, meeting_projects.c.meeting_id == Meeting.id).where(
        meeting_projects.c.project_id == project.id, Meeting.community_id == project.community_id)
    upcoming = linked.where(or_(Meeting.status == MeetingStatus.POLLING, Meeting.ends_at > now)).order_by(
        Meeting.starts_at.is_(None).desc(), Meeting.starts_at, Meeting.id).limit(limit)
    recent = linked.where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.ends_at <= now).order_by(
        Meeting.ends_at.desc(), Meeting.id.desc()).limit(limit)
    return ProjectMeetings(list(db.session.execute(upcoming).scalars()), list(db.session.execute(recent).scalars()))
