"""Checking an uploaded PDF in a child process with time and memory limits, so no PDF can hang a worker."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

CHILD = Path(__file__).with_name("pdfcheck.py")
CHECK_SECONDS = 10  # wall clock; the child also has its own CPU limit below this
MAX_PAGES = 500  # keep in step with pdfcheck.MAX_PAGES (the child does not import the app)
EOF_WINDOW = 4096  # "%%EOF" must be near the end; viewers tolerate a little trailing junk


@dataclass(frozen=True)
class PdfReport:
    page_count: int
    preview_png: bytes | None  # the first page drawn, for the image pipeline to re-encode


class PdfRefused(Exception):
    """The PDF is refused; `message` is translated and names the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _message(code: str, label: str) -> str:
    messages = {
        "not_pdf": lambda: _("%(name)s is not a real PDF.", name=label),
        "active": lambda: _("%(name)s contains JavaScript or actions, which are not allowed. "
                            "Save it again as a plain PDF (for example with “Print to PDF”) and upload that.",
                            name=label),
        "encrypted": lambda: _("%(name)s is protected with a password. Save a copy without a password "
                               "and upload that.", name=label),
        "pages": lambda: _("%(name)s must have between 1 and %(n)d pages.", name=label, n=MAX_PAGES),
        "damaged": lambda: _("%(name)s is a damaged or incomplete PDF.", name=label),
    }
    default = lambda: _("%(name)s could not be checked in time. It may be too large or complicated; "  # noqa: E731
                        "try a simpler PDF.", name=label)
    return messages.get(code, default)()


def looks_like_pdf(data: bytes) -> bool:
    """The cheap checks before a child is started: the header at byte 0 and an end marker near the end."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-EOF_WINDOW:]


def _run_child(data: bytes) -> subprocess.CompletedProcess:
    # -I: no PYTHON* variables, no user site, no current directory on sys.path; the child imports no app code.
    return subprocess.run([sys.executable, "-I", str(CHILD)], input=data, capture_output=True,
                          timeout=CHECK_SECONDS, check=False)


def check(data: bytes, label: str) -> PdfReport:
    """Page count and preview of a PDF that passed every check; raises PdfRefused otherwise."""
    if not looks_like_pdf(data):
        raise PdfRefused(_message("not_pdf", label))
    try:
        done = _run_child(data)
    except subprocess.TimeoutExpired:  # run() has killed the child already
        raise PdfRefused(_message("timeout", label)) from None
    header, _newline, png = done.stdout.partition(b"\n")
    try:
        result = json.loads(header)
    except ValueError:  # killed by its CPU or memory limit before it could answer
        raise PdfRefused(_message("limits", label)) from None
    if not result.get("ok"):
        raise PdfRefused(_message(str(result.get("code")), label))
    return PdfReport(page_count=int(result["pages"]), preview_png=png if result.get("preview") and png else None)
