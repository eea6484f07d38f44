"""Demo proposals, seconds, threads, answers and projects for 安丘, written through the real services."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from civic.accounts.models import User, find_by_username
from civic.community.models import Community
from civic.community.rules import standing_of
from civic.demo_content import ANSWERS, PROJECT_STAGES, PROPOSALS, REPLIES, SHARED_REMARKS
from civic.extensions import db
from civic.projects.models import Category, Stage
from civic.projects.services import move_stage
from civic.proposals import answers, seconds
from civic.proposals.models import Proposal
from civic.proposals.services import ProposalText, publish, raise_proposal
from civic.threads import owners
from civic.threads.models import Opinion
from civic.threads.services import post_comment

OPINIONS = [None, None, Opinion.FOR, Opinion.FOR, Opinion.AGAINST, Opinion.QUESTION]


class _Clock:
    """Demo time walks forward from some weeks ago, so threads read in a believable order."""

    def __init__(self, start: datetime):
        self.now = start

    def tick(self, rng: random.Random, minutes: int = 90) -> datetime:
        self.now += timedelta(minutes=rng.randint(3, minutes))
        return self.now


def _people(community: Community, logins: list[str]) -> list[User]:
    return [find_by_username(login) for login in logins]


def _raise(community: Community, spec: dict, author: User, clock: _Clock, rng: random.Random) -> Proposal:
    buildings = [b for b in community.buildings if b.name in spec["buildings"]]
    text = ProposalText(spec["title"], spec["body"], Category(spec["category"]), buildings)
    st = standing_of(author, community)
    proposal = raise_proposal(community, text, household_id=next(iter(st.household_ids), None), actor=author,
                              now=clock.tick(rng))
    publish(proposal, actor=author, now=clock.now)
    return proposal


def _second(proposal: Proposal, community: Community, people: list[User], count: int, clock: _Clock,
            rng: random.Random) -> None:
    for person in rng.sample(people, min(count, len(people))):
        st = standing_of(person, community)
        if st.household_ids:
            seconds.second(proposal, st.household_ids[0], actor=person, now=clock.tick(rng, 40))


def _discuss(proposal: Proposal, community: Community, spec: dict, people: list[User], clock: _Clock,
             rng: random.Random) -> None:
    thread, owner = proposal.thread, owners.owner_of(proposal.thread)
    remarks, posted = spec["remarks"] + SHARED_REMARKS, []
    for i in range(spec["comments"]):
        person = rng.choice(people)
        st = standing_of(person, community)
        parent = rng.choice(posted) if posted and rng.random() < 0.3 else None
        body = rng.choice(REPLIES) if parent else remarks[i % len(remarks)]
        comment = post_comment(thread, owner, author=person, standing=st, body=body, now=clock.tick(rng, 30),
                               opinion=None if parent else rng.choice(OPINIONS),
                               parent_id=parent.id if parent else None,
                               quote_id=parent.id if parent and rng.random() < 0.3 else None)
        if parent is None:
            posted.append(comment)


def _answer(made: dict[str, Proposal], committee: User, clock: _Clock, rng: random.Random) -> None:
    for key, (how, text) in ANSWERS.items():
        proposal, now = made[key], clock.tick(rng)
        if how == "accept_new":
            project = answers.accept_into_new_project(proposal, text, actor=committee, now=now)
            for stage, reason in PROJECT_STAGES.get(key, []):
                move_stage(project, Stage(stage), reason, committee, clock.tick(rng, 600))
        elif how.startswith("merge:"):
            answers.merge(proposal, made[how.split(":")[1]], text, actor=committee, now=now)
        else:
            answers.decline(proposal, text, actor=committee, now=now)


def _draft(community: Community, author: User, now: datetime) -> None:
    buildings = [b for b in community.buildings if b.name == "二期3号楼"]
    text = ProposalText("想在3号楼前加几张休息长椅（草稿）", "老人散步走累了没地方坐，想建议加几张长椅。还没想好放哪里。",
                        Category.COMMON_SPACE, buildings)
    raise_proposal(community, text, household_id=None, actor=author, now=now)


def seed(community: Community, resident_logins: list[str], committee_login: str, now: datetime) -> int:
    """Add the demo proposals once (skipped when the community already has proposals); returns how many."""
    if db.session.execute(db.select(Proposal.id).where(Proposal.community_id == community.id).limit(1)).first():
        return 0
    rng, clock = random.Random(2023), _Clock(now - timedelta(days=12))
    people = _people(community, resident_logins)
    made = {}
    for spec in PROPOSALS:
        made[spec["key"]] = _raise(community, spec, people[spec["author"] - 1], clock, rng)
        _second(made[spec["key"]], community, people, spec["seconds"], clock, rng)
        _discuss(made[spec["key"]], community, spec, people, clock, rng)
    _answer(made, find_by_username(committee_login), clock, rng)
    _draft(community, people[0], clock.tick(rng))
    return len(made)
