"""Proposals (提事): raise, edit, withdraw, photos, seconding, official answers, listing."""
from flask import Blueprint, Flask

bp = Blueprint("proposals", __name__, url_prefix="/c")

from civic.proposals import views, views_answer, views_second, views_write  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """The status label is shown wherever proposals are listed (projects, search): a template global."""
    from civic.proposals.labels import status_label

    app.jinja_env.globals.update(proposal_status_label=status_label)
