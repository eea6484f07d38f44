"""Minutes pages: the editor (draft, publish, 422 keeps the text), the panel, history with diffs, amendment routes."""
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import minutes, rules
from civic.meetings.models import AgendaItem, AmendmentStatus, Meeting, MinutesAmendment, MinutesDraft, MinutesVersion
from tests.meetings.minutes_support import held_meeting, publish, sign_in

FIXED = "## 会议记录\n\n大家同意改造垃圾厢房，物业负责清运。"


@pytest.fixture
def meeting(world, make_meeting):
    held = held_meeting(make_meeting, projects=[world.project])
    sign_in(held, world.organiser, world.neighbour)
    return held


def _base(world, meeting):
    return f"/c/{world.community.slug}/meetings/{meeting.id}"


def _versions():
    return db.session.scalar(db.select(db.func.count()).select_from(MinutesVersion))


def test_the_editor_starts_from_the_agenda(world, meeting, login_as, en):
    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="垃圾厢房选址"))
    db.session.commit()
    login_as(world.organiser)
    page = en.get(f"{_base(world, meeting)}/minutes/edit")
    assert page.status_code == 200 and "### 垃圾厢房选址" in page.get_data(as_text=True)


def test_save_a_draft_then_publish(world, meeting, login_as, en):
    login_as(world.organiser)
    url = f"{_base(world, meeting)}/minutes/edit"
    saved = en.post(url, data={"body": "半成品", "decisions": "同意改造\n\n下月验收", "save_draft": "1"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/minutes/edit")
    assert db.session.get(MinutesDraft, meeting.id).decisions == ["同意改造", "下月验收"]
    again = en.get(url).get_data(as_text=True)
    assert "半成品" in again and "下月验收" in again
    published = en.post(url, data={"body": FIXED, "decisions": "同意改造\n下月验收", "publish": "1"})
    assert published.status_code == 303 and published.headers["Location"].endswith("#minutes_panel")
    page = en.get(_base(world, meeting)).get_data(as_text=True)
    assert "物业负责清运" in page and "<li>下月验收</li>" in page and "Version 1" in page
    assert "/minutes/history" in page and "Attendees may propose amendments until" in page


@pytest.mark.parametrize("data, kept, message", [
    ({"body": "   ", "decisions": "保留这条决定", "publish": "1"}, "保留这条决定", "Write the minutes before publishing"),
    ({"body": "保留这段纪要", "decisions": "\n".join(f"决定{i}" for i in range(31)), "publish": "1"}, "保留这段纪要",
     "At most 30 decisions"),
    ({"body": "保留这段纪要", "decisions": "长" * 201, "save_draft": "1"}, "保留这段纪要", "at most 200 characters"),
])
def test_a_refused_publication_keeps_everything_typed(world, meeting, login_as, en, data, kept, message):
    login_as(world.organiser)
    response = en.post(f"{_base(world, meeting)}/minutes/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and kept in html and message in html
    assert _versions() == 0 and db.session.get(MinutesDraft, meeting.id) is None  # nothing half-written


def test_republishing_needs_a_note(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    login_as(world.organiser)
    url = f"{_base(world, meeting)}/minutes/edit"
    assert "大家同意改造垃圾厢房" in en.get(url).get_data(as_text=True)  # starts from the published text
    refused = en.post(url, data={"body": FIXED, "decisions": "同意改造", "publish": "1"})
    assert refused.status_code == 422 and "what changed" in refused.get_data(as_text=True)
    done = en.post(url, data={"body": FIXED, "decisions": "同意改造", "note": "补充清运", "publish": "1"})
    assert done.status_code == 303 and minutes.current_version(meeting).number == 2


def test_hostile_minutes_render_inert_on_the_page(world, meeting, login_as, client):
    publish(meeting, world.organiser, "<script>alert(1)</script>\n\n[x](javascript:alert(1))", ["<img src=x onerror=alert(1)>"])
    login_as(world.neighbour)
    page = client.get(_base(world, meeting)).get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript' not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_who_may_write_minutes(world, meeting, make_meeting, login_as, client):
    url = f"{_base(world, meeting)}/minutes/edit"
    login_as(world.neighbour)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"body": "x", "publish": "1"}).status_code == 403
    page = client.get(_base(world, meeting)).get_data(as_text=True)
    assert 'id="minutes_panel"' not in page  # nothing published, nothing to write
    client.post("/logout")
    login_as(world.committee)
    assert client.get(url).status_code == 200  # the committee may write any meeting's minutes
    future = make_meeting(title="明天的会")
    assert client.get(f"{_base(world, future)}/minutes/edit").status_code == 403  # not begun yet
    client.post("/logout")
    login_as(world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"{_base(world, meeting)}/minutes/history").status_code == 404


def test_history_shows_every_version_with_a_diff(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    amendment = minutes.propose_amendment(meeting, proposer=world.neighbour, body_md=FIXED, reason="漏了清运",
                                          now=utcnow())
    minutes.accept_amendment(amendment, actor=world.organiser, now=utcnow())
    db.session.commit()
    login_as(world.far_neighbour)  # any member may read the history
    page = en.get(f"{_base(world, meeting)}/minutes/history").get_data(as_text=True)
    assert page.index('id="version-2"') < page.index('id="version-1"')
    # The version note is written when the amendment is accepted, in that request's language.
    assert "李叔 · 7号楼" in page and "first publication" in page
    assert "diff-add" in page and "物业负责清运" in page and "diff-del" in page
    assert "Why: 漏了清运" in page


def test_history_is_404_before_publication(world, meeting, login_as, client):
    login_as(world.organiser)
    assert client.get(f"{_base(world, meeting)}/minutes/history").status_code == 404


def test_amendment_form_is_prefilled_and_for_attendees_only(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    login_as(world.neighbour)
    page = en.get(_base(world, meeting)).get_data(as_text=True)
    assert "/minutes/amendments/new" in page
    form = en.get(f"{_base(world, meeting)}/minutes/amendments/new")
    assert form.status_code == 200 and "大家同意改造垃圾厢房" in form.get_data(as_text=True)
    en.post("/logout")
    login_as(world.far_neighbour)  # did not sign in
    assert "/minutes/amendments/new" not in en.get(_base(world, meeting)).get_data(as_text=True)
    assert en.get(f"{_base(world, meeting)}/minutes/amendments/new").status_code == 403
    assert en.post(f"{_base(world, meeting)}/minutes/amendments", data={"body": FIXED, "reason": "漏了"}).status_code == 403


def test_an_amendment_after_the_window_is_refused_and_the_text_kept(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    opened = utcnow() - rules.AMENDMENT_WINDOW - timedelta(minutes=1)
    db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id).values(minutes_published_at=opened))
    db.session.commit()
    login_as(world.neighbour)
    closed = en.get(f"{_base(world, meeting)}/minutes/amendments/new").get_data(as_text=True)
    assert "3-day window for amendments closed on" in closed
    response = en.post(f"{_base(world, meeting)}/minutes/amendments", data={"body": "我改过的纪要文字", "reason": "漏了"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "3-day window for amendments closed on" in html and "我改过的纪要文字" in html
    assert db.session.execute(db.select(MinutesAmendment)).first() is None


def test_propose_then_accept_once(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    login_as(world.neighbour)
    missing = en.post(f"{_base(world, meeting)}/minutes/amendments", data={"body": FIXED, "reason": ""})
    assert missing.status_code == 422 and "大家同意改造垃圾厢房，物业负责清运" in missing.get_data(as_text=True)
    sent = en.post(f"{_base(world, meeting)}/minutes/amendments", data={"body": FIXED, "reason": "漏了清运"})
    assert sent.status_code == 303
    amendment = db.session.execute(db.select(MinutesAmendment)).scalar_one()
    accept = f"{_base(world, meeting)}/minutes/amendments/{amendment.id}/accept"
    assert en.post(accept).status_code == 403  # the proposer cannot accept their own change
    en.post("/logout")
    login_as(world.organiser)
    page = en.get(_base(world, meeting)).get_data(as_text=True)
    assert "Amendments waiting for your decision" in page and "Why: 漏了清运" in page and accept in page
    assert en.post(accept).status_code == 303
    second = en.post(accept, follow_redirects=True)
    assert "already decided" in second.get_data(as_text=True)
    assert _versions() == 2 and minutes.current_version(meeting).body_md == FIXED


def test_accept_as_htmx_returns_the_panel(world, meeting, login_as, client):
    publish(meeting, world.organiser)
    amendment = minutes.propose_amendment(meeting, proposer=world.neighbour, body_md=FIXED, reason="漏了清运",
                                          now=utcnow())
    db.session.commit()
    login_as(world.organiser)
    response = client.post(f"{_base(world, meeting)}/minutes/amendments/{amendment.id}/accept",
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Vary"].startswith("HX-Request")
    assert html.lstrip().startswith('<section id="minutes_panel"') and "物业负责清运" in html


def test_decline_needs_a_reason(world, meeting, login_as, en):
    publish(meeting, world.organiser)
    amendment = minutes.propose_amendment(meeting, proposer=world.neighbour, body_md=FIXED, reason="漏了清运",
                                          now=utcnow())
    db.session.commit()
    login_as(world.organiser)
    url = f"{_base(world, meeting)}/minutes/amendments/{amendment.id}/decline"
    refused = en.post(url, data={"reason": ""})
    assert refused.status_code == 422 and "Give the reason for declining" in refused.get_data(as_text=True)
    assert en.post(url, data={"reason": "会上没有这样决定"}).status_code == 303
    db.session.refresh(amendment)
    assert amendment.status is AmendmentStatus.DECLINED and _versions() == 1


def _fill(world, meeting, n):
    from civic.meetings import actions, notes
    from civic.projects.models import Category

    for i in range(n):
        actions.add(meeting, what=f"事项{i}", owner=f"user:{world.neighbour.id}", due_on=None, actor=world.organiser,
                    now=utcnow())
        note = notes.add(meeting, text=f"笔记{i}", upload=None, actor=world.neighbour, now=utcnow())
        if i % 2:
            notes.promote(note, actor=world.neighbour, household_id=None, category=Category.OTHER, now=utcnow())
        minutes.propose_amendment(meeting, proposer=world.neighbour, body_md=f"{FIXED}{i}", reason=f"理由{i}",
                                  now=utcnow())
    db.session.commit()


def test_the_meeting_page_query_count_does_not_grow_with_items(world, make_meeting, login_as, client):
    from tests.meetings.minutes_support import counted_queries

    small, big = held_meeting(make_meeting), held_meeting(make_meeting, title="大会")
    for m, n in ((small, 2), (big, 9)):
        sign_in(m, world.organiser, world.neighbour)
        publish(m, world.organiser)
        _fill(world, m, n)
    login_as(world.organiser)
    counts = []
    for m in (small, big):
        client.get(_base(world, m))  # warm caches
        with counted_queries() as statements:
            assert client.get(_base(world, m)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] > 10, counts
