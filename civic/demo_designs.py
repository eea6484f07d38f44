"""Demo design options for 安丘: the garbage room's 方案A (seven versions) and 方案B, and the e-bike shed's three options.

Everything goes through the real services (options, versions with generated plan drawings, publishing, pins,
"addressed in vN"), so the demo exercises the same code as the site. Added once: skipped when the community
already has design options.
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from civic.accounts.models import User, find_by_username
from civic.community.models import Community
from civic.community.rules import standing_of
from civic.demo_content import PROPOSALS
from civic.demo_designs_content import (GARBAGE_A, GARBAGE_B, GARBAGE_COMMENTS, GARBAGE_UNIT, SHED_OPTIONS,
                                        SHED_PROJECT, SHED_UNIT)
from civic.designs import pins, services
from civic.designs.drawings import Drawing, RoomPlan, room_plan
from civic.designs.drawings_shed import ShedPlan, shed_plan
from civic.designs.models import DesignOption, DesignVersion
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.projects.services import create_project, move_stage
from civic.proposals import answers
from civic.proposals.models import Proposal, ProposalStatus


def _proposal(community: Community, key: str) -> Proposal | None:
    title = next(spec["title"] for spec in PROPOSALS if spec["key"] == key)
    return db.session.execute(db.select(Proposal).where(Proposal.community_id == community.id,
                                                        Proposal.title == title)).scalar_one_or_none()


def _spec(values: tuple, unit: str) -> dict:
    cost, area, capacity, days, fee, notes = values
    return {"cost_yuan": Decimal(cost), "area_m2": Decimal(area), "capacity": capacity, "capacity_unit": unit,
            "build_days": days, "yearly_fee_yuan": Decimal(fee), "spec_notes": notes}


def _upload(png: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(png), filename=filename, content_type="image/png")


def _version(option: DesignOption, project: Project, designer: User, png: bytes, spec: dict, note: str,
             now: datetime) -> DesignVersion:
    number = option.version_count + 1
    upload = _upload(png, f"{option.name}-v{number}.png")
    return services.add_version(option, project, actor=designer, uploads=[upload], change_note=note, spec=spec,
                                now=now)


def _at_least(moment: datetime | None, floor: datetime) -> datetime:
    return max(moment, floor) if moment else floor


def _to_designing(project: Project, committee: User, reason: str, now: datetime) -> None:
    """Walk the project forward one stage at a time until it is being designed."""
    order = (Stage.RAISED, Stage.DELIBERATING, Stage.DESIGNING)
    while project.stage in order[:-1]:
        move_stage(project, order[order.index(project.stage) + 1], reason, committee, now)


# --- the garbage room -----------------------------------------------------------------------------------------------

def _room_drawing(option: DesignOption, spec: dict, number: int, plan: dict, note: str) -> Drawing:
    heading = f"{option.name} v{number} · {option.title}"
    return room_plan(RoomPlan(heading, note.replace("**", "")[:44], bins=spec["capacity"], **plan))


def _garbage_option(project: Project, content: dict, designer: User, start: datetime, step: timedelta,
                    on_version=None) -> DesignOption:  # noqa: ANN001
    """Create and publish the option with its versions; `on_version(option, version, anchors, at)` adds comments."""
    option = services.create_option(project, actor=designer, title=content["title"], summary=content["summary"],
                                    now=start)
    for n, item in enumerate(content["versions"], 1):
        at = start + step * (n - 1) + timedelta(minutes=20)
        spec = _spec(item["spec"], GARBAGE_UNIT)
        drawing = _room_drawing(option, spec, n, item["plan"], item["note"])
        version = _version(option, project, designer, drawing.png, spec, item["note"], at)
        if n == 1:
            services.publish(option, project, actor=designer, now=at + timedelta(minutes=5))
        if on_version:
            on_version(option, version, drawing.anchors, at)
    return option


class _Commenter:
    """Posts the demo residents' comments and pins on 方案A and marks them addressed by the later versions."""

    def __init__(self, community: Community, residents: list[User], designer: User, step: timedelta):
        self.community, self.residents, self.designer, self.step = community, residents, designer, step
        self.posted: dict[str, int] = {}  # comment key → comment id

    def __call__(self, option: DesignOption, version: DesignVersion, anchors: dict, at: datetime) -> None:
        n = version.number
        answered = [self.posted[key] for key, *_, addressed in GARBAGE_COMMENTS if addressed == n and key in self.posted]
        if answered:
            services.mark_addressed(option, version, answered, actor=self.designer, now=at + timedelta(minutes=1))
        for i, (key, on, who, anchor, body, _addressed) in enumerate(c for c in GARBAGE_COMMENTS if c[1] == n):
            author = self.residents[who]
            when = at + self.step * (0.3 + 0.2 * i)
            st = standing_of(author, self.community)
            if anchor is None:
                comment = pins.comment_on_version(option, version, author=author, standing=st, body=body, now=when)
            else:
                x, y = anchors[anchor]
                comment = pins.add_pin(option, version, version.files[0], author=author, standing=st, body=body,
                                       x=Decimal(str(x)), y=Decimal(str(y)), now=when).comment
            self.posted[key] = comment.id


def _garbage(community: Community, residents: list[User], designers: list[User], committee: User,
             now: datetime) -> list[DesignOption]:
    proposal = _proposal(community, "garbage")
    project = proposal.project if proposal else None
    if project is None or project.stage not in (Stage.RAISED, Stage.DELIBERATING, Stage.DESIGNING):
        return []
    moved = _at_least(project.stage_changed_at, now - timedelta(days=6)) + timedelta(hours=1)
    _to_designing(project, committee, "选址讨论有了初步结论，请居民设计师出方案，大家在图上提意见。", moved)
    start = moved + timedelta(hours=2)
    step = (now - timedelta(hours=3) - start) / len(GARBAGE_A["versions"])
    a = _garbage_option(project, GARBAGE_A, designers[0], start, step,
                        _Commenter(community, residents, designers[0], step))
    b = _garbage_option(project, GARBAGE_B, designers[1], start + step, step * 2)
    return [a, b]


# --- the e-bike shed ------------------------------------------------------------------------------------------------

def _shed_project(community: Community, committee: User, now: datetime) -> Project:
    """A project for the e-bike proposal (accepting it when it is still open), moved on to 设计."""
    proposal = _proposal(community, "ebike")
    at = now - timedelta(days=2)
    project = create_project(community, title=SHED_PROJECT["title"], description_md=SHED_PROJECT["description"],
                             category=Category.PARKING_CHARGING,
                             buildings=list(proposal.buildings) if proposal else [], actor=committee, now=at)
    if proposal is not None and proposal.status is ProposalStatus.OPEN and proposal.hidden_at is None:
        answers.accept_into_project(proposal, project, SHED_PROJECT["answer"], actor=committee, now=at)
    for step, (stage, reason) in enumerate(SHED_PROJECT["stages"], 1):
        move_stage(project, Stage(stage), reason, committee, at + timedelta(hours=step))
    return project


def _shed(community: Community, designers: dict[str, User], committee: User, now: datetime) -> list[DesignOption]:
    project = _shed_project(community, committee, now)
    made, at = [], now - timedelta(hours=40)
    for login, title, summary, versions in SHED_OPTIONS:
        designer = designers[login]
        option = services.create_option(project, actor=designer, title=title, summary=summary, now=at)
        for n, (plan, values, note) in enumerate(versions, 1):
            at += timedelta(hours=3)
            heading = f"{option.name} v{n} · {title}"
            png = shed_plan(ShedPlan(heading, note.replace("**", "")[:44], **plan)).png
            _version(option, project, designer, png, _spec(values, SHED_UNIT), note, at)
            if n == 1:
                services.publish(option, project, actor=designer, now=at + timedelta(minutes=5))
        made.append(option)
    return made


def seed(community: Community, resident_logins: list[str], now: datetime) -> int:
    """Add the demo options once (skipped when the community already has some); returns how many were made."""
    if db.session.execute(db.select(DesignOption.id).where(DesignOption.community_id == community.id)
                          .limit(1)).first():
        return 0
    designers = {login: find_by_username(login) for login in ("sheji1", "sheji2")}
    committee = find_by_username("juwei")
    residents = [find_by_username(login) for login in resident_logins]
    made = _garbage(community, residents, [designers["sheji1"], designers["sheji2"]], committee, now)
    made += _shed(community, designers, committee, now)
    db.session.flush()
    return len(made)
