"""Routes of the version page: the version with its pins, pinning a comment, commenting on it, "addressed in vN"."""
from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.designs import bp, pins, queries, rules, services
from civic.designs.forms_pins import AddressedForm, PinForm, VersionCommentForm
from civic.designs.views_options import load_option
from civic.errors import RuleViolation
from civic.extensions import db
from civic.threads import display
from civic.threads.models import Comment
from civic.threads.rules import can_read_comment_text
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

TEMPLATE = "designs/version.html"


def _load(community, option_id: int, number: int):  # noqa: ANN001
    option, project = load_option(community, option_id)
    version = queries.version_of(option, number) or abort(404)
    return option, project, version


def _stage_file(version, position: int | None):  # noqa: ANN001
    """The picture on the stage: the one asked for (?file=<position>) when it has a picture, else the cover."""
    chosen = next((f for f in version.files if f.position == position and f.picture_name), None)
    return chosen or version.cover


def version_context(community, option, project, version, *, file_position: int | None = None,  # noqa: ANN001
                    pin_form: PinForm | None = None, comment_form: VersionCommentForm | None = None,
                    pin_error: str | None = None, comment_error: str | None = None) -> dict:
    """Everything designs/version.html needs, in a constant number of queries whatever the number of pins."""
    st = g.standing
    pin_rows, talk = pins.pins_of(version), pins.version_comments(version)
    comments = [p.comment for p in pin_rows] + talk
    addressed = pins.addressed_in(c.id for c in comments)
    stage = _stage_file(version, file_position)
    is_open = rules.can_pin(st, option) and not option.thread.is_locked
    return {
        "community": community, "project": project, "option": option, "version": version, "stage": stage,
        "pins": pin_rows, "stage_pins": [p for p in pin_rows if stage is not None and p.file_id == stage.id],
        "positions": {f.id: f.position for f in version.files},
        "talk": talk, "addressed": addressed, "labels": display.labels_for(community, comments),
        "readable": {c.id for c in comments if can_read_comment_text(st, c)},
        "comment_urls": {c.id: f"{display.comment_base(community)}{c.id}" for c in comments},
        # The forms only where a comment would be taken (the views refuse anyway: 403, or 422 when locked).
        "can_pin": is_open and stage is not None, "can_comment": is_open, "is_locked": option.thread.is_locked,
        "can_mark": rules.can_mark_addressed(st, option), "numbers": range(1, option.version_count + 1),
        "pin_form": pin_form or PinForm(formdata=None, file=stage.position if stage else None),
        "comment_form": comment_form or VersionCommentForm(formdata=None),
        "pin_error": pin_error, "comment_error": comment_error,
    }


def _version_url(community, option, number: int, anchor: str = "", **args) -> str:  # noqa: ANN001
    url = url_for("designs.show_version", slug=community.slug, option_id=option.id, number=number, **args)
    return f"{url}#{anchor}" if anchor else url


@bp.get("/<slug>/designs/<int:option_id>/v<int:number>")
@community_member
def show_version(community, option_id: int, number: int):
    option, project, version = _load(community, option_id, number)
    return page_or_block(TEMPLATE, "content", **version_context(
        community, option, project, version, file_position=request.args.get("file", type=int)))


@bp.post("/<slug>/designs/<int:option_id>/v<int:number>/pins")
@community_member
def add_pin(community, option_id: int, number: int):
    option, project, version = _load(community, option_id, number)
    require(rules.can_pin(g.standing, option))
    form = PinForm()
    stage = _stage_file(version, form.file.data)
    if stage is None:
        abort(404)
    error = None
    if form.validate_on_submit():
        try:
            pin = pins.add_pin(option, version, stage, author=current_user, standing=g.standing, body=form.body.data,
                               x=pins.as_fraction(form.x.data), y=pins.as_fraction(form.y.data), now=utcnow())
            db.session.commit()
        except RuleViolation as violation:
            db.session.rollback()
            error = violation.message
        else:
            if not wants_fragment():
                return redirect(_version_url(community, option, number, f"pin-{pin.number}",
                                             **_file_arg(version, stage)), code=303)
            return _board(community, option, project, version, stage.position, headers={"HX-Trigger": "pin-added"})
    error = error or (_("The pin was not added; your text is kept.") if form.errors else None)
    return _board(community, option, project, version, stage.position, status=422, pin_form=form, pin_error=error)


def _file_arg(version, stage) -> dict:  # noqa: ANN001
    return {} if stage is version.cover else {"file": stage.position}


def _board(community, option, project, version, position, *, status: int = 200, headers=None, **forms):  # noqa: ANN001
    context = version_context(community, option, project, version, file_position=position, **forms)
    return page_or_block(TEMPLATE, "pin_board", status=status, headers=headers, **context)


@bp.post("/<slug>/designs/<int:option_id>/v<int:number>/comments")
@community_member
def comment_version(community, option_id: int, number: int):
    option, project, version = _load(community, option_id, number)
    require(rules.can_pin(g.standing, option))
    form, error = VersionCommentForm(), None
    if form.validate_on_submit():
        try:
            comment = pins.comment_on_version(option, version, author=current_user, standing=g.standing,
                                              body=form.body.data, now=utcnow())
            db.session.commit()
        except RuleViolation as violation:
            db.session.rollback()
            error = violation.message
        else:
            if not wants_fragment():
                return redirect(_version_url(community, option, number, f"talk-{comment.id}"), code=303)
            return page_or_block(TEMPLATE, "version_comments", headers={"HX-Trigger": "comment-posted"},
                                 **version_context(community, option, project, version))
    context = version_context(community, option, project, version, comment_form=form, comment_error=error)
    return page_or_block(TEMPLATE, "version_comments", status=422, **context)


@bp.post("/<slug>/designs/<int:option_id>/addressed")
@community_member
def mark_addressed(community, option_id: int):
    option, project = load_option(community, option_id)
    require(rules.can_mark_addressed(g.standing, option))
    form = AddressedForm()
    if not form.validate_on_submit():
        abort(400)
    comments = _comments_of(option, form.comment_id.data)
    number = form.version.data or option.version_count
    version = queries.version_of(option, number) or abort(404)
    about = pins.facts_of(option, [c.id for c in comments])
    is_pin = any(f.pin for f in about.values())
    if any(f.about and f.about > number for f in about.values()):  # only a crafted form: the select offers later ones
        return _after_marking(community, option, project, form.back.data, is_pin=is_pin, status=422,
                              mark_error=_("A comment can only be addressed by its own version or a later one."))
    services.mark_addressed(option, version, [c.id for c in comments], actor=current_user, now=utcnow())
    db.session.commit()
    return _after_marking(community, option, project, form.back.data, is_pin=is_pin)


def _comments_of(option, ids) -> list[Comment]:  # noqa: ANN001
    """The comments, all of this option's thread: any other id (another option, another community) is a 404."""
    wanted = set(ids)
    rows = list(db.session.execute(db.select(Comment).where(
        Comment.id.in_(wanted), Comment.thread_id == option.thread_id)).scalars())
    if len(rows) != len(wanted):
        abort(404)
    return rows


def _after_marking(community, option, project, back: int | None, *, is_pin: bool, status: int = 200,  # noqa: ANN001
                   mark_error: str | None = None):
    """Back to the version page it came from (its pins or its comments block for htmx), else the option page."""
    version = queries.version_of(option, back) if back else None
    if version is None and mark_error:
        abort(422, mark_error)
    if version is None:
        target = url_for("designs.show_option", slug=community.slug, option_id=option.id)
        return ("", 204, {"HX-Redirect": target, "Vary": "HX-Request"}) if wants_fragment() \
            else redirect(target, code=303)
    if not wants_fragment() and not mark_error:
        return redirect(_version_url(community, option, back, "pin-board" if is_pin else "version-comments"), code=303)
    context = version_context(community, option, project, version, file_position=request.args.get("file", type=int))
    return page_or_block(TEMPLATE, "pin_board" if is_pin else "version_comments", status=status,
                         headers=None if mark_error else {"HX-Trigger": "comment-addressed"},
                         **context, mark_error=mark_error)
