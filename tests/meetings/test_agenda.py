"""The agenda: items with time boxes and proposals, kept in order; htmx updates the panel in place."""
from __future__ import annotations

from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import agenda
from civic.meetings.models import AgendaItem, MeetingStatus
from tests.meetings.editing_support import counted_queries, make_proposal, url

HX = {"HX-Request": "true"}


def titles(meeting) -> list[str]:  # noqa: ANN001
    return [i.title for i in agenda.items_of(meeting)]


def positions(meeting) -> list[int]:  # noqa: ANN001
    return [i.position for i in agenda.items_of(meeting)]


def add(meeting, world, title: str, minutes: int | None = None, proposal_id: int | None = None) -> AgendaItem:  # noqa: ANN001
    item = agenda.add_item(meeting, title=title, minutes=minutes, proposal_id=proposal_id, actor=world.organiser,
                           now=utcnow())
    db.session.commit()
    return item


# ---- service ----

def test_items_keep_contiguous_positions_through_moves_and_removals(world, make_meeting):
    meeting = make_meeting()
    a, b, c = (add(meeting, world, t) for t in ("开场", "垃圾点方案", "下一步"))
    assert positions(meeting) == [0, 1, 2]
    assert agenda.move_item(meeting, c, "up", actor=world.organiser, now=utcnow())
    assert titles(meeting) == ["开场", "下一步", "垃圾点方案"]
    assert not agenda.move_item(meeting, a, "up", actor=world.organiser, now=utcnow())
    assert not agenda.move_item(meeting, b, "down", actor=world.organiser, now=utcnow())
    agenda.remove_item(meeting, a, actor=world.organiser, now=utcnow())
    db.session.commit()
    assert titles(meeting) == ["下一步", "垃圾点方案"] and positions(meeting) == [0, 1]
    add(meeting, world, "其他")
    assert positions(meeting) == [0, 1, 2]


@pytest.mark.parametrize("kwargs, field", [
    ({"title": "  "}, "title"),
    ({"title": "长" * 121}, "title"),
    ({"title": "开场", "minutes": 0}, "minutes"),
    ({"title": "开场", "minutes": 241}, "minutes"),
])
def test_bad_items_are_refused(world, make_meeting, kwargs, field):
    meeting = make_meeting()
    with pytest.raises(RuleViolation) as refused:
        agenda.add_item(meeting, actor=world.organiser, now=utcnow(), **kwargs)
    assert refused.value.field == field
    db.session.rollback()
    assert titles(meeting) == []


def test_only_a_published_proposal_of_this_community_can_be_an_item(world, make_meeting):
    meeting = make_meeting()
    draft = make_proposal(world, title="草稿", publish=False)
    elsewhere = make_proposal(world, title="别处", author=world.outsider, community=world.other_community)
    for proposal in (draft, elsewhere):
        with pytest.raises(RuleViolation) as refused:
            agenda.add_item(meeting, title="讨论", proposal_id=proposal.id, actor=world.organiser, now=utcnow())
        assert refused.value.field == "proposal"
    ok = make_proposal(world)
    assert add(meeting, world, "讨论", proposal_id=ok.id).proposal_id == ok.id


def test_an_agenda_has_at_most_thirty_items(world, make_meeting):
    meeting = make_meeting()
    for i in range(agenda.ITEMS_MAX):
        agenda.add_item(meeting, title=f"第{i}项", actor=world.organiser, now=utcnow())
    with pytest.raises(RuleViolation):
        agenda.add_item(meeting, title="再一项", actor=world.organiser, now=utcnow())


def test_the_running_clock_follows_the_time_boxes(world, make_meeting):
    meeting = make_meeting()  # 14:00–16:00 local
    a, b = add(meeting, world, "开场", 20), add(meeting, world, "方案", 45)
    c, d = add(meeting, world, "自由发言"), add(meeting, world, "总结", 10)
    timing = agenda.timing(meeting, agenda.items_of(meeting))
    assert timing.clock == {a.id: "14:00–14:20", b.id: "14:20–15:05"}  # stops at the item without a time box
    assert (timing.total_minutes, timing.overrun_minutes) == (75, 0)
    add(meeting, world, "长讨论", 60)
    assert agenda.timing(meeting, agenda.items_of(meeting)).overrun_minutes == 15
    assert c.id not in timing.clock and d.id not in timing.clock


def test_no_clock_while_the_time_is_not_fixed(world, make_meeting):
    meeting = make_meeting(status=MeetingStatus.POLLING)
    add(meeting, world, "开场", 20)
    assert agenda.timing(meeting, agenda.items_of(meeting)).clock == {}


# ---- views: who may ----

@pytest.mark.parametrize("who, status", [("neighbour", 403), ("spouse", 403), ("outsider", 404)])
def test_only_managers_change_the_agenda(world, make_meeting, client, login_as, who, status):
    meeting = make_meeting()
    item = add(meeting, world, "开场")
    login_as(getattr(world, who))
    base = url(world, f"/{meeting.id}/agenda")
    assert client.post(base, data={"agenda-title": "我的议题"}).status_code == status
    assert client.post(f"{base}/{item.id}/delete").status_code == status
    assert client.post(f"{base}/{item.id}/move", data={"direction": "down"}).status_code == status
    assert titles(meeting) == ["开场"]


def test_the_committee_may_change_any_agenda_but_not_of_an_ended_meeting(world, make_meeting, client, login_as):
    meeting = make_meeting()
    ended = make_meeting(starts_at=utcnow() - timedelta(days=1))
    login_as(world.committee)
    assert client.post(url(world, f"/{meeting.id}/agenda"), data={"agenda-title": "开场"}).status_code == 303
    assert client.post(url(world, f"/{ended.id}/agenda"), data={"agenda-title": "开场"}).status_code == 403
    assert titles(meeting) == ["开场"] and titles(ended) == []


def test_another_meetings_item_is_not_found(world, make_meeting, client, login_as):
    meeting, other = make_meeting(), make_meeting(title="另一个")
    item = add(other, world, "别人的议题")
    login_as(world.organiser)
    assert client.post(url(world, f"/{meeting.id}/agenda/{item.id}/delete")).status_code == 404
    assert client.post(url(world, f"/{meeting.id}/agenda/{item.id}/move"), data={"direction": "up"}).status_code == 404
    assert titles(other) == ["别人的议题"]


# ---- views: plain and htmx ----

def test_plain_add_redirects_to_the_panel(world, make_meeting, en, login_as):
    meeting = make_meeting()
    proposal = make_proposal(world, title="垃圾房夏天很臭")
    login_as(world.organiser)
    response = en.post(url(world, f"/{meeting.id}/agenda"),
                       data={"agenda-title": "垃圾点方案", "agenda-minutes": "30", "agenda-proposal": proposal.id})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}#agenda_panel")
    page = en.get(response.headers["Location"]).get_data(as_text=True)
    assert "Agenda item added." in page and "14:00–14:30" in page
    assert f'/proposals/{proposal.id}">#{proposal.id} 垃圾房夏天很臭</a>' in page


def test_htmx_add_returns_only_the_panel_ready_for_the_next_item(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.organiser)
    response = en.post(url(world, f"/{meeting.id}/agenda"), data={"agenda-title": "开场", "agenda-minutes": "15"},
                       headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section id="agenda_panel"') and "<html" not in html and "rsvp_panel" not in html
    assert "14:00–14:15" in html and "Agenda item added." in html
    assert 'autofocus id="agenda-title"' in html and 'value="开场"' not in html


def test_refused_add_comes_back_422_with_the_typed_text(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.organiser)
    typed = {"agenda-title": "我打的议题", "agenda-minutes": "999"}
    plain = en.post(url(world, f"/{meeting.id}/agenda"), data=typed)
    html = plain.get_data(as_text=True)
    assert plain.status_code == 422 and "<html" in html and 'value="我打的议题"' in html
    assert "A time box is from 1 to 240 minutes." in html
    htmx = en.post(url(world, f"/{meeting.id}/agenda"), data=typed, headers=HX)
    html = htmx.get_data(as_text=True)
    assert htmx.status_code == 422 and html.lstrip().startswith('<section id="agenda_panel"')
    assert 'value="我打的议题"' in html and "HX-Request" in htmx.headers["Vary"]
    assert titles(meeting) == []


def test_hostile_item_text_is_escaped(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.organiser)
    en.post(url(world, f"/{meeting.id}/agenda"), data={"agenda-title": "<script>alert(1)</script>"})
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("htmx", [False, True])
def test_move_and_delete_plain_and_htmx(world, make_meeting, en, login_as, htmx):
    meeting = make_meeting()
    first, second = add(meeting, world, "开场"), add(meeting, world, "总结")
    login_as(world.organiser)
    headers = HX if htmx else {}
    moved = en.post(url(world, f"/{meeting.id}/agenda/{second.id}/move"), data={"direction": "up"}, headers=headers)
    assert titles(meeting) == ["总结", "开场"]
    removed = en.post(url(world, f"/{meeting.id}/agenda/{first.id}/delete"), headers=headers)
    assert titles(meeting) == ["总结"]
    for response in (moved, removed):
        if htmx:
            assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
            assert response.get_data(as_text=True).lstrip().startswith('<section id="agenda_panel"')
        else:
            assert response.status_code == 303 and response.headers["Location"].endswith("#agenda_panel")


def test_a_bad_direction_is_refused(world, make_meeting, client, login_as):
    meeting = make_meeting()
    item = add(meeting, world, "开场")
    login_as(world.organiser)
    assert client.post(url(world, f"/{meeting.id}/agenda/{item.id}/move"), data={"direction": "sideways"}).status_code == 400


def test_residents_see_the_agenda_without_controls(world, make_meeting, en, login_as):
    meeting = make_meeting()
    add(meeting, world, "开场", 20)
    login_as(world.neighbour)
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert "开场" in page and "14:00–14:20" in page
    assert "Add to the agenda" not in page and "/agenda/" not in page


def test_the_meeting_page_query_count_does_not_grow_with_the_agenda(world, make_meeting, client, login_as):
    meeting = make_meeting(projects=[world.project])
    login_as(world.organiser)
    add(meeting, world, "开场", 10, proposal_id=make_proposal(world, title="提议0").id)
    with counted_queries() as few:
        assert client.get(url(world, f"/{meeting.id}")).status_code == 200
    for i in range(1, 8):
        proposal = make_proposal(world, title=f"提议{i}")
        add(meeting, world, f"议题{i}", 10, proposal_id=proposal.id)
        meeting.proposals.append(proposal)
    db.session.commit()
    with counted_queries() as many:
        assert client.get(url(world, f"/{meeting.id}")).status_code == 200
    assert len(many) == len(few)
