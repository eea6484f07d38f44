"""Who may see, set up, cast in, enter paper ballots for, review, sign and object to a vote — and when."""
from __future__ import annotations

from datetime import datetime

from civic.community.models import COMMITTEE_ROLES, Role
from civic.community.rules import Standing
from civic.projects.models import Project, Stage
from civic.voting.models import State, Vote

# Votes are set up while a project is deliberated, designed or put to the vote; they are cast in 表决.
SETUP_STAGES = frozenset({Stage.DELIBERATING, Stage.DESIGNING, Stage.VOTING})
CARRIAGES = (Role.RESIDENTS_COMMITTEE, Role.OWNERS_COMMITTEE, Role.PROPERTY_MANAGEMENT)  # 三驾马车


def in_community(st: Standing, vote: Vote) -> bool:
    return st.is_member and vote.community_id == st.community_id


def can_view_vote(st: Standing, vote: Vote) -> bool:
    """Members see announced votes; drafts are the committee's."""
    return in_community(st, vote) and (vote.state is not State.DRAFT or st.is_committee)


def can_create_vote(st: Standing, project: Project) -> bool:
    return st.is_committee and project.community_id == st.community_id and project.stage in SETUP_STAGES


def can_manage_vote(st: Standing, vote: Vote) -> bool:
    """Edit settings (until the first ballot), open, send reminders: the committee."""
    return st.is_committee and vote.community_id == st.community_id


def is_settings_state(vote: Vote) -> bool:
    """Settings may change while the vote is a draft, scheduled, or open with no ballot yet (services check that)."""
    return vote.state in (State.DRAFT, State.SCHEDULED, State.OPEN)


def is_open(vote: Vote, now: datetime) -> bool:
    return vote.state is State.OPEN and vote.opens_at <= now < vote.closes_at


def can_cast(st: Standing, vote: Vote) -> bool:
    """A member may try; the electorate snapshot (casting.electors_of) decides for which household."""
    return st.user_id is not None and in_community(st, vote) and vote.state is not State.DRAFT


def can_enter_paper(st: Standing, vote: Vote, building_id: int | None = None) -> bool:
    """Paper ballots: the committee for every building, a building-group leader for the buildings they lead."""
    if not in_community(st, vote) or vote.state is State.DRAFT:
        return False
    if st.is_committee:
        return True
    if Role.BUILDING_LEADER not in st.roles:
        return False
    return building_id is None or building_id in st.led_building_ids


def can_view_building_lists(st: Standing, vote: Vote, building_id: int) -> bool:
    """Door-knock list and paper reconciliation of one building: its leader and the committee."""
    return in_community(st, vote) and (st.is_committee or building_id in st.led_building_ids)


def can_see_results(st: Standing, vote: Vote) -> bool:
    """Live results: everyone while open; hidden ones: the committee once closed, everyone once published."""
    if not can_view_vote(st, vote):
        return False
    if vote.state is State.PUBLISHED:
        return True
    if vote.state is State.CLOSED:
        return st.is_committee or vote.results_live
    return vote.results_live and vote.state is State.OPEN


def can_view_turnout(st: Standing, vote: Vote) -> bool:
    """Turnout by building never reveals choices: every member, once the vote is announced."""
    return can_view_vote(st, vote) and vote.state is not State.DRAFT


def can_view_register(st: Standing, vote: Vote) -> bool:
    """The ballot register (who voted what) exists only for named votes, for the committee."""
    return not vote.is_secret and st.is_committee and vote.community_id == st.community_id


def carriages_of(st: Standing) -> tuple[Role, ...]:
    return tuple(r for r in CARRIAGES if r in st.roles)


def can_sign(st: Standing, vote: Vote) -> bool:
    """Joint sign-off (close early, publish): members of the three carriages, each signing for their carriage."""
    return bool(carriages_of(st)) and vote.community_id == st.community_id


def can_score(st: Standing, vote: Vote) -> bool:
    """Expert reviewers score choices on the rubric until the close."""
    return (Role.EXPERT in st.roles and vote.community_id == st.community_id and vote.has_expert_review
            and vote.state in (State.SCHEDULED, State.OPEN))


def can_review(st: Standing, vote: Vote) -> bool:
    """The expert page: experts of an announced vote with review; after the close it shows their scores read-only."""
    return (Role.EXPERT in st.roles and vote.community_id == st.community_id and vote.has_expert_review
            and vote.state is not State.DRAFT)


def is_publicity_running(vote: Vote, now: datetime) -> bool:
    return vote.publicity_ends_at is not None and now < vote.publicity_ends_at


def can_object(st: Standing, vote: Vote, now: datetime) -> bool:
    """异议: any member with a voice (a household or a role) during the publicity period."""
    return st.user_id is not None and in_community(st, vote) and is_publicity_running(vote, now)


def can_answer_objection(st: Standing, vote: Vote) -> bool:
    return st.is_committee and vote.community_id == st.community_id


def is_committee_role(role: Role) -> bool:
    return role in COMMITTEE_ROLES
