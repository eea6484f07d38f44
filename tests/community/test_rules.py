"""Permission matrix: every community rule against every role (and plain residents and outsiders)."""
import pytest

from civic.community import rules
from civic.community.models import Role
from civic.community.rules import Standing

RESIDENT = "resident"
OUTSIDER = "outsider"
COMMITTEE = {Role.RESIDENTS_COMMITTEE, Role.OWNERS_COMMITTEE, Role.PROPERTY_MANAGEMENT, Role.ADMIN}

# rule → the standings allowed; everybody else is refused.
EXPECTED = {
    rules.can_view_community: {RESIDENT, *Role},
    rules.can_manage_roster: {Role.ADMIN, Role.RESIDENTS_COMMITTEE},
    rules.can_manage_invites: COMMITTEE,
    rules.can_view_households: COMMITTEE,
    rules.can_manage_roles: {Role.ADMIN},
    rules.can_read_audit: COMMITTEE,
}


def standing(who) -> Standing:
    if who == OUTSIDER:
        return Standing(user_id=1, community_id=1)
    if who == RESIDENT:
        return Standing(user_id=1, community_id=1, household_ids=(7,))
    return Standing(user_id=1, community_id=1, roles=frozenset({who}))


@pytest.mark.parametrize("rule", list(EXPECTED), ids=lambda r: r.__name__)
@pytest.mark.parametrize("who", [OUTSIDER, RESIDENT, *Role], ids=lambda w: getattr(w, "value", w))
def test_rule_matrix(rule, who):
    assert rule(standing(who)) is (who in EXPECTED[rule])


def test_anonymous_standing_is_not_a_member(app, make_community):
    from flask_login import AnonymousUserMixin

    st = rules.standing_of(AnonymousUserMixin(), make_community())
    assert not st.is_member and not rules.can_view_community(st)


def test_standing_reads_households_roles_and_led_buildings(app, make_household, make_member, make_building, grant):
    home = make_household()
    community = home.building.community
    other_building = make_building(community)
    user = make_member(home)
    grant(user, community, Role.BUILDING_LEADER, [home.building, other_building])
    st = rules.standing_of(user, community)
    assert st.household_ids == (home.id,)
    assert st.roles == {Role.BUILDING_LEADER}
    assert st.led_building_ids == {home.building.id, other_building.id}
    assert not st.is_committee


def test_inactive_household_does_not_make_a_member(app, make_household, make_member):
    home = make_household(is_active=False)
    user = make_member(home)
    assert not rules.standing_of(user, home.building.community).is_member
