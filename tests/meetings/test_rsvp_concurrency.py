"""PostgreSQL only: 60 neighbours RSVP at once to 5 places; cancellations at once promote in order; reminders once."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings.models import Meeting, Rsvp, RsvpStatus
from civic.meetings.reminders import send_reminders
from civic.notices.models import NoticeKind, Notification
from tests.concurrency import household_crowd, signed_in_clients

MEMBERS = 60
CAPACITY = 5
WORKERS = 20  # within the connection pool (5 + 10 overflow) plus waiting; each request is short


@pytest.fixture
def crowd(app, world, is_postgres):
    """60 signed-in clients in 7号楼 (sessions made directly: no 60 logins). Returns [(user_id, client)]."""
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    users = household_crowd(world.neighbour_home.id, MEMBERS, "rsvp")
    return list(zip([u.id for u in users], signed_in_clients(app, users)))


def _rows(meeting) -> dict[RsvpStatus, list[Rsvp]]:
    db.session.rollback()
    rows = db.session.execute(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id)
                              .order_by(Rsvp.waitlisted_at, Rsvp.id)).scalars().all()
    return {status: [r for r in rows if r.status is status] for status in RsvpStatus}


def _going_count(meeting) -> int:
    return db.session.execute(db.select(Meeting.going_count).where(Meeting.id == meeting.id)).scalar_one()


def _post_all(crowd, url, going: str, indexes) -> list[int]:
    def press(index: int) -> int:
        headers = {"HX-Request": "true"} if index % 2 else {}
        return crowd[index][1].post(url, data={"going": going}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(press, indexes))


def test_sixty_at_once_never_exceed_five_places_and_cancellations_promote_in_order(world, make_meeting, crowd):
    meeting = make_meeting(capacity=CAPACITY)
    url = f"/c/{world.community.slug}/meetings/{meeting.id}/rsvp"

    statuses = _post_all(crowd, url, "yes", range(MEMBERS))
    assert 500 not in statuses and set(statuses) <= {200, 303}, sorted(set(statuses))
    rows = _rows(meeting)
    assert len(rows[RsvpStatus.GOING]) == CAPACITY and len(rows[RsvpStatus.WAITLIST]) == MEMBERS - CAPACITY
    assert _going_count(meeting) == CAPACITY

    # Everybody presses again at once: nothing changes.
    assert 500 not in _post_all(crowd, url, "yes", range(MEMBERS))
    assert {s: len(r) for s, r in _rows(meeting).items()} == {s: len(r) for s, r in rows.items()}

    waiting_in_order = [r.user_id for r in rows[RsvpStatus.WAITLIST]]
    leaving = {r.user_id for r in rows[RsvpStatus.GOING][:3]}
    index_of = {user_id: i for i, (user_id, _client) in enumerate(crowd)}
    assert 500 not in _post_all(crowd, url, "no", [index_of[u] for u in leaving])

    after = _rows(meeting)
    promoted = {r.user_id for r in after[RsvpStatus.GOING]} - {r.user_id for r in rows[RsvpStatus.GOING]}
    assert promoted == set(waiting_in_order[:3])
    assert len(after[RsvpStatus.GOING]) == CAPACITY and _going_count(meeting) == CAPACITY
    assert [r.user_id for r in after[RsvpStatus.WAITLIST]] == waiting_in_order[3:]
    notified = db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == NoticeKind.WAITLIST_PROMOTED, Notification.meeting_id == meeting.id)).scalars().all()
    assert sorted(notified) == sorted(promoted)


def test_two_reminder_runs_at_once_remind_each_person_once(app, world, make_meeting, crowd):
    now = utcnow()
    meeting = make_meeting(starts_at=now + timedelta(hours=20))
    url = f"/c/{world.community.slug}/meetings/{meeting.id}/rsvp"
    assert 500 not in _post_all(crowd, url, "yes", range(MEMBERS))

    def run(_index: int) -> int:
        with app.app_context():
            sent = send_reminders(now)
            db.session.commit()
            return sent

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(run, range(4)))
    assert sum(sent) == MEMBERS
    db.session.rollback()
    reminded = db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == NoticeKind.MEETING_REMINDER)).scalars().all()
    assert len(reminded) == len(set(reminded)) == MEMBERS
