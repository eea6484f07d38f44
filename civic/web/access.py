"""Access decisions: every view declares one, and community pages are scoped before rendering."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from civic.extensions import db, login

ACCESS_ATTR = "access_decision"


def require(is_allowed: bool) -> None:
    """Abort with 403 unless the rule allowed it. Call it in the view, before rendering."""
    if not is_allowed:
        abort(403)


def _mark(view: Callable, decision: str) -> Callable:
    setattr(view, ACCESS_ATTR, decision)
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _mark(view, "public")


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, "signed_in")


def community_member(view: Callable) -> Callable:
    """Load the community from the URL slug; anyone who is not a member gets 404, not 403.

    The view receives `community`; `g.standing` holds the user's roles and households there.
    """
    from civic.community.models import Community
    from civic.community.rules import can_view_community, standing_of

    @wraps(view)
    def wrapper(slug: str, *args, **kwargs):
        if not current_user.is_authenticated:
            return login.unauthorized()
        community = db.session.execute(db.select(Community).where(Community.slug == slug)).scalar_one_or_none()
        if community is None:
            abort(404)
        g.standing = standing_of(current_user, community)
        if not can_view_community(g.standing):
            abort(404)
        g.community = community
        return view(community, *args, **kwargs)

    return _mark(wrapper, "community_member")


def unauthorized():
    """Not signed in: htmx gets HX-Redirect (never a login form swapped into a fragment)."""
    target = url_for("accounts.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if getattr(request, "htmx", False):
        return "", 401, {"HX-Redirect": target, "Vary": "HX-Request"}
    return redirect(target)
