"""Routes of moderation for everyone and for the queue: reporting an item, and the committee's queue."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.extensions import db
from civic.moderation import bp, queries, rules, services, targets
from civic.moderation.display import back_path
from civic.moderation.forms import ReportForm
from civic.moderation.models import Report
from civic.web.query_args import page_arg
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

MAX_PAGE = 1000


@bp.get("/<slug>/moderation")
@community_member
def queue(community):
    require(rules.can_moderate(g.standing))
    page = page_arg(last=MAX_PAGE)
    items, has_more = queries.open_reports(community, page)
    return page_or_block("moderation/queue.html", "moderation_queue", community=community, items=items,
                         has_more=has_more, page=page, hidden=queries.recently_hidden(community))


def _has_reported(target: targets.Target) -> bool:
    column = Report.comment_id if target.kind == "comment" else Report.proposal_id
    return db.session.execute(db.select(Report.id).where(
        column == target.item.id, Report.reporter_id == current_user.id)).first() is not None


def _report_page(community, target, form, *, state: str, status: int = 200):  # noqa: ANN001
    """state: "form", "thanks" or "already"; htmx gets the slot that replaced the Report link."""
    return page_or_block("moderation/new_report.html", "report_form", status=status, community=community,
                         target=target, form=form, state=state, back=back_path(target.url(community.slug)),
                         excerpt=services.summary_of(target))


@bp.route("/<slug>/reports/new", methods=["GET", "POST"])
@community_member
def new_report(community):
    target = targets.from_args(community, request.args) or abort(404)
    require(rules.can_report(g.standing, target.item, target.community_id))
    form = ReportForm()
    if request.method == "GET":
        return _report_page(community, target, form, state="already" if _has_reported(target) else "form")
    if not form.validate_on_submit():
        return _report_page(community, target, form, state="form", status=422)
    try:
        services.file_report(target, form.reason_text(), actor=current_user, now=utcnow())
        db.session.commit()
    except services.AlreadyReported:
        db.session.rollback()
        state = "already"
    else:
        state = "thanks"
    if wants_fragment():
        return _report_page(community, target, form, state=state)
    flash(_("Thank you. The committee will look at your report.") if state == "thanks"
          else _("You have already reported this. Thank you — the committee will look at it."))
    return redirect(back_path(target.url(community.slug)), code=303)
