"""The meeting page skeleton: members see it, outsiders get 404, times are local."""
from datetime import datetime

from civic.meetings.localtime import local_date, to_utc


def test_member_sees_meeting_and_outsider_gets_404(world, make_meeting, client, login_as):
    meeting = make_meeting()
    login_as(world.neighbour)
    page = client.get(f"/c/{world.community.slug}/meetings/{meeting.id}")
    assert page.status_code == 200 and "垃圾点怎么改" in page.get_data(as_text=True)
    client.post("/logout")
    login_as(world.outsider)
    assert client.get(f"/c/{world.community.slug}/meetings/{meeting.id}").status_code == 404


def test_half_past_midnight_local_is_on_its_own_day():
    utc = to_utc(datetime(2026, 12, 2, 0, 30))
    assert utc == datetime(2026, 12, 1, 16, 30)
    assert local_date(utc).isoformat() == "2026-12-02"
