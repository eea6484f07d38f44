"""Chinese full-text search over proposals, projects and comments."""
from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/c")

from civic.search import views  # noqa: E402,F401
