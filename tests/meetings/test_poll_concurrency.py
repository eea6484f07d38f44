"""PostgreSQL only: double taps leave one answer per person; answers racing the pick are stored or refused, whole."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.extensions import db
from civic.meetings.models import Meeting, MeetingStatus, PollAnswer
from tests.meetings.test_poll import add
from tests.concurrency import household_crowd, signed_in_clients

PEOPLE = 40
WORKERS = 16


@pytest.fixture
def crowd(app, world, is_postgres):
    """PEOPLE signed-in neighbours (sessions made directly: no logins), and the organiser last."""
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    users = household_crowd(world.far_home.id, PEOPLE, "poller")
    return signed_in_clients(app, [*users, world.organiser])


def test_double_taps_leave_one_answer_each_and_no_500(world, make_meeting, crowd):
    meeting = make_meeting(status=MeetingStatus.POLLING)
    slot = add(meeting, 2, 14, world.organiser)
    url = f"/c/{world.community.slug}/meetings/{meeting.id}/slots/{slot.id}/answer"

    def tap(index: int) -> int:
        person, headers = index % PEOPLE, ({"HX-Request": "true"} if index % 3 else {})
        return crowd[person].post(url, data={"answer": ("yes", "maybe")[index // PEOPLE]}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(tap, range(2 * PEOPLE)))
    assert set(statuses) <= {200, 303}, sorted(set(statuses))
    db.session.rollback()
    users = db.session.scalars(db.select(PollAnswer.user_id).where(PollAnswer.slot_id == slot.id)).all()
    assert len(users) == len(set(users)) == PEOPLE


def test_no_answer_is_written_after_the_pick(world, make_meeting, crowd):
    meeting = make_meeting(status=MeetingStatus.POLLING)
    slot = add(meeting, 2, 14, world.organiser)
    base = f"/c/{world.community.slug}/meetings/{meeting.id}/slots/{slot.id}"

    def act(index: int) -> int:
        if index == PEOPLE // 2:
            return crowd[-1].post(f"{base}/pick").status_code
        return crowd[index].post(f"{base}/answer", data={"answer": "yes"}).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(act, range(PEOPLE)))
    assert set(statuses) <= {303, 422}, sorted(set(statuses))
    db.session.rollback()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED
    stored = db.session.scalar(db.select(db.func.count()).select_from(PollAnswer).where(PollAnswer.slot_id == slot.id))
    assert stored == statuses.count(303) - 1  # every 303 but the pick's stored one answer; every 422 stored none
