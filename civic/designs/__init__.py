"""Design options (方案): versions with files and spec sheets, compare, the comparison matrix, pinned comments."""
from flask import Blueprint, Flask

bp = Blueprint("designs", __name__, url_prefix="/c")

from civic.designs import views_compare, views_files, views_options, views_pins  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """The spec sheet's fields and how a value reads, for every template that shows one."""
    from civic.designs import specs

    app.jinja_env.globals.update(spec_fields=specs.FIELDS, spec_shown=specs.shown)
