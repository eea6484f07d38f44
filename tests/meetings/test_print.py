"""The printable A4 notice and the meeting page's copyable time-and-place panel (with the WeChat hint)."""
import re
from datetime import datetime

from civic.extensions import db
from civic.meetings.localtime import to_utc
from civic.meetings.models import AgendaItem, MeetingStatus

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 12; V2049A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
             "Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220805 Mobile Safari/537.36 MMWEBID/6170 "
             "MicroMessenger/8.0.27.2220(0x28001B3F) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")


def _url(world, meeting, path=""):
    return f"/c/{world.community.slug}/meetings/{meeting.id}{path}"


def test_print_page_has_the_facts_agenda_and_a_qr_code(world, make_meeting, en, login_as):
    meeting = make_meeting(title="垃圾点怎么改", place="7号楼架空层", capacity=20,
                           starts_at=to_utc(datetime(2026, 12, 1, 14, 0)))
    db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="选址讨论", minutes=30))
    db.session.commit()
    login_as(world.neighbour)
    response = en.get(_url(world, meeting, "/print"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tuesday, December 1, 2026" in html and "14:00–16:00" in html and "7号楼架空层" in html
    assert "Small round table" in html and "选址讨论" in html and "(30 min)" in html
    assert "limited to 20" in html
    assert re.search(r"<svg[^>]*viewBox", html) and "<path" in html
    assert f"localhost/c/{world.community.slug}/meetings/{meeting.id}</span>" in html  # the short URL, typed by hand
    assert "style=" not in html[html.index('class="lobby-qr-code"'):]  # CSP: style-src 'self'
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []


def test_print_page_uses_the_public_base_url(world, make_meeting, en, login_as, app):
    app.config["PUBLIC_BASE_URL"] = "https://civic.example.cn/"
    meeting = make_meeting()
    login_as(world.neighbour)
    html = en.get(_url(world, meeting, "/print")).get_data(as_text=True)
    assert f"civic.example.cn/c/{world.community.slug}/meetings/{meeting.id}</span>" in html


def test_print_page_of_a_cancelled_and_a_polling_meeting(world, make_meeting, en, login_as):
    cancelled = make_meeting(status=MeetingStatus.CANCELLED, starts_at=to_utc(datetime(2026, 12, 1, 14, 0)),
                             cancel_reason="下雨改期")
    polling = make_meeting(status=MeetingStatus.POLLING)
    login_as(world.neighbour)
    html = en.get(_url(world, cancelled, "/print")).get_data(as_text=True)
    assert "<strong>Cancelled</strong>: 下雨改期" in html and "<s>Tuesday, December 1, 2026</s>" in html
    html = en.get(_url(world, polling, "/print")).get_data(as_text=True)
    assert "Not fixed yet" in html


def test_hostile_text_is_escaped_on_the_print_and_meeting_pages(world, make_meeting, client, login_as):
    meeting = make_meeting(title=HOSTILE[:80], place=HOSTILE[:80])
    db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title=HOSTILE))
    db.session.commit()
    login_as(world.neighbour)
    for path in ("/print", ""):
        html = client.get(_url(world, meeting, path)).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_when_panel_has_a_copyable_sentence_and_links(world, make_meeting, en, login_as):
    meeting = make_meeting(place="一米会客厅", starts_at=to_utc(datetime(2026, 12, 1, 14, 0)))
    login_as(world.neighbour)
    html = en.get(_url(world, meeting)).get_data(as_text=True)
    assert '<p class="when-copy" id="when_text">Time: Tuesday, December 1, 2026 14:00–16:00　Place: 一米会客厅</p>' in html
    assert f'href="{_url(world, meeting, "/calendar.ics")}"' in html and f'href="{_url(world, meeting, "/print")}"' in html
    assert 'data-copy-target="when_text"' in html and "js/meetings.js" in html
    assert "Open in browser" not in html


def test_when_panel_in_chinese(world, make_meeting, client, login_as):
    meeting = make_meeting(place="一米会客厅", starts_at=to_utc(datetime(2026, 12, 1, 14, 0)))
    login_as(world.neighbour)
    html = client.get(_url(world, meeting)).get_data(as_text=True)
    assert "2026年12月1日星期二 14:00–16:00" in html and "一米会客厅" in html


def test_wechat_hint_only_inside_wechat(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.neighbour)
    html = en.get(_url(world, meeting), headers={"User-Agent": WECHAT_UA}).get_data(as_text=True)
    assert "在浏览器打开" in html and "wechat-hint" in html
    html = en.get(_url(world, meeting), headers={"User-Agent": "Mozilla/5.0 (iPhone) Safari/604.1"}).get_data(as_text=True)
    assert "在浏览器打开" not in html


def test_when_panel_of_polling_and_cancelled_meetings(world, make_meeting, en, login_as):
    polling = make_meeting(status=MeetingStatus.POLLING)
    cancelled = make_meeting(status=MeetingStatus.CANCELLED, starts_at=to_utc(datetime(2026, 12, 1, 14, 0)))
    login_as(world.neighbour)
    html = en.get(_url(world, polling)).get_data(as_text=True)
    panel = html[html.index('id="when_panel"'):]
    assert "Time not fixed yet — answer the poll below." in panel and "calendar.ics" not in html
    html = en.get(_url(world, cancelled)).get_data(as_text=True)
    panel = html[html.index('id="when_panel"'):]
    assert re.search(r"<s>Time: Tuesday, December 1, 2026 14:00–16:00.*</s> <strong[^>]*>Cancelled</strong>", panel)
    assert 'id="when_text"' not in panel
