"""Who may report and who may moderate: predicates over a Standing and the item's state.

`community_id` is the item's community (a proposal's own, a comment's thread's), passed in so that a
page listing fifty comments asks nothing of the database.
"""
from __future__ import annotations

from civic.community.rules import Standing
from civic.proposals.models import Proposal, ProposalStatus
from civic.threads.models import Comment, Thread


def can_moderate(st: Standing) -> bool:
    """See the queue, hide, unhide, dismiss reports, lock threads: the three carriages and the administrator."""
    return st.is_member and st.is_committee


def _is_author(st: Standing, item: Proposal | Comment) -> bool:
    return st.user_id is not None and item.author_id == st.user_id


def is_reportable(item: Proposal | Comment) -> bool:
    """Only what neighbours can read: not a draft, not withdrawn, not already hidden."""
    if isinstance(item, Proposal):
        return item.status not in {ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN} and item.hidden_at is None
    return item.withdrawn_at is None and item.hidden_at is None


def can_report(st: Standing, item: Proposal | Comment, community_id: int) -> bool:
    """Any member who can read the item, except its author (who can edit or withdraw it instead)."""
    return (st.user_id is not None and st.is_member and community_id == st.community_id
            and is_reportable(item) and not _is_author(st, item))


def can_moderate_item(st: Standing, item: Proposal | Comment, community_id: int) -> bool:
    """Hide, unhide, dismiss reports: the committee, but never on their own words."""
    return can_moderate(st) and community_id == st.community_id and not _is_author(st, item)


def can_lock(st: Standing, thread: Thread) -> bool:
    return can_moderate(st) and thread.community_id == st.community_id
