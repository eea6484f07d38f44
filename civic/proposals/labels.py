"""How a proposal's status and the official answer are named on pages: one table each."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from civic.proposals.models import ProposalStatus

STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.OPEN: _l("Open for seconding"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.MERGED: _l("Merged"),
    ProposalStatus.DECLINED: _l("Declined"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
}


def status_label(status: ProposalStatus | str) -> str:
    """Accepts the enum or its stored value."""
    try:
        return str(STATUS_LABELS[ProposalStatus(status)])
    except ValueError:
        return str(status)
