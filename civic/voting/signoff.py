"""Joint sign-off (联合签署): one signature per carriage; with enough of them the vote closes or its result is published."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from civic.audit.models import record
from civic.community.labels import role_label
from civic.community.models import Role
from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.projects.models import Project
from civic.voting import closing, locks, rules, tally
from civic.voting.decision import verdict_sentence
from civic.voting.models import Caster, SignAction, SignOff, State, Vote

NOTE_MAX = 200


class Signature(NamedTuple):
    carriage: Role
    user_id: int | None
    name: str
    signed_at: datetime
    note: str


class Refused(RuleViolation):
    """A signature that conflicts with the vote's state or an earlier signature: the views answer 409."""


def signatures(vote: Vote, action: SignAction | None = None) -> dict[SignAction, list[Signature]]:
    """Who signed what, for which carriage and when (one query; the results page shows these too)."""
    query = (select(SignOff).where(SignOff.vote_id == vote.id).order_by(SignOff.signed_at, SignOff.id)
             .options(db.joinedload(SignOff.user)))
    if action is not None:
        query = query.where(SignOff.action == action)
    out: dict[SignAction, list[Signature]] = {a: [] for a in SignAction}
    for row in db.session.execute(query).scalars():
        out[row.action].append(Signature(Role(row.carriage), row.user_id, row.user.display_name if row.user else "",
                                         row.signed_at, row.note))
    return out


def remaining(vote: Vote, signed: list[Signature]) -> int:
    return max(vote.signoffs_required - len(signed), 0)


def carriage_for(st: Standing, carriage: Role | None) -> Role:
    """The carriage this member signs for: the one they hold, or the one they chose when they hold two."""
    held = rules.carriages_of(st)
    if carriage is None and len(held) == 1:
        return held[0]
    if carriage is None:
        raise RuleViolation(_("You belong to more than one carriage: choose which one you sign for."), "carriage")
    if carriage not in held:
        raise RuleViolation(_("You can only sign for a carriage you belong to."), "carriage")
    return carriage


def _check_state(vote: Vote, action: SignAction, now: datetime) -> None:
    if action is SignAction.CLOSE and not rules.is_open(vote, now):
        raise Refused(_("This vote is not open any more, so there is nothing to close."))
    if action is SignAction.PUBLISH and vote.state is not State.CLOSED:
        raise Refused(_("The result can be published once the vote is closed.") if vote.state is State.OPEN
                      else _("This result has already been published."))


def _check_unsigned(vote: Vote, action: SignAction, carriage: Role, actor) -> None:  # noqa: ANN001
    for sig in signatures(vote, action)[action]:
        if sig.carriage is carriage:
            raise Refused(_("%(carriage)s has already signed (%(name)s).", carriage=role_label(carriage),
                            name=sig.name))
        if sig.user_id == actor.id:
            raise Refused(_("You have already signed for %(carriage)s; another carriage must sign too.",
                            carriage=role_label(sig.carriage)))


def sign(vote: Vote, action: SignAction, *, actor, standing: Standing, now: datetime, note: str = "",  # noqa: ANN001
         carriage: Role | None = None) -> bool:
    """Add this carriage's signature; True when it completed the action. Serialised per vote by the lock."""
    if not rules.can_sign(standing, vote):
        raise RuleViolation(_("Only members of the residents' committee, the owners' committee or the property "
                              "management sign."))
    chosen = carriage_for(standing, carriage)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleViolation(_("A note may have at most %(max)d characters.", max=NOTE_MAX), "note")
    vote = locks.for_change(vote.id)  # two carriages at the same moment: one after the other, both counted
    _check_state(vote, action, now)
    _check_unsigned(vote, action, chosen, actor)
    _insert(vote, action, chosen, actor, now, note)
    record(vote.community_id, actor, f"vote.sign_{action.value}", f"vote:{vote.id}", now, carriage=chosen.value)
    if len(signatures(vote, action)[action]) < vote.signoffs_required:
        return False
    if action is SignAction.CLOSE:
        closing.close_locked(vote, actor=actor, now=now)
    else:
        publish(vote, actor=actor, now=now)
    return True


def _insert(vote: Vote, action: SignAction, carriage: Role, actor, now: datetime, note: str) -> None:  # noqa: ANN001
    """The UNIQUE (vote, action, carriage) constraint is the last word, should the lock ever be bypassed."""
    try:
        with db.session.begin_nested():
            db.session.add(SignOff(vote_id=vote.id, action=action, carriage=carriage.value, user_id=actor.id,
                                   signed_at=now, note=note))
    except IntegrityError:
        raise Refused(_("%(carriage)s has already signed.", carriage=role_label(carriage))) from None


def _default_locale_sentence(verdict) -> str:  # noqa: ANN001
    """The timeline keeps the verdict in the site's language (Chinese), whoever's browser published it."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_Hans_CN")):
        return verdict_sentence(verdict)


def publish(vote: Vote, *, actor, now: datetime) -> None:  # noqa: ANN001
    """CLOSED → PUBLISHED; a passing result starts its publicity period (公示); the electorate is told."""
    result = tally.stored(vote)
    vote.state, vote.published_at = State.PUBLISHED, now
    if result.verdict.passed and vote.publicity_days > 0:
        vote.publicity_ends_at = now + timedelta(days=vote.publicity_days)
    sentence = _default_locale_sentence(result.verdict)
    casters = db.session.execute(select(Caster.user_id).where(Caster.vote_id == vote.id).distinct()).scalars()
    notify(casters, community_id=vote.community_id, kind=NoticeKind.VOTE_RESULT, now=now, actor=actor,
           vote_id=vote.id, summary=vote.title)
    project = db.session.get(Project, vote.project_id)
    timeline.add(project, "vote_published", actor, now, vote_id=vote.id, title=vote.title, verdict=sentence,
                 passed=result.verdict.passed)
    record(vote.community_id, actor, "vote.publish", f"vote:{vote.id}", now, title=vote.title,
           passed=result.verdict.passed, publicity_ends_at=vote.publicity_ends_at.isoformat()
           if vote.publicity_ends_at else None)
