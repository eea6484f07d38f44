"""Keeping the search index in step with what residents can see. Called on write by the owning modules."""
from __future__ import annotations

# API (to be implemented by the search work):
#   index_proposal(proposal)  — add or refresh; removes it when the proposal is not publicly visible
#   index_project(project)
#   index_comment(comment, proposal_id=None, project_id=None) — removes it when withdrawn or hidden
#   remove(kind: str, object_id: int)


def index_proposal(proposal) -> None:  # noqa: ANN001
    pass


def index_project(project) -> None:  # noqa: ANN001
    pass


def index_comment(comment, *, proposal_id: int | None = None, project_id: int | None = None) -> None:  # noqa: ANN001
    pass


def remove(kind: str, object_id: int) -> None:
    pass
