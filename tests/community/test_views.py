"""Community pages: home, households with htmx, code regeneration, slips, roles, isolation."""
import pytest

from civic.audit.models import AuditEvent
from civic.community import invites
from civic.community.models import Role, RoleGrant
from civic.extensions import db


@pytest.fixture
def setup(make_household, make_member, grant):
    """A community with an admin (who lives there), a plain resident, and a second community."""
    home = make_household(room="1201")
    community = home.building.community
    admin = make_member(home, display_name="陈书记")
    grant(admin, community, Role.ADMIN)
    neighbour_home = make_household(home.building, room="302")
    resident = make_member(neighbour_home, display_name="王阿姨")
    other_home = make_household()
    outsider = make_member(other_home)
    return {"community": community, "home": home, "admin": admin, "resident": resident,
            "neighbour_home": neighbour_home, "other": other_home.building.community, "outsider": outsider}


def test_home_shows_household_roles_and_numbers(client, login_as, setup):
    login_as(setup["admin"])
    html = client.get(f"/c/{setup['community'].slug}/").get_data(as_text=True)
    assert setup["community"].name in html
    assert f"{setup['home'].building.name} 1201" in html
    assert "管理员" in html
    assert "已注册户数" in html


def test_anonymous_is_sent_to_login(client, setup):
    response = client.get(f"/c/{setup['community'].slug}/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_htmx_request_without_session_gets_hx_redirect(client, setup):
    response = client.get(f"/c/{setup['community'].slug}/households", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


def test_members_of_another_community_get_404_everywhere(client, login_as, setup):
    login_as(setup["outsider"])
    slug = setup["community"].slug
    for url in [f"/c/{slug}/", f"/c/{slug}/households", f"/c/{slug}/roster", f"/c/{slug}/roles",
                f"/c/{slug}/audit", f"/c/{slug}/invites/slips"]:
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404, url
    household_id = setup["home"].id
    assert client.post(f"/c/{slug}/households/{household_id}/invite").status_code == 404
    assert client.get("/c/no-such-place/").status_code == 404


def test_admin_cannot_reach_another_communitys_household_through_own_url(client, login_as, setup, make_household):
    login_as(setup["admin"])
    foreign = make_household(setup["other"].buildings[0] if setup["other"].buildings else None)
    before = invites.active_codes([foreign.id])[foreign.id]
    response = client.post(f"/c/{setup['community'].slug}/households/{foreign.id}/invite")
    assert response.status_code == 404
    assert invites.active_codes([foreign.id])[foreign.id] == before


def test_resident_is_refused_committee_pages(client, login_as, setup):
    login_as(setup["resident"])
    slug = setup["community"].slug
    assert client.get(f"/c/{slug}/").status_code == 200
    for url in [f"/c/{slug}/households", f"/c/{slug}/roster", f"/c/{slug}/roles", f"/c/{slug}/audit"]:
        assert client.get(url).status_code == 403, url
    assert "住户" not in client.get(f"/c/{slug}/").get_data(as_text=True).split("<main")[0]


def test_households_page_and_htmx_fragment(client, login_as, setup):
    login_as(setup["admin"])
    slug, building = setup["community"].slug, setup["home"].building
    page = client.get(f"/c/{slug}/households?building={building.id}")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]
    fragment = client.get(f"/c/{slug}/households?building={building.id}", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert html.lstrip().startswith('<section id="household_list">') and "<html" not in html
    assert "1201" in html and "302" in html
    boosted = client.get(f"/c/{slug}/households", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_htmx_block_is_chosen_by_the_view_not_the_client(client, login_as, setup):
    login_as(setup["admin"])
    html = client.get(f"/c/{setup['community'].slug}/households",
                      headers={"HX-Request": "true", "HX-Target": "main", "HX-Trigger": "content"}).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="household_list">')


def test_regenerate_code_plain_and_htmx(client, login_as, setup):
    login_as(setup["admin"])
    slug, household = setup["community"].slug, setup["neighbour_home"]
    first = invites.active_codes([household.id])[household.id]
    response = client.post(f"/c/{slug}/households/{household.id}/invite")
    assert response.status_code == 303
    second = invites.active_codes([household.id])[household.id]
    assert second != first
    response = client.post(f"/c/{slug}/households/{household.id}/invite", headers={"HX-Request": "true"})
    third = invites.active_codes([household.id])[household.id]
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "invite-regenerated"
    assert third in html and "<html" not in html and "HX-Request" in response.headers["Vary"]
    events = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "invite.regenerate")).scalars().all()
    assert len(events) == 2 and events[0].actor_id == setup["admin"].id


def test_slips_print_code_room_and_qr_for_one_building(client, login_as, setup):
    login_as(setup["admin"])
    building, household = setup["home"].building, setup["neighbour_home"]
    html = client.get(f"/c/{setup['community'].slug}/invites/slips?building={building.id}").get_data(as_text=True)
    code = invites.active_codes([household.id])[household.id]
    assert code in html and f"{building.name} 302" in html
    assert html.count("<svg") == 2
    other_building = setup["other"].buildings[0]
    assert client.get(f"/c/{setup['community'].slug}/invites/slips?building={other_building.id}").status_code == 200
    assert code not in client.get(f"/c/{setup['community'].slug}/invites/slips?building={other_building.id}").get_data(as_text=True)


def test_slip_qr_encodes_the_registration_url(app):
    from civic.community.slips import registration_url

    with app.test_request_context(base_url="https://civic.example"):
        assert registration_url("ABCD-EFGH") == "https://civic.example/register?code=ABCD-EFGH"


def test_grant_and_revoke_roles_are_audited(client, login_as, setup):
    login_as(setup["admin"])
    slug, building = setup["community"].slug, setup["home"].building
    resident = setup["resident"]
    response = client.post(f"/c/{slug}/roles", data={"username": resident.username, "role": "building_leader",
                                                      "buildings": [str(building.id)]})
    assert response.status_code == 303
    row = db.session.execute(db.select(RoleGrant).where(RoleGrant.user_id == resident.id)).scalar_one()
    assert [b.id for b in row.buildings] == [building.id]
    row_id = row.id
    assert client.post(f"/c/{slug}/roles/{row_id}/revoke").status_code == 303
    assert db.session.get(RoleGrant, row_id) is None
    actions = db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["role.grant", "role.revoke"]
    audit = client.get(f"/c/{slug}/audit").get_data(as_text=True)
    assert "授予" in audit and "撤销" in audit and "王阿姨" in audit


def test_grant_errors_keep_the_form(client, login_as, setup):
    login_as(setup["admin"])
    slug = setup["community"].slug
    response = client.post(f"/c/{slug}/roles", data={"username": "nobody-here", "role": "expert"})
    assert response.status_code == 422 and "nobody-here" in response.get_data(as_text=True)
    response = client.post(f"/c/{slug}/roles", data={"username": setup["resident"].username, "role": "building_leader"})
    assert response.status_code == 422 and "楼栋" in response.get_data(as_text=True)


def test_the_only_admin_cannot_revoke_themself(client, login_as, setup):
    login_as(setup["admin"])
    row = db.session.execute(db.select(RoleGrant).where(RoleGrant.user_id == setup["admin"].id)).scalar_one()
    client.post(f"/c/{setup['community'].slug}/roles/{row.id}/revoke")
    assert db.session.get(RoleGrant, row.id) is not None


def test_public_pages_never_show_room_numbers(client, login_as, setup):
    login_as(setup["resident"])
    html = client.get("/").get_data(as_text=True)
    assert "1201" not in html
