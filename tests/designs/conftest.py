"""Fixtures for design options: a project in 设计 with a designer, residents, the committee, an outsider."""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, Household, Role
from civic.designs import services
from civic.designs.models import DesignOption
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
# The same one-hash password, upload folder and English cookie as the proposals tests (fixtures by import).
from tests.proposals.conftest import _hash_once, en, jpeg_bytes, upload_dir  # noqa: F401


@dataclass
class DesignWorld:
    community: Community
    b7: Building
    home: Household
    designer: User  # 林设计师: a resident with the designer role
    resident: User  # 王阿姨
    neighbour: User  # 李叔
    committee: User  # 陈书记
    outsider: User  # a member of another community
    other_community: Community
    project: Project  # 垃圾厢房改造, in 设计


def plan_png(text: str = "v1", size=(400, 300), color=(40, 90, 160)) -> bytes:
    """A small floor-plan-like PNG whose drawing differs with `text` (so versions look different)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], outline=color, width=4)
    offset = sum(map(ord, text)) % (size[0] // 2)
    draw.line([(40 + offset, 20), (40 + offset, size[1] - 20)], fill=color, width=3)
    draw.text((30, 30), text, fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, filename: str = "plan.png", content_type: str = "image/png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


SPEC = {"cost_yuan": Decimal("120000"), "area_m2": Decimal("18.5"), "capacity": 6, "capacity_unit": "个桶位",
        "build_days": 30, "yearly_fee_yuan": Decimal("12"), "spec_notes": "含除臭和洗手池"}


@pytest.fixture
def dworld(app, upload_dir, make_community, make_building, make_household, make_member, make_user,  # noqa: F811
           grant) -> DesignWorld:
    community = make_community()
    b7 = make_building(community, name="7号楼")
    home = make_household(b7)
    designer = make_member(make_household(b7), display_name="林设计师")
    grant(designer, community, Role.DESIGNER)
    resident = make_member(home, display_name="王阿姨")
    neighbour = make_member(make_household(b7), display_name="李叔")
    committee = make_user(display_name="陈书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    outsider = make_member(display_name="外人")
    other = db.session.get(Community, db.session.get(Household, outsider.memberships[0].household_id).building.community_id)
    project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                      title="垃圾厢房改造", description_md="", description_html="", category=Category.GARBAGE_ROOM,
                      stage=Stage.DESIGNING, created_by_id=committee.id)
    db.session.add(project)
    db.session.commit()
    return DesignWorld(community, b7, home, designer, resident, neighbour, committee, outsider, other, project)


@pytest.fixture
def make_option(app, dworld):
    """An option made through the services: `versions` versions (each a different plan PNG), published or not."""

    def make(*, title: str = "东侧绿地，封闭式厢房", versions: int = 1, published: bool = True,
             project: Project | None = None, spec: dict | None = None, **spec_overrides) -> DesignOption:
        project = project or dworld.project
        now = utcnow()
        option = services.create_option(project, actor=dworld.designer, title=title, summary="", now=now)
        for n in range(1, versions + 1):
            sheet = dict(spec or SPEC) | spec_overrides
            services.add_version(option, project, actor=dworld.designer, uploads=[upload(plan_png(f"v{n}"))],
                                 change_note=f"第{n}版：调整桶位", spec=sheet, now=now)
        if published and versions:
            services.publish(option, project, actor=dworld.designer, now=now)
        db.session.commit()
        return option

    return make
