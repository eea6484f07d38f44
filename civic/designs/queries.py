"""Reading design options: scoped loads, the options a member may see, current versions, choices for a vote."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from civic.community.models import Community
from civic.community.rules import Standing
from civic.designs import rules
from civic.designs.models import DesignFile, DesignOption, DesignVersion
from civic.extensions import db
from civic.projects.models import Project


def option_in(community: Community, option_id: int) -> DesignOption | None:
    return db.session.execute(db.select(DesignOption).where(
        DesignOption.id == option_id, DesignOption.community_id == community.id)).scalar_one_or_none()


def version_of(option: DesignOption, number: int) -> DesignVersion | None:
    return db.session.execute(db.select(DesignVersion).options(selectinload(DesignVersion.files)).where(
        DesignVersion.option_id == option.id, DesignVersion.number == number)).scalar_one_or_none()


def version_in(community: Community, version_id: int) -> DesignVersion | None:
    """A version by id, scoped to the community through its option."""
    return db.session.execute(db.select(DesignVersion).join(DesignOption).where(
        DesignVersion.id == version_id, DesignOption.community_id == community.id)).scalar_one_or_none()


def options_of(project: Project, st: Standing, *, published_only: bool = False) -> list[DesignOption]:
    """The options this member may see, by label; private ones only for designers (and never when asked not to)."""
    query = db.select(DesignOption).where(DesignOption.project_id == project.id).order_by(DesignOption.label)
    if published_only or not rules.is_designer(st):
        query = query.where(DesignOption.published_at.is_not(None))
    return list(db.session.execute(query).scalars())


def current_versions(options: list[DesignOption]) -> dict[int, DesignVersion]:
    """option id → its current (highest) version with files loaded: one query for any number of options."""
    pairs = [(o.id, o.version_count) for o in options if o.version_count]
    if not pairs:
        return {}
    rows = db.session.execute(db.select(DesignVersion).options(selectinload(DesignVersion.files)).where(
        db.tuple_(DesignVersion.option_id, DesignVersion.number).in_(pairs))).scalars()
    return {v.option_id: v for v in rows}


@dataclass(frozen=True)
class OptionChoice:
    """What a vote needs to offer "the current version of each published option" as a choice."""

    option_id: int
    label: str  # "A"
    name: str  # "方案A"
    title: str
    version_id: int
    version_number: int
    thumbnail: DesignFile | None  # its phone_name / desktop_name are served by designs.file
    version: DesignVersion  # the spec sheet (see civic.designs.specs.FIELDS)


def vote_choices(project: Project) -> list[OptionChoice]:
    """The current version of each published option of a project, by label (options without a version skipped)."""
    options = list(db.session.execute(db.select(DesignOption).where(
        DesignOption.project_id == project.id, DesignOption.published_at.is_not(None),
        DesignOption.version_count > 0).order_by(DesignOption.label)).scalars())
    current = current_versions(options)
    return [OptionChoice(o.id, o.label, o.name, o.title, current[o.id].id, current[o.id].number,
                         current[o.id].cover, current[o.id]) for o in options if o.id in current]


def versions_by_option(options: list[DesignOption]) -> dict[int, list[DesignVersion]]:
    """option id → all its versions by number (files not loaded): one query, for choosing what to compare."""
    found: dict[int, list[DesignVersion]] = {o.id: [] for o in options}
    if found:
        rows = db.session.execute(db.select(DesignVersion).where(DesignVersion.option_id.in_(list(found)))
                                  .order_by(DesignVersion.option_id, DesignVersion.number)).scalars()
        for version in rows:
            found[version.option_id].append(version)
    return found
