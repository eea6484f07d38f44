"""Page or fragment: the one place that decides whether an htmx request gets a block."""
from __future__ import annotations

from flask import render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_block(template: str, block: str, *, status: int = 200, headers: dict | None = None, **context):
    """Render the whole page, or for htmx the block the *view* names (never one named by the client)."""
    body = render_block(template, block, **context) if wants_fragment() else render_template(template, **context)
    response_headers = {"Vary": "HX-Request"}
    response_headers.update(headers or {})
    return body, status, response_headers


def htmx_reswap(response, how: str):
    """Set HX-Reswap directly: htmx-flask's make_response rejects beforebegin/afterbegin."""
    response.headers["HX-Reswap"] = how
    return response
