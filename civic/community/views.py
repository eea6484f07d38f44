"""Routes of a community: its home page and the committee's registry pages."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community import bp, invites, people, queries, roles, roster, rules
from civic.community.forms import GrantRoleForm, RosterForm
from civic.community.models import Role, RoleGrant
from civic.community.slips import registration_url, slip_qr_svg
from civic.errors import RuleViolation
from civic.extensions import db
from civic.web.query_args import page_arg
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block


@bp.get("/<slug>/")
@community_member
def home(community):
    from civic.meetings.calendar import next_meetings  # here, not at the top: the meetings package imports community

    memberships = queries.my_memberships(current_user, community)
    building = memberships[0].household.building.name if memberships else None
    return render_template(
        "community/home.html", community=community, memberships=memberships,
        public_label=people.public_label(current_user.display_name, building),
        stats=queries.community_stats(community),
        led_buildings=queries.buildings_by_id(community, g.standing.led_building_ids),
        upcoming_meetings=next_meetings(community, utcnow(), g.standing.user_id),
    )


@bp.route("/<slug>/roster", methods=["GET", "POST"])
@community_member
def import_roster(community):
    require(rules.can_manage_roster(g.standing))
    form, problems, status = RosterForm(), [], 200
    if form.validate_on_submit():
        try:
            rows = roster.parse(form.file.data.read())
            result = roster.import_rows(community, rows, current_user, utcnow())
            db.session.commit()
        except roster.RosterError as error:
            db.session.rollback()
            problems, status = error.problems, 422
        else:
            flash(_("Roster imported: %(b)d new buildings, %(h)d new households, %(a)d areas updated, "
                    "%(u)d unchanged.", b=result.buildings_added, h=result.households_added,
                    a=result.areas_updated, u=result.unchanged))
            return redirect(url_for("community.households", slug=community.slug), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("community/roster.html", community=community, form=form, problems=problems), status


def _household_list_context(community, building_id: int | None, page: int) -> dict:
    building = queries.building_in(community, building_id)
    households, total = queries.households_page(community, building, page)
    ids = [h.id for h in households]
    return {
        "community": community, "buildings": queries.buildings_of(community), "building": building,
        "households": households, "total": total, "page": page, "page_size": queries.PAGE_SIZE,
        "codes": invites.active_codes(ids), "member_counts": invites.member_counts(ids),
    }


@bp.get("/<slug>/households")
@community_member
def households(community):
    require(rules.can_view_households(g.standing))
    page = page_arg()
    context = _household_list_context(community, request.args.get("building", type=int), page)
    return page_or_block("community/households.html", "household_list", **context)


@bp.post("/<slug>/households/<int:household_id>/invite")
@community_member
def regenerate_invite(community, household_id: int):
    require(rules.can_manage_invites(g.standing))
    household = queries.household_in(community, household_id) or abort(404)
    invites.regenerate(household, current_user, utcnow())
    db.session.commit()
    building_id, page = request.form.get("building", type=int), page_arg(request.form)
    if not request.htmx:
        flash(_("A new invite code was made for %(label)s; the old slip no longer works.", label=household.label))
        return redirect(url_for("community.households", slug=community.slug, building=building_id, page=page), code=303)
    context = _household_list_context(community, building_id, page)
    return page_or_block("community/households.html", "household_list", headers={"HX-Trigger": "invite-regenerated"},
                         regenerated_id=household.id, **context)


@bp.get("/<slug>/invites/slips")
@community_member
def invite_slips(community):
    require(rules.can_manage_invites(g.standing))
    building = queries.building_in(community, request.args.get("building", type=int))
    if building is None:
        return render_template("community/slips_choose.html", community=community,
                               buildings=queries.buildings_of(community))
    households = queries.households_of(building)
    codes = invites.active_codes([h.id for h in households])
    slips = [(h, codes[h.id], slip_qr_svg(codes[h.id])) for h in households if h.is_active and h.id in codes]
    return render_template("community/slips.html", community=community, building=building, slips=slips,
                           register_url=registration_url())


def _roles_context(community, form: GrantRoleForm) -> dict:
    form.buildings.choices = [(b.id, b.name) for b in queries.buildings_of(community)]
    return {"community": community, "form": form, "grants": roles.grants_of(community)}


@bp.get("/<slug>/roles")
@community_member
def list_roles(community):
    require(rules.can_manage_roles(g.standing))
    return render_template("community/roles.html", **_roles_context(community, GrantRoleForm()))


@bp.post("/<slug>/roles")
@community_member
def grant_role(community):
    require(rules.can_manage_roles(g.standing))
    form = GrantRoleForm()
    context = _roles_context(community, form)
    if form.validate_on_submit():
        buildings = queries.buildings_by_id(community, form.buildings.data or [])
        try:
            roles.grant(community, form.username.data, Role(form.role.data), buildings, current_user, utcnow())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors = [error.message]
        else:
            flash(_("Role granted."))
            return redirect(url_for("community.list_roles", slug=community.slug), code=303)
    return render_template("community/roles.html", **context), 422


@bp.post("/<slug>/roles/<int:grant_id>/revoke")
@community_member
def revoke_role(community, grant_id: int):
    require(rules.can_manage_roles(g.standing))
    row = db.session.get(RoleGrant, grant_id)
    if row is None or row.community_id != community.id:
        abort(404)
    try:
        roles.revoke(row, current_user, utcnow())
        db.session.commit()
        flash(_("Role revoked."))
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("community.list_roles", slug=community.slug), code=303)
