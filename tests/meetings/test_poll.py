"""The time poll's rules and services: slots, answers and changes, closing, ranking, picking, who answered."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import poll, rules
from civic.meetings.localtime import combine, local_date
from civic.meetings.models import MeetingStatus, PollAnswer, PollAnswerKind, PollSlot
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import ProjectEvent
from tests.querycount import counted_queries  # noqa: F401  (used here and re-exported)

YES, MAYBE, NO = PollAnswerKind.YES, PollAnswerKind.MAYBE, PollAnswerKind.NO


def local_at(days: int, hour: int, minute: int = 0):
    """Naive UTC of a local (Asia/Shanghai) wall-clock time `days` from today."""
    return combine(local_date(utcnow()) + timedelta(days=days), time(hour, minute))


@pytest.fixture(autouse=True)
def _english(app):
    """Refusals are asserted on their English wording (outside a request the default locale is Chinese)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def polling(make_meeting, world):
    def make(**overrides):
        return make_meeting(status=MeetingStatus.POLLING, **overrides)

    return make


def add(meeting, days: int, hour: int, actor, hours: int = 2) -> PollSlot:  # noqa: ANN001
    slot = poll.add_slot(meeting, local_at(days, hour), local_at(days, hour + hours), actor=actor, now=utcnow())
    db.session.commit()
    return slot


def slot_count(meeting) -> int:  # noqa: ANN001
    return db.session.scalar(db.select(func.count()).select_from(PollSlot).where(PollSlot.meeting_id == meeting.id))


# ---- slots ----

def test_a_slot_in_the_past_is_refused(world, polling):
    meeting = polling()
    with pytest.raises(RuleViolation) as refused:
        poll.add_slot(meeting, local_at(-1, 14), local_at(-1, 16), actor=world.organiser, now=utcnow())
    assert "past" in refused.value.message and refused.value.field == "starts_at"
    db.session.rollback()
    assert slot_count(meeting) == 0


def test_a_slot_ending_before_it_starts_is_refused(world, polling):
    meeting = polling()
    with pytest.raises(RuleViolation) as refused:
        poll.add_slot(meeting, local_at(2, 16), local_at(2, 14), actor=world.organiser, now=utcnow())
    assert refused.value.field == "ends_at"


def test_a_duplicate_start_is_refused_and_the_first_slot_stays(world, polling):
    meeting = polling()
    first = add(meeting, 2, 14, world.organiser)
    with pytest.raises(RuleViolation) as refused:
        poll.add_slot(meeting, local_at(2, 14), local_at(2, 15), actor=world.organiser, now=utcnow())
    assert refused.value.field == "starts_at" and "already" in refused.value.message
    db.session.commit()  # the savepoint was rolled back; the transaction is still usable
    assert slot_count(meeting) == 1 and db.session.get(PollSlot, first.id).ends_at == local_at(2, 16)


def test_at_most_twenty_slots(world, polling):
    meeting = polling()
    for n in range(poll.MAX_SLOTS):
        add(meeting, 1 + n // 5, 9 + 2 * (n % 5), world.organiser, hours=1)
    with pytest.raises(RuleViolation) as refused:
        poll.add_slot(meeting, local_at(10, 9), local_at(10, 10), actor=world.organiser, now=utcnow())
    assert "20" in refused.value.message
    db.session.rollback()
    assert slot_count(meeting) == poll.MAX_SLOTS


def test_slots_only_while_polling(world, make_meeting):
    meeting = make_meeting()  # scheduled
    with pytest.raises(RuleViolation):
        poll.add_slot(meeting, local_at(3, 14), local_at(3, 16), actor=world.organiser, now=utcnow())


def test_removing_a_slot_takes_its_answers_with_it(world, polling):
    meeting = polling()
    gone, kept = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    poll.answer(meeting, gone, world.neighbour.id, YES, utcnow())
    poll.answer(meeting, kept, world.neighbour.id, NO, utcnow())
    db.session.commit()
    poll.remove_slot(meeting, gone, actor=world.organiser, now=utcnow())
    db.session.commit()
    assert [s.id for s in db.session.scalars(db.select(PollSlot))] == [kept.id]
    assert db.session.scalars(db.select(PollAnswer.slot_id)).all() == [kept.id]
    audit = db.session.scalar(db.select(AuditEvent.detail).where(AuditEvent.action == "meeting.slot_removed"))
    assert audit["answers"] == 1


# ---- answers ----

def test_answer_and_change_it_keeps_one_row(world, polling):
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())
    db.session.commit()
    poll.answer(meeting, slot, world.neighbour.id, MAYBE, utcnow())
    db.session.commit()
    rows = db.session.scalars(db.select(PollAnswer)).all()
    assert [(r.user_id, r.answer) for r in rows] == [(world.neighbour.id, MAYBE)]
    assert poll.my_answers(meeting, world.neighbour.id) == {slot.id: MAYBE}
    assert poll.my_answers(meeting, world.far_neighbour.id) == {}


def test_a_double_tap_that_loses_the_insert_race_still_saves_the_latest_answer(world, polling, monkeypatch):
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())  # the other request's row, committed first
    db.session.commit()
    real, calls = poll._update_answer, []

    def first_update_misses(*args):  # noqa: ANN002
        calls.append(args)
        return False if len(calls) == 1 else real(*args)

    monkeypatch.setattr(poll, "_update_answer", first_update_misses)
    poll.answer(meeting, slot, world.neighbour.id, NO, utcnow())  # INSERT meets UNIQUE(slot, user) → UPDATE
    db.session.commit()
    assert len(calls) == 2
    assert db.session.execute(db.select(PollAnswer.user_id, PollAnswer.answer)).all() == [(world.neighbour.id, NO)]


def test_answer_after_a_pick_is_refused(world, polling):
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    poll.pick(meeting, slot, actor=world.organiser, now=utcnow())
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())
    assert "closed" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(db.select(func.count()).select_from(PollAnswer)) == 0


def test_the_deadline_closes_answers_on_its_own(world, polling):
    meeting = polling()
    slot = add(meeting, 3, 14, world.organiser)
    poll.set_deadline(meeting, local_at(1, 20), actor=world.organiser, now=utcnow())
    db.session.commit()
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())  # before the deadline: fine
    db.session.commit()
    later = local_at(1, 20) + timedelta(minutes=1)
    with pytest.raises(RuleViolation) as refused:
        poll.answer(meeting, slot, world.neighbour.id, NO, later)
    assert "deadline" in refused.value.message
    db.session.rollback()
    assert poll.my_answers(meeting, world.neighbour.id) == {slot.id: YES}
    # the organiser can still pick after the deadline
    assert rules.can_pick_slot(standing_of(world.organiser, world.community), meeting)


def test_a_deadline_must_be_in_the_future_and_can_be_removed(world, polling):
    meeting = polling()
    with pytest.raises(RuleViolation) as refused:
        poll.set_deadline(meeting, local_at(-1, 20), actor=world.organiser, now=utcnow())
    assert refused.value.field == "deadline_at"
    db.session.rollback()
    poll.set_deadline(meeting, local_at(2, 20), actor=world.organiser, now=utcnow())
    poll.set_deadline(meeting, None, actor=world.organiser, now=utcnow())
    db.session.commit()
    assert meeting.poll_deadline_at is None


def test_a_new_deadline_reopens_a_poll_that_ran_out(world, polling):
    meeting = polling(poll_deadline_at=utcnow() - timedelta(hours=1))
    slot = add_direct(meeting, local_at(3, 14))
    st = standing_of(world.organiser, world.community)
    assert not rules.is_poll_open(meeting, utcnow()) and rules.can_set_poll_deadline(st, meeting)
    poll.set_deadline(meeting, local_at(2, 20), actor=world.organiser, now=utcnow())
    db.session.commit()
    poll.answer(meeting, slot, world.neighbour.id, YES, utcnow())
    db.session.commit()
    assert poll.my_answers(meeting, world.neighbour.id) == {slot.id: YES}


def add_direct(meeting, starts_at) -> PollSlot:  # noqa: ANN001
    """A slot made directly (for a poll whose deadline has passed already)."""
    slot = PollSlot(meeting_id=meeting.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    db.session.add(slot)
    db.session.commit()
    return slot


# ---- counts and ranking ----

def _answer_all(meeting, slot, kinds, people):  # noqa: ANN001
    for kind, person in zip(kinds, people):
        poll.answer(meeting, slot, person.id, kind, utcnow())
    db.session.commit()


def test_tallies_come_from_one_query_and_rank_yes_then_maybe_then_earliest(world, polling):
    meeting = polling()
    people = [world.organiser, world.spouse, world.neighbour, world.far_neighbour]
    early, middle, late, empty = (add(meeting, d, 14, world.organiser) for d in (2, 3, 4, 5))
    _answer_all(meeting, early, [YES, MAYBE, NO, NO], people)
    _answer_all(meeting, middle, [YES, MAYBE, MAYBE, NO], people)
    _answer_all(meeting, late, [YES, YES, NO, NO], people)
    assert meeting.title  # loaded again after the commit, before counting
    with counted_queries() as statements:
        tallies = poll.tallies(meeting)
    assert len(statements) == 1
    assert [(t.slot.id, t.yes, t.maybe, t.no) for t in tallies] == [
        (early.id, 1, 1, 2), (middle.id, 1, 2, 1), (late.id, 2, 0, 2), (empty.id, 0, 0, 0)]
    ranked = poll.ranked(tallies)
    assert [t.slot.id for t in ranked] == [late.id, middle.id, early.id, empty.id]
    assert poll.best(ranked).slot.id == late.id
    assert poll.answerer_count(meeting) == 4


def test_equal_counts_rank_the_earlier_first_and_no_best_without_answers(world, polling):
    meeting = polling()
    later, earlier = add(meeting, 4, 14, world.organiser), add(meeting, 2, 14, world.organiser)
    ranked = poll.ranked(poll.tallies(meeting))
    assert [t.slot.id for t in ranked] == [earlier.id, later.id]
    assert poll.best(ranked) is None


# ---- picking ----

def test_pick_schedules_closes_notifies_answerers_and_tells_the_project(world, polling):
    meeting = polling(projects=[world.project])
    slot, other = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    _answer_all(meeting, slot, [YES, NO], [world.neighbour, world.organiser])
    _answer_all(meeting, other, [MAYBE], [world.far_neighbour])
    told = poll.pick(meeting, slot, actor=world.organiser, now=utcnow())
    db.session.commit()
    assert told == 2  # 李叔 and 赵姐; never the organiser who picked
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.poll_closed_at is not None
    assert (meeting.starts_at, meeting.ends_at) == (slot.starts_at, slot.ends_at)
    assert db.session.get(PollSlot, slot.id).is_chosen and not db.session.get(PollSlot, other.id).is_chosen
    notices = db.session.scalars(db.select(Notification).order_by(Notification.user_id)).all()
    assert {n.user_id for n in notices} == {world.neighbour.id, world.far_neighbour.id}
    assert all(n.kind is NoticeKind.MEETING_SCHEDULED and n.meeting_id == meeting.id for n in notices)
    assert notices[0].summary.startswith(meeting.title) and "14:00" in notices[0].summary
    event_row = db.session.scalars(db.select(ProjectEvent).where(ProjectEvent.kind == "meeting_scheduled")).one()
    assert event_row.project_id == world.project.id and event_row.detail["meeting_id"] == meeting.id


def test_pick_twice_is_refused(world, polling):
    meeting = polling()
    first, second = add(meeting, 2, 14, world.organiser), add(meeting, 3, 14, world.organiser)
    poll.pick(meeting, first, actor=world.organiser, now=utcnow())
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        poll.pick(meeting, second, actor=world.committee, now=utcnow())
    assert "already" in refused.value.message
    db.session.rollback()
    assert meeting.starts_at == first.starts_at and not db.session.get(PollSlot, second.id).is_chosen


def test_picking_a_slot_that_has_passed_writes_nothing(world, polling):
    meeting = polling()
    past = add_direct(meeting, utcnow() - timedelta(hours=3))
    with pytest.raises(RuleViolation):
        poll.pick(meeting, past, actor=world.organiser, now=utcnow())
    db.session.rollback()
    assert meeting.status is MeetingStatus.POLLING and meeting.poll_closed_at is None
    assert not db.session.get(PollSlot, past.id).is_chosen


def test_a_cancelled_meeting_cannot_be_picked(world, polling):
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    meeting.status = MeetingStatus.CANCELLED
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        poll.pick(meeting, slot, actor=world.organiser, now=utcnow())
    assert "cancelled" in refused.value.message


# ---- who answered ----

def test_who_answered_lists_display_name_and_building_by_answer(world, polling):
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    _answer_all(meeting, slot, [NO, YES, MAYBE], [world.far_neighbour, world.neighbour, world.spouse])
    assert meeting.title and slot.starts_at and meeting.community  # loaded again after the commit
    with counted_queries() as statements:
        who = poll.who_answered(meeting, slot)
    assert len(statements) <= 2
    assert who.groups == [(YES, ["李叔 · 7号楼"]), (MAYBE, ["王伯伯 · 7号楼"]), (NO, ["赵姐 · 8号楼"])]
    assert who.page == 1 and not who.has_next


def test_who_answered_is_paged(world, polling, monkeypatch):
    monkeypatch.setattr(poll, "ANSWERS_PER_PAGE", 2)
    meeting = polling()
    slot = add(meeting, 2, 14, world.organiser)
    _answer_all(meeting, slot, [NO, YES, YES], [world.far_neighbour, world.neighbour, world.spouse])
    first, second = poll.who_answered(meeting, slot), poll.who_answered(meeting, slot, page=2)
    assert first.has_next and first.groups == [(YES, ["李叔 · 7号楼", "王伯伯 · 7号楼"])]
    assert not second.has_next and second.groups == [(NO, ["赵姐 · 8号楼"])]


# ---- rules ----

@pytest.mark.parametrize("who, manage, pick", [
    ("organiser", True, True), ("committee", True, True), ("neighbour", False, False), ("spouse", False, False)])
def test_who_may_manage_slots_and_pick(world, polling, who, manage, pick):
    meeting = polling()
    st = standing_of(getattr(world, who), world.community)
    assert rules.can_manage_slots(st, meeting, utcnow()) is manage
    assert rules.can_pick_slot(st, meeting) is pick
    assert rules.can_set_poll_deadline(st, meeting) is manage
    assert rules.can_answer_poll(st, meeting, utcnow())


def test_an_outsider_may_not_answer(world, polling):
    meeting = polling()
    assert not rules.can_answer_poll(standing_of(world.outsider, world.community), meeting, utcnow())


def test_half_past_midnight_slot_is_on_its_own_local_day(world, polling):
    meeting = polling()
    day = local_date(utcnow()) + timedelta(days=3)
    slot = poll.add_slot(meeting, combine(day, time(0, 30)), combine(day, time(1, 30)), actor=world.organiser,
                         now=utcnow())
    assert local_date(slot.starts_at) == day and slot.starts_at.date() == day - timedelta(days=1)
    assert isinstance(day, date)
