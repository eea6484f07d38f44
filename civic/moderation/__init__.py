"""Moderation: residents report, the committee hides, unhides and locks."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/c")

from civic.moderation import views  # noqa: E402,F401
