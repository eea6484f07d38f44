"""Community registry: communities, buildings, households, invite codes, roles."""
from flask import Blueprint

bp = Blueprint("community", __name__, url_prefix="/c")

from civic.community import views  # noqa: E402,F401
from civic.community.cli import community_cli  # noqa: E402


def init_app(app) -> None:  # noqa: ANN001
    app.cli.add_command(community_cli)
