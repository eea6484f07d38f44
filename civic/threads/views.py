"""Routes of threads: post, reply, edit and withdraw comments; pages of a thread; the live-update poll."""
from __future__ import annotations

from flask import abort, g, redirect, request
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.threads import bp, display, live, owners, queries, rules, services
from civic.threads.forms import CommentForm, EditForm
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment


def _load_thread(community, thread_id: int):  # noqa: ANN001
    """The thread, scoped to the community in the URL, with its owner; 404 unless the owner is visible."""
    thread = queries.thread_in(community, thread_id) or abort(404)
    return thread, _visible_owner(thread)


def _load_comment(community, comment_id: int):  # noqa: ANN001
    comment = queries.comment_in(community, comment_id) or abort(404)
    return comment, _visible_owner(comment.thread)


def _visible_owner(thread) -> owners.Owner:  # noqa: ANN001
    owner = owners.owner_of(thread)
    if owner is None or not owners.can_view_owner(g.standing, owner):
        abort(404)
    return owner


def _order() -> str:
    return live.order_from(request.values.get("order"))


def _back_to(owner: owners.Owner, community, comment):  # noqa: ANN001
    """Plain requests land on the comment: on the owner page, or on the page of the thread that holds it."""
    order = _order()
    page = owners.owner_url(owner, community, **({"order": order} if order == "newest" else {}))
    return redirect(display.comment_link(community, comment, page, order), code=303)


@bp.post("/<slug>/threads/<int:thread_id>/comments")
@community_member
def post_comment(community, thread_id: int):
    thread, owner = _load_thread(community, thread_id)
    form, error = CommentForm(), None
    if form.validate_on_submit():
        try:
            comment = services.post_comment(
                thread, owner, author=current_user, standing=g.standing, body=form.body.data,
                opinion=form.opinion_value, now=utcnow(), parent_id=form.parent_id.data, quote_id=form.quote_id.data)
            db.session.commit()
        except RuleViolation as violation:
            db.session.rollback()
            error = violation.message
        else:
            if not wants_fragment():
                return _back_to(owner, community, comment)
            return _posted(community, thread, owner, comment, is_inline=form.inline.data)
    return _compose_page(community, thread, owner, form, error=error, status=422)


def _posted(community, thread, owner, comment, *, is_inline: bool):  # noqa: ANN001
    """The fresh form (or nothing, for an inline reply) plus everything the poster's page had not seen yet."""
    context = display.changes_context(community, thread, live.Shown.from_values(request.form),
                                      page_url=owners.owner_url(owner, community), own=comment)
    context.update(form=CommentForm(formdata=None), form_error=None, is_inline=is_inline,
                   **display.form_context(None, quote=False))
    return page_or_block("threads/compose.html", "reply_posted" if is_inline else "comment_posted",
                         headers={"HX-Trigger": "comment-posted"}, thread_ctx=context, owner=owner,
                         community=community)


def _compose_page(community, thread, owner, form: CommentForm, *, error: str | None = None,  # noqa: ANN001
                  status: int = 200, replying=None, quote: bool | None = None):  # noqa: ANN001
    """The form on its own: 422 with the text kept, or an inline reply form."""
    page_url = owners.owner_url(owner, community)
    context = display.base_context(community, thread, page_url=page_url, order=_order(),
                                   is_discussable=owners.is_discussable(owner),
                                   closed_reason=owners.closed_reason(owner))
    if replying is None:
        replying = display.reply_target(community, thread, form.parent_id.data)
    quote = bool(form.quote_id.data) if quote is None else quote
    context.update(form=form, form_error=error, is_inline=bool(form.inline.data),
                   labels=display.labels_for(community, [replying] if replying else []),
                   **display.form_context(replying, quote=quote))
    block = "reply_form" if form.inline.data else "comment_form"
    return page_or_block("threads/compose.html", block, status=status, thread_ctx=context, owner=owner,
                         community=community)


@bp.get("/<slug>/comments/<int:comment_id>/reply")
@community_member
def reply_form(community, comment_id: int):
    comment, owner = _load_comment(community, comment_id)
    quote = request.args.get("quote", type=int) == 1
    if not wants_fragment():
        page = owners.owner_url(owner, community)
        return redirect(display.reply_link(page, comment, _order(), quote=quote), code=303)
    require(rules.can_post_comment(g.standing, comment.thread, owners.is_discussable(owner)))
    form = CommentForm(formdata=None, data={"parent_id": comment.id, "inline": True,
                                            "quote_id": comment.id if quote else None})
    return _compose_page(community, comment.thread, owner, form, replying=comment, quote=quote)


@bp.get("/<slug>/comments/<int:comment_id>")
@community_member
def show_comment(community, comment_id: int):
    comment, owner = _load_comment(community, comment_id)
    if not wants_fragment():
        return _back_to(owner, community, comment)
    return _comment_block(community, comment, owner)


def _comment_block(community, comment, owner, headers: dict | None = None):  # noqa: ANN001
    context = display.comment_context(community, comment, page_url=owners.owner_url(owner, community), order=_order())
    return page_or_block("threads/edit.html", "comment", headers=headers, thread_ctx=context, owner=owner,
                         community=community)


@bp.route("/<slug>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@community_member
def edit_comment(community, comment_id: int):
    comment, owner = _load_comment(community, comment_id)
    require(rules.is_comment_author(g.standing, comment))
    form, error = EditForm(data={"body": comment.body_md}), None
    if request.method == "GET":
        require(rules.can_edit_comment(g.standing, comment, utcnow()))
    elif form.validate_on_submit():
        try:
            services.edit_comment(comment, owner, standing=g.standing, body=form.body.data, now=utcnow())
            db.session.commit()
        except RuleViolation as violation:
            db.session.rollback()
            error = violation.message
        else:
            if not wants_fragment():
                return _back_to(owner, community, comment)
            return _comment_block(community, comment, owner, headers={"HX-Trigger": "comment-edited"})
    context = display.comment_context(community, comment, page_url=owners.owner_url(owner, community), order=_order())
    context.update(form=form, form_error=error)
    return page_or_block("threads/edit.html", "edit_form", status=200 if request.method == "GET" else 422,
                         thread_ctx=context, owner=owner, community=community)


@bp.post("/<slug>/comments/<int:comment_id>/withdraw")
@community_member
def withdraw_comment(community, comment_id: int):
    comment, owner = _load_comment(community, comment_id)
    require(rules.can_withdraw_comment(g.standing, comment))
    services.withdraw_comment(comment, standing=g.standing, now=utcnow())
    db.session.commit()
    if not wants_fragment():
        return _back_to(owner, community, comment)
    return _comment_block(community, comment, owner, headers={"HX-Trigger": "comment-withdrawn"})


@bp.get("/<slug>/threads/<int:thread_id>/comments")
@community_member
def comments(community, thread_id: int):
    """A page of the thread: "load more" for htmx, a page of its own ("discussion of …") without JavaScript."""
    thread, owner = _load_thread(community, thread_id)
    context = display.thread_context(
        community, thread, is_discussable=owners.is_discussable(owner), closed_reason=owners.closed_reason(owner),
        after=request.args.get("after", type=int), before=request.args.get("before", type=int),
        page_url=owners.owner_url(owner, community))
    if wants_fragment():
        display.next_page_context(context, live.Shown.from_values(request.args))
    return page_or_block("threads/discussion.html", "comment_page", thread_ctx=context, owner=owner,
                         community=community)


@bp.get("/<slug>/threads/<int:thread_id>/updates")
@community_member
def updates(community, thread_id: int):
    """The live-update poll: 204 and no body while nothing changed, else the changes as out-of-band swaps.

    Polled every 10 s by every open page, so the quiet path is two primary-key lookups after the access check
    (the thread, and its owner — a draft's thread stays invisible to others even here).
    """
    shown = live.Shown.from_values(request.args)
    if shown.version is None:
        abort(400)
    thread, owner = _load_thread(community, thread_id)
    if thread.version == shown.version:
        return "", 204, {"Vary": "HX-Request"}
    if not wants_fragment():
        return redirect(owners.owner_url(owner, community, anchor=f"thread-{thread.id}"), code=303)
    context = display.changes_context(community, thread, shown, page_url=owners.owner_url(owner, community))
    return page_or_block("threads/updates.html", "updates", thread_ctx=context)
