"""Notifications: the list, the unread badge, opt-outs."""
from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/c")

from civic.notices import views  # noqa: E402,F401
