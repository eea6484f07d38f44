"""Design options (方案): versions with files and spec sheets, compare, the comparison matrix, pinned comments."""
from flask import Blueprint

bp = Blueprint("designs", __name__, url_prefix="/c")

from civic.designs import views_compare, views_files, views_options, views_pins  # noqa: E402,F401
