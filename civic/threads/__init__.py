"""Threads: comments and replies on proposals and projects, live updates by polling."""
from flask import Blueprint

bp = Blueprint("threads", __name__, url_prefix="/c")

from civic.threads import views  # noqa: E402,F401
