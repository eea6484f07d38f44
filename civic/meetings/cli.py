"""Commands for cron: `flask --app app meetings send-reminders`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings.reminders import send_reminders

meetings_cli = AppGroup("meetings", help="Meetings: reminders for cron.")


@meetings_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind those going, 24 hours and 2 hours before each meeting (safe to run every few minutes)."""
    sent = send_reminders(utcnow())
    db.session.commit()
    click.echo(f"Sent {sent} meeting reminder(s).")
