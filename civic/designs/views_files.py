"""Serving a version's files: only to members who may see the option, from the one upload module."""
from __future__ import annotations

from flask import abort, g

from civic.designs import bp, rules
from civic.designs.models import DesignFile, DesignOption, DesignVersion
from civic.extensions import db
from civic.web.access import community_member
from civic.web.uploads import send_stored


def option_of_file(community, name: str) -> DesignOption | None:  # noqa: ANN001
    """The option a stored name (file, picture or thumbnail) belongs to, within this community."""
    column_match = ((DesignFile.name == name) | (DesignFile.picture_name == name)
                    | (DesignFile.phone_name == name) | (DesignFile.desktop_name == name))
    return db.session.execute(
        db.select(DesignOption).join(DesignVersion, DesignVersion.option_id == DesignOption.id)
        .join(DesignFile, DesignFile.version_id == DesignVersion.id)
        .where(column_match, DesignOption.community_id == community.id).limit(1)).scalar_one_or_none()


@bp.get("/<slug>/designs/files/<name>")
@community_member
def file(community, name: str):
    option = option_of_file(community, name)
    if option is None or not rules.can_view_option(g.standing, option):
        abort(404)
    return send_stored(name)
