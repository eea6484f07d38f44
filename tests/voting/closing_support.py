"""Helpers of the closing, sign-off and publicity tests: casting for a member, many households, moving the clock."""
from __future__ import annotations

from decimal import Decimal

from werkzeug.security import generate_password_hash

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Household, Membership
from civic.community.rules import standing_of
from civic.extensions import db
from civic.voting import casting, electorate
from civic.voting.models import Answer, Vote


def cast_for(vote: Vote, user: User, answer: Answer = Answer.FOR, *, now=None, marks=None):  # noqa: ANN001, ANN201
    """Cast the user's household ballot through the ballot service and commit it."""
    elector = electorate.electors_of(vote, user.id)[0]
    ballot = casting.cast(vote.id, elector_id=elector.id, actor=user, answer=answer, marks=marks or {},
                          now=now or utcnow())
    db.session.commit()
    return ballot


def standing(user: User, vote: Vote):  # noqa: ANN201
    from civic.community.models import Community

    return standing_of(user, db.session.get(Community, vote.community_id))


def many_households(building, count: int, prefix: str) -> list[User]:  # noqa: ANN001
    """`count` households of 50 m² in the building, each with one owner (one password hash for all)."""
    password_hash = generate_password_hash("unused")
    homes = [Household(building_id=building.id, room=f"{prefix}{i}", area_m2=Decimal("50.00")) for i in range(count)]
    users = [User(username=f"{prefix}{i}", display_name=f"邻居{i}", password_hash=password_hash) for i in range(count)]
    db.session.add_all(homes + users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, household_id=h.id) for u, h in zip(users, homes))
    db.session.commit()
    return users
