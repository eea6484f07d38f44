"""Action items decided at a meeting: what, which carriage or person, due date, status (simple rows; issue 8 builds on them)."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.labels import role_label
from civic.community.models import Role
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import queries
from civic.meetings.minutes import REASON_MIN, check_text
from civic.meetings.models import REASON_MAX, ActionItem, ActionStatus, Meeting
from civic.proposals.queries import committee_user_ids

WHAT_MAX = 200
CARRIAGES = (Role.RESIDENTS_COMMITTEE, Role.OWNERS_COMMITTEE, Role.PROPERTY_MANAGEMENT)
ROLE_PREFIX, USER_PREFIX = "role:", "user:"


def items_of(meeting: Meeting) -> list[ActionItem]:
    return list(db.session.execute(
        db.select(ActionItem).where(ActionItem.meeting_id == meeting.id)
        .options(selectinload(ActionItem.owner_user)).order_by(ActionItem.position, ActionItem.id)).scalars())


def item_in(meeting: Meeting, item_id: int) -> ActionItem | None:
    return db.session.execute(db.select(ActionItem).where(
        ActionItem.id == item_id, ActionItem.meeting_id == meeting.id)).scalar_one_or_none()


def people_for(meeting: Meeting) -> list[User]:
    """Who may own an item: the committee, the organiser and the attendees with an account (one query for users)."""
    ids = committee_user_ids(meeting.community) | set(queries.attendee_user_ids(meeting))
    if meeting.organiser_id is not None:
        ids.add(meeting.organiser_id)
    if not ids:
        return []
    return list(db.session.execute(db.select(User).where(User.id.in_(ids)).order_by(User.display_name, User.id)).scalars())


def owner_choices(meeting: Meeting) -> dict[str, list[tuple[str, str]]]:
    """Grouped <select> choices: the three carriages, then people as "王阿姨 · 7号楼"."""
    people = people_for(meeting)
    labels = public_labels(people, meeting.community) if people else {}
    return {
        _("The three carriages"): [(f"{ROLE_PREFIX}{r.value}", role_label(r)) for r in CARRIAGES],
        _("A person"): [(f"{USER_PREFIX}{u.id}", labels[u.id]) for u in people],
    }


def _owner(meeting: Meeting, owner: str) -> tuple[str | None, int | None]:
    """"role:owners_committee" or "user:12" → (role value, user id); anything not offered is refused."""
    owner = owner or ""
    if owner.startswith(ROLE_PREFIX) and owner[len(ROLE_PREFIX):] in {r.value for r in CARRIAGES}:
        return owner[len(ROLE_PREFIX):], None
    if owner.startswith(USER_PREFIX) and owner[len(USER_PREFIX):].isdigit():
        user_id = int(owner[len(USER_PREFIX):])
        if user_id in {u.id for u in people_for(meeting)}:
            return None, user_id
    raise RuleViolation(_("Choose who will do it: one of the three carriages or a person from the list."), "owner")


def add(meeting: Meeting, *, what: str, owner: str, due_on: date | None, actor, now: datetime) -> ActionItem:  # noqa: ANN001
    what = check_text(what, low=1, high=WHAT_MAX, field="what",
                      message=_("Say what is to be done (at most %(n)d characters).", n=WHAT_MAX))
    owner_role, owner_user_id = _owner(meeting, owner)
    last = db.session.execute(db.select(db.func.max(ActionItem.position))
                              .where(ActionItem.meeting_id == meeting.id)).scalar()
    item = ActionItem(meeting_id=meeting.id, position=(last or 0) + 1, what=what, owner_role=owner_role,
                      owner_user_id=owner_user_id, due_on=due_on, updated_at=now)
    db.session.add(item)
    db.session.flush()
    record(meeting.community_id, actor, "action.added", f"action:{item.id}", now, meeting_id=meeting.id, what=what)
    return item


def set_status(item: ActionItem, status: ActionStatus, *, reason: str = "", actor, now: datetime) -> None:  # noqa: ANN001
    """Blocked needs a reason (so the committee knows what to unblock); other statuses clear it."""
    if status is ActionStatus.BLOCKED:
        reason = check_text(reason, low=REASON_MIN, high=REASON_MAX, field="reason",
                            message=_("Say what blocks it (2 to 200 characters)."))
    else:
        reason = ""
    before = item.status
    item.status, item.blocked_reason, item.updated_at = status, reason, now
    record(_community_id(item), actor, "action.status", f"action:{item.id}", now, before=before.value,
           after=status.value, reason=reason)


def remove(item: ActionItem, *, actor, now: datetime) -> None:  # noqa: ANN001
    record(_community_id(item), actor, "action.removed", f"action:{item.id}", now, what=item.what)
    db.session.delete(item)


def _community_id(item: ActionItem) -> int:
    return db.session.get(Meeting, item.meeting_id).community_id


def owner_label(item: ActionItem, labels: dict[int, str]) -> str:
    """A carriage's name, or the person as "王阿姨 · 7号楼" (labels from public_labels)."""
    if item.owner_role:
        return role_label(item.owner_role)
    if item.owner_user_id is not None:
        return labels.get(item.owner_user_id, _("a former member"))
    return _("nobody yet")


def day_text(day: date) -> str:
    """A due date as people write it ("2026年12月8日"); a date has no time zone to shift."""
    return format_date(day, "long")


def is_overdue(item: ActionItem, today: date) -> bool:
    return item.due_on is not None and item.due_on < today and item.status is not ActionStatus.DONE
