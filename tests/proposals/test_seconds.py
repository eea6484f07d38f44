"""Seconding (附议): one per household, shown with who seconded, withdrawn by any member, threshold once."""
import re

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.models import Community
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.proposals import seconds
from civic.proposals.models import Proposal, Second


def url(world, p, tail=""):
    return f"/c/{world.community.slug}/proposals/{p.id}{tail}"


def second_rows(p):
    return db.session.execute(db.select(Second).where(Second.proposal_id == p.id)).scalars().all()


def count_of(p) -> int:
    return db.session.execute(db.select(Proposal.second_count).where(Proposal.id == p.id)).scalar_one()


def test_plain_second_redirects_to_the_panel(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.neighbour)
    response = en.post(url(world, p, "/second"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/proposals/{p.id}#second_panel")
    assert count_of(p) == 1 and [s.household_id for s in second_rows(p)] == [world.neighbour_home.id]
    page = en.get(url(world, p)).get_data(as_text=True)
    assert "Your household seconded on" in page and "by 李叔" in page
    assert "1 households seconded" in page


def test_htmx_second_returns_the_panel_and_an_out_of_band_counter(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.neighbour)
    response = en.post(url(world, p, "/second"), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"] and response.headers["HX-Trigger"] == "second-toggled"
    assert html.lstrip().startswith('<section id="second_panel"') and "<html" not in html
    assert '<span id="second_count" class="proposal-badge is-count" hx-swap-oob="true">1 households seconded</span>' in html
    assert "Withdraw our household" in html


def test_htmx_unsecond_returns_the_panel(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.neighbour)
    en.post(url(world, p, "/second"))
    response = en.post(url(world, p, "/second/withdraw"), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "second-toggled"
    assert html.lstrip().startswith('<section id="second_panel"') and "hx-swap-oob" in html
    assert "Second this proposal" in html and count_of(p) == 0


def test_page_header_counter_is_the_oob_target(en, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.neighbour)
    page = en.get(url(world, p)).get_data(as_text=True)
    assert page.count('id="second_count"') == 1 and "hx-swap-oob" not in page
    form = re.search(r'<form method="post" action="([^"]+)" hx-post="([^"]+)" hx-target="#second_panel"', page)
    assert form and form.group(1) == form.group(2) == url(world, p, "/second")


def test_one_second_per_household_the_family_sees_who_and_may_withdraw(en, client, login_as, world, make_proposal):
    p = make_proposal(world.neighbour, household_id=world.neighbour_home.id)
    login_as(world.author)
    assert en.post(url(world, p, "/second")).status_code == 303
    en.post("/logout")
    login_as(world.spouse)
    page = en.get(url(world, p)).get_data(as_text=True)
    assert "Your household seconded on" in page and "by 王阿姨" in page
    assert "Second this proposal" not in page
    # A second press by the other member of the household does not add a row.
    assert en.post(url(world, p, "/second")).status_code == 303
    assert len(second_rows(p)) == 1 and count_of(p) == 1
    assert second_rows(p)[0].user_id == world.author.id
    assert en.post(url(world, p, "/second/withdraw")).status_code == 303
    assert second_rows(p) == [] and count_of(p) == 0
    # Withdrawing again removes nothing and never goes below zero.
    en.post(url(world, p, "/second/withdraw"))
    assert count_of(p) == 0


def test_service_refuses_a_duplicate_through_the_unique_constraint(app, world, make_proposal):
    p = make_proposal()
    now = utcnow()
    assert seconds.second(p, world.neighbour_home.id, actor=world.neighbour, now=now) is True
    assert seconds.second(p, world.neighbour_home.id, actor=world.neighbour, now=now) is False
    db.session.commit()
    assert len(second_rows(p)) == 1 and count_of(p) == 1


def test_counts_by_building(en, login_as, world, make_proposal, make_household, make_member):
    p = make_proposal(buildings=[world.b7, world.b8])
    for user in (world.author, world.neighbour, world.far_neighbour):
        login_as(user)
        en.post(url(world, p, "/second"))
        en.post("/logout")
    login_as(world.committee)
    html = en.get(url(world, p)).get_data(as_text=True)
    table = html[html.index('class="proposal-by-building"'):]
    assert re.search(r"7号楼</th>\s*<td class=\"num\">2 of 2</td>", table)
    assert re.search(r"8号楼</th>\s*<td class=\"num\">1 of 1</td>", table)
    assert "3 households seconded" in html


def test_staff_without_household_and_outsiders_cannot_second(client, login_as, world, make_proposal):
    p = make_proposal()
    login_as(world.committee)
    assert client.post(url(world, p, "/second")).status_code == 403
    client.post("/logout")
    login_as(world.outsider)
    assert client.post(url(world, p, "/second")).status_code == 404
    assert count_of(p) == 0


def test_threshold_notifies_the_committee_exactly_once(en, login_as, world, make_proposal):
    p = make_proposal()  # threshold: 2 households
    for user in (world.neighbour, world.author):
        login_as(user)
        en.post(url(world, p, "/second"))
        en.post("/logout")
    p = db.session.get(Proposal, p.id)
    reached = p.threshold_reached_at
    assert reached is not None
    notices = db.session.execute(db.select(Notification.user_id).where(Notification.kind == NoticeKind.THRESHOLD)).scalars().all()
    assert sorted(notices) == sorted([world.committee.id, world.admin.id])
    # Dropping below and crossing again does not notify twice.
    login_as(world.author)
    en.post(url(world, p, "/second/withdraw"))
    en.post(url(world, p, "/second"))
    assert db.session.get(Proposal, p.id).threshold_reached_at == reached
    assert len(db.session.execute(db.select(Notification).where(Notification.kind == NoticeKind.THRESHOLD)).all()) == 2


def test_percent_threshold_counts_the_affected_buildings_rounding_up(app, world, make_proposal, make_household):
    community = db.session.get(Community, world.community.id)
    community.second_threshold_percent, community.second_threshold_households = 50, None
    for _ in range(3):
        make_household(world.b7)  # 7号楼 now has 5 active households
    make_household(world.b7, is_active=False)
    db.session.commit()
    only_b7 = make_proposal(buildings=[world.b7])
    assert seconds.threshold_of(community, only_b7) == 3  # 50 % of 5, rounded up
    everywhere = make_proposal(buildings=[])
    assert seconds.threshold_of(community, everywhere) == 3  # 50 % of the 6 active households of the community


def test_hidden_or_answered_proposals_cannot_be_seconded(client, login_as, world, make_proposal):
    p = make_proposal()
    p.hidden_at = utcnow()
    db.session.commit()
    login_as(world.neighbour)
    assert client.post(url(world, p, "/second")).status_code == 403
    assert client.post(url(world, p, "/second"), headers={"HX-Request": "true"}).status_code == 403


@pytest.mark.parametrize("data, status, households, percent", [
    ({"mode": "households", "households": "25"}, 303, 25, None),
    ({"mode": "percent", "percent": "30"}, 303, None, 30),
    ({"mode": "percent", "percent": "130"}, 422, 2, None),
    ({"mode": "households", "households": "0"}, 422, 2, None),
    ({"mode": "households", "households": ""}, 422, 2, None),
    ({"mode": "percent"}, 422, 2, None),
])
def test_threshold_settings_are_validated_and_audited(en, login_as, world, data, status, households, percent):
    login_as(world.committee)
    response = en.post(f"/c/{world.community.slug}/proposals/settings", data=data)
    assert response.status_code == status
    community = db.session.get(Community, world.community.id)
    assert (community.second_threshold_households, community.second_threshold_percent) == (households, percent)
    audits = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "proposal.threshold")).scalars().all()
    assert len(audits) == (1 if status == 303 else 0)
    if status == 422 and data.get("households") == "0":
        assert "from 1 to 100000" in response.get_data(as_text=True)


def test_threshold_settings_are_for_the_committee_only(client, login_as, world):
    login_as(world.neighbour)
    assert client.get(f"/c/{world.community.slug}/proposals/settings").status_code == 403
    assert client.post(f"/c/{world.community.slug}/proposals/settings", data={"mode": "households", "households": "1"}).status_code == 403
    client.post("/logout")
    login_as(world.admin)
    assert client.get(f"/c/{world.community.slug}/proposals/settings").status_code == 200
