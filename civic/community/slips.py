"""QR codes for printed invite slips: they open the registration page with the code filled in."""
from __future__ import annotations

import segno
from flask import current_app, url_for


def registration_url(code: str | None = None) -> str:
    """The public address of the registration page (PUBLIC_BASE_URL behind a proxy), with the code if given."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("accounts.register", code=code)
    return url_for("accounts.register", code=code, _external=True)


def slip_qr_svg(code: str) -> str:
    """Inline SVG markup (no script, no style attribute) so the page needs no image requests."""
    return segno.make(registration_url(code), error="m").svg_inline(scale=3, border=2, omitsize=False)
