"""Action items: a carriage or a person from the list, optional due date, status (blocked needs a reason); managers only."""
from datetime import date, timedelta

import pytest

from civic.clock import utcnow
from civic.community.models import Role
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import actions
from civic.meetings.models import ActionItem, ActionStatus
from tests.meetings.minutes_support import held_meeting, sign_in

HX = {"HX-Request": "true"}


@pytest.fixture
def meeting(world, make_meeting):
    held = held_meeting(make_meeting)
    sign_in(held, world.organiser, world.neighbour)
    return held


def _add(meeting, actor, what="清运垃圾", owner="role:property_management", due_on=None):
    item = actions.add(meeting, what=what, owner=owner, due_on=due_on, actor=actor, now=utcnow())
    db.session.commit()
    return item


def test_owner_is_a_carriage_or_a_listed_person(world, meeting):
    carriage = _add(meeting, world.organiser)
    person = _add(meeting, world.organiser, "通知住户", owner=f"user:{world.neighbour.id}", due_on=date(2030, 1, 5))
    chair = _add(meeting, world.organiser, "联系设计师", owner=f"user:{world.committee.id}")
    assert carriage.owner_role == Role.PROPERTY_MANAGEMENT.value and carriage.owner_user_id is None
    assert person.owner_user_id == world.neighbour.id and person.due_on == date(2030, 1, 5)
    assert chair.owner_user_id == world.committee.id  # the committee may always own an item
    assert [i.position for i in actions.items_of(meeting)] == [1, 2, 3]
    labels = {world.neighbour.id: "李叔 · 7号楼"}
    assert actions.owner_label(person, labels) == "李叔 · 7号楼"
    choices = actions.owner_choices(meeting)
    values = [v for group in choices.values() for v, _ in group]
    assert f"user:{world.neighbour.id}" in values and f"user:{world.far_neighbour.id}" not in values


@pytest.mark.parametrize("owner", ["role:admin", "role:designer", "user:999999", "", "nobody", "user:x"])
def test_an_owner_not_offered_is_refused(world, meeting, owner):
    with pytest.raises(RuleViolation) as error:
        _add(meeting, world.organiser, owner=owner)
    assert error.value.field == "owner"


def test_people_who_did_not_attend_cannot_own_an_item(world, meeting):
    for user in (world.far_neighbour, world.outsider):
        with pytest.raises(RuleViolation):
            _add(meeting, world.organiser, owner=f"user:{user.id}")


@pytest.mark.parametrize("what", ["", "   ", "长" * 201])
def test_what_is_required_and_bounded(world, meeting, what):
    with pytest.raises(RuleViolation) as error:
        _add(meeting, world.organiser, what=what)
    assert error.value.field == "what"


def test_blocked_needs_a_reason_and_other_statuses_clear_it(world, meeting):
    item = _add(meeting, world.organiser)
    with pytest.raises(RuleViolation) as error:
        actions.set_status(item, ActionStatus.BLOCKED, reason=" ", actor=world.organiser, now=utcnow())
    assert error.value.field == "reason"
    actions.set_status(item, ActionStatus.BLOCKED, reason="等业委会签字", actor=world.organiser, now=utcnow())
    assert item.blocked_reason == "等业委会签字"
    actions.set_status(item, ActionStatus.IN_PROGRESS, reason="忽略", actor=world.organiser, now=utcnow())
    assert item.status is ActionStatus.IN_PROGRESS and item.blocked_reason == ""


def test_overdue_unless_done(world, meeting):
    today = date(2030, 3, 1)
    item = _add(meeting, world.organiser, due_on=today - timedelta(days=1))
    assert actions.is_overdue(item, today)
    item.status = ActionStatus.DONE
    assert not actions.is_overdue(item, today)
    assert not actions.is_overdue(_add(meeting, world.organiser, due_on=None), today)


# ---- routes ----

def _url(world, meeting, tail=""):
    return f"/c/{world.community.slug}/meetings/{meeting.id}/actions{tail}"


def test_add_plain_redirects_to_the_panel(world, meeting, login_as, client):
    login_as(world.organiser)
    response = client.post(_url(world, meeting), data={"item-what": "清运垃圾", "item-owner": "role:owners_committee",
                                                       "item-due_on": "2030-01-05"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#minutes_panel")
    item = db.session.execute(db.select(ActionItem)).scalar_one()
    assert item.owner_role == "owners_committee" and item.due_on == date(2030, 1, 5)


def test_add_htmx_returns_only_the_panel(world, meeting, login_as, en):
    login_as(world.organiser)
    response = en.post(_url(world, meeting), headers=HX,
                       data={"item-what": "清运<b>垃圾</b>", "item-owner": f"user:{world.neighbour.id}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Vary"].startswith("HX-Request")
    assert response.headers["HX-Trigger"] == "action-added"
    assert html.lstrip().startswith('<section id="minutes_panel"') and "<html" not in html
    assert "清运&lt;b&gt;垃圾&lt;/b&gt;" in html and "李叔 · 7号楼" in html


def test_a_refused_item_keeps_what_was_typed(world, meeting, login_as, en):
    login_as(world.organiser)
    data = {"item-what": "修好路灯", "item-owner": "user:999999"}
    plain = en.post(_url(world, meeting), data=data)
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)
    assert 'value="修好路灯"' in plain.get_data(as_text=True)
    htmx = en.post(_url(world, meeting), data=data, headers=HX)
    html = htmx.get_data(as_text=True)
    assert htmx.status_code == 422 and "<html" not in html and 'value="修好路灯"' in html
    assert "Choose who will do it" in html
    assert db.session.execute(db.select(ActionItem)).first() is None


def test_status_change_plain_and_htmx(world, meeting, login_as, en):
    item = _add(meeting, world.organiser)
    login_as(world.organiser)
    plain = en.post(_url(world, meeting, f"/{item.id}"), data={"status": "in_progress"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#minutes_panel")
    htmx = en.post(_url(world, meeting, f"/{item.id}"), data={"status": "blocked", "reason": "等签字"}, headers=HX)
    html = htmx.get_data(as_text=True)
    assert htmx.status_code == 200 and htmx.headers["Vary"].startswith("HX-Request") and "<html" not in html
    assert "等签字" in html
    db.session.refresh(item)
    assert item.status is ActionStatus.BLOCKED and item.blocked_reason == "等签字"


def test_blocked_without_a_reason_is_refused_in_place(world, meeting, login_as, en):
    item = _add(meeting, world.organiser)
    login_as(world.organiser)
    htmx = en.post(_url(world, meeting, f"/{item.id}"), data={"status": "blocked", "reason": ""}, headers=HX)
    assert htmx.status_code == 422 and "Say what blocks it" in htmx.get_data(as_text=True)
    plain = en.post(_url(world, meeting, f"/{item.id}"), data={"status": "nonsense"})
    assert plain.status_code == 422
    db.session.refresh(item)
    assert item.status is ActionStatus.PLANNED


def test_remove_plain_and_htmx(world, meeting, login_as, client):
    first, second = _add(meeting, world.organiser), _add(meeting, world.organiser, "第二件")
    login_as(world.organiser)
    assert client.post(_url(world, meeting, f"/{first.id}/delete")).status_code == 303
    htmx = client.post(_url(world, meeting, f"/{second.id}/delete"), headers=HX)
    assert htmx.status_code == 200 and htmx.headers["Vary"].startswith("HX-Request")
    assert "<html" not in htmx.get_data(as_text=True)
    assert db.session.execute(db.select(ActionItem)).first() is None


def test_residents_get_403_and_outsiders_404(world, meeting, login_as, client):
    item = _add(meeting, world.organiser)
    login_as(world.neighbour)
    assert client.post(_url(world, meeting), data={"item-what": "x", "item-owner": "role:owners_committee"}).status_code == 403
    assert client.post(_url(world, meeting, f"/{item.id}"), data={"status": "done"}).status_code == 403
    assert client.post(_url(world, meeting, f"/{item.id}/delete")).status_code == 403
    client.post("/logout")
    login_as(world.outsider)
    assert client.post(_url(world, meeting, f"/{item.id}/delete")).status_code == 404


def test_an_item_of_another_meeting_is_not_found(world, meeting, make_meeting, login_as, client):
    other = held_meeting(make_meeting, title="别的会")
    item = _add(other, world.organiser)
    login_as(world.organiser)
    assert client.post(_url(world, meeting, f"/{item.id}/delete")).status_code == 404
