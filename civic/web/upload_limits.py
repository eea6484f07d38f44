"""Size caps for uploads: per file, per request (a view may raise it for its form), and what the browser is told."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, has_app_context, request
from flask_babel import gettext as _

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # per file; app config UPLOAD_MAX_FILE_BYTES overrides it
_MIB = 1024 * 1024


def max_file_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("UPLOAD_MAX_FILE_BYTES", MAX_IMAGE_BYTES))
    return MAX_IMAGE_BYTES


def allow_request_bytes(limit: int, *, error_target: str | None = None) -> None:
    """This request's body may be up to `limit` bytes (a form with several files); a larger one is a 413.

    Call it from a blueprint's url_value_preprocessor for the upload endpoint: those run before every
    before_request hook, and CSRFProtect's hook reads (and so size-checks) the body first. `error_target`
    ("#version-form-errors") is where the 413 handler points htmx (HX-Retarget) to show the message.
    """
    request.max_content_length = limit
    g.upload_error_target = error_target


def upload_error_target() -> str | None:
    return g.get("upload_error_target")


@dataclass(frozen=True)
class ClientLimits:
    """What a form's data-* attributes tell static/js/uploads.js, so a too-large choice is stopped before sending."""
    file_bytes: int  # data-max-file-bytes on the file input
    request_bytes: int  # data-max-request-bytes on the form
    file_message: str  # data-too-big-message on the file input; "{name}" is replaced by the file's name
    request_message: str  # data-too-big-message on the form


def client_limits(request_bytes: int) -> ClientLimits:
    file_bytes = max_file_bytes()
    file_message = _("{name} is larger than %(mb)d MB. Choose a smaller file.", mb=max(1, file_bytes // _MIB))
    request_message = _("These files together are larger than %(mb)d MB. Choose fewer or smaller files.",
                        mb=max(1, request_bytes // _MIB))
    return ClientLimits(file_bytes, request_bytes, file_message, request_message)
