"""Demo votes for 安丘, through the real services: the garbage-room site (closed; passes by head, fails on area),
the e-bike shed options (open, with expert review) and the lounge (passed, in its publicity period, one objection).

The demo's history is compressed into the last few days (the garbage room's designs were revised until
yesterday), so the votes run over hours and days rather than weeks. Every voting household has an owner who
signs in (existing demo residents where they live there, otherwise a new neighbour `e7-1201`, password as every
demo login); paper ballots are entered by the building-group leader with a photo of the signed slip.
Added once: skipped when the community already has votes.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.datastructures import FileStorage

from civic.accounts.models import User, find_by_username
from civic.community.models import Building, Community, Household, MemberKind, Membership
from civic.community.rules import standing_of
from civic.demo_content import PROPOSALS
from civic.demo_votes_content import GARBAGE_VOTE, LOUNGE_VOTE, SHED_VOTE, SIGN_NOTES
from civic.demo_votes_slip import slip_png
from civic.designs.drawings import say
from civic.designs.models import DesignVersion
from civic.designs.queries import vote_choices
from civic.extensions import db
from civic.meetings.localtime import to_local
from civic.projects.models import Project, Stage
from civic.projects.services import move_stage
from civic.voting import casting, closing, expert, opening, paper, publicity, setup, signoff
from civic.voting.models import Answer, Elector, Method, Preset, SignAction, Vote

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
SUFFIXES = ("阿姨", "叔叔", "老师", "先生", "女士", "阿婆", "老伯", "师傅")


@dataclass
class Home:
    id: int
    building: str
    room: str
    area: object  # Decimal


@dataclass
class Plan:
    """One household's ballot in the demo: what (a choice letter, "for", "against", "abstain") and how."""

    home: Home
    what: str
    paper: bool = False


# --- people ---------------------------------------------------------------------------------------------------------

def _homes(community: Community, names: list[str]) -> list[Home]:
    rows = db.session.execute(
        db.select(Household.id, Building.name, Household.room, Household.area_m2).join(Building)
        .where(Building.community_id == community.id, Building.name.in_(names), Household.is_active)
        .order_by(Building.sort_key, Household.id)).all()
    return [Home(*row) for row in rows]


def _login(home: Home) -> str:
    """"e7-1201" for 二期7号楼1201室, "s5-302" for 四期5号楼302室."""
    phase = "e" if home.building.startswith("二期") else "s"
    return f"{phase}{home.building[2:].removesuffix('号楼')}-{home.room}"


def _owners(homes: list[Home], password_hash: str) -> dict[int, User]:
    """An owner for every household that votes online: the demo resident living there, or a new neighbour."""
    found = dict(db.session.execute(
        db.select(Membership.household_id, User).join(User, User.id == Membership.user_id)
        .where(Membership.household_id.in_([h.id for h in homes]), Membership.kind == MemberKind.OWNER)
        .order_by(Membership.id)).all())
    for home in homes:
        if home.id not in found:
            rng = random.Random(home.id)
            found[home.id] = User(username=_login(home), password_hash=password_hash,
                                  display_name=rng.choice(SURNAMES) + rng.choice(SUFFIXES))
            db.session.add_all([found[home.id], Membership(user=found[home.id], household_id=home.id,
                                                           kind=MemberKind.OWNER)])
    db.session.flush()
    return found


# --- a vote's life ----------------------------------------------------------------------------------------------------

def _project(community: Community, key: str) -> Project | None:
    title = next(spec["title"] for spec in PROPOSALS if spec["key"] == key)
    from civic.proposals.models import Proposal

    proposal = db.session.execute(db.select(Proposal).where(Proposal.community_id == community.id,
                                                            Proposal.title == title)).scalar_one_or_none()
    return proposal.project if proposal else None


def _latest_design(project: Project) -> datetime | None:
    from civic.designs.models import DesignOption

    return db.session.scalar(db.select(db.func.max(DesignVersion.created_at)).join(DesignOption)
                             .where(DesignOption.project_id == project.id))


def _open(project: Project, committee: User, spec: dict, opens: datetime, closes: datetime, **settings) -> Vote:
    """Move the project to 表决, create the vote, announce it (it opens at once: the electorate is frozen)."""
    if project.stage is not Stage.VOTING:
        move_stage(project, Stage.VOTING, spec["to_voting"], committee, opens - timedelta(minutes=40))
    vote = setup.create_vote(project, actor=committee, now=opens - timedelta(minutes=30), title=spec["title"],
                             explanation=spec["explanation"], opens_at=opens, closes_at=closes, **settings)
    opening.announce(vote, actor=committee, now=opens)
    db.session.commit()
    return vote


def _ballot(vote: Vote, what: str) -> tuple[Answer | None, dict[int, int]]:
    if what in ("for", "against", "abstain"):
        return Answer(what), {}
    choice = vote.choices["ABCDEFGH".index(what)]
    return None, {choice.id: 1}


def _slip(vote: Vote, plan: Plan, at: datetime) -> FileStorage:
    labels = [c.label for c in vote.choices] or [say("同意", "For"), say("反对", "Against")]
    answer, marks = _ballot(vote, plan.what)
    if marks:
        marked = [c.id for c in vote.choices].index(next(iter(marks)))
    else:
        marked = {"for": 0, "against": 1}.get(plan.what)
    png = slip_png(vote.title, f"{plan.home.building} {plan.home.room}室", labels, marked,
                   f"{to_local(at):%Y年%m月%d日}", plan.home.id)
    return FileStorage(stream=io.BytesIO(png), filename=f"slip-{plan.home.id}.png", content_type="image/png")


def _cast_all(vote: Vote, plans: list[Plan], owners: dict[int, User], leader: User, start: datetime,
              end: datetime) -> None:
    """Every planned ballot, spread evenly between `start` and `end`, committed one by one like real casts."""
    electors = dict(db.session.execute(db.select(Elector.household_id, Elector.id)
                                       .where(Elector.vote_id == vote.id)).all())
    standing = standing_of(leader, db.session.get(Community, vote.community_id))
    step = (end - start) / max(len(plans), 1)
    for i, plan in enumerate(plans):
        at = start + step * i
        answer, marks = _ballot(vote, plan.what)
        if plan.paper:
            paper.enter(vote, household_id=plan.home.id, actor=leader, standing=standing, answer=answer, marks=marks,
                        photo=_slip(vote, plan, at), now=at)
        else:
            casting.cast(vote.id, elector_id=electors[plan.home.id], actor=owners[plan.home.id], answer=answer,
                         marks=marks, now=at)
        db.session.commit()


def _sign(vote: Vote, action: SignAction, logins: tuple[str, str], at: datetime, community: Community) -> None:
    for n, login in enumerate(logins):
        user = find_by_username(login)
        signoff.sign(db.session.get(Vote, vote.id), action, actor=user, standing=standing_of(user, community),
                     now=at + timedelta(minutes=20 * n), note=SIGN_NOTES[login])
        db.session.commit()


# --- the garbage room: closed, passes by head, fails on area --------------------------------------------------------

def _garbage_plans(homes: list[Home]) -> list[Plan]:
    """70 % of the households take part — the smaller flats; many owners of the big flats live elsewhere — so
    participation reaches two thirds by head but not by area. 方案A leads with 11 of every 14 ballots (> 3/4)."""
    smallest_first = sorted(homes, key=lambda h: (h.area, h.id))
    taking_part = sorted(smallest_first[:len(homes) - len(homes) * 3 // 10], key=lambda h: h.id)
    plans = []
    for i, home in enumerate(taking_part):
        what = "abstain" if i % 14 == 5 else "B" if i % 7 == 3 else "A"
        plans.append(Plan(home, what, paper=i % 10 == 2))
    return plans


def _garbage(community: Community, committee: User, password_hash: str, now: datetime) -> Vote | None:
    project = _project(community, "garbage")
    choices = vote_choices(project) if project else []
    if project is None or project.stage not in (Stage.DESIGNING, Stage.VOTING) or len(choices) < 2:
        return None
    plans = _garbage_plans(_homes(community, [b.name for b in project.buildings]))
    owners = _owners([p.home for p in plans if not p.paper], password_hash)
    opens = (_latest_design(project) or now - timedelta(days=1)) + timedelta(hours=1)
    closes = now - timedelta(hours=1)
    vote = _open(project, committee, GARBAGE_VOTE, opens, closes, method=Method.SINGLE,
                 design_options=[c.option_id for c in choices], preset=Preset.ART278_MAJOR, signoffs_required=2)
    leader = find_by_username("louzu4") or committee
    _cast_all(vote, plans, owners, leader, opens + timedelta(minutes=10), closes - timedelta(minutes=50))
    _sign(vote, SignAction.CLOSE, ("juwei", "yewei"), closes - timedelta(minutes=35), community)
    _sign(vote, SignAction.PUBLISH, ("juwei", "wuye"), closes + timedelta(minutes=10), community)
    return vote


# --- the e-bike shed: open, single choice between the three options, expert review ----------------------------------

def _shed_plans(homes: list[Home]) -> list[Plan]:
    """A day into the week: 3 of every 8 households have voted; 方案A and C lead, B trails; a few on paper."""
    taking_part = [h for i, h in enumerate(homes) if i % 8 in (0, 2, 5)]
    pattern = "AACABCCA"
    return [Plan(home, pattern[i % 8], paper=i % 15 == 4) for i, home in enumerate(taking_part)]


def _scores(vote: Vote, given: dict[str, tuple[int, ...]]) -> dict[tuple[int, int], int]:
    return {(criterion.id, choice.id): given["ABC"[n]][k]
            for n, choice in enumerate(vote.choices) for k, criterion in enumerate(vote.criteria)}


def _shed(community: Community, committee: User, password_hash: str, now: datetime) -> Vote | None:
    from civic.demo_designs_content import SHED_PROJECT

    project = db.session.execute(db.select(Project).where(Project.community_id == community.id,
                                                          Project.title == SHED_PROJECT["title"])).scalar_one_or_none()
    choices = vote_choices(project) if project else []
    if project is None or project.stage not in (Stage.DESIGNING, Stage.VOTING) or len(choices) != 3:
        return None
    plans = _shed_plans(_homes(community, [b.name for b in project.buildings]))
    owners = _owners([p.home for p in plans if not p.paper], password_hash)
    opens = (_latest_design(project) or now - timedelta(days=1)) + timedelta(hours=2)
    vote = _open(project, committee, SHED_VOTE, opens, opens + timedelta(days=7), method=Method.SINGLE,
                 design_options=[c.option_id for c in choices], preset=Preset.ART278_OTHER, results_live=True,
                 expert_weight_percent=40, rubric=SHED_VOTE["rubric"])
    _cast_all(vote, plans, owners, find_by_username("louzu1") or committee, opens + timedelta(minutes=15),
              now - timedelta(minutes=20))
    for n, (login, given) in enumerate(SHED_VOTE["scores"].items()):
        reviewer = find_by_username(login)
        if reviewer is not None:
            expert.score(db.session.get(Vote, vote.id), expert=reviewer, standing=standing_of(reviewer, community),
                         scores=_scores(vote, given), now=opens + timedelta(hours=3 + 6 * n))
            db.session.commit()
    return vote


# --- the lounge: passed, published, in its publicity period with one answered objection ----------------------------

def _lounge_plans(homes: list[Home]) -> list[Plan]:
    """Four in five households take part (by head and by area alike); about five in six of them agree."""
    taking_part = [h for i, h in enumerate(homes) if i % 5]
    return [Plan(home, "against" if i % 9 == 4 else "abstain" if i % 13 == 7 else "for", paper=i % 16 == 3)
            for i, home in enumerate(taking_part)]


def _lounge(community: Community, committee: User, password_hash: str, now: datetime) -> Vote | None:
    project = _project(community, "lounge")
    if project is None or project.stage not in (Stage.DESIGNING, Stage.VOTING):
        return None
    plans = _lounge_plans(_homes(community, [b.name for b in project.buildings]))
    owners = _owners([p.home for p in plans], password_hash)
    opens = max(project.stage_changed_at + timedelta(hours=2), now - timedelta(days=4))
    closes = now - timedelta(days=1)
    vote = _open(project, committee, LOUNGE_VOTE, opens, closes, method=Method.YES_NO, preset=Preset.ART278_MAJOR,
                 publicity_days=7)
    _cast_all(vote, plans, owners, committee, opens + timedelta(minutes=30), closes - timedelta(hours=2))
    closing.close(vote.id, actor=None, now=closes + timedelta(minutes=1))  # the deadline, as `votes close-due` does
    db.session.commit()
    _sign(vote, SignAction.PUBLISH, ("juwei", "yewei"), closes + timedelta(hours=2), community)
    move_stage(project, Stage.PUBLICITY, LOUNGE_VOTE["to_publicity"], committee, closes + timedelta(hours=3))
    _objection(vote, owners[plans[4].home.id], committee, community, now)
    return vote


def _objection(vote: Vote, author: User, committee: User, community: Community, now: datetime) -> None:
    vote = db.session.get(Vote, vote.id)
    filed = publicity.file_objection(vote, actor=author, standing=standing_of(author, community),
                                     body=LOUNGE_VOTE["objection"], now=now - timedelta(hours=10))
    publicity.answer(filed, actor=committee, body=LOUNGE_VOTE["answer"], now=now - timedelta(hours=4))
    db.session.commit()


def seed(community: Community, now: datetime) -> int:
    """Add the three demo votes once (skipped when the community already has votes); returns how many were made."""
    if db.session.execute(db.select(Vote.id).where(Vote.community_id == community.id).limit(1)).first():
        return 0
    # Each cast commits (its lock needs that); with the thousands of demo rows loaded so far in the session every
    # commit would expire them all, so keep only the communities (the caller still uses them).
    db.session.commit()
    for obj in [o for o in db.session if not isinstance(o, Community)]:
        db.session.expunge(obj)
    committee = find_by_username("juwei")
    password_hash = committee.password_hash  # the demo password, without hashing it again
    made = [maker(community, committee, password_hash, now) for maker in (_garbage, _shed, _lounge)]
    return sum(v is not None for v in made)
