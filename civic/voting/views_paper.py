"""Routes of paper ballots: entering a slip, the slip photo, reconciliation, printable slips, door-knock, reminders."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.models import Building, Household
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings.notice import public_url, qr_svg, short_url
from civic.voting import bp, doorknock, nav, paper, paper_form, rules
from civic.voting.casting import VoteNotOpen
from civic.voting.views import load_vote
from civic.web import uploads
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment


def load_building(community, vote, building_id: int | None) -> Building:  # noqa: ANN001
    """A building of this community that takes part in the vote; 404 otherwise."""
    building = db.session.get(Building, building_id) if building_id else None
    if building is None or building.community_id != community.id \
            or building.id not in doorknock.vote_building_ids(vote):
        abort(404)
    return building


def _int(value) -> int | None:  # noqa: ANN001
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- entering a paper ballot

def _paper_page(community, vote, buildings, building, *, status: int = 200, errors=None, values=None,  # noqa: ANN001
                entered: str | None = None):
    context = paper_form.context(vote, buildings, building, errors=errors or {}, values=values)
    return page_or_block("voting/paper.html", "paper_panel", status=status, community=community, vote=vote,
                         nav=nav.links(g.standing, vote, utcnow()), entered=entered,
                         limits=uploads.client_limits(uploads.max_file_bytes()), **context)


@bp.route("/<slug>/votes/<int:vote_id>/paper", methods=["GET", "POST"], endpoint="paper")
@community_member
def paper_entry(community, vote_id: int):
    vote = load_vote(community, vote_id)
    require(rules.can_enter_paper(g.standing, vote))
    buildings = paper_form.enterable_buildings(g.standing, vote)
    if request.method == "GET":
        chosen = _int(request.args.get("building"))
        building = next((b for b in buildings if b.id == chosen), buildings[0] if buildings else None)
        return _paper_page(community, vote, buildings, building)
    return _enter(community, vote, buildings)


def _enter(community, vote, buildings):  # noqa: ANN001, ANN202
    building = next((b for b in buildings if b.id == _int(request.form.get("building"))), None)
    try:
        household = _household_in(building, _int(request.form.get("household")))
        answer, marks = paper_form.ballot_inputs(vote, request.form, paper.elector_of(vote, household.id))
        ballot = paper.enter(vote, household_id=household.id, actor=current_user, standing=g.standing,
                             answer=answer, marks=marks, photo=request.files.get("photo"), now=utcnow())
        _commit(ballot)
    except VoteNotOpen as refused:
        db.session.rollback()
        return _paper_page(community, vote, buildings, building, status=409, errors={"form": refused.message},
                           values=request.form)
    except (RuleViolation, uploads.UploadRejected) as refused:
        db.session.rollback()
        field = getattr(refused, "field", None) or "photo"
        return _paper_page(community, vote, buildings, building, status=422, errors={field: refused.message},
                           values=request.form)
    message = _("Paper ballot entered for %(household)s: %(choice)s.", household=f"{building.name} {household.room}",
                choice=paper_form.choice_words(vote, answer, marks))
    if wants_fragment():
        return _paper_page(community, vote, buildings, building, entered=message)
    flash(message)
    return redirect(url_for("voting.paper", slug=community.slug, vote_id=vote.id, building=building.id),
                    code=303)


def _household_in(building: Building | None, household_id: int | None) -> Household:
    if building is None:
        raise RuleViolation(_("Choose a building you may enter paper ballots for."), "building")
    household = db.session.get(Household, household_id) if household_id else None
    if household is None or household.building_id != building.id:
        raise RuleViolation(_("Choose the room of the household whose slip this is, in %(building)s.",
                              building=building.name), "household")
    return household


def _commit(ballot) -> None:  # noqa: ANN001
    """The slip's photo is on disk already: a failed commit must not leave it behind."""
    slip = ballot.slip
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if slip is not None:
            paper.discard(slip)
        raise


@bp.get("/<slug>/votes/<int:vote_id>/slips/<int:slip_id>/photo")
@community_member
def slip_photo(community, vote_id: int, slip_id: int):
    """The committee, the building's leader and the household itself; anyone else is told nothing exists (404)."""
    vote = load_vote(community, vote_id)
    slip = paper.slip_in(vote, slip_id)
    if slip is None or not paper.can_view_slip(g.standing, vote, slip):
        abort(404)
    name = slip.phone_name if request.args.get("size") == "phone" else slip.photo_name
    return uploads.send_stored(name, disposition=uploads.content_disposition("inline", f"slip-{slip.id}.jpg"))


# ---------------------------------------------------------------- lists of one building

@bp.get("/<slug>/votes/<int:vote_id>/paper/<int:building_id>")
@community_member
def reconcile(community, vote_id: int, building_id: int):
    vote = load_vote(community, vote_id)
    building = load_building(community, vote, building_id)
    require(rules.can_view_building_lists(g.standing, vote, building.id))
    return render_template("voting/reconcile.html", community=community, vote=vote, building=building,
                           nav=nav.links(g.standing, vote, utcnow()), rec=paper.reconcile(vote, building.id),
                           statuses=paper)


@bp.get("/<slug>/votes/<int:vote_id>/slips")
@community_member
def slips(community, vote_id: int):
    """Printable A4 ballot slips, one per household of a building, with a QR code to vote online instead."""
    vote = load_vote(community, vote_id)
    building = load_building(community, vote, _int(request.args.get("building")))
    require(rules.can_view_building_lists(g.standing, vote, building.id))
    url = public_url("voting.show", slug=community.slug, vote_id=vote.id)
    return render_template("voting/slips.html", community=community, vote=vote, building=building,
                           rooms=paper.rooms(vote, building.id), url=url, short_url=short_url(url),
                           qr=qr_svg(url, vote.title))


def _doorknock_page(community, vote, building, *, status: int = 200, problem: str | None = None,  # noqa: ANN001
                    sent: str | None = None):
    now = utcnow()
    return page_or_block("voting/doorknock.html", "remind_panel", status=status, community=community, vote=vote,
                         building=building, nav=nav.links(g.standing, vote, now),
                         doors=doorknock.doors(vote, building.id),
                         eligible=doorknock.eligible_count(vote, building.id),
                         can_remind_all=rules.can_manage_vote(g.standing, vote), problem=problem, sent=sent,
                         is_open=rules.is_open(vote, now))


@bp.get("/<slug>/votes/<int:vote_id>/doorknock/<int:building_id>", endpoint="doorknock")
@community_member
def doorknock_list(community, vote_id: int, building_id: int):
    vote = load_vote(community, vote_id)
    building = load_building(community, vote, building_id)
    require(rules.can_view_building_lists(g.standing, vote, building.id))
    return _doorknock_page(community, vote, building)


@bp.post("/<slug>/votes/<int:vote_id>/remind")
@community_member
def remind(community, vote_id: int):
    """One building (its leader or the committee) or, for the committee, every building at once."""
    vote = load_vote(community, vote_id)
    everywhere = request.form.get("building") == "all"
    if everywhere:
        require(rules.can_manage_vote(g.standing, vote))
        building = load_building(community, vote, _int(request.form.get("from")))
    else:
        building = load_building(community, vote, _int(request.form.get("building")))
        require(rules.can_view_building_lists(g.standing, vote, building.id))
    try:
        sent = doorknock.remind(vote, None if everywhere else building.id, current_user, utcnow())
        db.session.commit()
    except RuleViolation as refused:
        db.session.rollback()
        return _doorknock_page(community, vote, building, status=422, problem=refused.message)
    people = sum(r.recipients for r in sent)
    message = _("Reminder sent to %(n)d neighbours in %(count)d building(s).", n=people, count=len(sent))
    if wants_fragment():
        return _doorknock_page(community, vote, building, sent=message)
    flash(message)
    return redirect(url_for("voting.doorknock", slug=community.slug, vote_id=vote.id, building_id=building.id),
                    code=303)
