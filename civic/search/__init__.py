"""Chinese full-text search over proposals, projects and comments."""
from flask import Blueprint, Flask

bp = Blueprint("search", __name__, url_prefix="/c")


def init_app(app: Flask) -> None:
    from civic.search.cli import search_cli

    app.cli.add_command(search_cli)


from civic.search import views  # noqa: E402,F401
