"""What the option page and the new-version form show, each in a fixed number of queries."""
from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from civic.community.models import Community
from civic.community.people import public_labels
from civic.designs import pins, rules
from civic.designs.forms import PublishForm
from civic.designs.models import AddressedComment, DesignOption, DesignVersion, Pin
from civic.designs.visits import whats_new
from civic.extensions import db
from civic.projects.models import Project
from civic.threads import owners
from civic.threads.display import thread_context
from civic.threads.models import Comment, ThreadKind
from civic.web.markdown import plain_text

OPEN_COMMENTS_SHOWN = 50  # the newest open comments offered as "this version answers …"
EXCERPT_CHARS = 60


def versions_newest_first(option: DesignOption) -> list[DesignVersion]:
    """Every version with its files and uploader: three queries however many versions there are."""
    return list(db.session.execute(
        db.select(DesignVersion).options(selectinload(DesignVersion.files), selectinload(DesignVersion.created_by))
        .where(DesignVersion.option_id == option.id).order_by(DesignVersion.number.desc())).scalars())


def head_context(community: Community, option: DesignOption, project: Project) -> dict:
    """The option's head (badge and designer actions): what the publish answer re-renders."""
    return {"community": community, "option": option, "project": project, "publish_form": PublishForm(),
            "can_add_version": rules.can_add_version(g.standing, option, project),
            "can_edit": rules.can_edit_option(g.standing, option, project),
            "can_publish": rules.can_publish_option(g.standing, option, project)}


def show_context(community: Community, option: DesignOption, project: Project, user_id: int) -> dict:
    versions = versions_newest_first(option)
    owner = owners.Owner(ThreadKind.DESIGN, option)
    return head_context(community, option, project) | {
        "versions": versions, "current": versions[0] if versions else None,
        # Each version's previous one, for "compare with previous" (versions are listed newest first).
        "previous": {v.id: versions[i + 1] for i, v in enumerate(versions[:-1])},
        "people": public_labels([v.created_by for v in versions if v.created_by], community),
        "news": whats_new(user_id, option),
        # "Pin 3 · v2", "About v2", "Addressed in v5" on the comments shown: one query (civic.designs.pins).
        "thread_ctx": pins.add_badges(thread_context(community, option.thread,
                                                     is_discussable=owners.is_discussable(owner),
                                                     closed_reason=owners.closed_reason(owner)), option),
    }


def open_comments(community: Community, option: DesignOption) -> list[tuple[int, str]]:
    """(id, "Pin 3 on v2 · 王阿姨 · 7号楼: excerpt") for top-level comments not yet addressed: four queries at most."""
    addressed = db.select(AddressedComment.comment_id)
    comments = list(db.session.execute(
        db.select(Comment).where(Comment.thread_id == option.thread_id, Comment.parent_id.is_(None),
                                 Comment.withdrawn_at.is_(None), Comment.hidden_at.is_(None),
                                 Comment.id.not_in(addressed))
        .options(selectinload(Comment.author)).order_by(Comment.id.desc()).limit(OPEN_COMMENTS_SHOWN)).scalars())
    pinned = {row.comment_id: row for row in db.session.execute(
        db.select(Pin.comment_id, Pin.number, DesignVersion.number.label("version"))
        .join(DesignVersion, DesignVersion.id == Pin.version_id)
        .where(Pin.comment_id.in_([c.id for c in comments]))).all()} if comments else {}
    people = public_labels([c.author for c in comments if c.author], community) if comments else {}
    return [(c.id, _choice_label(c, pinned.get(c.id), people.get(c.author_id) or _("Former member")))
            for c in comments]


def _choice_label(comment: Comment, pin, who: str) -> str:  # noqa: ANN001
    excerpt = plain_text(comment.body_md, EXCERPT_CHARS)
    if pin is not None:
        return _("Pin %(pin)d on v%(version)d · %(who)s: %(excerpt)s", pin=pin.number, version=pin.version, who=who,
                 excerpt=excerpt)
    return _("%(who)s: %(excerpt)s", who=who, excerpt=excerpt)
