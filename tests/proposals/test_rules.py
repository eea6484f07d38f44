"""Permission matrix: every proposal rule × who (author, family, neighbour, committee, outsider) × status."""
from datetime import datetime

import pytest

from civic.community.models import Role
from civic.community.rules import Standing
from civic.proposals import rules
from civic.proposals.models import Proposal, ProposalStatus

AUTHOR, FAMILY, NEIGHBOUR, COMMITTEE, ADMIN, LEADER, OUTSIDER = (
    "author", "family", "neighbour", "committee", "admin", "leader", "outsider")
WHO = [AUTHOR, FAMILY, NEIGHBOUR, COMMITTEE, ADMIN, LEADER, OUTSIDER]
S = ProposalStatus
HIDDEN = "open+hidden"
STATES = [*S, HIDDEN]
EVERY_MEMBER = {AUTHOR, FAMILY, NEIGHBOUR, COMMITTEE, ADMIN, LEADER}
PUBLISHED = [s for s in STATES if s is not S.DRAFT]


def standing(who: str) -> Standing:
    return {
        AUTHOR: Standing(1, 1, household_ids=(10,)),
        FAMILY: Standing(2, 1, household_ids=(10,)),
        NEIGHBOUR: Standing(3, 1, household_ids=(11,)),
        COMMITTEE: Standing(4, 1, roles=frozenset({Role.OWNERS_COMMITTEE})),
        ADMIN: Standing(5, 1, roles=frozenset({Role.ADMIN})),
        LEADER: Standing(6, 1, household_ids=(12,), roles=frozenset({Role.BUILDING_LEADER})),
        OUTSIDER: Standing(7, 1),
    }[who]


def proposal(state) -> Proposal:
    hidden = state == HIDDEN
    return Proposal(id=1, community_id=1, author_id=1, status=S.OPEN if hidden else state,
                    hidden_at=datetime(2024, 5, 1) if hidden else None)


def expected(rule, who, state) -> bool:
    if rule is rules.can_view_proposal:
        return who in EVERY_MEMBER and (state is not S.DRAFT or who == AUTHOR)
    if rule is rules.can_read_text:
        return expected(rules.can_view_proposal, who, state) and (state != HIDDEN or who in {AUTHOR, COMMITTEE, ADMIN})
    if rule is rules.can_view_history:
        return expected(rules.can_read_text, who, state)
    if rule is rules.can_edit_proposal:
        return who == AUTHOR and state in {S.DRAFT, S.OPEN, HIDDEN}
    if rule is rules.can_publish:
        return who == AUTHOR and state is S.DRAFT
    if rule is rules.can_withdraw_proposal:
        return who == AUTHOR and state in {S.OPEN, HIDDEN}
    if rule in (rules.can_second, rules.can_unsecond):
        return who in {AUTHOR, FAMILY, NEIGHBOUR, LEADER} and state is S.OPEN
    if rule is rules.can_answer:
        return who in {COMMITTEE, ADMIN} and state is S.OPEN
    raise AssertionError(rule)


RULES = [rules.can_view_proposal, rules.can_read_text, rules.can_view_history, rules.can_edit_proposal,
         rules.can_publish, rules.can_withdraw_proposal, rules.can_second, rules.can_unsecond, rules.can_answer]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("state", STATES, ids=lambda s: getattr(s, "value", s))
def test_rule_matrix(rule, who, state):
    assert rule(standing(who), proposal(state)) is expected(rule, who, state)


@pytest.mark.parametrize("who", WHO)
def test_raise_list_and_threshold_settings(who):
    st = standing(who)
    assert rules.can_raise(st) is (who in EVERY_MEMBER)
    assert rules.can_list_proposals(st) is (who in EVERY_MEMBER)
    assert rules.can_manage_seconding(st) is (who in {COMMITTEE, ADMIN})


@pytest.mark.parametrize("who", WHO)
def test_another_communitys_proposal_is_invisible_to_everyone(who):
    foreign = Proposal(id=2, community_id=2, author_id=1, status=S.OPEN)
    st = standing(who)
    assert not rules.can_view_proposal(st, foreign)
    assert not rules.can_read_text(st, foreign)
    assert not rules.can_second(st, foreign)
    assert not rules.can_answer(st, foreign)


@pytest.mark.parametrize("state", STATES, ids=lambda s: getattr(s, "value", s))
def test_discussable_only_when_published_and_visible(state):
    assert rules.is_discussable(proposal(state)) is (state not in {S.DRAFT, S.WITHDRAWN, HIDDEN})
