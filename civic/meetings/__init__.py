"""Meetings: round tables, deliberation meetings and reception days; polls, RSVP, sign-in, minutes."""
from flask import Blueprint, Flask

bp = Blueprint("meetings", __name__, url_prefix="/c")

from civic.meetings import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Meeting labels are shown on project pages and notices too; the reminder command for cron."""
    from civic.meetings import labels
    from civic.meetings.cli import meetings_cli

    app.jinja_env.globals.update(meeting_kind_label=labels.kind_label, meeting_when=labels.when_text)
    app.cli.add_command(meetings_cli)
