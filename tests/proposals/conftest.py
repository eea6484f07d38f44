"""Fixtures for proposals: a small community with an author, neighbours, a committee member and an outsider."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image
from werkzeug.security import generate_password_hash

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, Household, Role
from civic.extensions import db
from civic.projects.models import Category
from civic.proposals import services
from civic.proposals.models import Proposal

_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_once(monkeypatch):
    """These tests make many users with one password: hash it once, not once per user (scrypt is slow on purpose)."""
    def set_password(user: User, password: str) -> None:
        user.password_hash = _HASHES.setdefault(password, generate_password_hash(password))

    monkeypatch.setattr(User, "set_password", set_password)


def jpeg_bytes(size=(64, 48), color=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class World:
    community: Community
    b7: Building
    b8: Building
    home: Household  # the author's household in 7号楼
    neighbour_home: Household  # another household in 7号楼
    far_home: Household  # a household in 8号楼
    author: User
    spouse: User  # lives with the author
    neighbour: User
    far_neighbour: User
    committee: User  # residents' committee, no household here
    admin: User
    outsider: User  # member of another community
    other_community: Community


@pytest.fixture
def world(app, make_community, make_building, make_household, make_member, make_user, grant) -> World:
    community = make_community(second_threshold_households=2)
    b7 = make_building(community, name="7号楼")
    b8 = make_building(community, name="8号楼")
    home, neighbour_home, far_home = make_household(b7), make_household(b7), make_household(b8)
    author = make_member(home, display_name="王阿姨")
    spouse = make_member(home, display_name="王伯伯")
    neighbour = make_member(neighbour_home, display_name="李叔")
    far_neighbour = make_member(far_home, display_name="赵姐")
    committee = make_user(display_name="陈书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    admin = make_user(display_name="管理员")
    grant(admin, community, Role.ADMIN)
    outsider = make_member(display_name="外人")
    other = db.session.get(Community, db.session.get(Household, outsider.memberships[0].household_id).building.community_id)
    return World(community, b7, b8, home, neighbour_home, far_home, author, spouse, neighbour, far_neighbour,
                 committee, admin, outsider, other)


@pytest.fixture
def make_proposal(app, world):
    """A proposal written through the service (published unless told otherwise)."""

    def make(author: User | None = None, *, title: str = "垃圾房夏天很臭", body: str = "夏天**气味**很大。",
             buildings=None, publish: bool = True, community: Community | None = None, household_id=None,
             category: Category = Category.GARBAGE_ROOM) -> Proposal:
        author = author or world.author
        community = community or world.community
        text = services.ProposalText(title=title, body_md=body, category=category,
                                     buildings=[world.b7] if buildings is None else list(buildings))
        now = utcnow()
        if household_id is None and author is world.author:
            household_id = world.home.id
        proposal = services.raise_proposal(community, text, household_id=household_id, actor=author, now=now)
        if publish:
            services.publish(proposal, actor=author, now=now)
        db.session.commit()
        return proposal

    return make


@pytest.fixture
def upload_dir(app, tmp_path):
    directory = tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = str(directory)
    return directory


@pytest.fixture
def en(client):
    client.set_cookie("civic_lang", "en")
    return client
