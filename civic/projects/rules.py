"""Who may do what with a project, and which stage moves are allowed."""
from __future__ import annotations

from civic.community.rules import Standing
from civic.projects.models import STAGE_LINE, Project, Stage


def can_view_project(st: Standing, project: Project) -> bool:
    return project.community_id == st.community_id and st.is_member


def can_manage_projects(st: Standing) -> bool:
    """Create projects and move them between stages: the three carriages and the administrator."""
    return st.is_committee


def allowed_moves(stage: Stage) -> tuple[Stage, ...]:
    """Forward one step (or skip design), back one step to correct a mistake, shelve, or resume a shelved one."""
    if stage is Stage.DONE:
        return ()
    if stage is Stage.SHELVED:
        return (Stage.RAISED, Stage.DELIBERATING)
    i = STAGE_LINE.index(stage)
    moves = [STAGE_LINE[i + 1]]
    if stage is Stage.DELIBERATING:
        moves.append(Stage.VOTING)  # small works (lighting, greenery) may need no design stage
    if i > 0:
        moves.append(STAGE_LINE[i - 1])
    moves.append(Stage.SHELVED)
    return tuple(moves)


def can_move_project(st: Standing, project: Project, to: Stage) -> bool:
    return can_manage_projects(st) and can_view_project(st, project) and to in allowed_moves(project.stage)


def can_list_projects(st: Standing) -> bool:
    return st.is_member


def can_edit_project(st: Standing, project: Project) -> bool:
    """Title, description, category and buildings: the committee, on any stage (a typo may surface late)."""
    return can_manage_projects(st) and can_view_project(st, project)
