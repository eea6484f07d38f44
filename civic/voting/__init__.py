"""Votes (表决): household ballots, paper ballots, expert review, joint sign-off, results and publicity."""
from flask import Blueprint, Flask

bp = Blueprint("voting", __name__, url_prefix="/c")

from civic.voting import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Labels for templates, the timeline sentences, and the `votes` commands for cron."""
    from civic.voting import labels, results_format
    from civic.voting.cli import votes_cli

    app.jinja_env.globals.update(vote_labels=labels, vote_results=results_format)
    app.cli.add_command(votes_cli)
