"""What the proposal pages show: loading one proposal for a view, the show page, the seconding panel."""
from __future__ import annotations

from flask import abort, g
from flask_babel import gettext as _

from civic.community.people import public_labels
from civic.proposals import queries, rules, seconds
from civic.proposals.forms import AnswerForm
from civic.proposals.models import Proposal, ProposalStatus
from civic.threads.display import thread_context

SECOND_PANEL = "second_panel"
SECOND_TOGGLED = "second-toggled"


def load(community, proposal_id: int) -> Proposal:  # noqa: ANN001
    """The proposal of this community that this member may see; anything else is 404 (drafts stay secret)."""
    proposal = queries.proposal_in(community, proposal_id)
    if proposal is None or not rules.can_view_proposal(g.standing, proposal):
        abort(404)
    return proposal


def first_household_id() -> int | None:
    """A member seconds and writes for their first household here (staff living elsewhere have none)."""
    return g.standing.household_ids[0] if g.standing.household_ids else None


def panel_context(community, proposal: Proposal, *, oob: bool = False) -> dict:  # noqa: ANN001
    """The seconding panel (block `second_panel`); `oob` adds the header counter as an out-of-band swap."""
    return {"community": community, "proposal": proposal, "oob": oob,
            "panel": seconds.panel(community, proposal, first_household_id()),
            "can_second": rules.can_second(g.standing, proposal),
            "can_unsecond": rules.can_unsecond(g.standing, proposal)}


def answer_form(community, proposal: Proposal, formdata=None) -> AnswerForm:  # noqa: ANN001
    return AnswerForm(formdata=formdata, projects=queries.open_projects(community),
                      proposals=queries.merge_targets(community, proposal))


def _closed_reason(proposal: Proposal) -> str | None:
    if proposal.status is ProposalStatus.WITHDRAWN:
        return _("The author withdrew this proposal; the discussion is closed.")
    if proposal.hidden_at is not None:
        return _("The committee hid this proposal; the discussion is closed.")
    return None


def show_context(community, proposal: Proposal, form: AnswerForm | None = None) -> dict:  # noqa: ANN001
    from civic.meetings.notes import origin_of  # here: the meetings package imports proposals

    st = g.standing
    people = [u for u in (proposal.author, proposal.answered_by) if u is not None]
    context = {
        **panel_context(community, proposal),
        "st": st, "labels": public_labels(people, community) if people else {},
        "can_read": rules.can_read_text(st, proposal), "can_edit": rules.can_edit_proposal(st, proposal),
        "can_publish": rules.can_publish(st, proposal), "can_withdraw": rules.can_withdraw_proposal(st, proposal),
        "merged_into": proposal.merged_into,
        "can_read_target": proposal.merged_into is not None and rules.can_read_text(st, proposal.merged_into),
        "thread_ctx": None, "answer_form": None, "origin": origin_of(proposal),
    }
    if proposal.status is not ProposalStatus.DRAFT:
        context["thread_ctx"] = thread_context(community, proposal.thread, is_discussable=rules.is_discussable(proposal),
                                               closed_reason=_closed_reason(proposal))
    if rules.can_answer(st, proposal):
        context["answer_form"] = form or answer_form(community, proposal)
    return context
