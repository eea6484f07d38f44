"""Proposals (提事): raise, edit, withdraw, photos, seconding, official answers, listing."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/c")

from civic.proposals import views  # noqa: E402,F401
