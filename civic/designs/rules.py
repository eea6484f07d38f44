"""Who may see, draw, publish, compare and comment on design options, and in which project stage."""
from __future__ import annotations

from civic.community.models import Role
from civic.community.rules import Standing
from civic.designs.models import DesignOption
from civic.projects.models import Project, Stage

MAX_OPTIONS = 26  # 方案A … 方案Z
MAX_FILES_PER_VERSION = 9
# Pictures of options stay visible in every later stage (the vote shows them, the echo wall tells the story),
# but options are drawn and revised only while the project is being designed.
DRAWING_STAGES = frozenset({Stage.DESIGNING})


def is_designer(st: Standing) -> bool:
    """Resident designers (居民设计师) and the committee draw options."""
    return Role.DESIGNER in st.roles or st.is_committee


def can_view_designs(st: Standing, project: Project) -> bool:
    """The project's design pages (list, matrix, compare): any member of its community."""
    return st.is_member and project.community_id == st.community_id


def can_view_option(st: Standing, option: DesignOption) -> bool:
    """Published options: every member; private ones: designers and the committee only."""
    if not st.is_member or option.community_id != st.community_id:
        return False
    return option.is_published or is_designer(st)


def is_drawing_stage(project: Project) -> bool:
    return project.stage in DRAWING_STAGES


def can_create_option(st: Standing, project: Project) -> bool:
    return is_designer(st) and project.community_id == st.community_id and is_drawing_stage(project)


def can_add_version(st: Standing, option: DesignOption, project: Project) -> bool:
    """A new version (a correction is a new version too): designers, while the project is being designed."""
    return (is_designer(st) and option.community_id == st.community_id and option.project_id == project.id
            and is_drawing_stage(project))


def can_edit_option(st: Standing, option: DesignOption, project: Project) -> bool:
    """The option's title and summary (not its versions, which never change)."""
    return can_add_version(st, option, project)


def can_publish_option(st: Standing, option: DesignOption, project: Project) -> bool:
    """Publish once it has a version; there is no unpublishing (residents may have commented)."""
    return can_add_version(st, option, project) and not option.is_published and option.version_count > 0


def can_pin(st: Standing, option: DesignOption) -> bool:
    """Pinned comments: members with a voice here (like any comment), on published options."""
    return st.user_id is not None and st.is_member and option.community_id == st.community_id and option.is_published


def can_mark_addressed(st: Standing, option: DesignOption) -> bool:
    """Mark a comment or pin "addressed in vN": the designers and the committee."""
    return is_designer(st) and option.community_id == st.community_id
