"""The audit log: who did what, when, to what; readable by the committee."""
from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/c")

from civic.audit import views  # noqa: E402,F401
