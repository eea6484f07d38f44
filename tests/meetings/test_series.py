"""Reception-day series: one meeting per month on the nth weekday, local times, moving one date, ending the series."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import editing, queries, series
from civic.meetings.localtime import combine, local_date, to_local
from civic.meetings.models import Meeting, MeetingKind, MeetingSeries, MeetingStatus, Rsvp, RsvpStatus
from civic.notices.models import NoticeKind, Notification
from tests.meetings.editing_support import local_today, meeting_count, url

NOW = datetime(2026, 11, 20, 2, 0)  # 10:00 on Friday 20 November 2026 in Shanghai


def data(**overrides) -> series.SeriesData:
    values = {"title": "书记会客日", "place": "一米会客厅", "nth": 1, "weekday": 1, "starts_local": time(14),
              "ends_local": time(16), "first_month": date(2026, 12, 1), "months": 6, "capacity": 20}
    values.update(overrides)
    return series.SeriesData(**values)


def occurrences(made: MeetingSeries) -> list[Meeting]:
    return queries.series_occurrences(made.id)


def test_first_tuesday_of_six_months_at_two_in_the_afternoon(world):
    made = series.create_series(world.community, data(), actor=world.committee, now=NOW)
    db.session.commit()
    rows = occurrences(made)
    assert [local_date(m.starts_at) for m in rows] == [date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2),
                                                       date(2027, 3, 2), date(2027, 4, 6), date(2027, 5, 4)]
    first = rows[0]
    assert (first.starts_at, first.ends_at) == (datetime(2026, 12, 1, 6, 0), datetime(2026, 12, 1, 8, 0))
    assert {m.kind for m in rows} == {MeetingKind.RECEPTION} and {m.series_id for m in rows} == {made.id}
    assert {m.status for m in rows} == {MeetingStatus.SCHEDULED} and {m.capacity for m in rows} == {20}
    assert len({m.signin_code for m in rows}) == 6 and {m.organiser_id for m in rows} == {world.committee.id}
    assert db.session.execute(db.select(AuditEvent.action).where(
        AuditEvent.target == f"meeting_series:{made.id}")).scalars().all() == ["meeting_series.created"]


def test_months_without_a_fifth_tuesday_are_skipped(world):
    made = series.create_series(world.community, data(nth=5, months=6), actor=world.committee, now=NOW)
    # Fifth Tuesdays: 29 Dec 2026, 30 Mar 2027; Jan, Feb, Apr and May 2027 have only four.
    assert [local_date(m.starts_at) for m in occurrences(made)] == [date(2026, 12, 29), date(2027, 3, 30)]


def test_the_last_weekday_of_the_month(world):
    made = series.create_series(world.community, data(nth=-1, weekday=4, months=2), actor=world.committee, now=NOW)
    assert [local_date(m.starts_at) for m in occurrences(made)] == [date(2026, 12, 25), date(2027, 1, 29)]


def test_dates_already_past_are_skipped(world):
    # The first Tuesday of November 2026 (the 3rd) is past on the 20th; December's is still to come.
    made = series.create_series(world.community, data(first_month=date(2026, 11, 1), months=2), actor=world.committee,
                                now=NOW)
    assert [local_date(m.starts_at) for m in occurrences(made)] == [date(2026, 12, 1)]


def test_half_past_midnight_local_lands_on_the_right_day(world):
    made = series.create_series(world.community, data(starts_local=time(0, 30), ends_local=time(1, 30), months=1),
                                actor=world.committee, now=NOW)
    (meeting,) = occurrences(made)
    assert meeting.starts_at == datetime(2026, 11, 30, 16, 30)  # UTC: still the day before
    assert local_date(meeting.starts_at) == date(2026, 12, 1) and to_local(meeting.starts_at).weekday() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"ends_local": time(13)}, "ends_at"),
    ({"nth": 0}, "nth"),
    ({"weekday": 7}, "weekday"),
    ({"months": 25}, "months"),
    ({"title": ""}, "title"),
    ({"first_month": date(2026, 10, 1), "months": 1}, "first_month"),
])
def test_bad_series_is_refused_and_nothing_is_written(world, overrides, field):
    with pytest.raises(RuleViolation) as refused:
        series.create_series(world.community, data(**overrides), actor=world.committee, now=NOW)
    assert refused.value.field == field
    db.session.rollback()
    assert meeting_count() == 0 and db.session.scalar(db.select(db.func.count()).select_from(MeetingSeries)) == 0


def test_describe_says_first_tuesday_and_the_times(world, app):
    made = series.create_series(world.community, data(), actor=world.committee, now=NOW)
    with app.test_request_context(headers={"Cookie": "civic_lang=en"}):
        assert series.describe(made) == "Every month on the first Tuesday, 14:00–16:00"


def _live_series(world, **overrides) -> MeetingSeries:
    """A series whose first date is next month (real clock: the views use it)."""
    today = local_today()
    first = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    made = series.create_series(world.community, data(first_month=first, **overrides), actor=world.committee,
                                now=utcnow())
    db.session.commit()
    return made


def test_one_date_can_be_moved_or_cancelled_on_its_own(world):
    made = _live_series(world, months=3)
    first, second, third = occurrences(made)
    later = combine(local_date(first.starts_at) + timedelta(days=1), time(9))
    editing.edit_meeting(first, editing.MeetingData(kind=MeetingKind.RECEPTION, title=first.title, place=first.place,
                                                    starts_at=later, ends_at=later + timedelta(hours=2), capacity=20),
                         actor=world.committee, now=utcnow())
    editing.cancel_meeting(second, "书记外出开会", actor=world.committee, now=utcnow())
    db.session.commit()
    assert first.starts_at == later and second.is_cancelled and third.status is MeetingStatus.SCHEDULED
    assert third.starts_at == combine(local_date(third.starts_at), time(14))


def test_ending_the_series_cancels_future_dates_and_tells_those_going(world):
    made = _live_series(world, months=3)
    rows = occurrences(made)
    past = Meeting(community_id=world.community.id, series_id=made.id, kind=MeetingKind.RECEPTION, title=made.title,
                   place=made.place, starts_at=utcnow() - timedelta(days=30), ends_at=utcnow() - timedelta(days=30, hours=-2),
                   signin_code="PAST22", organiser_id=world.committee.id)
    db.session.add(past)
    db.session.add(Rsvp(meeting_id=rows[1].id, user_id=world.neighbour.id, status=RsvpStatus.GOING))
    db.session.commit()
    assert series.end_series(made, actor=world.committee, now=utcnow()) == 3
    db.session.commit()
    assert all(m.is_cancelled for m in rows) and not past.is_cancelled and made.ended_at is not None
    told = db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == NoticeKind.MEETING_CHANGED, Notification.meeting_id == rows[1].id)).scalars().all()
    assert told == [world.neighbour.id]
    with pytest.raises(RuleViolation):
        series.end_series(made, actor=world.committee, now=utcnow())


# ---- views ----

def _form(**overrides) -> dict:
    today = local_today()
    first = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    values = {"title": "书记会客日", "nth": "1", "weekday": "1", "starts": "14:00", "ends": "16:00",
              "first_month": f"{first:%Y-%m}", "months": "3", "place": "一米会客厅", "capacity": "", "description": ""}
    values.update(overrides)
    return values


@pytest.mark.parametrize("who, status", [("neighbour", 403), ("organiser", 403), ("outsider", 404)])
def test_only_the_committee_may_schedule_or_end_a_series(world, client, login_as, who, status):
    made = _live_series(world, months=1)
    login_as(getattr(world, who))
    assert client.get(url(world, "/series/new")).status_code == status
    assert client.post(url(world, "/series/new"), data=_form()).status_code == status
    assert client.post(url(world, f"/series/{made.id}/end")).status_code == status
    assert meeting_count() == 1 and made.ended_at is None


def test_the_committee_schedules_a_series_and_lands_on_its_first_date(world, en, login_as):
    login_as(world.committee)
    page = en.get(url(world, "/series/new")).get_data(as_text=True)
    assert "Secretary&#39;s reception day" in page and "Tuesday" in page
    response = en.post(url(world, "/series/new"), data=_form())
    rows = db.session.execute(db.select(Meeting).order_by(Meeting.starts_at)).scalars().all()
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{rows[0].id}")
    assert len(rows) == 3 and all(to_local(m.starts_at).weekday() == 1 for m in rows)
    page = en.get(url(world, f"/{rows[0].id}")).get_data(as_text=True)
    assert "3 reception days are scheduled" in page and "Every month on the first Tuesday, 14:00–16:00" in page
    assert f'/meetings/{rows[1].id}"' in page and "End these reception days" in page


def test_a_bad_series_form_comes_back_422_with_the_text(world, en, login_as):
    login_as(world.committee)
    response = en.post(url(world, "/series/new"), data=_form(starts="16:00", ends="15:00", place="我打的地点"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The end must be after the start." in html and "我打的地点" in html
    assert meeting_count() == 0


def test_ending_from_an_occurrence_page_goes_back_to_it(world, en, login_as):
    made = _live_series(world, months=2)
    first = occurrences(made)[0]
    login_as(world.committee)
    response = en.post(url(world, f"/series/{made.id}/end"), data={"meeting": first.id})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{first.id}#details_panel")
    assert "2 still to come were cancelled" in en.get(response.headers["Location"]).get_data(as_text=True)


def test_another_communitys_series_is_not_found(world, en, login_as, make_community):
    made = _live_series(world, months=1)
    made.community_id = world.other_community.id
    db.session.commit()
    login_as(world.committee)
    assert en.post(url(world, f"/series/{made.id}/end")).status_code == 404
