"""Security headers on every response, and the error pages that explain what to do."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    # A view that chose `private` caching (access-checked photos) keeps it: only this user's browser stores it.
    if current_user and current_user.is_authenticated and not response.cache_control.private:
        headers["Cache-Control"] = "no-store"
    return response


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths; never `//host` or a scheme."""
    return bool(target) and target.startswith("/") and not target.startswith("//") and "\\" not in target


def _error_page(status: int, **context):
    if getattr(request, "htmx", False):
        # A fragment target must not receive a whole page; htmx shows nothing for 4xx by config.
        return render_template("errors/message.html", status=status, **context), status, {"Vary": "HX-Request"}
    return render_template("errors/page.html", status=status, **context), status, {"Vary": "HX-Request"}


def register_error_handlers(app: Flask) -> None:
    from flask_babel import gettext as _

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(
            400,
            title=_("This form has expired"),
            message=_("For your safety the form was not sent. Go back, reload the page and send it again; "
                      "copy any long text first so you do not lose it."),
        )

    @app.errorhandler(400)
    def bad_request(error):
        return _error_page(400, title=_("Bad request"), message=_("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(403, title=_("Not allowed"), message=_("You do not have permission to do this."))

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, title=_("Page not found"),
                           message=_("This page does not exist, or you do not have access to it."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _error_page(405, title=_("Not allowed"), message=_("This address does not accept that request."))

    @app.errorhandler(413)
    def too_large(error):
        from civic.web.uploads import upload_error_target

        # A view may raise the cap for its own form (nine photos): name the limit this request had.
        limit_mb = max(1, (request.max_content_length or app.config["MAX_CONTENT_LENGTH"]) // (1024 * 1024))
        body, status, headers = _error_page(
            413, title=_("The upload is too large"),
            message=_("Files sent at once may total at most %(mb)d MB. Choose a smaller file and try again.",
                      mb=limit_mb))
        target = upload_error_target()
        if target and getattr(request, "htmx", False):
            # The message goes into the form's own error area; the form and the chosen files stay as they were.
            headers |= {"HX-Retarget": target, "HX-Reswap": "innerHTML"}
        return body, status, headers

    @app.errorhandler(429)
    def too_many(error):
        return _error_page(429, title=_("Too many attempts"),
                           message=_("Please wait a few minutes before trying again."))
