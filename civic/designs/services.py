"""Writing design options: create, add a version (files, note, spec sheet), publish; timeline, audit, notices."""
from __future__ import annotations

import string
from datetime import datetime

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.designs import files, rules, specs
from civic.designs.models import AddressedComment, DesignOption, DesignVersion
from civic.projects import timeline
from civic.projects.models import Project
from civic.threads.models import Comment, ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render

CHANGE_NOTE_MAX = 2_000


def next_label(project: Project) -> str:
    used = set(db.session.execute(db.select(DesignOption.label).where(DesignOption.project_id == project.id)).scalars())
    for letter in string.ascii_uppercase[:rules.MAX_OPTIONS]:
        if letter not in used:
            return letter
    raise RuleViolation(_("A project can have at most %(n)d options.", n=rules.MAX_OPTIONS))


def create_option(project: Project, *, actor, title: str, summary: str, now: datetime) -> DesignOption:  # noqa: ANN001
    """A new private option with the next free letter (UNIQUE project+label catches two designers at once)."""
    option = DesignOption(community_id=project.community_id, project_id=project.id, label=next_label(project),
                          title=title.strip(), summary_md=summary, summary_html=render(summary),
                          thread=new_thread(project.community_id, ThreadKind.DESIGN), created_by_id=actor.id,
                          created_at=now, last_activity_at=now)
    db.session.add(option)
    db.session.flush()
    record(project.community_id, actor, "design.option_created", f"design_option:{option.id}", now,
           label=option.label, title=option.title)
    return option


def _claim_number(option: DesignOption, now: datetime) -> int:
    """The next version number, taken with one UPDATE so two uploads at once get v3 and v4, never two v3s."""
    number = db.session.execute(
        db.update(DesignOption).where(DesignOption.id == option.id)
        .values(version_count=DesignOption.version_count + 1, last_version_at=now)
        .returning(DesignOption.version_count)).scalar_one()
    db.session.refresh(option, ["version_count", "last_version_at"])
    return number


def add_version(option: DesignOption, project: Project, *, actor, uploads: list[FileStorage], change_note: str,  # noqa: ANN001
                spec: dict, addresses: list[int] = (), now: datetime) -> DesignVersion:
    """Store the files (raises UploadRejected), then write the version; the caller commits or calls discard_version."""
    if not uploads:
        raise RuleViolation(_("Add at least one picture or PDF."))
    if len(uploads) > rules.MAX_FILES_PER_VERSION:
        raise RuleViolation(_("A version can have at most %(n)d files.", n=rules.MAX_FILES_PER_VERSION))
    rows = files.store_all(uploads)
    try:
        version = DesignVersion(option_id=option.id, number=_claim_number(option, now), created_by_id=actor.id,
                                created_at=now, change_note_md=change_note, change_note_html=render(change_note),
                                **{k: spec.get(k) for k in specs.NUMERIC_KEYS},
                                capacity_unit=(spec.get("capacity_unit") or "").strip(),
                                spec_notes=(spec.get("spec_notes") or "").strip())
        version.files = rows
        db.session.add(version)
        db.session.flush()
        mark_addressed(option, version, addresses, actor=actor, now=now)
        _announce(option, project, version, actor=actor, now=now)
    except BaseException:
        files.discard(rows)
        raise
    return version


def discard_version(version: DesignVersion) -> None:
    """After a failed commit: the rows are gone with the rollback, the files must go too."""
    files.discard(list(version.files))


def mark_addressed(option: DesignOption, version: DesignVersion, comment_ids, *, actor, now: datetime) -> int:  # noqa: ANN001
    """Mark comments of this option's thread "addressed in vN" (ones already marked keep their first mark)."""
    ids = set(comment_ids or ())
    if not ids:
        return 0
    valid = set(db.session.execute(db.select(Comment.id).where(
        Comment.id.in_(ids), Comment.thread_id == option.thread_id)).scalars())
    done = set(db.session.execute(db.select(AddressedComment.comment_id).where(
        AddressedComment.comment_id.in_(valid))).scalars())
    for comment_id in sorted(valid - done):
        db.session.add(AddressedComment(comment_id=comment_id, version_id=version.id, marked_by_id=actor.id,
                                        marked_at=now))
    _notify_addressed(option, version, valid - done, actor=actor, now=now)
    return len(valid - done)


def _notify_addressed(option: DesignOption, version: DesignVersion, comment_ids: set[int], *, actor,  # noqa: ANN001
                      now: datetime) -> None:
    from civic.notices.models import NoticeKind
    from civic.notices.services import notify

    if not comment_ids or not option.is_published:
        return
    authors = set(db.session.execute(db.select(Comment.author_id).where(
        Comment.id.in_(comment_ids), Comment.author_id.is_not(None))).scalars())
    notify(authors, community_id=option.community_id, kind=NoticeKind.DESIGN_ADDRESSED, now=now, actor=actor,
           option_id=option.id, summary=f"{option.name} {version.tag}")


def _announce(option: DesignOption, project: Project, version: DesignVersion, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Audit always; the timeline and the commenters hear of it only once the option is public."""
    record(option.community_id, actor, "design.version_added", f"design_option:{option.id}", now,
           number=version.number, files=len(version.files))
    if not option.is_published:
        return
    timeline.add(project, "design_version", actor, now, option_id=option.id, label=option.label,
                 number=version.number)
    from civic.notices.models import NoticeKind
    from civic.notices.services import notify

    commenters = set(db.session.execute(db.select(Comment.author_id).where(
        Comment.thread_id == option.thread_id, Comment.author_id.is_not(None))).scalars())
    notify(commenters, community_id=option.community_id, kind=NoticeKind.DESIGN_VERSION, now=now, actor=actor,
           option_id=option.id, summary=f"{option.name} {version.tag}")


def publish(option: DesignOption, project: Project, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Make a private option public (conditional UPDATE: publishing twice is one event)."""
    if option.version_count == 0:
        raise RuleViolation(_("Upload a first version before publishing the option."))
    changed = db.session.execute(db.update(DesignOption).where(
        DesignOption.id == option.id, DesignOption.published_at.is_(None)).values(published_at=now)).rowcount
    if not changed:
        raise RuleViolation(_("This option is already published."))
    db.session.refresh(option, ["published_at"])
    timeline.add(project, "design_published", actor, now, option_id=option.id, label=option.label,
                 title=option.title, number=option.version_count)
    record(option.community_id, actor, "design.option_published", f"design_option:{option.id}", now)


def edit_option(option: DesignOption, *, actor, title: str, summary: str, now: datetime) -> bool:  # noqa: ANN001
    """Change the option's title and summary (its versions never change); False when nothing changed."""
    title = title.strip()
    if (title, summary) == (option.title, option.summary_md):
        return False
    option.title, option.summary_md, option.summary_html = title, summary, render(summary)
    option.last_activity_at = now
    record(option.community_id, actor, "design.option_edited", f"design_option:{option.id}", now, title=title)
    return True
