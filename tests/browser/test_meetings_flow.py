"""Neighbours on phones arrange round tables (issue 5, "How we will check"), in Chromium at 390×844.

An organiser finds a time with a poll that three residents answer in place; RSVP past the capacity puts the
next person on the waiting list and a cancellation promotes them; at the venue the sign-in code signs a
resident in, the minutes with a decision and an action item are published and the attendee's amendment
becomes version 2; the .ics file of a meeting at 00:30 has the right local day and time; in 关怀版 the
answer buttons are at least 60 px tall; without JavaScript the same buttons work as plain forms.

The UI's new words are not translated yet: locators use ids, names, values, form actions and classes, never
button text, so the tests survive the Chinese catalogue.
"""
from __future__ import annotations

import functools
import re
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from civic.clock import utcnow
from civic.community.models import Role
from civic.extensions import db
from civic.meetings import poll
from civic.meetings.attend_panels import qr_svg
from civic.meetings.localtime import combine, local_date
from civic.meetings.models import Meeting, MeetingKind, MeetingStatus
from civic.meetings.services import new_signin_code
from civic.notices.models import NoticeKind, Notification
from tests.browser.conftest import (another_phone, assert_redirected_after_post, mark_page, relevant_errors,
                                    screenshot, sign_in, still_marked, turn_on_elder_mode)

pytestmark = pytest.mark.browser

ELDER_TAP_PX = 60  # 关怀版: tap targets at least 60 px (civic.css, html.elder --tap)
POLL_TITLE = "垃圾点怎么改：小圆桌"
PLACE = "7号楼架空层"
# Each resident's answers to the four offered evenings. The third evening is best (2 yes, 1 if need be),
# the first and last tie behind it (1 yes, 1 if need be), the second is last.
ANSWERS = {
    "lishu": ("no", "maybe", "yes", "yes"),
    "zhaojie": ("maybe", "no", "yes", "maybe"),
    "xiaoliu": ("yes", "no", "maybe", "no"),
}
BEST = 2
MINUTES_MD = "### 垃圾点怎么改\n\n大家同意把垃圾点移到7号楼东侧的空地。\n\n- 物业下周来看现场\n- 请楼组长通知各户"
AMENDED_MD = MINUTES_MD.replace("东侧的空地", "东北角的车棚旁边")
DECISIONS = "垃圾点移到7号楼东北角\n夏天每天清运两次"
ACTION = "联系物业量尺寸，画出新垃圾点的位置"


@dataclass(frozen=True)
class Street:
    """A community with an organiser (王阿姨, a resident), three neighbours in two buildings and the committee."""

    slug: str
    community_id: int
    organiser: str
    residents: tuple[str, ...]
    ids: dict  # username → user id
    labels: dict  # username → public label ("李叔 · 7号楼")


@functools.cache
def _quick_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture
def street(monkeypatch, make_community, make_building, make_household, make_member, make_user, grant) -> Street:
    monkeypatch.setattr("civic.accounts.models.generate_password_hash", _quick_hash)  # a cheap, still real hash
    community = make_community(slug="hongqiao", name="虹桥居民区")
    no7, no8 = make_building(community, name="7号楼"), make_building(community, name="8号楼")
    people = {
        "wangayi": ("王阿姨", no7), "lishu": ("李叔", no7), "zhaojie": ("赵姐", no8), "xiaoliu": ("小刘", no8),
    }
    users = {name: make_member(make_household(building), username=name, display_name=shown)
             for name, (shown, building) in people.items()}
    committee = make_user(username="chenshuji", display_name="陈书记")
    grant(committee, community, Role.RESIDENTS_COMMITTEE)
    return Street(slug=community.slug, community_id=community.id, organiser="wangayi", residents=tuple(ANSWERS),
                  ids={name: user.id for name, user in users.items()},
                  labels={name: f"{shown} · {building.name}" for name, (shown, building) in people.items()})


def _meeting(street: Street, *, starts_at: datetime | None, hours: float = 2, capacity: int | None = None,
             title: str = POLL_TITLE, status: MeetingStatus = MeetingStatus.SCHEDULED) -> Meeting:
    """A meeting row made directly (the forms refuse times in the past; these tests need one that has begun)."""
    now = utcnow()
    ends_at = starts_at + timedelta(hours=hours) if starts_at else None
    meeting = Meeting(community_id=street.community_id, kind=MeetingKind.ROUND_TABLE, status=status, title=title,
                      place=PLACE, starts_at=starts_at, ends_at=ends_at,
                      capacity=capacity, organiser_id=street.ids[street.organiser], signin_code=new_signin_code(),
                      created_at=now, updated_at=now)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _fresh(meeting_id: int) -> Meeting:
    """The meeting as the live server left it (the test's session may hold an older copy)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def _notified(meeting_id: int, kind: NoticeKind) -> list[int]:
    """Who was told about the meeting (user ids, oldest notification first)."""
    db.session.rollback()
    return list(db.session.execute(db.select(Notification.user_id).where(
        Notification.meeting_id == meeting_id, Notification.kind == kind).order_by(Notification.id)).scalars())


def _meeting_url(base_url: str, street: Street, meeting_id: int, tail: str = "") -> str:
    return f"{base_url}/c/{street.slug}/meetings/{meeting_id}{tail}"


def _local_day(days_ahead: int) -> date:
    return local_date(utcnow()) + timedelta(days=days_ahead)


def _chinese_day(day: date) -> str:
    """How the pages write a day in Chinese (the default UI language): "12月1日"."""
    return f"{day.month}月{day.day}日"


# --- 1. A time poll -------------------------------------------------------------------------------------------

def _create_poll_meeting(page, base_url: str, street: Street) -> int:
    """The organiser (a resident: only a small round table is offered) creates a meeting that finds its time."""
    page.goto(f"{base_url}/c/{street.slug}/meetings/new")
    expect(page.locator("input[type=hidden][name=kind]")).to_have_value(MeetingKind.ROUND_TABLE.value)
    page.locator("#title").fill(POLL_TITLE)
    page.locator("input[name=time_mode][value=poll]").check()
    expect(page.locator("#day")).to_be_hidden()  # a poll has no date of its own: the fields go away
    page.locator("#place").fill(PLACE)
    page.locator("#description").fill("夏天垃圾点太臭，大家坐下来商量**怎么改**。")
    screenshot(page, "meeting-new-form")
    with page.expect_navigation():
        page.locator("form.meeting-form button[type=submit]").click()
    match = re.fullmatch(rf"{re.escape(base_url)}/c/{street.slug}/meetings/(\d+)#poll_panel", page.url)
    assert match, page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(POLL_TITLE)
    return int(match.group(1))


def _offer_slot(page, day: date, starts: str, ends: str) -> None:
    """The add-slot form of the poll panel (htmx: the panel is swapped in place, the form stays open)."""
    slots = page.locator("#poll_panel li.poll-slot")
    before = slots.count()
    form = page.locator("form[action$='/slots']")
    form.locator("[name=slot_day]").fill(day.isoformat())
    form.locator("[name=slot_starts]").fill(starts)
    form.locator("[name=slot_ends]").fill(ends)
    form.locator("button[type=submit]").click()
    expect(slots).to_have_count(before + 1)


def _slot_ids(page) -> list[int]:
    ids = page.locator("#poll_panel li.poll-slot").evaluate_all("rows => rows.map(row => row.id)")
    return [int(i.removeprefix("slot-")) for i in ids]


def _answer(page, slot_id: int, answer: str) -> None:
    """Press one of the slot's three buttons; htmx swaps that row: the pressed button shows it."""
    row = page.locator(f"#slot-{slot_id}")
    row.locator(f"button[name=answer][value={answer}]").click()
    expect(row.locator(f"button[name=answer][value={answer}]")).to_have_attribute("aria-pressed", "true")
    expect(row).to_have_class(re.compile(rf"\bis-mine-{answer}\b"))
    expect(row.locator("button[name=answer][aria-pressed=true]")).to_have_count(1)


def test_an_organiser_finds_a_time_with_a_poll_and_the_neighbours_see_it_scheduled(
        live_server, page, browser, browser_errors, street):
    sign_in(page, live_server, street.organiser)
    meeting_id = _create_poll_meeting(page, live_server, street)
    url = _meeting_url(live_server, street, meeting_id)
    expect(page.locator("#poll_panel details.poll-add")).to_have_attribute("open", "")  # no times yet: form open
    mark_page(page)
    days = [_local_day(n) for n in range(2, 6)]
    for day in days:
        _offer_slot(page, day, "19:00", "20:30")
    assert still_marked(page), "offering a time reloaded the page"
    slot_ids = _slot_ids(page)
    assert len(slot_ids) == 4
    spans = [page.locator(f"#slot-{i} .poll-when").inner_text() for i in slot_ids]
    for day, span in zip(days, spans):
        assert _chinese_day(day) in span and "19:00–20:30" in span, span
    assert _fresh(meeting_id).status is MeetingStatus.POLLING
    screenshot(page, "meeting-poll-organiser")

    with ExitStack() as stack:
        phones = {}
        for name, answers in ANSWERS.items():
            phone = phones[name] = stack.enter_context(another_phone(browser, browser_errors))
            sign_in(phone, live_server, name)
            phone.goto(url)
            expect(phone.locator("#poll_panel .poll-ranking")).to_have_count(0)  # the ranking is the organiser's
            expect(phone.locator("form[action$='/slots']")).to_have_count(0)
            mark_page(phone)
            for slot_id, answer in zip(slot_ids, answers):
                _answer(phone, slot_id, answer)
            assert still_marked(phone), f"{name}'s answers reloaded the page instead of swapping the rows"
            expect(phone.locator("#poll-answerers")).to_contain_text(str(len(phones)))  # out-of-band counter
        best_row = phones["xiaoliu"].locator(f"#slot-{slot_ids[BEST]}")
        expect(best_row.locator(".n-yes")).to_contain_text("2")
        expect(best_row.locator(".n-maybe")).to_contain_text("1")
        # Who answered, as "display name · building", opens inside the row.
        best_row.locator("a[href$='/answers']").click()
        expect(best_row.locator(".poll-answers")).to_contain_text(street.labels["lishu"])
        expect(best_row.locator(".poll-answers")).to_contain_text(street.labels["zhaojie"])
        screenshot(phones["xiaoliu"], "meeting-poll-resident")

        # The organiser sees the times ranked (yes first, then if need be) and picks the best.
        page.reload()
        ranking = page.locator("#poll_panel .poll-ranking > li")
        expect(ranking).to_have_count(4)
        expect(ranking.first).to_have_class(re.compile(r"\bis-best\b"))
        expect(ranking.first.locator(".poll-when")).to_have_text(spans[BEST])
        expect(ranking.last.locator(".poll-when")).to_have_text(spans[1])
        screenshot(page, "meeting-poll-ranked")
        ranking.first.locator("details.poll-pick > summary").click()
        with page.expect_navigation():
            page.locator(f"form[action$='/slots/{slot_ids[BEST]}/pick'] button[type=submit]").click()
        assert page.url == url, page.url
        expect(page.locator("#when_text")).to_contain_text(spans[BEST])
        expect(page.locator("#poll_panel .poll-picked")).to_be_visible()
        meeting = _fresh(meeting_id)
        assert meeting.status is MeetingStatus.SCHEDULED
        assert meeting.starts_at == combine(days[BEST], time(19, 0))
        assert meeting.ends_at == combine(days[BEST], time(20, 30))
        screenshot(page, "meeting-scheduled-organiser")

        # Each resident sees the meeting scheduled, the time as text, and can sign up; each was told.
        for name, phone in phones.items():
            phone.reload()
            expect(phone.locator("#when_text")).to_contain_text(spans[BEST])
            expect(phone.locator("#poll_panel .poll-choices")).to_have_count(0)
            expect(phone.locator("#rsvp_panel form[action$='/rsvp']").first).to_be_visible()
            expect(phone.locator("#when_panel a[href$='/calendar.ics']")).to_be_visible()
        screenshot(phones["lishu"], "meeting-scheduled-resident")
        assert sorted(_notified(meeting_id, NoticeKind.MEETING_SCHEDULED)) == sorted(street.ids[n] for n in ANSWERS)
        phones["zhaojie"].goto(f"{live_server}/c/{street.slug}/notifications")
        expect(phones["zhaojie"].locator(".notice-item.unread", has_text=POLL_TITLE)).to_have_count(1)

    assert relevant_errors(browser_errors) == []


# --- 2. RSVP past the capacity ----------------------------------------------------------------------------------

def _going_button(page):
    return page.locator("#rsvp_panel form[action$='/rsvp']:has(input[name=going][value=yes]) button")


def _not_going_button(page):
    return page.locator("#rsvp_panel form[action$='/rsvp']:has(input[name=going][value=no]) button")


def test_rsvp_past_the_capacity_waitlists_and_a_cancellation_promotes(live_server, page, browser, browser_errors,
                                                                      street):
    starts = combine(_local_day(3), time(14, 0))
    meeting = _meeting(street, starts_at=starts, capacity=2)
    url = _meeting_url(live_server, street, meeting.id)
    first, second, third = street.residents

    with ExitStack() as stack:
        phones = {name: stack.enter_context(another_phone(browser, browser_errors)) for name in street.residents}
        for name in street.residents:
            phone = phones[name]
            sign_in(phone, live_server, name)
            phone.goto(url)
            mark_page(phone)
            _going_button(phone).click()
            expect(phone.locator("#rsvp_panel .rsvp-mine")).to_be_visible()
            assert still_marked(phone), f"{name}'s answer reloaded the page"
        for name in (first, second):
            expect(phones[name].locator("#rsvp_panel .rsvp-mine")).to_have_class(re.compile(r"\bis-going\b"))
        waiting = phones[third]
        expect(waiting.locator("#rsvp_panel .rsvp-mine")).to_have_class(re.compile(r"\bis-waiting\b"))
        expect(waiting.locator("#rsvp_panel progress.rsvp-bar")).to_have_attribute("value", "2")
        expect(waiting.locator("#rsvp_panel .rsvp-people li")).to_have_text([street.labels[first],
                                                                            street.labels[second]])
        screenshot(waiting, "meeting-rsvp-waitlisted")
        assert _fresh(meeting.id).going_count == 2

        # The first one cannot come after all: their place goes to the waiting neighbour.
        leaving = phones[first]
        _not_going_button(leaving).click()
        expect(leaving.locator("#rsvp_panel .rsvp-mine.is-going")).to_have_count(0)
        expect(_going_button(leaving)).to_be_visible()
        assert still_marked(leaving), "cancelling reloaded the page"

        waiting.reload()
        expect(waiting.locator("#rsvp_panel .rsvp-mine")).to_have_class(re.compile(r"\bis-going\b"))
        expect(waiting.locator("#rsvp_panel .rsvp-people li")).to_have_text([street.labels[second],
                                                                            street.labels[third]])
        screenshot(waiting, "meeting-rsvp-promoted")
        waiting.goto(f"{live_server}/c/{street.slug}/notifications")
        notice = waiting.locator(".notice-item.unread", has_text=POLL_TITLE)
        expect(notice).to_have_count(1)
        screenshot(waiting, "meeting-rsvp-promoted-notification")

    assert _notified(meeting.id, NoticeKind.WAITLIST_PROMOTED) == [street.ids[third]]
    assert _fresh(meeting.id).going_count == 2
    assert relevant_errors(browser_errors) == []


# --- 3 and 4. At the venue: the sign-in code; then the minutes, an action item and an amendment ------------------

def _qr_path(page) -> str:
    return page.locator(".signin-screen-qr svg path").first.get_attribute("d")


def _show_the_code(page, base_url: str, street: Street, meeting: Meeting) -> str:
    """The organiser's screen at the venue: a big QR code, and the code in big letters. Returns the QR's target."""
    page.goto(_meeting_url(base_url, street, meeting.id))
    with page.expect_navigation():
        page.locator("#signin_panel a[href$='/sign-in-code']").click()
    qr = page.locator(".signin-screen-qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 300, "the QR code is too small to scan across a table"
    code = page.locator(".signin-screen-code")
    expect(code).to_have_text(meeting.signin_code)
    assert float(code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 40, "the code is not big"
    target = _meeting_url(base_url, street, meeting.id, f"/check-in?code={meeting.signin_code}")
    # The QR code encodes exactly the check-in address: that URL drawn by the page's own encoder gives the same path.
    assert f'd="{_qr_path(page)}"' in qr_svg(target), "the QR code does not open this meeting's check-in page"
    screenshot(page, "meeting-signin-code")
    return target


def _check_in(phone, target: str) -> None:
    """What scanning the QR code does: open the check-in page with the code filled in, press the big button."""
    phone.goto(target)
    form = phone.locator("form.checkin-form")
    expect(form.locator("[name=code]")).to_have_value(re.compile(r"\S{6}"))
    screenshot(phone, "meeting-checkin")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(phone.locator(".checkin-done")).to_be_visible()
    screenshot(phone, "meeting-checkin-done")


def _add_action_item(page, owner_id: int, due: date) -> None:
    panel = page.locator("#minutes_panel")
    panel.locator("details.action-add > summary").click()
    form = panel.locator("form[action$='/actions']")
    form.locator("[name=item-what]").fill(ACTION)
    form.locator("[name=item-owner]").select_option(f"user:{owner_id}")
    form.locator("[name=item-due_on]").fill(due.isoformat())
    mark_page(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("#minutes_panel tr.action-row")).to_have_count(1)
    assert still_marked(page), "adding an action item reloaded the page"


def _publish_minutes(page, base_url: str, street: Street, meeting_id: int) -> None:
    with page.expect_navigation():
        page.locator("#minutes_panel a[href$='/minutes/edit']").click()
    page.locator("[name=body]").fill(MINUTES_MD)
    page.locator("[name=decisions]").fill(DECISIONS)
    screenshot(page, "meeting-minutes-edit")
    with page.expect_navigation():
        page.locator("form.minutes-editor [name=publish]").click()
    assert page.url == _meeting_url(base_url, street, meeting_id, "#minutes_panel"), page.url


def _propose_amendment(phone, base_url: str, street: Street, meeting_id: int) -> None:
    phone.goto(_meeting_url(base_url, street, meeting_id))
    panel = phone.locator("#minutes_panel")
    expect(panel.locator(".minutes-body")).to_contain_text("东侧的空地")
    expect(panel.locator(".minutes-decisions li")).to_have_count(2)
    expect(panel.locator("tr.action-row")).to_contain_text(ACTION)
    expect(panel.locator("a[href$='/minutes/edit']")).to_have_count(0)
    screenshot(phone, "meeting-minutes-resident")
    with phone.expect_navigation():
        panel.locator("a[href$='/minutes/amendments/new']").click()
    body = phone.locator("form[action$='/minutes/amendments'] [name=body]")
    assert body.input_value().replace("\r\n", "\n") == MINUTES_MD  # starts from the published text
    body.fill(AMENDED_MD)
    phone.locator("form[action$='/minutes/amendments'] [name=reason]").fill("地点记错了，是东北角车棚旁边。")
    with phone.expect_navigation():
        phone.locator("form[action$='/minutes/amendments'] button[type=submit]").click()
    assert phone.url == _meeting_url(base_url, street, meeting_id, "#minutes_panel"), phone.url


def _accept_amendment(page, base_url: str, street: Street, meeting_id: int) -> None:
    page.goto(_meeting_url(base_url, street, meeting_id))
    amendment = page.locator("#minutes_panel .minutes-amendment")
    expect(amendment).to_have_count(1)
    expect(amendment.locator(".diff-add")).to_contain_text("东北角的车棚旁边")
    expect(amendment.locator(".diff-del")).to_contain_text("东侧的空地")
    screenshot(page, "meeting-minutes-amendment")
    with page.expect_navigation():
        amendment.locator("form[action$='/accept'] button[type=submit]").click()


def test_at_the_venue_the_code_signs_a_resident_in_and_the_minutes_reach_version_2(
        live_server, page, browser, browser_errors, street):
    resident = "zhaojie"
    # The round table began half an hour ago and runs another ninety minutes.
    meeting = _meeting(street, starts_at=utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30))
    sign_in(page, live_server, street.organiser)
    target = _show_the_code(page, live_server, street, meeting)

    with another_phone(browser, browser_errors) as phone:
        sign_in(phone, live_server, resident)
        _check_in(phone, target)

        page.goto(_meeting_url(live_server, street, meeting.id))
        expect(page.locator("#signin_panel .signin-count")).to_have_text(re.compile(r"\D1\D+1\D"))
        with page.expect_navigation():
            page.locator("#signin_panel a[href$='/attendance']").click()
        expect(page.locator(".stats dd")).to_have_text(["1", "1"])  # one person, one household
        rows = page.locator("table.attendance-list tbody tr")
        expect(rows).to_have_text([re.compile(re.escape(street.labels[resident]))])
        screenshot(page, "meeting-attendance")

        # The organiser writes the minutes with two decisions and an action item for the attendee, and publishes.
        page.goto(_meeting_url(live_server, street, meeting.id))
        screenshot(page, "meeting-venue-organiser")
        _add_action_item(page, street.ids[resident], _local_day(14))
        _publish_minutes(page, live_server, street, meeting.id)
        expect(page.locator("#minutes_panel .minutes-meta")).to_have_attribute("data-version", "1")
        expect(page.locator("#minutes_panel .minutes-decisions li")).to_have_text(DECISIONS.splitlines())
        expect(page.locator("#minutes_panel tr.action-row")).to_contain_text(street.labels[resident])
        screenshot(page, "meeting-minutes-organiser")
        assert _notified(meeting.id, NoticeKind.MINUTES_PUBLISHED) == [street.ids[resident]]

        # The attendee proposes an amendment; the organiser accepts it: version 2.
        _propose_amendment(phone, live_server, street, meeting.id)
        _accept_amendment(page, live_server, street, meeting.id)
        expect(page.locator("#minutes_panel .minutes-meta")).to_have_attribute("data-version", "2")
        expect(page.locator("#minutes_panel .minutes-body")).to_contain_text("东北角的车棚旁边")
        expect(page.locator("#minutes_panel .minutes-amendment")).to_have_count(0)

        phone.reload()
        expect(phone.locator("#minutes_panel .minutes-body")).to_contain_text("东北角的车棚旁边")
        with phone.expect_navigation():
            phone.locator("#minutes_panel a[href$='/minutes/history']").click()
        expect(phone.locator("li.minutes-version")).to_have_count(2)
        expect(phone.locator("#version-2")).to_have_class(re.compile(r"\bis-current\b"))
        expect(phone.locator("#version-2 .diff-add")).to_contain_text("东北角的车棚旁边")
        expect(phone.locator("#version-1 .minutes-body")).to_contain_text("东侧的空地")
        screenshot(phone, "meeting-minutes-history")

    assert relevant_errors(browser_errors) == []


# --- 5. The .ics file of a meeting at 00:30 -----------------------------------------------------------------------

def _create_fixed_meeting(page, base_url: str, street: Street, day: date, starts: str, ends: str) -> int:
    page.goto(f"{base_url}/c/{street.slug}/meetings/new")
    page.locator("#title").fill("夜班居民的小圆桌")
    expect(page.locator("input[name=time_mode][value=fixed]")).to_be_checked()
    page.locator("#day").fill(day.isoformat())
    page.locator("#starts").fill(starts)
    page.locator("#ends").fill(ends)
    page.locator("#place").fill(PLACE)
    page.locator("#capacity").fill("12")
    with page.expect_navigation():
        page.locator("form.meeting-form button[type=submit]").click()
    match = re.fullmatch(rf"{re.escape(base_url)}/c/{street.slug}/meetings/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def _download_ics(page) -> bytes:
    with page.expect_download() as download:
        page.locator("#when_panel a[href$='/calendar.ics']").click()
    return download.value.path().read_bytes()


def test_the_calendar_file_of_a_meeting_at_half_past_midnight_has_the_right_local_day_and_time(
        live_server, page, street):
    day = _local_day(2)
    sign_in(page, live_server, street.organiser)
    meeting_id = _create_fixed_meeting(page, live_server, street, day, "00:30", "02:00")
    meeting = _fresh(meeting_id)
    assert meeting.starts_at == datetime.combine(day - timedelta(days=1), time(16, 30))  # the day before, in UTC
    expect(page.locator("#when_text")).to_contain_text(f"{day.year}年{_chinese_day(day)}")
    expect(page.locator("#when_text")).to_contain_text("00:30–02:00")
    screenshot(page, "meeting-half-past-midnight")

    raw = _download_ics(page)
    assert f"DTSTART;TZID=Asia/Shanghai:{day:%Y%m%d}T003000".encode() in raw
    calendar = icalendar.Calendar.from_ical(raw)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    starts, ends = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (starts.date(), starts.time()) == (day, time(0, 30))
    assert (ends.date(), ends.time()) == (day, time(2, 0))
    assert starts.utcoffset() == timedelta(hours=8)
    assert str(event["LOCATION"]) == PLACE
    (again,) = icalendar.Calendar.from_ical(_download_ics(page)).walk("VEVENT")
    assert again["UID"] == event["UID"], "the UID changes between downloads: calendars would duplicate the meeting"

    # The list and the month put it on the same local day.
    page.goto(f"{live_server}/c/{street.slug}/meetings")
    row = page.locator(f"#meeting-{meeting_id}")
    expect(row.locator(".cal-day")).to_contain_text(_chinese_day(day))
    expect(row.locator(".cal-hours")).to_contain_text("00:30–02:00")
    page.goto(f"{live_server}/c/{street.slug}/meetings/month?year={day.year}&month={day.month}")
    cell = page.locator("li.month-day", has=page.locator(f"a[href$='/meetings/{meeting_id}']"))
    expect(cell).to_have_count(1)
    expect(cell.locator(".day-full")).to_contain_text(_chinese_day(day))
    expect(cell.locator(".m-time")).to_contain_text("00:30")
    screenshot(page, "meeting-month")
    page.goto(f"{live_server}/c/{street.slug}/meetings/{meeting_id}/print")
    expect(page.locator(".lobby-facts")).to_contain_text(_chinese_day(day))
    expect(page.locator(".lobby-facts")).to_contain_text("00:30")
    expect(page.locator(".lobby-qr-code svg")).to_be_visible()
    screenshot(page, "meeting-print")


# --- 6. 关怀版: big buttons -------------------------------------------------------------------------------------------

def _polling_meeting(street: Street, slots: int = 3) -> Meeting:
    meeting = _meeting(street, starts_at=None, status=MeetingStatus.POLLING, title="电瓶车棚议事：约时间")
    for n in range(slots):
        starts = combine(_local_day(3 + n), time(19, 0))
        poll.add_slot(meeting, starts, starts + timedelta(hours=1), actor=meeting.organiser, now=utcnow())
    db.session.commit()
    return meeting


def _heights(page, selector: str) -> list[float]:
    boxes = page.locator(selector).evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
    assert boxes, f"nothing matches {selector}"
    return boxes


_SMALL_TARGETS_JS = """limit => [...document.querySelectorAll("main button, main a.button, main summary, main select")]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().height < limit)
  .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${el.textContent.trim().slice(0, 20)}" `
             + `(${Math.round(el.getBoundingClientRect().height)}px)`)"""


def _small_targets(page) -> list[str]:
    """Every visible button, button-like link, disclosure and select of the page under the elder tap height."""
    return page.evaluate(_SMALL_TARGETS_JS, ELDER_TAP_PX)


def test_in_elder_mode_the_answer_buttons_are_big(live_server, page, browser, browser_errors, street):
    polling = _polling_meeting(street)
    scheduled = _meeting(street, starts_at=combine(_local_day(4), time(14, 0)), capacity=20, title="楼道堆物怎么清：小圆桌")
    sign_in(page, live_server, "lishu")
    turn_on_elder_mode(page)

    page.goto(_meeting_url(live_server, street, polling.id))
    small = [h for h in _heights(page, "#poll_panel .poll-choices button") if h < ELDER_TAP_PX]
    assert small == [], f"poll answer buttons under {ELDER_TAP_PX}px in 关怀版: {small}"
    assert _small_targets(page) == []
    screenshot(page, "meeting-poll-elder")

    page.goto(_meeting_url(live_server, street, scheduled.id))
    buttons = "#rsvp_panel form[action$='/rsvp'] button"
    small = [h for h in _heights(page, buttons) if h < ELDER_TAP_PX]
    assert small == [], f"RSVP buttons under {ELDER_TAP_PX}px in 关怀版: {small}"
    _going_button(page).click()
    expect(page.locator("#rsvp_panel .rsvp-mine")).to_have_class(re.compile(r"\bis-going\b"))
    small = [h for h in _heights(page, buttons) if h < ELDER_TAP_PX]
    assert small == [], f"RSVP buttons under {ELDER_TAP_PX}px in 关怀版 after answering: {small}"
    assert _small_targets(page) == []
    screenshot(page, "meeting-rsvp-elder")

    # The organiser's page has more controls (ranking, pick, remove, offer a time, agenda, cancel): big too.
    with another_phone(browser, browser_errors) as organiser:
        sign_in(organiser, live_server, street.organiser)
        turn_on_elder_mode(organiser)
        for meeting in (polling, scheduled):
            organiser.goto(_meeting_url(live_server, street, meeting.id))
            assert _small_targets(organiser) == [], f"small targets on the organiser's page of {meeting.title}"
        screenshot(organiser, "meeting-organiser-elder")
    assert relevant_errors(browser_errors) == []


# --- JavaScript optional ------------------------------------------------------------------------------------------

def test_without_javascript_a_resident_answers_the_poll_and_signs_up_with_plain_forms(live_server, browser,
                                                                                     browser_errors, street):
    polling = _polling_meeting(street, slots=2)
    slot_id = polling.slots[0].id
    scheduled = _meeting(street, starts_at=combine(_local_day(4), time(14, 0)), capacity=1, title="楼道堆物怎么清：小圆桌")
    with another_phone(browser, browser_errors, java_script_enabled=False) as phone:
        sign_in(phone, live_server, "xiaoliu")
        url = _meeting_url(live_server, street, polling.id)
        phone.goto(url)
        with phone.expect_navigation() as answered:
            phone.locator(f"#slot-{slot_id} button[name=answer][value=maybe]").click()
        assert_redirected_after_post(answered.value)
        assert phone.url == f"{url}#slot-{slot_id}", phone.url
        expect(phone.locator(f"#slot-{slot_id} button[value=maybe]")).to_have_attribute("aria-pressed", "true")
        expect(phone.locator("[role=status]").first).to_be_visible()

        url = _meeting_url(live_server, street, scheduled.id)
        phone.goto(url)
        with phone.expect_navigation() as going:
            _going_button(phone).click()
        assert_redirected_after_post(going.value)
        expect(phone.locator("#rsvp_panel .rsvp-mine")).to_have_class(re.compile(r"\bis-going\b"))
        screenshot(phone, "meeting-no-javascript")
    assert relevant_errors(browser_errors) == []
