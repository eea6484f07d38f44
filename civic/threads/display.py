"""What a page needs to show a thread (placeholder; the threads work replaces it)."""
from __future__ import annotations


def thread_context(community, thread, *, is_discussable: bool = True, closed_reason: str | None = None) -> dict:  # noqa: ANN001
    """Everything templates/threads/_thread.html needs; pages pass it on as `thread_ctx`."""
    return {"community": community, "thread": thread, "is_discussable": is_discussable, "closed_reason": closed_reason}
