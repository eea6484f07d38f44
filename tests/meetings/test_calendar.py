"""The community's meeting list and month calendar: tabs, filters, pages, local days, struck-through cancellations."""
import re
from datetime import date, datetime, timedelta

from flask import current_app, url_for

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import calendar
from civic.meetings.localtime import to_utc
from civic.meetings.models import Meeting, MeetingKind, MeetingStatus, Rsvp, RsvpStatus
from tests.querycount import counted_queries  # noqa: F401  (used here and re-exported)

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _url(world, path=""):
    return f"/c/{world.community.slug}/meetings{path}"


def url_for_show(world, meeting_id: int) -> str:
    with current_app.test_request_context():
        return url_for("meetings.show", slug=world.community.slug, meeting_id=meeting_id)


def _titles(html: str) -> list[str]:
    return re.findall(r'class="cal-title"><a href="[^"]+">(?:<s>)?([^<]+)', html)


def test_upcoming_tab_lists_future_meetings_by_start_and_past_tab_newest_first(world, make_meeting, en, login_as):
    now = utcnow()
    make_meeting(title="后天", starts_at=now + timedelta(days=2))
    make_meeting(title="明天", starts_at=now + timedelta(days=1))
    make_meeting(title="上周", starts_at=now - timedelta(days=7))
    make_meeting(title="昨天", starts_at=now - timedelta(days=1))
    make_meeting(title="正在开", starts_at=now - timedelta(minutes=30))  # not ended yet: still upcoming
    login_as(world.neighbour)
    upcoming = en.get(_url(world)).get_data(as_text=True)
    assert _titles(upcoming) == ["正在开", "明天", "后天"]
    past = en.get(_url(world, "?when=past")).get_data(as_text=True)
    assert _titles(past) == ["昨天", "上周"]
    assert 'aria-current="page">Past' in past


def test_cancelled_meeting_is_struck_through_and_says_cancelled(world, make_meeting, en, login_as):
    make_meeting(title="取消的会", status=MeetingStatus.CANCELLED, starts_at=utcnow() + timedelta(days=3))
    login_as(world.neighbour)
    html = en.get(_url(world)).get_data(as_text=True)
    row = html[html.index('id="meeting-'):]
    assert "<s>取消的会</s>" in row and "Cancelled</strong>" in row


def test_polling_meetings_have_their_own_group_on_the_upcoming_tab(world, make_meeting, en, login_as):
    make_meeting(title="找时间的会", status=MeetingStatus.POLLING)
    make_meeting(title="定了的会")
    login_as(world.neighbour)
    html = en.get(_url(world)).get_data(as_text=True)
    assert "Finding a time" in html and html.index("找时间的会") < html.index("Time fixed") < html.index("定了的会")
    assert "找时间的会" not in en.get(_url(world, "?when=past")).get_data(as_text=True)


def test_kind_filter(world, make_meeting, en, login_as):
    make_meeting(title="会客日", kind=MeetingKind.RECEPTION)
    make_meeting(title="小圆桌")
    login_as(world.neighbour)
    html = en.get(_url(world, "?kind=reception")).get_data(as_text=True)
    assert _titles(html) == ["会客日"]
    stale = en.get(_url(world, "?kind=nonsense&when=nonsense&page=-3"))
    assert stale.status_code == 200 and sorted(_titles(stale.get_data(as_text=True))) == sorted(["会客日", "小圆桌"])


def test_pages_of_fifty_plain_and_htmx(world, make_meeting, en, login_as):
    start = utcnow() + timedelta(days=1)
    for i in range(53):
        make_meeting(title=f"会{i:02d}", starts_at=start + timedelta(hours=i))
    login_as(world.neighbour)
    first = en.get(_url(world)).get_data(as_text=True)
    assert len(_titles(first)) == 50 and "Page 1 of 2" in first
    assert f'href="{_url(world)}?page=2"' in first
    second = en.get(_url(world, "?page=2"), headers={"HX-Request": "true"})
    assert "HX-Request" in second.headers["Vary"]
    body = second.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="meeting_list"') and "<html" not in body
    assert _titles(body) == ["会50", "会51", "会52"]


def test_my_rsvp_is_shown_on_the_row(world, make_meeting, en, login_as):
    meeting = make_meeting(title="我要去的会")
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=world.neighbour.id, status=RsvpStatus.GOING))
    db.session.commit()
    login_as(world.neighbour)
    assert "You: Going" in en.get(_url(world)).get_data(as_text=True)


def test_month_groups_by_local_day_across_the_utc_boundary(world, make_meeting, app):
    # 2026-12-01 00:30 in Shanghai is still 2026-11-30 16:30 in UTC.
    early = make_meeting(title="半夜", starts_at=to_utc(datetime(2026, 12, 1, 0, 30)))
    late = make_meeting(title="月底", starts_at=to_utc(datetime(2026, 11, 30, 23, 0)))
    with app.test_request_context():
        december = calendar.month(world.community, 2026, 12, today=date(2026, 12, 2))
        november = calendar.month(world.community, 2026, 11)
    days = {d.day: d for week in december for d in week}
    assert [r.meeting.id for r in days[date(2026, 12, 1)].rows] == [early.id]
    assert days[date(2026, 12, 1)].in_month and not days[date(2026, 11, 30)].in_month
    assert days[date(2026, 11, 30)].rows == ()  # only December is queried
    assert days[date(2026, 12, 2)].is_today
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in december)  # Monday first
    nov_days = {d.day: d for week in november for d in week}
    assert [r.meeting.id for r in nov_days[date(2026, 11, 30)].rows] == [late.id]
    assert all(early.id != r.meeting.id for week in november for d in week for r in d.rows)


def test_month_page_shows_the_meeting_on_its_local_day(world, make_meeting, en, login_as):
    make_meeting(title="半夜的会", starts_at=to_utc(datetime(2026, 12, 1, 0, 30)))
    login_as(world.neighbour)
    december = en.get(_url(world, "/month?year=2026&month=12")).get_data(as_text=True)
    cell = december[december.index("Tue, Dec 1<"):]
    cell = cell[:cell.index("</li>\n      <li")] if "</li>\n      <li" in cell else cell
    assert "半夜的会" in cell and "00:30–02:30" in cell
    meeting_id = db.session.execute(db.select(Meeting.id).where(Meeting.title == "半夜的会")).scalar_one()
    assert f'href="{url_for_show(world, meeting_id)}"' in cell
    assert "December 2026" in december and "year=2026&amp;month=11" in december and "year=2027&amp;month=1" in december
    assert "半夜的会" not in en.get(_url(world, "/month?year=2026&month=11")).get_data(as_text=True)


def test_month_marks_today_and_survives_bad_arguments(world, en, login_as):
    login_as(world.neighbour)
    for query in ("", "?year=abc&month=13", "?year=99999&month=2", "?month=0"):
        response = en.get(_url(world, "/month" + query))
        assert response.status_code == 200
        assert 'aria-current="date"' in response.get_data(as_text=True)
        assert "Today" in response.get_data(as_text=True)


def test_month_cancelled_is_struck_through(world, make_meeting, en, login_as):
    make_meeting(title="取消了", status=MeetingStatus.CANCELLED, starts_at=to_utc(datetime(2026, 12, 8, 14, 0)))
    login_as(world.neighbour)
    html = en.get(_url(world, "/month?year=2026&month=12")).get_data(as_text=True)
    assert re.search(r"<s><span class=\"m-time\">14:00–16:00</span>.*取消了</span></s> <strong[^>]*>Cancelled", html)


def test_month_query_count_does_not_grow_with_meetings(world, make_meeting, client, login_as):
    login_as(world.neighbour)
    url = _url(world, "/month?year=2026&month=12")
    make_meeting(starts_at=to_utc(datetime(2026, 12, 3, 9, 0)))
    with counted_queries() as few:
        assert client.get(url).status_code == 200
    for i in range(40):
        make_meeting(title=f"会{i}", starts_at=to_utc(datetime(2026, 12, 1 + i % 28, 8 + i % 10, 0)))
    with counted_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert html.count('class="m-title"') == 41
    assert len(many) == len(few), many


def test_list_query_count_does_not_grow_with_meetings(world, make_meeting, client, login_as):
    login_as(world.neighbour)
    make_meeting(status=MeetingStatus.POLLING)
    make_meeting()
    with counted_queries() as few:
        assert client.get(_url(world)).status_code == 200
    for i in range(30):
        make_meeting(title=f"会{i}", starts_at=utcnow() + timedelta(days=2, hours=i))
        make_meeting(title=f"找{i}", status=MeetingStatus.POLLING)
    with counted_queries() as many:
        assert client.get(_url(world)).status_code == 200
    assert len(many) == len(few), many


def test_hostile_text_is_escaped_on_the_list_and_month(world, make_meeting, client, login_as):
    make_meeting(title=HOSTILE[:80], place=HOSTILE[:80], starts_at=to_utc(datetime(2026, 12, 9, 14, 0)))
    login_as(world.neighbour)
    for url in (_url(world), _url(world, "/month?year=2026&month=12")):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outsider_gets_404_everywhere(world, make_meeting, client, login_as):
    meeting = make_meeting()
    login_as(world.outsider)
    for path in ("", "/month", f"/{meeting.id}/calendar.ics", f"/{meeting.id}/print"):
        assert client.get(_url(world, path)).status_code == 404, path


def test_other_community_meeting_is_not_found_here(world, make_meeting, client, login_as):
    elsewhere = make_meeting(community=world.other_community)
    login_as(world.neighbour)
    for path in (f"/{elsewhere.id}/calendar.ics", f"/{elsewhere.id}/print"):
        assert client.get(_url(world, path)).status_code == 404, path


def test_community_home_shows_the_next_three_meetings(world, make_meeting, en, login_as):
    start = utcnow() + timedelta(days=1)
    for i in range(5):
        make_meeting(title=f"第{i}个会", starts_at=start + timedelta(days=i))
    login_as(world.neighbour)
    html = en.get(f"/c/{world.community.slug}/").get_data(as_text=True)
    assert "Upcoming meetings" in html
    assert all(f"第{i}个会" in html for i in range(3)) and "第3个会" not in html
    assert f'href="{_url(world)}"' in html


def test_members_get_a_new_meeting_button(world, en, login_as):
    login_as(world.neighbour)
    for path in ("", "/month", "?kind=deliberation"):
        assert f'href="{_url(world, "/new")}' in en.get(_url(world, path)).get_data(as_text=True), path
