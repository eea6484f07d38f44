"""Helpers for the minutes tests: a meeting that has taken place, attendees signed in, published minutes."""
from __future__ import annotations

from datetime import timedelta


from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import minutes
from civic.meetings.models import Attendance, Meeting, SignInMethod
from civic.notices.models import Notification
from tests.querycount import counted_queries  # noqa: F401  (used here and re-exported)


def held_meeting(make_meeting, *, hours_ago: float = 26, **overrides) -> Meeting:
    """A meeting that started `hours_ago` and lasted two hours."""
    starts = utcnow().replace(microsecond=0) - timedelta(hours=hours_ago)
    return make_meeting(starts_at=starts, **overrides)


def sign_in(meeting: Meeting, *users) -> None:
    for user in users:
        household = user.memberships[0].household_id if user.memberships else None
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, household_id=household,
                                  method=SignInMethod.CODE, signed_in_at=meeting.starts_at))
    db.session.commit()


def publish(meeting: Meeting, actor, body: str = "## 会议记录\n\n大家同意改造垃圾厢房。", decisions=("同意改造",),
            *, now=None, note: str = ""):
    now = now or utcnow()
    minutes.save_draft(meeting, body, list(decisions), actor=actor, now=now)
    version = minutes.publish(meeting, actor=actor, now=now, note=note)
    db.session.commit()
    return version


def notices(user, kind) -> list[Notification]:
    return db.session.execute(db.select(Notification).where(Notification.user_id == user.id,
                                                            Notification.kind == kind)).scalars().all()


