"""Permission matrix for projects: roles × stages for stage moves, and the allowed moves from every stage."""
import pytest

from civic.community.models import Role
from civic.community.rules import Standing
from civic.projects import rules
from civic.projects.models import Category, Project, Stage

RESIDENT = "resident"
OUTSIDER = "outsider"
COMMITTEE = {Role.RESIDENTS_COMMITTEE, Role.OWNERS_COMMITTEE, Role.PROPERTY_MANAGEMENT, Role.ADMIN}
WHO = [OUTSIDER, RESIDENT, *Role]

# The whole table, written out so that a change to the rule has to change this test too.
EXPECTED_MOVES = {
    Stage.RAISED: (Stage.DELIBERATING, Stage.SHELVED),
    Stage.DELIBERATING: (Stage.DESIGNING, Stage.VOTING, Stage.RAISED, Stage.SHELVED),
    Stage.DESIGNING: (Stage.VOTING, Stage.DELIBERATING, Stage.SHELVED),
    Stage.VOTING: (Stage.PUBLICITY, Stage.DESIGNING, Stage.SHELVED),
    Stage.PUBLICITY: (Stage.IMPLEMENTING, Stage.VOTING, Stage.SHELVED),
    Stage.IMPLEMENTING: (Stage.DONE, Stage.PUBLICITY, Stage.SHELVED),
    Stage.DONE: (),
    Stage.SHELVED: (Stage.RAISED, Stage.DELIBERATING),
}


def standing(who, community_id: int = 1) -> Standing:
    if who == OUTSIDER:
        return Standing(user_id=1, community_id=community_id)
    if who == RESIDENT:
        return Standing(user_id=1, community_id=community_id, household_ids=(7,))
    return Standing(user_id=1, community_id=community_id, roles=frozenset({who}))


def project_at(stage: Stage, community_id: int = 1) -> Project:
    return Project(id=5, community_id=community_id, title="t", category=Category.OTHER, stage=stage)


@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.value)
def test_allowed_moves_from_every_stage(stage):
    assert rules.allowed_moves(stage) == EXPECTED_MOVES[stage]
    assert stage not in rules.allowed_moves(stage)


@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.value)
@pytest.mark.parametrize("who", WHO, ids=lambda w: getattr(w, "value", w))
def test_can_move_project_matrix(who, stage):
    project = project_at(stage)
    for to in Stage:
        expected = who in COMMITTEE and to in EXPECTED_MOVES[stage]
        assert rules.can_move_project(standing(who), project, to) is expected, (who, stage, to)


@pytest.mark.parametrize("who", WHO, ids=lambda w: getattr(w, "value", w))
def test_manage_edit_view_and_list_matrix(who):
    project = project_at(Stage.DESIGNING)
    assert rules.can_manage_projects(standing(who)) is (who in COMMITTEE)
    assert rules.can_edit_project(standing(who), project) is (who in COMMITTEE)
    assert rules.can_view_project(standing(who), project) is (who != OUTSIDER)
    assert rules.can_list_projects(standing(who)) is (who != OUTSIDER)


@pytest.mark.parametrize("role", sorted(COMMITTEE, key=lambda r: r.value), ids=lambda r: r.value)
def test_committee_of_another_community_can_neither_move_nor_edit(role):
    project = project_at(Stage.RAISED, community_id=2)
    st = standing(role, community_id=1)
    assert not rules.can_move_project(st, project, Stage.DELIBERATING)
    assert not rules.can_edit_project(st, project)
    assert not rules.can_view_project(st, project)
