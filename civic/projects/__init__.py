"""Micro-renewal projects: list, hub page with stage strip and timeline, stage moves."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/c")

from civic.projects import views  # noqa: E402,F401
