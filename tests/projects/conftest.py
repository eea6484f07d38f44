"""Fixtures for project tests: a community with a committee member and residents, projects and proposals."""
from __future__ import annotations

import pytest

from civic.clock import utcnow
from civic.community.models import Role
from civic.extensions import db
from civic.projects.models import Category
from civic.projects.services import create_project
from civic.proposals.models import Proposal, ProposalStatus, Second
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread


@pytest.fixture
def place(make_household, make_building, make_member, grant):
    """One community: a committee member, two resident households (one with two members), and an outsider."""
    home = make_household()
    community = home.building.community
    b2 = make_building(community, name="12号楼")
    committee = make_member(home, display_name="陈书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    neighbour_home = make_household(b2)
    resident = make_member(neighbour_home, display_name="王阿姨")
    spouse = make_member(neighbour_home, display_name="王叔叔")
    outsider_home = make_household()
    return {"community": community, "buildings": [home.building, b2], "committee": committee,
            "home": home, "neighbour_home": neighbour_home, "resident": resident, "spouse": spouse,
            "outsider": make_member(outsider_home), "other": outsider_home.building.community}


@pytest.fixture
def make_project(app, place):
    def make(community=None, *, title="垃圾厢房改造", category=Category.GARBAGE_ROOM, buildings=None, actor=None,
             description_md="开放式垃圾点夏天很臭。", now=None):
        community = community or place["community"]
        project = create_project(community, title=title, description_md=description_md, category=category,
                                 buildings=place["buildings"][:1] if buildings is None else buildings,
                                 actor=actor or place["committee"], now=now or utcnow())
        db.session.commit()
        return project

    return make


@pytest.fixture
def make_proposal(app, place):
    def make(project=None, *, author=None, title="垃圾点太臭了", status=ProposalStatus.ACCEPTED, seconds=()):
        author = author or place["resident"]
        community = place["community"]
        proposal = Proposal(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROPOSAL),
                            author_id=author.id, title=title, body_md="", body_html="",
                            category=Category.GARBAGE_ROOM, status=status, published_at=utcnow(),
                            project_id=project.id if project else None, second_count=len(seconds))
        db.session.add(proposal)
        db.session.flush()
        for household, user in seconds:
            db.session.add(Second(proposal_id=proposal.id, household_id=household.id, user_id=user.id))
        db.session.commit()
        return proposal

    return make
