"""Registration: a new account joins the household whose invite code it presents."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func

from civic.accounts.models import User, find_by_username
from civic.community import invites
from civic.community.models import Household, MemberKind, Membership
from civic.errors import RuleViolation
from civic.extensions import db


def register(*, code: str, username: str, display_name: str, password: str, phone: str | None,
             kind: MemberKind, max_members: int, now: datetime) -> User:
    """Create the user and their membership, or raise RuleViolation and write nothing."""
    invite = invites.find_active(code)
    if invite is None:
        raise RuleViolation(_("This invite code is not valid. It may have been mistyped or replaced by a "
                              "newer slip; ask your building-group leader or the residents' committee."), "code")
    # Lock the household row so two neighbours registering at once cannot exceed the limit.
    household = db.session.execute(
        db.select(Household).where(Household.id == invite.household_id).with_for_update()
    ).scalar_one()
    if not household.is_active:
        raise RuleViolation(_("This household is no longer on the roster; ask the residents' committee."), "code")
    used = db.session.scalar(db.select(func.count()).where(Membership.household_id == household.id))
    if used >= max_members:
        raise RuleViolation(_("This household already has %(n)d members, the most one invite code allows. "
                              "Ask the residents' committee for help.", n=max_members), "code")
    if find_by_username(username) is not None:
        raise RuleViolation(_("This login name is taken; choose another."), "username")
    user = User(username=username, display_name=display_name, phone=phone or None, created_at=now)
    user.set_password(password)
    db.session.add(user)
    db.session.add(Membership(user=user, household=household, kind=kind, invite_code_id=invite.id, created_at=now))
    db.session.flush()
    return user
