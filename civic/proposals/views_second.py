"""Routes of seconding (附议): second, take it back, and the committee's threshold setting."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.audit.models import record
from civic.clock import utcnow
from civic.extensions import db
from civic.proposals import bp, pages, rules, seconds
from civic.proposals.forms import ThresholdForm
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment


def _toggled(community, proposal, message: str):  # noqa: ANN001, ANN202
    """htmx: the panel in place plus the header counter out of band; plain: back to the panel (303)."""
    if not wants_fragment():
        flash(message)
        url = url_for("proposals.show", slug=community.slug, proposal_id=proposal.id, _anchor=pages.SECOND_PANEL)
        return redirect(url, code=303)
    return page_or_block("proposals/show.html", pages.SECOND_PANEL, headers={"HX-Trigger": pages.SECOND_TOGGLED},
                         **pages.panel_context(community, proposal, oob=True))


@bp.post("/<slug>/proposals/<int:proposal_id>/second")
@community_member
def second(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_second(g.standing, proposal))
    is_new = seconds.second(proposal, pages.first_household_id(), actor=current_user, now=utcnow())
    db.session.commit()
    message = _("Your household seconded this proposal.") if is_new else _("Your household had already seconded it.")
    return _toggled(community, proposal, message)


@bp.post("/<slug>/proposals/<int:proposal_id>/second/withdraw")
@community_member
def unsecond(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_unsecond(g.standing, proposal))
    seconds.unsecond(proposal, pages.first_household_id())
    db.session.commit()
    return _toggled(community, proposal, _("Your household's second was withdrawn."))


def _threshold_form(community) -> ThresholdForm:  # noqa: ANN001
    form = ThresholdForm()
    if request.method == "GET":
        is_percent = community.second_threshold_percent is not None
        form.mode.data = "percent" if is_percent else "households"
        form.households.data, form.percent.data = community.second_threshold_households, community.second_threshold_percent
    return form


@bp.route("/<slug>/proposals/settings", methods=["GET", "POST"])
@community_member
def settings(community):
    require(rules.can_manage_seconding(g.standing))
    form = _threshold_form(community)
    if request.method == "GET":
        return render_template("proposals/settings.html", community=community, form=form)
    if not form.validate_on_submit():
        return render_template("proposals/settings.html", community=community, form=form), 422
    is_percent = form.mode.data == "percent"
    before = {"households": community.second_threshold_households, "percent": community.second_threshold_percent}
    community.second_threshold_households = None if is_percent else form.households.data
    community.second_threshold_percent = form.percent.data if is_percent else None
    record(community.id, current_user, "proposal.threshold", f"community:{community.id}", utcnow(), before=before,
           households=community.second_threshold_households, percent=community.second_threshold_percent)
    db.session.commit()
    flash(_("The seconding threshold was saved."))
    return redirect(url_for("proposals.settings", slug=community.slug), code=303)
