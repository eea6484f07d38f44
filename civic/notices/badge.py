"""The unread badge beside "Notifications" in the community navigation."""
from __future__ import annotations

from flask import g
from flask_login import current_user

from civic.notices.queries import unread_count


def unread_notices(community) -> int:  # noqa: ANN001
    """The signed-in member's unread count here, counted once per request however often the page asks."""
    if not current_user.is_authenticated:
        return 0
    cache = g.setdefault("unread_notices", {})
    if community.id not in cache:
        cache[community.id] = unread_count(current_user.id, community.id)
    return cache[community.id]


def badge_text(count: int) -> str:
    return "99+" if count > 99 else str(count)
