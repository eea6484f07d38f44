"""Pinned comments and comments about one version: writing them through the option's thread, reading them, badges."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import g, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from civic.community.rules import Standing
from civic.designs.models import AddressedComment, CommentVersion, DesignFile, DesignOption, DesignVersion, Pin
from civic.extensions import db
from civic.threads import owners
from civic.threads.models import Comment, ThreadKind
from civic.threads.services import post_comment

PLACES = Decimal("0.00001")  # fractions are stored with 5 places (Numeric(6, 5))
NUMBER_TRIES = 5


def as_fraction(percent: Decimal) -> Decimal:
    """25 (%) → Decimal("0.25000")."""
    return (percent / 100).quantize(PLACES, rounding=ROUND_HALF_UP)


def _owner(option: DesignOption) -> owners.Owner:
    return owners.Owner(ThreadKind.DESIGN, option)


def _comment(option: DesignOption, version: DesignVersion, *, author, standing: Standing, body: str,  # noqa: ANN001
             now: datetime) -> Comment:
    """A comment in the option's thread (so moderation, notifications and the discussion see it) tied to a version."""
    comment = post_comment(option.thread, _owner(option), author=author, standing=standing, body=body, opinion=None,
                           now=now)
    db.session.add(CommentVersion(comment_id=comment.id, version_id=version.id))
    return comment


def comment_on_version(option: DesignOption, version: DesignVersion, *, author, standing: Standing, body: str,  # noqa: ANN001
                       now: datetime) -> Comment:
    """A plain comment about one version; raises RuleViolation when the thread is closed (locked, unpublished)."""
    comment = _comment(option, version, author=author, standing=standing, body=body, now=now)
    db.session.flush()
    return comment


def add_pin(option: DesignOption, version: DesignVersion, file: DesignFile, *, author, standing: Standing,  # noqa: ANN001
            body: str, x: Decimal, y: Decimal, now: datetime) -> Pin:
    """A numbered pin at (x, y) — fractions 0..1 of the picture — with its comment; the caller commits."""
    comment = _comment(option, version, author=author, standing=standing, body=body, now=now)
    pin = Pin(version_id=version.id, file_id=file.id, x=x.quantize(PLACES), y=y.quantize(PLACES),
              comment_id=comment.id, created_by_id=author.id, created_at=now)
    _insert_numbered(pin)
    return pin


def _insert_numbered(pin: Pin) -> None:
    """The next number of the version. post_comment already holds the thread's row lock, so pins of one option
    are numbered one at a time; the savepoint retry is for engines without it (UNIQUE(version, number) decides)."""
    for attempt in range(NUMBER_TRIES):
        pin.number = 1 + (db.session.execute(db.select(db.func.max(Pin.number)).where(
            Pin.version_id == pin.version_id)).scalar() or 0)
        try:
            with db.session.begin_nested():
                db.session.add(pin)
            return
        except IntegrityError:  # the savepoint's rollback made the pin transient again: take the next number
            if attempt == NUMBER_TRIES - 1:
                raise


# --- reading -------------------------------------------------------------------------------------------------------

def pins_of(version: DesignVersion) -> list[Pin]:
    """The version's pins by number, with their comments: two queries however many pins."""
    return list(db.session.execute(db.select(Pin).options(selectinload(Pin.comment)).where(
        Pin.version_id == version.id).order_by(Pin.number)).scalars())


def version_comments(version: DesignVersion) -> list[Comment]:
    """Comments about this version that are not pins, oldest first."""
    return list(db.session.execute(db.select(Comment).join(CommentVersion, CommentVersion.comment_id == Comment.id)
                                   .outerjoin(Pin, Pin.comment_id == Comment.id)
                                   .where(CommentVersion.version_id == version.id, Pin.id.is_(None))
                                   .order_by(Comment.id)).scalars())


def addressed_in(comment_ids) -> dict[int, int]:  # noqa: ANN001
    """comment id → the number of the version that addressed it: one query."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(AddressedComment.comment_id, DesignVersion.number)
                              .join(DesignVersion, DesignVersion.id == AddressedComment.version_id)
                              .where(AddressedComment.comment_id.in_(ids)))
    return dict(rows.all())


@dataclass(frozen=True)
class CommentFacts:
    """What one comment of an option's thread is about: its version, its pin, the version that answered it."""

    about: int | None  # version number
    pin: int | None  # pin number (on version `about`)
    addressed: int | None  # version number


def facts_of(option: DesignOption, comment_ids) -> dict[int, CommentFacts]:  # noqa: ANN001
    """One query for any number of comments of this option's thread (comments of other threads are left out)."""
    ids = list(set(comment_ids or ()))
    if not ids:
        return {}
    about, done = aliased(DesignVersion), aliased(DesignVersion)
    rows = db.session.execute(
        db.select(Comment.id, about.number, Pin.number, done.number)
        .outerjoin(CommentVersion, CommentVersion.comment_id == Comment.id)
        .outerjoin(about, about.id == CommentVersion.version_id)
        .outerjoin(Pin, Pin.comment_id == Comment.id)
        .outerjoin(AddressedComment, AddressedComment.comment_id == Comment.id)
        .outerjoin(done, done.id == AddressedComment.version_id)
        .where(Comment.id.in_(ids), Comment.thread_id == option.thread_id))
    return {cid: CommentFacts(v, p, a) for cid, v, p, a in rows if v or p or a}


def badges_for(option: DesignOption, comment_ids, *, slug: str | None = None) -> dict[int, list[tuple]]:  # noqa: ANN001
    """{comment id: [(text, url, kind)]} for templates/threads/_article.html: "Pin 3 · v2", "About v2",
    "Addressed in v5" — one query. `slug` defaults to the community of the request (g.community)."""
    slug = slug or g.community.slug
    base = url_for("designs.show_version", slug=slug, option_id=option.id, number=0)[:-1]  # "…/v"; built once
    badges: dict[int, list[tuple]] = {}
    for cid, f in facts_of(option, comment_ids).items():
        row = []
        if f.pin:
            row.append((_("Pin %(n)d · v%(v)d", n=f.pin, v=f.about), f"{base}{f.about}#pin-{f.pin}", "pin"))
        elif f.about:
            row.append((_("About v%(v)d", v=f.about), f"{base}{f.about}", "about"))
        if f.addressed:
            row.append((_("Addressed in v%(n)d", n=f.addressed), f"{base}{f.addressed}", "addressed"))
        badges[cid] = row
    return badges


def add_badges(thread_ctx: dict, option: DesignOption) -> dict:
    """Set thread_ctx["badges"] for the comments the thread context shows (top-level and replies); one query."""
    shown = [c.id for c in thread_ctx.get("top", ())]
    shown += [r.id for rs in (thread_ctx.get("replies") or {}).values() for r in rs]
    thread_ctx["badges"] = badges_for(option, shown)
    return thread_ctx
