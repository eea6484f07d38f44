"""Routes of votes: an expert reviewer scores every choice on the rubric (专家评审), until the close."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from civic.clock import utcnow
from civic.designs.models import DesignVersion
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import bp, expert, nav, rules
from civic.voting.forms_expert import SCORE_VALUES, ScoreForm, field_name
from civic.voting.models import Vote
from civic.voting.views import load_vote
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

TEMPLATE, BLOCK = "voting/expert.html", "expert_form"
SCORED = "expert-scored"  # HX-Trigger after a save


def _versions(vote: Vote) -> dict[int, DesignVersion]:
    """choice id → the design version it stands for (files loaded): one query for all choices."""
    wanted = {c.version_id: c.id for c in vote.choices if c.version_id}
    if not wanted:
        return {}
    rows = db.session.execute(db.select(DesignVersion).options(
        selectinload(DesignVersion.files), selectinload(DesignVersion.option))
        .where(DesignVersion.id.in_(list(wanted)))).scalars()
    return {wanted[v.id]: v for v in rows}


def _context(community, vote: Vote, form: ScoreForm, **extra) -> dict:  # noqa: ANN001
    now = utcnow()
    return {"community": community, "vote": vote, "form": form, "field_name": field_name,
            "score_values": SCORE_VALUES, "versions": _versions(vote), "is_open": expert.is_scoring_open(vote, now),
            "can_score": rules.can_score(g.standing, vote) and expert.is_scoring_open(vote, now),
            "nav": nav.links(g.standing, vote, now), "saved": False, **extra}


def _render(community, vote: Vote, form: ScoreForm, *, status: int = 200, headers: dict | None = None,  # noqa: ANN001, ANN202
            **extra):
    return page_or_block(TEMPLATE, BLOCK, status=status, headers=headers, **_context(community, vote, form, **extra))


@bp.route("/<slug>/votes/<int:vote_id>/expert", methods=["GET", "POST"], endpoint="expert")
@community_member
def expert_review(community, vote_id: int):  # noqa: ANN001, ANN201
    vote = load_vote(community, vote_id)
    require(rules.can_review(g.standing, vote))
    if request.method == "GET":
        return _render(community, vote, ScoreForm.from_scores(vote, expert.scores_of(vote, current_user.id)))
    form = ScoreForm.from_post(vote, request.form)
    if not expert.is_scoring_open(vote, utcnow()):  # say so first: a read-only form posts no scores at all
        form.errors[:] = [expert.closed_message()]
        return _render(community, vote, form, status=409)
    if not form.is_valid():
        return _render(community, vote, form, status=422)
    try:
        expert.score(vote, expert=current_user, standing=g.standing, scores=form.scores(), now=utcnow())
    except RuleViolation as refused:
        db.session.rollback()
        form.errors.append(refused.message)
        vote = load_vote(community, vote_id)
        return _render(community, vote, form, status=422 if expert.is_scoring_open(vote, utcnow()) else 409)
    db.session.commit()
    if wants_fragment():
        fresh = ScoreForm.from_scores(vote, expert.scores_of(vote, current_user.id))
        return _render(community, vote, fresh, headers={"HX-Trigger": SCORED}, saved=True)
    flash(_("Your scores are saved. You can change them until the vote closes."))
    return redirect(url_for("voting.expert", slug=community.slug, vote_id=vote.id), code=303)
