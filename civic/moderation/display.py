"""What moderation templates need: the rules, where a form should lead back to, the open-report count."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, request, url_for
from flask_babel import gettext as _

from civic.moderation import queries, rules
from civic.web.security import is_safe_next


def _same_site_path(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    if not parts.path or parts.netloc not in ("", request.host):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_next(path) else None


def back_path(default: str | None = None) -> str:
    """Where a moderation form leads back to: its `next` field, else the page htmx is on, else `default`,
    else the page being rendered (the controls sit on it)."""
    candidate = request.form.get("next") if request.method == "POST" else None
    if is_safe_next(candidate):
        return candidate
    return _same_site_path(request.headers.get("HX-Current-URL")) or default or request.full_path.rstrip("?")


def came_from(default: str) -> str:
    """For a form page opened by a plain link: the page the link was on (same site only), else `default`."""
    return (_same_site_path(request.headers.get("HX-Current-URL")) or _same_site_path(request.referrer)
            or default)


_SENTINEL = "987654321"


def moderation_url(endpoint: str, slug: str, key: str, object_id: int) -> str:
    """url_for once per request and endpoint, then only the id changes: a thread page asks once per comment."""
    cache = g.setdefault("moderation_urls", {})
    pattern = cache.get((endpoint, slug, key))
    if pattern is None:
        pattern = cache[endpoint, slug, key] = url_for(endpoint, slug=slug, **{key: int(_SENTINEL)})
    return pattern.replace(_SENTINEL, str(object_id))


def moderation_words() -> dict[str, str]:
    """The controls' fixed labels, translated once per request rather than once per comment."""
    if "moderation_words" not in g:
        g.moderation_words = {"report": _("Report"), "hide": _("Hide…"), "unhide": _("Unhide")}
    return g.moderation_words


def open_reports_for_nav(community) -> int:  # noqa: ANN001
    """Counted once per request, only for the committee (the nav asks only when the rule allows)."""
    cache = g.setdefault("open_reports", {})
    if community.id not in cache:
        cache[community.id] = queries.open_report_count(community.id)
    return cache[community.id]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(moderation_rules=rules, moderation_back=back_path, moderation_url=moderation_url,
                                 moderation_words=moderation_words, open_reports_for_nav=open_reports_for_nav)
