"""Routes of notices: the list, marking read (one, all, or by opening one), and the opt-out setting."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.extensions import db
from civic.notices import bp, queries, services
from civic.notices.forms import NoticeSettingsForm
from civic.notices.links import notice_url
from civic.notices.models import NoticeKind
from civic.web.query_args import page_arg
from civic.web.access import community_member
from civic.web.rendering import page_or_block, wants_fragment

MAX_PAGE = 1000
READ_EVENT = {"HX-Trigger": "notifications-read"}



def _list_context(community, page: int, **extra) -> dict:  # noqa: ANN001
    notices, has_more = queries.page_of(current_user.id, community.id, page)
    actors = [n.actor for n in notices if n.actor is not None]
    return {"community": community, "notices": notices, "has_more": has_more, "page": page,
            "labels": public_labels(list({a.id: a for a in actors}.values()), community) if actors else {},
            "urls": {n.id: url_for("notices.open_notice", slug=community.slug, notification_id=n.id) for n in notices},
            **extra}


def _settings_form(community) -> NoticeSettingsForm:  # noqa: ANN001
    form = NoticeSettingsForm()
    if request.method == "GET":
        form.new_in_building.data = not queries.is_opted_out(current_user.id, community.id, NoticeKind.NEW_IN_BUILDING)
    return form


@bp.get("/<slug>/notifications")
@community_member
def index(community):
    # Members only, and each sees only their own notifications: every query filters on current_user.
    context = _list_context(community, page_arg(request.args, last=MAX_PAGE), settings_form=_settings_form(community))
    return page_or_block("notices/index.html", "notice_list", **context)


def _after_reading(community, page: int):  # noqa: ANN001
    if not wants_fragment():
        return redirect(url_for("notices.index", slug=community.slug, page=page if page > 1 else None), code=303)
    unread = queries.unread_count(current_user.id, community.id)
    return page_or_block("notices/index.html", "notice_list", headers=READ_EVENT,
                         **_list_context(community, page, oob_unread=unread))


@bp.post("/<slug>/notifications/<int:notification_id>/read")
@community_member
def read(community, notification_id: int):
    notice = queries.own(current_user.id, community.id, notification_id) or abort(404)
    services.mark_read(notice, utcnow())
    db.session.commit()
    return _after_reading(community, page_arg(request.form, last=MAX_PAGE))


@bp.post("/<slug>/notifications/read-all")
@community_member
def read_all(community):
    services.mark_all_read(current_user.id, community.id, utcnow())
    db.session.commit()
    return _after_reading(community, page_arg(request.form, last=MAX_PAGE))


@bp.get("/<slug>/notifications/<int:notification_id>/open")
@community_member
def open_notice(community, notification_id: int):
    """Follow a notification and mark it read, as a mail client does; only one's own (else 404)."""
    notice = queries.own(current_user.id, community.id, notification_id) or abort(404)
    services.mark_read(notice, utcnow())
    db.session.commit()
    return redirect(notice_url(notice, community.slug), code=303)


@bp.post("/<slug>/notifications/settings")
@community_member
def settings(community):
    form = _settings_form(community)
    if not form.validate_on_submit():
        abort(400)  # a checkbox cannot be invalid; only a missing CSRF token gets here (handled before)
    services.set_wanted(current_user.id, community.id, NoticeKind.NEW_IN_BUILDING, bool(form.new_in_building.data))
    db.session.commit()
    if not wants_fragment():
        flash(_("Your notification settings are saved."))
        return redirect(url_for("notices.index", slug=community.slug), code=303)
    return page_or_block("notices/index.html", "notice_settings", community=community, settings_form=form,
                         settings_saved=True)
