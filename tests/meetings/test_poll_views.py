"""The time poll on the meeting page: offering slots, answering (plain and htmx), deadline, picking, who answered."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import poll
from civic.meetings.localtime import combine, local_date
from civic.meetings.models import Meeting, MeetingStatus, PollAnswer, PollAnswerKind, PollSlot
from civic.notices.models import Notification
from tests.meetings.test_poll import add, add_direct, counted_queries, local_at

HTMX = {"HX-Request": "true"}
YES, MAYBE, NO = PollAnswerKind.YES, PollAnswerKind.MAYBE, PollAnswerKind.NO


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(status=MeetingStatus.POLLING)


def url(world, meeting, tail: str = "") -> str:  # noqa: ANN001
    return f"/c/{world.community.slug}/meetings/{meeting.id}{tail}"


def slot_form(days: int = 2, start: str = "14:00", end: str = "16:00") -> dict:
    day = local_date(utcnow()) + timedelta(days=days)
    return {"slot_day": day.isoformat(), "slot_starts": start, "slot_ends": end}


def answers_of(slot) -> list:  # noqa: ANN001
    return db.session.execute(db.select(PollAnswer.user_id, PollAnswer.answer).where(PollAnswer.slot_id == slot.id)
                              .order_by(PollAnswer.user_id)).all()


def is_block_only(response, element_id: str) -> bool:
    html = response.get_data(as_text=True)
    return "HX-Request" in response.headers["Vary"] and "<html" not in html and f'id="{element_id}"' in html


# ---- the page ----

def test_the_page_shows_the_grid_with_counts_and_my_answer(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    poll.answer(meeting, slot, world.neighbour.id, MAYBE, utcnow())
    poll.answer(meeting, slot, world.far_neighbour.id, YES, utcnow())
    db.session.commit()
    login_as(world.neighbour)
    html = en.get(url(world, meeting)).get_data(as_text=True)
    row = html[html.index(f'id="slot-{slot.id}"'):]
    row = row[:row.index("</li>")]
    assert "14:00–16:00" in row and 'value="maybe" class="choice-maybe" aria-pressed="true"' in row
    assert 'value="yes" class="choice-yes" aria-pressed="false"' in row
    assert "2 people have answered." in html
    assert "Pick this time" not in html and "Offer a time" not in html  # a resident neither picks nor offers


def test_the_organiser_sees_the_ranking_with_the_best_marked(world, meeting, en, login_as):
    poor, good = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    poll.answer(meeting, good, world.neighbour.id, YES, utcnow())
    poll.answer(meeting, poor, world.neighbour.id, NO, utcnow())
    db.session.commit()
    login_as(world.organiser)
    html = en.get(url(world, meeting)).get_data(as_text=True)
    ranking = html[html.index('class="poll-ranking"'):]
    assert ranking.index(f"/slots/{good.id}/pick") < ranking.index(f"/slots/{poor.id}/pick")
    assert "Best so far" in ranking[:ranking.index(f"/slots/{good.id}/pick")]
    assert "The poll then closes and the 1 person who answered is told." in ranking


def test_the_page_query_count_does_not_grow_with_slots_or_answers(world, meeting, make_member, en, login_as):
    login_as(world.neighbour)
    add(meeting, 2, 14, world.organiser)
    with counted_queries() as few:
        assert en.get(url(world, meeting)).status_code == 200
    people = [world.organiser, world.spouse, world.neighbour, world.far_neighbour, world.committee]
    for n in range(8):
        slot = add(meeting, 3 + n, 10, world.organiser)
        for person in people:
            poll.answer(meeting, slot, person.id, (YES, MAYBE, NO)[(n + person.id) % 3], utcnow())
    db.session.commit()
    with counted_queries() as many:
        assert en.get(url(world, meeting)).status_code == 200
    assert len(many) == len(few)


def test_a_scheduled_meeting_shows_no_poll(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.neighbour)
    html = en.get(url(world, meeting)).get_data(as_text=True)
    assert 'id="poll_panel"' not in html


# ---- offering slots ----

def test_the_organiser_adds_a_slot_in_local_time_plain(world, meeting, en, login_as):
    login_as(world.organiser)
    response = en.post(url(world, meeting, "/slots"), data=slot_form(start="00:30", end="01:30"))
    assert response.status_code == 303 and response.headers["Location"].endswith("#poll_panel")
    slot = db.session.scalars(db.select(PollSlot)).one()
    day = local_date(utcnow()) + timedelta(days=2)
    assert slot.starts_at == combine(day, time(0, 30)) and local_date(slot.starts_at) == day


def test_adding_a_slot_with_htmx_returns_the_panel(world, meeting, en, login_as):
    login_as(world.committee)
    response = en.post(url(world, meeting, "/slots"), data=slot_form(), headers=HTMX)
    assert response.status_code == 200 and is_block_only(response, "poll_panel")
    assert response.headers["HX-Trigger"] == "poll-changed"
    assert "14:00–16:00" in response.get_data(as_text=True)


def test_a_past_slot_comes_back_with_the_input_and_a_message(world, meeting, en, login_as):
    login_as(world.organiser)
    data = slot_form(days=-1, start="09:15")
    page = en.post(url(world, meeting, "/slots"), data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "<html" in html and "in the past" in html
    assert f'value="{data["slot_day"]}"' in html and 'value="09:15"' in html
    block = en.post(url(world, meeting, "/slots"), data=data, headers=HTMX)
    assert block.status_code == 422 and is_block_only(block, "poll_panel")
    assert "in the past" in block.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(PollSlot)) == 0


@pytest.mark.parametrize("data, message", [
    (slot_form(start="16:00", end="14:00"), "The end must be after the start."),
    ({**slot_form(), "slot_day": "tomorrow"}, "year-month-day"),
    ({**slot_form(), "slot_starts": "2pm"}, "hours:minutes"),
    ({**slot_form(), "slot_ends": ""}, "Give the time it ends."),
])
def test_bad_slot_input_is_refused_with_a_clear_message(world, meeting, en, login_as, data, message):
    login_as(world.organiser)
    response = en.post(url(world, meeting, "/slots"), data=data, headers=HTMX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(PollSlot)) == 0


def test_a_duplicate_slot_is_refused(world, meeting, en, login_as):
    login_as(world.organiser)
    assert en.post(url(world, meeting, "/slots"), data=slot_form()).status_code == 303
    again = en.post(url(world, meeting, "/slots"), data=slot_form(end="15:00"))
    assert again.status_code == 422 and "already offered" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(PollSlot)) == 1


def test_a_resident_cannot_offer_remove_pick_or_set_the_deadline(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.neighbour)
    assert en.post(url(world, meeting, "/slots"), data=slot_form(3)).status_code == 403
    assert en.post(url(world, meeting, f"/slots/{slot.id}/delete")).status_code == 403
    assert en.post(url(world, meeting, f"/slots/{slot.id}/pick")).status_code == 403
    assert en.post(url(world, meeting, "/poll/deadline"), data={"clear": "1"}).status_code == 403
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.POLLING
    assert db.session.scalar(db.select(func.count()).select_from(PollSlot)) == 1


def test_an_outsider_gets_404_everywhere(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.outsider)
    assert en.get(url(world, meeting, f"/slots/{slot.id}/answers")).status_code == 404
    assert en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"}).status_code == 404
    assert en.post(url(world, meeting, "/slots"), data=slot_form(3)).status_code == 404
    assert en.post(url(world, meeting, f"/slots/{slot.id}/pick")).status_code == 404
    assert answers_of(slot) == []


def test_removing_a_slot_plain_and_htmx(world, meeting, en, login_as):
    first, second = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    login_as(world.organiser)
    plain = en.post(url(world, meeting, f"/slots/{first.id}/delete"))
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#poll_panel")
    block = en.post(url(world, meeting, f"/slots/{second.id}/delete"), headers=HTMX)
    assert block.status_code == 200 and is_block_only(block, "poll_panel")
    assert "No times have been offered yet." in block.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(PollSlot)) == 0


# ---- answering ----

def test_answering_plain_redirects_to_the_slot(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.neighbour)
    response = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#slot-{slot.id}")
    assert answers_of(slot) == [(world.neighbour.id, YES)]
    page = en.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: “Yes”" in page


def test_answering_with_htmx_returns_only_that_slot_under_3_kb(world, meeting, en, login_as):
    slot, other = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    login_as(world.neighbour)
    en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"}, headers=HTMX)
    response = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "no"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and is_block_only(response, f"slot-{slot.id}")
    assert len(response.get_data()) < 3 * 1024
    assert f'id="slot-{other.id}"' not in html and 'id="poll_panel"' not in html
    assert 'value="no" class="choice-no" aria-pressed="true"' in html
    assert 'id="poll-answerers" hx-swap-oob="true"' in html and response.headers["HX-Trigger"] == "poll-answered"
    assert answers_of(slot) == [(world.neighbour.id, NO)]


def test_the_organiser_answering_gets_the_whole_panel_so_the_ranking_moves(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.organiser)
    response = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"}, headers=HTMX)
    assert response.status_code == 200 and is_block_only(response, "poll_panel")
    assert response.headers["HX-Retarget"] == "#poll_panel"


@pytest.mark.parametrize("value", ["", "perhaps", "YES", "<script>"])
def test_a_bad_answer_value_is_refused_and_nothing_written(world, meeting, en, login_as, value):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.neighbour)
    block = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": value}, headers=HTMX)
    assert block.status_code == 422 and is_block_only(block, f"slot-{slot.id}")
    assert "Choose yes, if need be, or no." in block.get_data(as_text=True)
    page = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": value})
    assert page.status_code == 422 and "<html" in page.get_data(as_text=True)
    assert answers_of(slot) == []


def test_another_meetings_slot_is_not_found(world, meeting, make_meeting, en, login_as):
    other = make_meeting(status=MeetingStatus.POLLING, title="另一个会")
    foreign = add(other, 2, 14, world.organiser)
    login_as(world.neighbour)
    assert en.post(url(world, meeting, f"/slots/{foreign.id}/answer"), data={"answer": "yes"}).status_code == 404
    assert en.get(url(world, meeting, f"/slots/{foreign.id}/answers")).status_code == 404
    assert en.post(url(world, meeting, "/slots/999999/answer"), data={"answer": "yes"}).status_code == 404
    assert answers_of(foreign) == []


def test_an_answer_after_the_deadline_is_refused_with_a_message(world, make_meeting, en, login_as):
    meeting = make_meeting(status=MeetingStatus.POLLING, poll_deadline_at=utcnow() - timedelta(minutes=5))
    slot = add_direct(meeting, local_at(3, 14))
    login_as(world.neighbour)
    page = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"})
    assert page.status_code == 422 and "deadline has passed" in page.get_data(as_text=True)
    block = en.post(url(world, meeting, f"/slots/{slot.id}/answer"), data={"answer": "yes"}, headers=HTMX)
    html = block.get_data(as_text=True)
    assert block.status_code == 422 and is_block_only(block, "poll_panel")
    assert block.headers["HX-Retarget"] == "#poll_panel" and "The poll is closed." in html
    assert 'name="answer"' not in html  # no buttons left to press
    assert answers_of(slot) == []


# ---- the deadline ----

def test_setting_the_deadline_plain_and_htmx(world, meeting, en, login_as):
    login_as(world.organiser)
    day = (local_date(utcnow()) + timedelta(days=2)).isoformat()
    plain = en.post(url(world, meeting, "/poll/deadline"), data={"deadline_day": day, "deadline_time": "20:00"})
    assert plain.status_code == 303
    assert db.session.get(Meeting, meeting.id).poll_deadline_at == local_at(2, 20)
    block = en.post(url(world, meeting, "/poll/deadline"), data={"clear": "1"}, headers=HTMX)
    assert block.status_code == 200 and is_block_only(block, "poll_panel")
    assert db.session.get(Meeting, meeting.id).poll_deadline_at is None


def test_a_past_or_half_deadline_is_refused(world, meeting, en, login_as):
    login_as(world.organiser)
    yesterday = (local_date(utcnow()) - timedelta(days=1)).isoformat()
    past = en.post(url(world, meeting, "/poll/deadline"), data={"deadline_day": yesterday, "deadline_time": "20:00"})
    assert past.status_code == 422 and "must be in the future" in past.get_data(as_text=True)
    half = en.post(url(world, meeting, "/poll/deadline"), data={"deadline_day": yesterday}, headers=HTMX)
    assert half.status_code == 422 and "Give the time the poll closes." in half.get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id).poll_deadline_at is None


def test_the_deadline_is_shown_in_words(world, make_meeting, en, login_as):
    meeting = make_meeting(status=MeetingStatus.POLLING, poll_deadline_at=local_at(2, 20))
    login_as(world.neighbour)
    html = en.get(url(world, meeting)).get_data(as_text=True)
    assert "Answers close on" in html and "20:00" in html


# ---- picking ----

def test_picking_plain_schedules_and_tells_the_answerers(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())
    db.session.commit()
    login_as(world.organiser)
    response = en.post(url(world, meeting, f"/slots/{slot.id}/pick"))
    assert response.status_code == 303 and response.headers["Location"].endswith(url(world, meeting))
    picked = db.session.get(Meeting, meeting.id)
    assert picked.status is MeetingStatus.SCHEDULED and picked.starts_at == slot.starts_at
    assert db.session.scalars(db.select(Notification.user_id)).all() == [world.neighbour.id]
    html = en.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 person who answered was told" in html and "This time was chosen with a time poll." in html


def test_picking_with_htmx_redirects_the_whole_page(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    login_as(world.committee)
    response = en.post(url(world, meeting, f"/slots/{slot.id}/pick"), headers=HTMX)
    assert response.status_code == 200 and response.headers["HX-Redirect"].endswith(url(world, meeting))
    assert "HX-Request" in response.headers["Vary"]
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED


def test_picking_twice_and_answering_after_a_pick_are_refused(world, meeting, en, login_as):
    first, second = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    login_as(world.organiser)
    assert en.post(url(world, meeting, f"/slots/{first.id}/pick")).status_code == 303
    again = en.post(url(world, meeting, f"/slots/{second.id}/pick"), headers=HTMX)
    assert again.status_code == 422 and "already been picked" in again.get_data(as_text=True)
    late = en.post(url(world, meeting, f"/slots/{first.id}/answer"), data={"answer": "yes"})
    assert late.status_code == 422 and "a time has been picked" in late.get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id).starts_at == first.starts_at and answers_of(first) == []


# ---- who answered ----

def test_who_answered_page_and_block(world, meeting, en, login_as):
    slot = add(meeting, 2, 14, world.organiser)
    poll.answer(meeting, slot, world.far_neighbour.id, NO, utcnow())
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())
    db.session.commit()
    login_as(world.spouse)
    page = en.get(url(world, meeting, f"/slots/{slot.id}/answers"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "HX-Request" in page.headers["Vary"]
    assert html.index("李叔 · 7号楼") < html.index("赵姐 · 8号楼") and "Yes (1)" in html and "No (1)" in html
    assert world.far_home.room not in html  # never a room number
    block = en.get(url(world, meeting, f"/slots/{slot.id}/answers"), headers=HTMX)
    assert block.status_code == 200 and is_block_only(block, f"answers-{slot.id}")
    assert "李叔 · 7号楼" in block.get_data(as_text=True)
