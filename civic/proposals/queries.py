"""Read-side queries about proposals shared by several modules."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import union

from civic.community.models import Membership
from civic.extensions import db
from civic.proposals.models import Proposal, Second


def supporter_user_ids(proposal_ids: Iterable[int]) -> set[int]:
    """Authors of these proposals and every member of a household that seconded one: who hears of answers and stages."""
    ids = list(proposal_ids)
    if not ids:
        return set()
    authors = db.select(Proposal.author_id.label("uid")).where(Proposal.id.in_(ids), Proposal.author_id.is_not(None))
    seconders = (db.select(Membership.user_id.label("uid"))
                 .join(Second, Second.household_id == Membership.household_id)
                 .where(Second.proposal_id.in_(ids)))
    return set(db.session.execute(union(authors, seconders)).scalars())
