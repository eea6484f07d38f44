"""The committee's official answer: accept into a new or existing project, merge as a duplicate, or decline."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.projects.models import Project, Stage
from civic.projects.services import create_project
from civic.proposals.models import AnswerKind, Proposal, ProposalStatus
from civic.proposals.queries import supporter_user_ids
from civic.search import index
from civic.web.markdown import plain_text, render

MERGE_TARGET_STATUSES = (ProposalStatus.OPEN, ProposalStatus.ACCEPTED)


def accept_into_new_project(proposal: Proposal, answer_md: str, *, actor, now: datetime) -> Project:  # noqa: ANN001
    """A new project from the proposal's own title, text, category and buildings."""
    _check_answerable(proposal, answer_md)
    _claim(proposal, ProposalStatus.ACCEPTED)
    project = create_project(proposal.community, title=proposal.title, description_md=proposal.body_md,
                             category=proposal.category, buildings=list(proposal.buildings), actor=actor, now=now)
    _accept(proposal, project, answer_md, actor=actor, now=now)
    return project


def accept_into_project(proposal: Proposal, project: Project | None, answer_md: str, *, actor,  # noqa: ANN001
                        now: datetime) -> None:
    _check_answerable(proposal, answer_md)
    if project is None or project.community_id != proposal.community_id:
        raise RuleViolation(_("Choose a project of this community."), "project")
    if project.stage in (Stage.DONE, Stage.SHELVED):
        raise RuleViolation(_("That project is finished or shelved; choose another or make a new one."), "project")
    _claim(proposal, ProposalStatus.ACCEPTED)
    _accept(proposal, project, answer_md, actor=actor, now=now)


def _accept(proposal: Proposal, project: Project, answer_md: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    proposal.project_id = project.id
    timeline.add(project, "proposal_accepted", actor, now, proposal_id=proposal.id, title=proposal.title)
    _finish(proposal, AnswerKind.ACCEPT, answer_md, actor=actor, now=now, project_id=project.id)


def merge(proposal: Proposal, target: Proposal | None, answer_md: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Point a duplicate to the proposal it repeats; residents of the duplicate are sent there."""
    _check_answerable(proposal, answer_md)
    _check_merge_target(proposal, target)
    _claim(proposal, ProposalStatus.MERGED)
    proposal.merged_into_id = target.id
    if target.project is not None:
        timeline.add(target.project, "proposal_merged", actor, now, proposal_id=proposal.id, title=proposal.title)
    _finish(proposal, AnswerKind.MERGE, answer_md, actor=actor, now=now, merged_into_id=target.id)


def _check_merge_target(proposal: Proposal, target: Proposal | None) -> None:
    if target is None or target.community_id != proposal.community_id or target.status not in MERGE_TARGET_STATUSES:
        raise RuleViolation(_("Choose an open or accepted proposal of this community."), "merge_into")
    # Walk the chain the target already points along: a proposal must never end up merged into itself.
    seen, step = set(), target
    while step is not None:
        if step.id == proposal.id or step.id in seen:
            raise RuleViolation(_("A proposal cannot be merged into itself."), "merge_into")
        seen.add(step.id)
        step = step.merged_into


def decline(proposal: Proposal, answer_md: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    _check_answerable(proposal, answer_md)
    _claim(proposal, ProposalStatus.DECLINED)
    _finish(proposal, AnswerKind.DECLINE, answer_md, actor=actor, now=now)


def _check_answerable(proposal: Proposal, answer_md: str) -> None:
    if proposal.status is not ProposalStatus.OPEN or proposal.hidden_at is not None:
        raise RuleViolation(_("Only an open proposal can be answered."))
    if not (answer_md or "").strip():
        raise RuleViolation(_("Write the answer the residents will read."), "answer")


def _claim(proposal: Proposal, status: ProposalStatus) -> None:
    """One conditional UPDATE: of two committee members answering the same proposal at once, only one wins."""
    claimed = db.session.execute(
        db.update(Proposal).where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.OPEN)
        .values(status=status).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise RuleViolation(_("Someone else answered this proposal meanwhile; reload the page to see the answer."))
    set_committed_value(proposal, "status", status)


def _finish(proposal: Proposal, kind: AnswerKind, answer_md: str, *, actor, now: datetime, **detail) -> None:  # noqa: ANN001
    """What every answer does: the answer on the page, the audit log, search, and the supporters' notices."""
    proposal.answer_kind, proposal.answer_md, proposal.answer_html = kind, answer_md, render(answer_md)
    proposal.answered_at, proposal.answered_by_id, proposal.last_activity_at = now, actor.id, now
    db.session.flush()
    record(proposal.community_id, actor, "proposal.answer", f"proposal:{proposal.id}", now, kind=kind.value,
           title=proposal.title, **detail)
    index.index_proposal(proposal)
    notify(supporter_user_ids([proposal.id]), community_id=proposal.community_id, kind=NoticeKind.ANSWER, now=now,
           actor=actor, proposal_id=proposal.id, project_id=detail.get("project_id"),
           summary=plain_text(answer_md))
