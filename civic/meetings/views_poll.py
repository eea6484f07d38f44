"""Routes of the meeting's poll part (being written)."""
from __future__ import annotations


def panel_context(community, meeting, now) -> dict:  # noqa: ANN001
    """Keys this part's partial template needs on the meeting page."""
    return {}
