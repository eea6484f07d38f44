"""Round-table notes (a few lines and maybe a whiteboard photo) and promoting one into a proposal with one click."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import photos
from civic.meetings.localtime import local_date
from civic.meetings.minutes import check_text
from civic.meetings.models import Meeting, RoundTableNote
from civic.projects.models import Category
from civic.proposals import photos as proposal_photos
from civic.proposals import services as proposal_services
from civic.proposals.models import TITLE_MAX, Proposal
from civic.web.uploads import stored_path

TEXT_MIN, TEXT_MAX = 2, 1000


def notes_of(meeting: Meeting) -> list[RoundTableNote]:
    return list(db.session.execute(
        db.select(RoundTableNote).where(RoundTableNote.meeting_id == meeting.id)
        .options(selectinload(RoundTableNote.photo), selectinload(RoundTableNote.proposal),
                 selectinload(RoundTableNote.author)).order_by(RoundTableNote.id)).scalars())


def note_in(meeting: Meeting, note_id: int) -> RoundTableNote | None:
    return db.session.execute(db.select(RoundTableNote).where(
        RoundTableNote.id == note_id, RoundTableNote.meeting_id == meeting.id)).scalar_one_or_none()


def check_note_text(text: str | None) -> str:
    return check_text(text, low=TEXT_MIN, high=TEXT_MAX, field="text",
                      message=_("Write the note in 2 to %(n)d characters.", n=TEXT_MAX))


def add(meeting: Meeting, *, text: str, upload: FileStorage | None, actor, now: datetime) -> RoundTableNote:  # noqa: ANN001
    """Text checked first, then the photo (UploadRejected propagates: the caller keeps the text and says why).

    The caller commits, and calls photos.discard(note.photo) if that commit fails.
    """
    text = check_note_text(text)
    photo = None
    if upload is not None and upload.filename:
        photo = photos.store(meeting, upload, purpose=photos.NOTE, actor=actor, now=now)
    note = RoundTableNote(meeting_id=meeting.id, author_id=actor.id, text=text,
                          photo_id=photo.id if photo else None, created_at=now)
    db.session.add(note)
    db.session.flush()
    return note


def default_category(meeting: Meeting) -> Category:
    return meeting.projects[0].category if meeting.projects else Category.OTHER


def _title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), text.strip())
    return first if len(first) <= TITLE_MAX else first[: TITLE_MAX - 1] + "…"


def _body(meeting: Meeting, note: RoundTableNote) -> str:
    day = format_date(local_date(meeting.starts_at or note.created_at), "long")
    origin = _("This proposal came from the small round table “%(title)s” on %(date)s.", title=meeting.title, date=day)
    return f"{note.text}\n\n*{origin}*"


def _buildings(meeting: Meeting) -> list:
    seen: dict[int, object] = {}
    for project in meeting.projects:
        for building in project.buildings:
            seen.setdefault(building.id, building)
    return list(seen.values())


def _claim(note: RoundTableNote, *, actor, now: datetime) -> bool:  # noqa: ANN001
    """A conditional UPDATE: of two clicks only the first may go on to make the proposal."""
    return db.session.execute(
        db.update(RoundTableNote)
        .where(RoundTableNote.id == note.id, RoundTableNote.promoted_at.is_(None))
        .values(promoted_at=now, promoted_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount == 1


def _copy_photo(note: RoundTableNote, proposal: Proposal, stored: list) -> None:
    """The whiteboard becomes the proposal's photo: a fresh copy through the upload module (its own access rule)."""
    if note.photo is None:
        return
    try:
        path = stored_path(photos.upload_dir(), note.photo.name)
    except FileNotFoundError:
        return  # the file is gone: the proposal is still worth making
    with path.open("rb") as stream:
        upload = FileStorage(stream=stream, filename=note.photo.original_filename or path.name)
        proposal_photos.add(proposal, [upload], stored)


def promote(note: RoundTableNote, *, actor, household_id: int | None, category: Category,  # noqa: ANN001
            now: datetime) -> Proposal:
    """One click: a published proposal by the clicker, linked to the meeting. A second click returns the first's."""
    meeting = db.session.get(Meeting, note.meeting_id)
    if not _claim(note, actor=actor, now=now):
        db.session.refresh(note)
        if note.proposal is not None:
            return note.proposal
        raise RuleViolation(_("This note was already turned into a proposal."))
    text = proposal_services.ProposalText(title=_title(note.text), body_md=_body(meeting, note), category=category,
                                          buildings=_buildings(meeting))
    with proposal_photos.staged() as stored:
        proposal = proposal_services.raise_proposal(meeting.community, text, household_id=household_id, actor=actor,
                                                    now=now)
        _copy_photo(note, proposal, stored)
        proposal_services.publish(proposal, actor=actor, now=now)
        db.session.execute(db.update(RoundTableNote).where(RoundTableNote.id == note.id)
                           .values(proposal_id=proposal.id).execution_options(synchronize_session=False))
        if proposal not in meeting.proposals:
            meeting.proposals.append(proposal)
        db.session.flush()
    db.session.expire(note)
    return proposal


def origin_of(proposal: Proposal) -> tuple[Meeting, RoundTableNote] | None:
    """The round table and note a proposal came from, for the proposal page (one query)."""
    row = db.session.execute(
        db.select(Meeting, RoundTableNote).join(RoundTableNote, RoundTableNote.meeting_id == Meeting.id)
        .where(RoundTableNote.proposal_id == proposal.id, Meeting.community_id == proposal.community_id)).first()
    return (row[0], row[1]) if row else None


def produced(meeting: Meeting) -> list[Proposal]:
    """The proposals this table produced (from its notes), oldest first."""
    return list(db.session.execute(
        db.select(Proposal).join(RoundTableNote, RoundTableNote.proposal_id == Proposal.id)
        .where(RoundTableNote.meeting_id == meeting.id).order_by(RoundTableNote.promoted_at, Proposal.id)).scalars())
