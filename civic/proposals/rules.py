"""Who may do what with a proposal, when. Pure predicates over a Standing and the proposal's state."""
from __future__ import annotations

from civic.community.rules import Standing
from civic.proposals.models import Proposal, ProposalStatus

EDITABLE = frozenset({ProposalStatus.DRAFT, ProposalStatus.OPEN})


def is_author(st: Standing, proposal: Proposal) -> bool:
    return st.user_id is not None and proposal.author_id == st.user_id


def can_raise(st: Standing) -> bool:
    return st.user_id is not None and st.is_member


def can_view_proposal(st: Standing, proposal: Proposal) -> bool:
    """Drafts are private to their author; everything else is visible to the community's members."""
    if proposal.community_id != st.community_id or not st.is_member:
        return False
    return proposal.status is not ProposalStatus.DRAFT or is_author(st, proposal)


def can_read_text(st: Standing, proposal: Proposal) -> bool:
    """A hidden proposal's text stays readable by its author and the committee (who may unhide it)."""
    return can_view_proposal(st, proposal) and (proposal.hidden_at is None or is_author(st, proposal)
                                                or st.is_committee)


def can_edit_proposal(st: Standing, proposal: Proposal) -> bool:
    return is_author(st, proposal) and proposal.status in EDITABLE


def can_withdraw_proposal(st: Standing, proposal: Proposal) -> bool:
    return is_author(st, proposal) and proposal.status is ProposalStatus.OPEN


def is_open_for_support(proposal: Proposal) -> bool:
    return proposal.status is ProposalStatus.OPEN and proposal.hidden_at is None


def can_second(st: Standing, proposal: Proposal) -> bool:
    """Seconding is by household: only members linked to a household here."""
    return bool(st.household_ids) and can_view_proposal(st, proposal) and is_open_for_support(proposal)


def can_answer(st: Standing, proposal: Proposal) -> bool:
    """The committee's official answer: accept into a project, merge as a duplicate, or decline."""
    return st.is_committee and proposal.community_id == st.community_id and is_open_for_support(proposal)


def is_discussable(proposal: Proposal) -> bool:
    """New comments are taken on published proposals that are neither withdrawn nor hidden."""
    return proposal.status not in {ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN} and proposal.hidden_at is None


def can_publish(st: Standing, proposal: Proposal) -> bool:
    """A draft becomes public only by its author's hand."""
    return is_author(st, proposal) and proposal.status is ProposalStatus.DRAFT


def can_unsecond(st: Standing, proposal: Proposal) -> bool:
    """Any member of the household may take its second back while the proposal still collects support."""
    return can_second(st, proposal)


def can_view_history(st: Standing, proposal: Proposal) -> bool:
    """Earlier versions are text too: whoever may read the current text may read those."""
    return can_read_text(st, proposal)


def can_manage_seconding(st: Standing) -> bool:
    """Set the community's seconding threshold: the three carriages and the administrator."""
    return st.is_committee


def can_list_proposals(st: Standing) -> bool:
    return st.is_member
