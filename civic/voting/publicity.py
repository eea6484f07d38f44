"""The publicity period (公示) after a passing result: objections (异议), the committee's answers, and the project gate."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from civic.audit.models import record
from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings.localtime import local_date, to_local
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.projects.models import Project
from civic.voting import rules
from civic.voting.models import Objection, State, Vote
from civic.web.markdown import render

BODY_MIN, BODY_MAX = 2, 2000


def _text(body: str, field: str) -> str:
    body = (body or "").strip()
    if not BODY_MIN <= len(body) <= BODY_MAX:
        raise RuleViolation(_("Write %(min)d to %(max)d characters.", min=BODY_MIN, max=BODY_MAX), field)
    return body


def objections_of(vote: Vote) -> list[Objection]:
    """Oldest first, with authors and answerers loaded (one query)."""
    return list(db.session.execute(
        select(Objection).where(Objection.vote_id == vote.id).order_by(Objection.created_at, Objection.id)
        .options(db.joinedload(Objection.author), db.joinedload(Objection.answered_by))).unique().scalars())


def file_objection(vote: Vote, *, actor, standing: Standing, body: str, now: datetime) -> Objection:  # noqa: ANN001
    """A member files an objection while the publicity period runs; it is on the timeline and in the audit log."""
    if not rules.can_object(standing, vote, now):
        raise RuleViolation(_("Objections can be filed only while the result is in its publicity period."))
    body = _text(body, "body")
    objection = Objection(vote_id=vote.id, author_id=actor.id, body_md=body, body_html=render(body), created_at=now)
    db.session.add(objection)
    db.session.flush()
    project = db.session.get(Project, vote.project_id)
    timeline.add(project, "vote_objection", actor, now, vote_id=vote.id, title=vote.title,
                 objection_id=objection.id)
    record(vote.community_id, actor, "vote.objection", f"vote:{vote.id}", now, objection_id=objection.id)
    return objection


def answer(objection: Objection, *, actor, body: str, now: datetime) -> bool:  # noqa: ANN001
    """The committee answers (or corrects its answer). True for a first answer: only that one notifies the author."""
    body = _text(body, "answer")
    vote = db.session.get(Vote, objection.vote_id)
    is_first = objection.answered_at is None
    previous = objection.answer_md
    objection.answer_md, objection.answer_html = body, render(body)
    objection.answered_by_id, objection.answered_at = actor.id, now
    if is_first:
        project = db.session.get(Project, vote.project_id)
        timeline.add(project, "vote_objection_answered", actor, now, vote_id=vote.id, title=vote.title,
                     objection_id=objection.id)
        if objection.author_id is not None:
            notify([objection.author_id], community_id=vote.community_id, kind=NoticeKind.OBJECTION_ANSWERED,
                   now=now, actor=actor, vote_id=vote.id, summary=vote.title)
    # A corrected answer keeps the earlier text in the audit log: nothing the committee said is lost.
    record(vote.community_id, actor, "vote.objection_answer" if is_first else "vote.objection_answer_edit",
           f"vote:{vote.id}", now, objection_id=objection.id, previous=previous)
    return is_first


def unanswered_count(vote_ids) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(Objection)
                             .where(Objection.vote_id.in_(vote_ids), Objection.answered_at.is_(None))) or 0


def is_settled(vote: Vote, now: datetime) -> bool:
    """Final: the publicity period (if any) is over and every objection has an answer."""
    return not rules.is_publicity_running(vote, now) and unanswered_count([vote.id]) == 0


def ends_words(at: datetime) -> str:
    """"2026年11月30日 16:51" in Asia/Shanghai."""
    return f"{format_date(local_date(at), 'long')} {to_local(at):%H:%M}"


def project_blockers(project: Project, now: datetime) -> list[str]:
    """Why the project may not leave 公示 yet: a publicity period still running, objections not yet answered."""
    published = select(Vote.id).where(Vote.project_id == project.id, Vote.state == State.PUBLISHED)
    ends = db.session.scalar(select(func.max(Vote.publicity_ends_at)).where(
        Vote.id.in_(published), Vote.publicity_ends_at > now))
    reasons = []
    if ends is not None:
        reasons.append(_("The publicity period runs until %(date)s.", date=ends_words(ends)))
    pending = unanswered_count(published)
    if pending:
        reasons.append(ngettext("%(num)d objection has not been answered yet.",
                                "%(num)d objections have not been answered yet.", pending))
    return reasons


def check_project_may_proceed(project: Project, now: datetime) -> None:
    """Called by civic.projects.services.move_stage when a project would leave 公示 for 实施."""
    reasons = project_blockers(project, now)
    if reasons:
        raise RuleViolation(" ".join(reasons), "to")
