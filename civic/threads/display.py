"""What templates need to show a thread, a page of it, or what changed in it — in a constant number of queries."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Iterable
from urllib.parse import urlencode

from flask import g, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _

from civic.clock import utcnow
from civic.community.models import Community
from civic.community.people import public_labels
from civic.community.rules import Standing
from civic.threads import live, queries, rules
from civic.threads.forms import OPINION_CHOICES, OPINION_LABELS, CommentForm
from civic.threads.models import Comment, Thread
from civic.web.markdown import plain_text


def labels_for(community: Community, comments: Iterable[Comment]) -> dict[int, str]:
    """Public labels ("王阿姨 · 7号楼") of the comments' authors and of the people they quote: two queries."""
    people = queries.people_of(comments)
    return public_labels(people, community) if people else {}


def words() -> dict:
    """Words every comment repeats, translated once per response rather than once per comment."""
    return {
        "former": _("Former member"), "reply": _("Reply"), "quote": _("Quote"), "edit": _("Edit"),
        "withdraw": _("Withdraw"), "withdrawn": _("Comment withdrawn"), "edited": _("edited"),
        "confirm_withdraw": _("Withdraw this comment? Its text disappears for everyone; replies stay."),
        "opinions": {o: _("Opinion: %(opinion)s", opinion=label) for o, label in OPINION_LABELS.items()},
    }


def time_format():
    """The `dt` filter's "yyyy-MM-dd HH:mm" in the reader's zone, with the zone looked up once per response.

    The filter asks Flask-Babel for the zone and a Babel pattern on every call (~20 µs); a page of a long
    thread shows a few hundred times.
    """
    zone = get_timezone()
    return lambda value: value.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def comment_base(community: Community) -> str:
    """"/c/<slug>/comments/": a comment's routes are <base><id> and <base><id>/reply|edit|withdraw (see views).

    Built once per response: url_for for each link of a few hundred comments would cost milliseconds.
    """
    return url_for("threads.show_comment", slug=community.slug, comment_id=0)[:-1]


def base_context(community: Community, thread: Thread, *, page_url: str, order: str = live.ORDERS[0],
                 standing: Standing | None = None, is_discussable: bool = True, closed_reason: str | None = None,
                 labels: dict | None = None, now: datetime | None = None) -> dict:
    """The part every thread template uses: who is looking, when, and where the owner page is."""
    st = standing or g.standing
    return {
        "community": community, "thread": thread, "st": st, "now": now or utcnow(), "rules": rules,
        "labels": labels or {}, "page_url": page_url, "order": order, "is_newest": order == "newest",
        "order_arg": "&order=newest" if order == "newest" else "", "words": words(),
        "comment_base": comment_base(community), "when": time_format(),
        "is_discussable": is_discussable, "closed_reason": closed_reason,
        "is_open": rules.can_post_comment(st, thread, is_discussable), "shown": None,
        "opinion_labels": OPINION_LABELS, "opinion_choices": OPINION_CHOICES,
        "poll_url": url_for("threads.updates", slug=community.slug, thread_id=thread.id),
        "post_url": url_for("threads.post_comment", slug=community.slug, thread_id=thread.id),
    }


def page_link(community: Community, thread: Thread, order: str, **cursor) -> str:
    args = {"order": order} if order != live.ORDERS[0] else {}
    return url_for("threads.comments", slug=community.slug, thread_id=thread.id, **args, **cursor)


def comment_link(community: Community, comment: Comment, owner_page: str, order: str) -> str:
    """Where a comment can be seen: the owner page when it is on the first page, else the page that starts with it."""
    newest = order == "newest"
    top = comment.top_level_id
    if queries.is_on_first_page(comment.thread_id, top, newest=newest):
        return f"{owner_page}#comment-{comment.id}"
    return page_link(community, comment.thread, order, after=top + 1 if newest else top - 1) + f"#comment-{comment.id}"


def reply_link(page_url: str, comment: Comment, order: str, *, quote: bool = False) -> str:
    """Without JavaScript, "reply" reloads the owner page with its form set up as a reply."""
    args = {"reply_to": comment.id, **({"quote": 1} if quote else {}), **({"order": order} if order != "oldest" else {})}
    return f"{page_url}?{urlencode(args)}#reply-form"


def reply_target(community: Community, thread: Thread, comment_id: int | None) -> Comment | None:
    """The comment a reply form answers (any comment of this thread that is not withdrawn), or None."""
    comment = queries.comment_in(community, comment_id) if comment_id else None
    return comment if comment is not None and comment.thread_id == thread.id and not comment.is_withdrawn else None


def form_context(replying: Comment | None, *, quote: bool) -> dict:
    """The compose form's extras: whom it answers and the excerpt it will quote."""
    quoting = bool(replying and quote and rules.is_quotable(replying))
    return {"replying": replying, "quoting": quoting,
            "quote_preview": plain_text(replying.body_md, rules.QUOTE_MAX) if quoting else ""}


def thread_context(community, thread, *, is_discussable: bool = True, closed_reason: str | None = None,  # noqa: ANN001
                   order: str | None = None, after: int | None = None, before: int | None = None,
                   reply_to: int | None = None, quote: bool | None = None, page_url: str | None = None,
                   standing: Standing | None = None, form: CommentForm | None = None,
                   form_error: str | None = None) -> dict:
    """Everything templates/threads/_thread.html needs; pages pass it on as `thread_ctx`.

    Unset keyword arguments come from the query string (?order=newest, ?reply_to=<id>&quote=1), so owner
    pages need not pass them. The same queries whatever the thread's length: its state, a page of top-level
    comments, their replies, the people shown and their public labels (plus the reply target with ?reply_to,
    and quoted comments that are not on the page).
    """
    args = request.args
    order = live.order_from(order or args.get("order"))
    reply_to = reply_to if reply_to is not None else args.get("reply_to", type=int)
    quote = quote if quote is not None else bool(args.get("quote", type=int))
    state = queries.state_of(thread.id)  # before the comments: one posted in between comes again by poll
    page = queries.top_level_page(thread.id, newest=order == "newest", after=after, before=before)
    replies = queries.replies_of(thread.id, [c.id for c in page.comments])
    replying = reply_target(community, thread, reply_to)
    shown = [*page.comments, *(r for rs in replies.values() for r in rs), *([replying] if replying else [])]
    context = base_context(community, thread, page_url=page_url or request.path, order=order, standing=standing,
                           is_discussable=is_discussable, closed_reason=closed_reason,
                           labels=labels_for(community, shown))
    is_first_page = after is None and before is None
    context.update({
        "state": state, "top": page.comments, "replies": replies, "is_first_page": is_first_page,
        # Live updates follow the first page only (a page from the middle has gaps on both sides).
        "shown": live.first_page(order, page.comments, has_more=page.has_more, version=state.version,
                                 last=state.last_id) if is_first_page else None,
        "more_url": page_link(community, thread, order, after=page.comments[-1].id) if page.has_more else None,
        "earlier_url": (page_link(community, thread, order, before=page.comments[0].id)
                        if page.has_earlier and page.comments else None),
        "form": form or CommentForm(formdata=None), "form_error": form_error, "is_inline": False,
        **form_context(replying, quote=quote),
    })
    return context


def next_page_context(context: dict, shown: live.Shown) -> dict:
    """A "load more" answer: the page just read moves the poller's gap (when the page has a poller)."""
    if shown.version is not None and context["top"]:
        context["shown"] = shown.after_page(context["top"], has_more=context["more_url"] is not None)
    else:
        context["shown"] = None
    return context


def changes_context(community: Community, thread: Thread, shown: live.Shown, *, page_url: str,
                    own: Comment | None = None) -> dict:
    """A poll's answer, or what a poster's page had missed: the changes in place, the count, the next poller."""
    context = base_context(community, thread, page_url=page_url, order=shown.order)
    if shown.version is None:  # the page did not say what it shows: send only the poster's own comment
        rows, state, next_shown = [own], queries.state_of(thread.id), None
    else:
        state = queries.state_of(thread.id)
        rows = queries.changed_since(thread.id, shown.version)
        next_shown = shown.caught_up(state.version, max([state.last_id, *(c.id for c in rows)]))
    changes = [change for c in rows[:queries.MAX_CHANGES] if (change := live.placement(c, shown)) is not None]
    context.update({
        "changes": changes, "is_behind": len(rows) > queries.MAX_CHANGES, "state": state, "shown": next_shown,
        "labels": labels_for(community, [ch.comment for ch in changes]),
    })
    return context


def comment_context(community: Community, comment: Comment, *, page_url: str, order: str = live.ORDERS[0]) -> dict:
    """One comment on its own (after an edit, a withdrawal, or "cancel")."""
    context = base_context(community, comment.thread, page_url=page_url, order=order)
    context.update({"labels": labels_for(community, [comment]), "c": comment})
    return context
