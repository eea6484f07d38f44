"""The .ics file: parses, Asia/Shanghai local times with a VTIMEZONE, a UID that survives edits, cancellations."""
from datetime import datetime, timedelta

import icalendar

from civic.extensions import db
from civic.meetings.localtime import to_utc
from civic.meetings.models import AgendaItem, MeetingStatus


def _ics_url(world, meeting):
    return f"/c/{world.community.slug}/meetings/{meeting.id}/calendar.ics"


def _event(response) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def test_ics_parses_with_local_time_zone_and_headers(world, make_meeting, client, login_as):
    meeting = make_meeting(title="半夜小圆桌", place="7号楼架空层", starts_at=to_utc(datetime(2026, 12, 1, 0, 30)))
    db.session.add_all([AgendaItem(meeting_id=meeting.id, position=0, title="选址", minutes=20),
                        AgendaItem(meeting_id=meeting.id, position=1, title="开放时间")])
    db.session.commit()
    login_as(world.neighbour)
    response = client.get(_ics_url(world, meeting))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting.id}.ics"'
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    event = _event(response)
    assert b"DTSTART;TZID=Asia/Shanghai:20261201T003000" in response.data
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=8)
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 12, 1, 0, 30)
    assert event.decoded("DTEND").replace(tzinfo=None) == datetime(2026, 12, 1, 2, 30)
    assert str(event["SUMMARY"]) == "半夜小圆桌" and str(event["LOCATION"]) == "7号楼架空层"
    description = str(event["DESCRIPTION"])
    assert "1. 选址" in description and "2. 开放时间" in description
    assert f"/c/{world.community.slug}/meetings/{meeting.id}" in description
    assert str(event["URL"]).endswith(f"/c/{world.community.slug}/meetings/{meeting.id}")
    assert str(event["STATUS"]) == "CONFIRMED" and "DTSTAMP" in event


def test_uid_is_stable_and_sequence_grows_when_the_meeting_is_edited(world, make_meeting, client, login_as):
    meeting = make_meeting(title="旧标题")
    login_as(world.neighbour)
    before = _event(client.get(_ics_url(world, meeting)))
    meeting.title, meeting.place = "新标题", "一米会客厅"
    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting.updated_at = meeting.updated_at + timedelta(minutes=5)
    db.session.commit()
    after = _event(client.get(_ics_url(world, meeting)))
    assert str(before["UID"]) == str(after["UID"]) == f"meeting-{meeting.id}@localhost"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["SUMMARY"]) == "新标题"


def test_uid_domain_can_be_configured(world, make_meeting, client, login_as, app):
    app.config["ICS_UID_DOMAIN"] = "anqiu.example.cn"
    meeting = make_meeting()
    login_as(world.neighbour)
    assert str(_event(client.get(_ics_url(world, meeting)))["UID"]) == f"meeting-{meeting.id}@anqiu.example.cn"


def test_cancelled_meeting_says_status_cancelled(world, make_meeting, en, login_as):
    meeting = make_meeting(status=MeetingStatus.CANCELLED, title="取消的会",
                           starts_at=to_utc(datetime(2026, 12, 8, 14, 0)))
    login_as(world.neighbour)
    event = _event(en.get(_ics_url(world, meeting)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert "取消的会" in str(event["SUMMARY"]) and "Cancelled" in str(event["SUMMARY"])
    assert list(event.walk("VALARM")) == []


def test_polling_meeting_has_no_calendar_file(world, make_meeting, en, login_as):
    meeting = make_meeting(status=MeetingStatus.POLLING)
    login_as(world.neighbour)
    response = en.get(_ics_url(world, meeting))
    assert response.status_code == 404
    assert "not fixed yet" in response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/html")


def test_hostile_text_cannot_inject_properties(world, make_meeting, client, login_as):
    title = "会\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:假的"
    meeting = make_meeting(title=title[:80], place="楼下;ATTACH:http://x\nDTSTART:19700101T000000Z",
                           description_md="第一行\nURL:http://evil.example\n<script>alert(1)</script>")
    login_as(world.neighbour)
    response = client.get(_ics_url(world, meeting))
    lines = response.data.decode().split("\r\n")
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert not any(line.startswith(("ATTACH", "SUMMARY:假的")) for line in lines)
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert len(starts) == 2 and "DTSTART:19920101T000000" in starts  # the event's and the VTIMEZONE rule's
    assert not any(line.startswith("DTSTART:1970") for line in lines)
    assert not any(line.startswith("URL:http://evil") for line in lines)
    event = _event(response)
    assert "END:VEVENT" in str(event["SUMMARY"]) and "SUMMARY:假的" in str(event["SUMMARY"])
    assert str(event["LOCATION"]).startswith("楼下;ATTACH")
