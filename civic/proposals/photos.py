"""A proposal's photos: all of a submission's files stored or none, removal after commit, the request size cap."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from civic.errors import RuleViolation
from civic.extensions import db
from civic.proposals.models import MAX_PHOTOS, Proposal, ProposalPhoto
from civic.web.uploads import StoredImage, UploadRejected, delete_image, max_file_bytes, store_image

_MIB = 1024 * 1024


class PhotosRejected(Exception):
    """One or more files were refused; `problems` holds one message per refused file (already translated)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def request_cap() -> int:
    """Body cap for the raise/edit form: nine photos at the per-file cap, plus room for the text."""
    return MAX_PHOTOS * max_file_bytes() + _MIB


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def chosen(files: Iterable[FileStorage] | None) -> list[FileStorage]:
    """The files actually chosen: an untouched file input still sends one empty part."""
    return [f for f in (files or []) if f and f.filename]


def check_count(proposal_photo_count: int, adding: int, removing: int = 0) -> None:
    if proposal_photo_count - removing + adding > MAX_PHOTOS:
        raise RuleViolation(_("A proposal may have at most %(n)d photos; choose fewer.", n=MAX_PHOTOS), "photos")


@contextmanager
def staged() -> Iterator[list[StoredImage]]:
    """Files written inside this block are deleted again if it fails: nothing half-written stays on disk."""
    stored: list[StoredImage] = []
    try:
        yield stored
    except BaseException:
        for image in stored:
            delete_image(upload_dir(), image)
        raise


def _store_each(files: list[FileStorage], stored: list[StoredImage]) -> list[str]:
    """Try every file, so the author learns every reason at once; the good ones land in `stored`."""
    problems = []
    for upload in files:
        try:
            stored.append(store_image(upload, upload_dir=upload_dir()))
        except UploadRejected as error:
            problems.append(error.message)
    return problems


def add(proposal: Proposal, files: list[FileStorage], stored: list[StoredImage]) -> None:
    """Store the files and add them as photos after the existing ones; any refusal raises PhotosRejected."""
    problems = _store_each(files, stored)
    if problems:
        raise PhotosRejected(problems)
    start = max((p.position for p in proposal.photos), default=-1) + 1
    for offset, image in enumerate(stored):
        proposal.photos.append(ProposalPhoto(
            name=image.name, phone_name=image.thumbnails["phone"], desktop_name=image.thumbnails["desktop"],
            width=image.width, height=image.height, position=start + offset,
            original_filename=image.original_filename))


def remove(proposal: Proposal, photo_ids: Iterable[int]) -> list[StoredImage]:
    """Drop these photos from the proposal; returns their files, to delete once the commit has succeeded."""
    wanted = set(photo_ids)
    gone = [p for p in proposal.photos if p.id in wanted]
    for photo in gone:
        proposal.photos.remove(photo)
    db.session.flush()
    return [StoredImage(name=p.name, width=p.width, height=p.height, content_type="image/jpeg",
                        thumbnails={"phone": p.phone_name, "desktop": p.desktop_name},
                        original_filename=p.original_filename) for p in gone]


def delete_files(images: Iterable[StoredImage]) -> None:
    for image in images:
        delete_image(upload_dir(), image)
