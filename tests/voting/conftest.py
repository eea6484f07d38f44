"""Fixtures for votes: two buildings with households of known areas, the three carriages, a leader, an expert."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, Household, MemberKind, Role
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from civic.voting import opening
from civic.voting.decision import apply_rule
from civic.voting.models import Method, Preset, Vote, VoteChoice
# The same one-hash password, upload folder, English cookie and JPEG maker as the proposals tests.
from tests.proposals.conftest import _hash_once, en, jpeg_bytes, upload_dir  # noqa: F401


@dataclass
class VoteWorld:
    community: Community
    b1: Building  # 1号楼: h101 (张老师), h102 (nobody registered)
    b7: Building  # 7号楼: h701 (王阿姨 owner, 王叔叔 family, 小刘 tenant), h702 (李叔), h703 (nobody), h704 (赵阿姨)
    h101: Household
    h102: Household
    h701: Household
    h702: Household
    h703: Household
    h704: Household
    teacher: User  # 张老师, owner in 1号楼
    resident: User  # 王阿姨, owner of h701
    family: User  # 王叔叔, family member of h701
    tenant: User  # 小刘, tenant in h701
    neighbour: User  # 李叔, owner of h702
    leader: User  # 赵阿姨, building-group leader of 7号楼, owner of h704
    committee: User  # 陈书记, 居委会
    owners_committee: User  # 刘主任, 业委会
    property_manager: User  # 张经理, 物业
    expert: User  # 周工, expert reviewer
    outsider: User  # a member of another community
    other_community: Community
    project: Project  # 垃圾厢房改造, in 表决

    @property
    def households(self) -> list[Household]:
        return [self.h101, self.h102, self.h701, self.h702, self.h703, self.h704]


AREAS = {"101": Decimal("120.00"), "102": Decimal("60.50"), "701": Decimal("88.50"), "702": Decimal("95.25"),
         "703": Decimal("70.00"), "704": Decimal("110.75")}


@pytest.fixture
def vworld(app, upload_dir, make_community, make_building, make_household, make_member, make_user,  # noqa: F811
           grant) -> VoteWorld:
    community = make_community()
    b1 = make_building(community, name="1号楼")
    b7 = make_building(community, name="7号楼")
    homes = {room: make_household(b1 if room.startswith("1") else b7, room=room, area_m2=area)
             for room, area in AREAS.items()}
    teacher = make_member(homes["101"], display_name="张老师")
    resident = make_member(homes["701"], display_name="王阿姨")
    family = make_member(homes["701"], MemberKind.FAMILY, display_name="王叔叔")
    tenant = make_member(homes["701"], MemberKind.TENANT, display_name="小刘")
    neighbour = make_member(homes["702"], display_name="李叔")
    leader = make_member(homes["704"], display_name="赵阿姨")
    grant(leader, community, Role.BUILDING_LEADER, buildings=[b7])
    committee, owners_committee, property_manager, expert = (
        make_user(display_name=name) for name in ("陈书记", "刘主任", "张经理", "周工"))
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    grant(owners_committee, community, Role.OWNERS_COMMITTEE)
    grant(property_manager, community, Role.PROPERTY_MANAGEMENT)
    grant(expert, community, Role.EXPERT)
    outsider = make_member(display_name="外人")
    other = db.session.get(Community, db.session.get(Household, outsider.memberships[0].household_id).building.community_id)
    project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                      title="垃圾厢房改造", description_md="", description_html="", category=Category.GARBAGE_ROOM,
                      stage=Stage.VOTING, created_by_id=committee.id, buildings=[b1, b7])
    db.session.add(project)
    db.session.commit()
    return VoteWorld(community, b1, b7, homes["101"], homes["102"], homes["701"], homes["702"], homes["703"],
                     homes["704"], teacher, resident, family, tenant, neighbour, leader, committee, owners_committee,
                     property_manager, expert, outsider, other, project)


@pytest.fixture
def make_vote(vworld):
    """A vote of the world's project, made directly (not through the setup form); `open=True` announces and opens it.

    `choices` are free-text labels (ignored for YES_NO); `preset` fills the rule; other keyword arguments are
    Vote columns (method, unit, owners_only, secrecy, results_live, expert_weight_percent, signoffs_required…).
    """

    def make(*, title: str = "垃圾厢房选址", method: Method = Method.YES_NO, choices=("方案A", "方案B"),
             preset: Preset = Preset.ART278_MAJOR, open: bool = True, buildings=None, **columns) -> Vote:  # noqa: A002
        now = utcnow()
        vote = Vote(community_id=vworld.community.id, project_id=vworld.project.id, title=title, method=method,
                    opens_at=columns.pop("opens_at", now - timedelta(minutes=1)),
                    closes_at=columns.pop("closes_at", now + timedelta(days=7)), created_by_id=vworld.committee.id,
                    buildings=list(buildings or []), **columns)
        apply_rule(vote, preset)
        if method is not Method.YES_NO:
            vote.choices = [VoteChoice(position=i, label=label) for i, label in enumerate(choices, start=1)]
        db.session.add(vote)
        db.session.flush()
        if open:
            opening.announce(vote, actor=vworld.committee, now=now)
        db.session.commit()
        return vote

    return make
