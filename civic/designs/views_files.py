"""Serving a version's files: only to members who may see the option, from the one upload module."""
from __future__ import annotations

from pathlib import Path

from flask import abort, g

from civic.designs import bp, rules
from civic.designs.models import DesignFile, DesignOption, DesignVersion, FileKind
from civic.extensions import db
from civic.web import uploads
from civic.web.access import community_member


def file_of(community, name: str) -> tuple[DesignFile, DesignOption] | None:  # noqa: ANN001
    """The file row and option a stored name (file, picture or thumbnail) belongs to, within this community."""
    column_match = ((DesignFile.name == name) | (DesignFile.picture_name == name)
                    | (DesignFile.phone_name == name) | (DesignFile.desktop_name == name))
    row = db.session.execute(
        db.select(DesignFile, DesignOption).join(DesignVersion, DesignFile.version_id == DesignVersion.id)
        .join(DesignOption, DesignVersion.option_id == DesignOption.id)
        .where(column_match, DesignOption.community_id == community.id).limit(1)).first()
    return (row[0], row[1]) if row else None


def _disposition(row: DesignFile, name: str) -> str:
    """The PDF itself downloads under its own (cleaned) name; pictures show inline, named as the JPEG they are."""
    if row.kind == FileKind.PDF and name == row.name:
        return uploads.content_disposition("attachment", row.original_filename, fallback="design")
    stem = Path(uploads.clean_filename(row.original_filename)).stem or "design"
    return uploads.content_disposition("inline", f"{stem}.jpg", fallback="design")


@bp.get("/<slug>/designs/files/<name>")
@community_member
def file(community, name: str):
    found = file_of(community, name)
    if found is None or not rules.can_view_option(g.standing, found[1]):
        abort(404)
    row = found[0]
    return uploads.send_stored(name, cache=uploads.IMMUTABLE_CACHE, disposition=_disposition(row, name))
