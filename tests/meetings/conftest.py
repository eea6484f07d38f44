"""Fixtures for meetings: a community with residents in two buildings, the committee, an outsider, and meetings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, Household, Role
from civic.extensions import db
from civic.meetings.models import Meeting, MeetingKind, MeetingStatus
from civic.meetings.services import new_signin_code
from civic.projects.models import Category, Project, Stage
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
# The same one-hash password, upload folder and English cookie as the proposals tests (fixtures by import).
from tests.proposals.conftest import _hash_once, en, jpeg_bytes, upload_dir  # noqa: F401

@dataclass
class World:
    community: Community
    b7: Building
    b8: Building
    home: Household  # 7号楼: 王阿姨 and 王伯伯
    neighbour_home: Household  # 7号楼: 李叔
    far_home: Household  # 8号楼: 赵姐
    organiser: User  # 王阿姨, a resident who organises round tables
    spouse: User
    neighbour: User
    far_neighbour: User
    committee: User  # 陈书记, residents' committee, no household here
    outsider: User  # member of another community
    other_community: Community
    project: Project  # 垃圾厢房改造, in 议事


@pytest.fixture
def world(app, make_community, make_building, make_household, make_member, make_user, grant) -> World:
    community = make_community()
    b7, b8 = make_building(community, name="7号楼"), make_building(community, name="8号楼")
    home, neighbour_home, far_home = make_household(b7), make_household(b7), make_household(b8)
    organiser = make_member(home, display_name="王阿姨")
    spouse = make_member(home, display_name="王伯伯")
    neighbour = make_member(neighbour_home, display_name="李叔")
    far_neighbour = make_member(far_home, display_name="赵姐")
    committee = make_user(display_name="陈书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    outsider = make_member(display_name="外人")
    other = db.session.get(Community, db.session.get(Household, outsider.memberships[0].household_id).building.community_id)
    project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                      title="垃圾厢房改造", description_md="", description_html="", category=Category.GARBAGE_ROOM,
                      stage=Stage.DELIBERATING, created_by_id=committee.id)
    db.session.add(project)
    db.session.commit()
    return World(community, b7, b8, home, neighbour_home, far_home, organiser, spouse, neighbour, far_neighbour,
                 committee, outsider, other, project)


@pytest.fixture
def make_meeting(app, world):
    """A meeting row made directly (scheduled tomorrow 14:00–16:00 Shanghai time unless told otherwise)."""

    def make(*, kind: MeetingKind = MeetingKind.ROUND_TABLE, organiser: User | None = None,
             starts_at: datetime | None = None, hours: float = 2, status: MeetingStatus = MeetingStatus.SCHEDULED,
             capacity: int | None = None, title: str = "垃圾点怎么改：小圆桌", place: str = "7号楼架空层",
             community: Community | None = None, projects=(), **overrides) -> Meeting:
        now = utcnow()
        if starts_at is None and status is MeetingStatus.SCHEDULED:
            starts_at = now.replace(hour=6, minute=0, second=0, microsecond=0) + timedelta(days=1)  # 14:00 local
        meeting = Meeting(community_id=(community or world.community).id, kind=kind, status=status, title=title,
                          place=place, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=hours) if starts_at else None, capacity=capacity,
                          organiser_id=(organiser or world.organiser).id, signin_code=new_signin_code(),
                          created_at=now, updated_at=now, **overrides)
        meeting.projects = list(projects)
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make

