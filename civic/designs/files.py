"""A version's files through the one upload module: store them all or none, and delete them again."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from civic.designs.models import DesignFile, FileKind
from civic.web.uploads import StoredImage, StoredPdf, store_file, stored_path


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _row(stored: StoredImage | StoredPdf, position: int) -> DesignFile:
    if isinstance(stored, StoredImage):
        return DesignFile(position=position, kind=FileKind.IMAGE, name=stored.name, picture_name=stored.name,
                          phone_name=stored.thumbnails["phone"], desktop_name=stored.thumbnails["desktop"],
                          width=stored.width, height=stored.height, byte_size=_size(stored.name),
                          original_filename=stored.original_filename)
    preview = stored.preview
    return DesignFile(position=position, kind=FileKind.PDF, name=stored.name, page_count=stored.page_count,
                      byte_size=stored.byte_size, original_filename=stored.original_filename,
                      picture_name=preview.name if preview else "",
                      phone_name=preview.thumbnails["phone"] if preview else "",
                      desktop_name=preview.thumbnails["desktop"] if preview else "",
                      width=preview.width if preview else 0, height=preview.height if preview else 0)


def _size(name: str) -> int:
    return stored_path(upload_dir(), name).stat().st_size


def store_all(uploads: list[FileStorage]) -> list[DesignFile]:
    """Check and store every file, in order; if one is refused, the ones already stored are deleted again.

    Raises civic.web.uploads.UploadRejected (its message names the refused file). The rows are not added.
    """
    rows: list[DesignFile] = []
    try:
        for position, upload in enumerate(uploads):
            rows.append(_row(store_file(upload, upload_dir=upload_dir(), allow_pdf=True), position))
    except BaseException:
        discard(rows)
        raise
    return rows


def names_of(row: DesignFile) -> set[str]:
    return {n for n in (row.name, row.picture_name, row.phone_name, row.desktop_name) if n}


def discard(rows: list[DesignFile]) -> None:
    """Delete the files of these rows (after a refused upload or a failed commit)."""
    for row in rows:
        for name in names_of(row):
            try:
                stored_path(upload_dir(), name).unlink(missing_ok=True)
            except FileNotFoundError:
                continue

