"""Routes of the ballot: the vote page, the confirmation step, casting, and checking a receipt."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import ballot_page, bp, casting, electorate, forms_ballot, nav, rules
from civic.voting.models import Answer, Ballot, BallotRecord, Caster, Method
from civic.voting.views import load_vote
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

SHOW = "voting/show.html"
CONFIRM = "voting/confirm.html"
BALLOT_CAST = "ballot-cast"  # HX-Trigger for decoupled widgets (turnout counters)


def _chosen_elector() -> int | None:
    value = request.values.get("elector", "")
    return int(value) if value.isdigit() else None


def _page(community, vote, now, **extra) -> dict:  # noqa: ANN001
    """The vote page's context (the ballot block's part comes from ballot_page.ballot_context)."""
    context = ballot_page.ballot_context(vote, current_user.id, now, chosen=extra.pop("chosen", _chosen_elector()),
                                         cast=extra.pop("cast", None))
    context.update(community=community, now=now, nav=nav.links(g.standing, vote, now),
                   method_sentences=ballot_page.method_sentences(vote), given={}, ballot_error=None,
                   is_changing=request.args.get("change") == "1",
                   versions={} if wants_fragment() else ballot_page.design_versions(vote))
    context.update(extra)
    return context


def _show_ballot(community, vote, now, *, status: int = 200, headers=None, **extra):  # noqa: ANN001
    return page_or_block(SHOW, "ballot", status=status, headers=headers, **_page(community, vote, now, **extra))


@bp.get("/<slug>/votes/<int:vote_id>", endpoint="show")
@community_member
def show(community, vote_id: int):
    """The vote: question, choices with pictures, how to fill in the ballot, the household's status, the ballot."""
    vote = load_vote(community, vote_id)
    require(rules.can_view_vote(g.standing, vote))
    now = utcnow()
    return _show_ballot(community, vote, now)


def _refusal(community, vote, now, ballot, error: RuleViolation):  # noqa: ANN001
    """409 when voting is not open (the vote page says why), 422 with the input kept otherwise."""
    db.session.rollback()
    code = 409 if isinstance(error, casting.VoteNotOpen) else 422
    chosen = ballot.elector.id if ballot and ballot.elector else None
    return _show_ballot(community, vote, now, status=code, ballot_error=error.message,
                        given=ballot.given if ballot else {}, is_changing=True, chosen=chosen)


def _read(vote, now):  # noqa: ANN001
    """The posted ballot, read; raises VoteNotOpen first, so a closed vote answers 409 whatever was posted."""
    casting.refuse_unless_open(vote, now)
    ballot = forms_ballot.read(vote, request.form, electorate.electors_of(vote, current_user.id))
    if ballot.error:
        raise _BadBallot(ballot)
    return ballot


class _BadBallot(Exception):
    def __init__(self, ballot: forms_ballot.BallotInput):
        super().__init__(ballot.error)
        self.ballot = ballot


@bp.post("/<slug>/votes/<int:vote_id>/confirm", endpoint="confirm")
@community_member
def confirm(community, vote_id: int):
    """The confirmation step: the ballot said back in words, big 确认投票 / 返回修改; "back" refills the form."""
    vote = load_vote(community, vote_id)
    require(rules.can_cast(g.standing, vote))
    now = utcnow()
    try:
        ballot = _read(vote, now)
    except _BadBallot as bad:
        return _refusal(community, vote, now, bad.ballot, RuleViolation(bad.ballot.error))
    except RuleViolation as error:
        return _refusal(community, vote, now, None, error)
    if request.form.get("back"):
        return _show_ballot(community, vote, now, given=ballot.given, is_changing=True, chosen=ballot.elector.id)
    context = _page(community, vote, now, chosen=ballot.elector.id)
    context.update(ballot=ballot, ballot_words=forms_ballot.words(vote, ballot.answer, ballot.marks))
    return page_or_block(CONFIRM, "ballot", **context)


@bp.post("/<slug>/votes/<int:vote_id>/ballot", endpoint="cast")
@community_member
def cast(community, vote_id: int):
    """Cast or change the household's ballot: 303 with the receipt in a flash, or the ballot block for htmx."""
    vote = load_vote(community, vote_id)
    require(rules.can_cast(g.standing, vote))
    now = utcnow()
    try:
        ballot = _read(vote, now)
        stored = casting.cast(vote.id, elector_id=ballot.elector.id, actor=current_user, answer=ballot.answer,
                              marks=ballot.marks, now=now)
        receipt, elector_id = stored.receipt, ballot.elector.id
        _commit_keeping_loaded()
    except _BadBallot as bad:
        return _refusal(community, vote, now, bad.ballot, RuleViolation(bad.ballot.error))
    except RuleViolation as error:
        return _refusal(community, vote, now, None, error)
    if not wants_fragment():
        flash(_("Your ballot is cast. Receipt code: %(code)s — keep it to check later that it was counted.",
                code=receipt))
        return redirect(url_for("voting.show", slug=community.slug, vote_id=vote.id,
                                elector=elector_id if ballot.has_choice_of_household else None, _anchor="ballot"), code=303)
    return _show_ballot(community, vote, now, headers={"HX-Trigger": BALLOT_CAST}, chosen=elector_id, just_cast=True,
                        cast=stored)


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the answer renders: the vote, the member, the ballot just stored are as
    committed, and reloading them would add a handful of queries to the hottest request of a vote."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _receipt_finding(vote, code: str) -> dict:  # noqa: ANN001
    """Counted (the current ballot), replaced (an earlier cast of the same household), or not found."""
    current = db.session.execute(select(Ballot).where(Ballot.vote_id == vote.id, Ballot.receipt == code)
                                 ).scalar_one_or_none()
    if current is not None:
        return {"finding": "counted", "ballot": current, "elector_id": current.elector_id}
    earlier = db.session.execute(select(BallotRecord).where(BallotRecord.vote_id == vote.id,
                                                            BallotRecord.receipt == code)).scalar_one_or_none()
    if earlier is None:
        return {"finding": "not_found"}
    later = db.session.execute(select(Ballot).where(Ballot.vote_id == vote.id,
                                                    Ballot.elector_id == earlier.elector_id)).scalar_one_or_none()
    return {"finding": "replaced", "replaced_at": later.cast_at if later else None, "elector_id": earlier.elector_id}


def _shows_choice(vote, finding: dict) -> bool:  # noqa: ANN001
    """A named vote's choice, only to the household's own members; a secret vote's, never."""
    if vote.is_secret or finding.get("finding") != "counted":
        return False
    return db.session.scalar(select(Caster.user_id).where(
        Caster.vote_id == vote.id, Caster.elector_id == finding["elector_id"], Caster.user_id == current_user.id)
    ) is not None


@bp.get("/<slug>/votes/<int:vote_id>/receipt", endpoint="check_receipt")
@community_member
def check_receipt(community, vote_id: int):
    """Is the ballot with this receipt in the count? Never says what it chose on a secret vote."""
    vote = load_vote(community, vote_id)
    require(rules.can_view_vote(g.standing, vote))
    now = utcnow()
    code = casting.normalise_receipt(request.args.get("code", ""))
    finding = _receipt_finding(vote, code) if code else {"finding": "empty"}
    choice_words = []
    if _shows_choice(vote, finding):
        ballot = finding["ballot"]
        answer = Answer(ballot.answer) if ballot.answer else None
        choice_words = forms_ballot.words(vote, answer, forms_ballot.marks_of_key(vote, ballot.marks_key))
    return page_or_block("voting/receipt.html", "receipt_result", community=community, vote=vote, code=code,
                         nav=nav.links(g.standing, vote, now), choice_words=choice_words,
                         is_final=vote.state.value in ("closed", "published"), now=now,
                         is_choice_vote=vote.method is not Method.YES_NO, **finding)
