"""Views of RSVP and sign-in: plain and htmx, refusals with 422, access (outsider 404, resident 403)."""
import re
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import event

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import rsvp
from civic.meetings.models import Attendance, MeetingPhoto, MeetingStatus, Rsvp, RsvpStatus, SignInMethod
from tests.conftest import login
from tests.meetings.conftest import jpeg_bytes

HTMX = {"HX-Request": "true"}


def _url(world, meeting, path=""):
    return f"/c/{world.community.slug}/meetings/{meeting.id}{path}"


def _is_block(response, element_id: str) -> bool:
    body = response.get_data(as_text=True).strip()
    return "HX-Request" in response.headers.get("Vary", "") and body.startswith(f'<section id="{element_id}"') \
        and "<html" not in body


def _status(meeting, user):
    return db.session.execute(db.select(Rsvp.status).where(Rsvp.meeting_id == meeting.id,
                                                           Rsvp.user_id == user.id)).scalar_one_or_none()


@pytest.fixture
def today(make_meeting):
    return make_meeting(starts_at=utcnow().replace(microsecond=0) + timedelta(hours=1))


# ---- RSVP ----

def test_rsvp_plain_redirects_to_the_panel(world, make_meeting, en, login_as):
    meeting = make_meeting(capacity=10)
    login_as(world.neighbour)
    response = en.post(_url(world, meeting, "/rsvp"), data={"going": "yes"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{meeting.id}#rsvp_panel")
    assert _status(meeting, world.neighbour) is RsvpStatus.GOING
    page = en.get(_url(world, meeting)).get_data(as_text=True)
    assert "You are going. See you there!" in page and "Going: 1 / 10" in page and "李叔 · 7号楼" in page
    assert world.neighbour_home.room not in page


def test_rsvp_htmx_returns_only_the_panel(world, make_meeting, en, login_as):
    meeting = make_meeting(capacity=1)
    login_as(world.organiser)
    en.post(_url(world, meeting, "/rsvp"), data={"going": "yes"})
    en.post("/logout")
    login_as(world.neighbour)
    response = en.post(_url(world, meeting, "/rsvp"), data={"going": "yes"}, headers=HTMX)
    assert response.status_code == 200 and _is_block(response, "rsvp_panel")
    assert response.headers["HX-Trigger"] == "rsvp-changed"
    html = response.get_data(as_text=True)
    assert "You are number 1 on the waiting list" in html and "Leave the waiting list" in html
    assert "王阿姨 · 7号楼" in html
    assert _status(meeting, world.neighbour) is RsvpStatus.WAITLIST


def test_cancellation_promotes_the_next_person_through_the_page(world, make_meeting, en, login_as):
    meeting = make_meeting(capacity=1)
    for user, going in ((world.organiser, "yes"), (world.neighbour, "yes"), (world.organiser, "no")):
        login_as(user)
        assert en.post(_url(world, meeting, "/rsvp"), data={"going": going}).status_code == 303
        en.post("/logout")
    assert _status(meeting, world.neighbour) is RsvpStatus.GOING
    login_as(world.neighbour)
    assert "A place freed up" in en.get(f"/c/{world.community.slug}/notifications").get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_rsvp_to_a_cancelled_meeting_is_refused_with_a_message(world, make_meeting, en, login_as, headers):
    meeting = make_meeting(status=MeetingStatus.CANCELLED)
    login_as(world.neighbour)
    response = en.post(_url(world, meeting, "/rsvp"), data={"going": "yes"}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "This meeting was cancelled, so you cannot sign up for it." in html
    assert _is_block(response, "rsvp_panel") is bool(headers)
    assert _status(meeting, world.neighbour) is None


def test_rsvp_without_an_answer_is_refused(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.neighbour)
    response = en.post(_url(world, meeting, "/rsvp"), data={"going": "perhaps"}, headers=HTMX)
    assert response.status_code == 422 and _is_block(response, "rsvp_panel")
    assert _status(meeting, world.neighbour) is None


def test_meeting_page_queries_do_not_grow_with_rsvps(world, make_meeting, make_member, client, login_as):
    few, many = make_meeting(), make_meeting()
    for index in range(12):
        user = make_member(world.far_home if index % 2 else world.neighbour_home)
        rsvp.respond(many, user.id, None, True, now=utcnow())
    db.session.commit()
    login_as(world.committee)

    def count(meeting) -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(_url(world, meeting)).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert count(many) <= count(few) + 2  # the waiting-list and households counts only run when someone answered


# ---- check-in with the code ----

def test_qr_link_opens_a_page_that_changes_nothing(world, today, en, login_as):
    login_as(world.neighbour)
    response = en.get(_url(world, today, f"/check-in?code={today.signin_code}"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{today.signin_code}"' in html and "Sign me in" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


def test_scanning_before_signing_in_comes_back_with_the_code(world, today, client):
    response = client.get(_url(world, today, f"/check-in?code={today.signin_code}"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert today.signin_code in response.headers["Location"]


def test_signing_in_with_the_code(world, today, en, login_as):
    login_as(world.neighbour)
    response = en.post(_url(world, today, "/check-in"), data={"code": today.signin_code.lower()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/check-in")
    [row] = db.session.execute(db.select(Attendance)).scalars().all()
    assert row.user_id == world.neighbour.id and row.method is SignInMethod.CODE
    page = en.get(_url(world, today, "/check-in")).get_data(as_text=True)
    assert "You are signed in" in page
    again = en.post(_url(world, today, "/check-in"), data={"code": today.signin_code})
    assert again.status_code == 303
    assert "You were already signed in." in en.get(again.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("case, message", [
    ("wrong", "This code is not right"),
    ("other", "This code is not right"),
    ("expired", "Sign-in for this meeting has closed"),
    ("early", "Sign-in is not open yet"),
])
def test_refused_codes_keep_what_was_typed(world, today, make_meeting, en, login_as, case, message):
    meeting, code = today, "ab-cd-23"
    if case == "other":
        code = make_meeting(starts_at=today.starts_at).signin_code
    elif case == "expired":
        meeting = make_meeting(starts_at=utcnow() - timedelta(days=1))
        code = meeting.signin_code
    elif case == "early":
        meeting = make_meeting(starts_at=utcnow() + timedelta(days=2))
        code = meeting.signin_code
    login_as(world.neighbour)
    response = en.post(_url(world, meeting, "/check-in"), data={"code": code})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and f'value="{code}"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


def test_guessing_codes_is_rate_limited(world, today, make_app):
    app = make_app(RATELIMIT_ENABLED=True, CHECKIN_RATE_LIMIT="3 per minute",
                   RATELIMIT_KEY_PREFIX=f"checkin-{uuid.uuid4().hex}")
    client = app.test_client()
    login(client, world.neighbour.username)
    url = _url(world, today, "/check-in")
    statuses = [client.post(url, data={"code": f"GUESS{i}"}).status_code for i in range(3)]
    assert statuses == [422, 422, 422]
    assert client.post(url, data={"code": today.signin_code}).status_code == 429
    assert client.get(url).status_code == 200  # the page still opens; only posting waits
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


def test_residents_see_the_code_form_in_the_panel(world, today, en, login_as):
    login_as(world.neighbour)
    html = en.get(_url(world, today)).get_data(as_text=True)
    assert 'id="signin_panel"' in html and "Sign me in" in html
    assert "Show the sign-in QR code" not in html and "Sign someone in by hand" not in html


# ---- the organiser's QR page, by hand, the sheet, the list ----

def test_organiser_sees_the_qr_page(world, today, en, login_as):
    login_as(world.organiser)
    response = en.get(_url(world, today, "/sign-in-code"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<svg" in html and today.signin_code in html
    assert "<script" not in html.split("</head>")[1] and "style=" not in html


def test_checkin_url_is_absolute_with_the_code(world, today, app):
    from civic.meetings.attend_panels import checkin_url

    with app.test_request_context():
        url = checkin_url(world.community, today)
    assert url.startswith("http") and url.endswith(f"/meetings/{today.id}/check-in?code={today.signin_code}")
    app.config["PUBLIC_BASE_URL"] = "https://civic.example.cn/"
    with app.test_request_context():
        assert checkin_url(world.community, today).startswith("https://civic.example.cn/c/")


def test_residents_cannot_open_the_qr_page_or_the_list_or_sign_others_in(world, today, client, login_as):
    login_as(world.neighbour)
    assert client.get(_url(world, today, "/sign-in-code")).status_code == 403
    assert client.get(_url(world, today, "/attendance")).status_code == 403
    assert client.post(_url(world, today, "/attendance"), data={"name": "张阿姨"}).status_code == 403
    assert client.post(_url(world, today, "/attendance/sheet"), data={}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


@pytest.mark.parametrize("method, path", [
    ("post", "/rsvp"), ("get", "/check-in"), ("post", "/check-in"), ("get", "/sign-in-code"),
    ("get", "/attendance"), ("post", "/attendance"), ("post", "/attendance/1/delete"), ("post", "/attendance/sheet"),
])
def test_outsiders_get_404(world, today, client, login_as, method, path):
    login_as(world.outsider)
    response = getattr(client, method)(_url(world, today, path), data={"going": "yes", "code": today.signin_code})
    assert response.status_code == 404


def test_by_hand_plain_and_htmx(world, today, en, login_as):
    rsvp.respond(today, world.neighbour.id, world.neighbour_home.id, True, now=utcnow())
    db.session.commit()
    login_as(world.organiser)
    page = en.get(_url(world, today)).get_data(as_text=True)
    assert f'<option value="{world.neighbour.id}">李叔 · 7号楼</option>' in page
    plain = en.post(_url(world, today, "/attendance"), data={"user_id": world.neighbour.id})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#signin_panel")
    htmx = en.post(_url(world, today, "/attendance"), data={"user_id": "0", "name": "张阿姨"}, headers=HTMX)
    assert htmx.status_code == 200 and _is_block(htmx, "signin_panel")
    assert htmx.headers["HX-Trigger"] == "attendance-changed"
    html = htmx.get_data(as_text=True)
    assert "Signed in: 2 people / 1 households" in html and "张阿姨" in html
    rows = db.session.execute(db.select(Attendance).order_by(Attendance.id)).scalars().all()
    assert [(r.user_id, r.name, r.method) for r in rows] == [
        (world.neighbour.id, "", SignInMethod.MANUAL), (None, "张阿姨", SignInMethod.MANUAL)]
    assert all(r.signed_in_by_id == world.organiser.id for r in rows)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_by_hand_refusal_keeps_the_typed_name(world, today, en, login_as, headers):
    login_as(world.organiser)
    response = en.post(_url(world, today, "/attendance"), data={"name": "张<b>阿姨"}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and _is_block(response, "signin_panel") is bool(headers)
    assert 'value="张&lt;b&gt;阿姨"' in html and "no symbols such as" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


def test_by_hand_is_not_offered_before_the_day(world, make_meeting, client, login_as):
    meeting = make_meeting(starts_at=utcnow() + timedelta(days=2))
    login_as(world.organiser)
    assert client.post(_url(world, meeting, "/attendance"), data={"name": "张阿姨"}).status_code == 403
    html = client.get(_url(world, meeting)).get_data(as_text=True)
    assert 'id="signin_panel"' in html and "/sign-in-code" in html


def test_undo_plain_htmx_and_from_the_list(world, today, en, login_as):
    login_as(world.organiser)
    for name in ("甲", "乙", "丙"):
        en.post(_url(world, today, "/attendance"), data={"name": name})
    first, second, third = db.session.execute(db.select(Attendance.id).order_by(Attendance.id)).scalars().all()
    plain = en.post(_url(world, today, f"/attendance/{first}/delete"))
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#signin_panel")
    htmx = en.post(_url(world, today, f"/attendance/{second}/delete"), headers=HTMX)
    assert htmx.status_code == 200 and _is_block(htmx, "signin_panel")
    listed = en.post(_url(world, today, f"/attendance/{third}/delete"), data={"back": "list"})
    assert listed.headers["Location"].endswith(f"/meetings/{today.id}/attendance")
    assert en.post(_url(world, today, f"/attendance/{third}/delete")).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 0


def test_sheet_photo_is_kept_or_refused_whole(world, today, en, login_as, upload_dir):
    login_as(world.organiser)
    url = _url(world, today, "/attendance/sheet")
    bad = en.post(url, data={"photo": (BytesIO(b"not an image"), "sheet.jpg")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and 'id="signin_panel"' in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(MeetingPhoto)) == 0
    assert not upload_dir.exists() or not any(upload_dir.iterdir())
    good = en.post(url, data={"photo": (BytesIO(jpeg_bytes()), "sheet.jpg")}, content_type="multipart/form-data")
    assert good.status_code == 303
    [photo] = db.session.execute(db.select(MeetingPhoto)).scalars().all()
    assert photo.purpose == "signin_sheet"
    listing = en.get(_url(world, today, "/attendance")).get_data(as_text=True)
    assert photo.desktop_name in listing
    assert en.get(_url(world, today, f"/photos/{photo.name}")).status_code == 200


def test_attendance_list_for_the_organiser(world, today, en, login_as):
    login_as(world.neighbour)
    en.post(_url(world, today, "/check-in"), data={"code": today.signin_code})
    en.post("/logout")
    login_as(world.committee)
    en.post(_url(world, today, "/attendance"), data={"name": "张阿姨"})
    response = en.get(_url(world, today, "/attendance"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "李叔 · 7号楼" in html and "张阿姨" in html
    assert re.search(r"<dt>People</dt><dd>2</dd>", html) and re.search(r"<dt>Households</dt><dd>1</dd>", html)
    assert world.neighbour_home.room not in html
