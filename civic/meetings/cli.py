"""Commands for cron: `flask --app app meetings send-reminders`."""
from __future__ import annotations

from flask.cli import AppGroup

meetings_cli = AppGroup("meetings", help="Meetings: reminders for cron.")
