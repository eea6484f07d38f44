"""Photos kept with a meeting: the paper sign-in sheet and round-table whiteboards, through the one upload module."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from civic.extensions import db
from civic.meetings.models import Meeting, MeetingPhoto
from civic.web.uploads import StoredImage, delete_image, store_image

SIGNIN_SHEET = "signin_sheet"
NOTE = "note"


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def store(meeting: Meeting, upload: FileStorage, *, purpose: str, actor, now: datetime) -> MeetingPhoto:  # noqa: ANN001
    """Re-encode and store one image (raises civic.web.uploads.UploadRejected with a translated message).

    The caller commits; if its commit fails it calls `discard(photo)` so no file is left behind.
    """
    image = store_image(upload, upload_dir=upload_dir())
    photo = MeetingPhoto(meeting_id=meeting.id, purpose=purpose, name=image.name,
                         phone_name=image.thumbnails["phone"], desktop_name=image.thumbnails["desktop"],
                         width=image.width, height=image.height, original_filename=image.original_filename,
                         uploaded_by_id=actor.id if actor else None, created_at=now)
    db.session.add(photo)
    db.session.flush()
    return photo


def discard(photo: MeetingPhoto) -> None:
    """Delete a photo's files (after a failed commit, or when its row is deleted)."""
    delete_image(upload_dir(), StoredImage(name=photo.name, width=photo.width, height=photo.height,
                                           content_type="image/jpeg", original_filename=photo.original_filename,
                                           thumbnails={"phone": photo.phone_name, "desktop": photo.desktop_name}))


def photo_named(meeting: Meeting, name: str) -> MeetingPhoto | None:
    """The meeting's photo that this file (full size or a thumbnail) belongs to."""
    return db.session.execute(db.select(MeetingPhoto).where(
        MeetingPhoto.meeting_id == meeting.id,
        (MeetingPhoto.name == name) | (MeetingPhoto.phone_name == name) | (MeetingPhoto.desktop_name == name),
    )).scalars().first()


def sheets_of(meeting: Meeting) -> list[MeetingPhoto]:
    return list(db.session.execute(db.select(MeetingPhoto).where(
        MeetingPhoto.meeting_id == meeting.id, MeetingPhoto.purpose == SIGNIN_SHEET).order_by(MeetingPhoto.id)).scalars())
