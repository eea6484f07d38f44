"""Commands for cron and for anyone checking a count: `flask --app app votes close-due | recount VOTE_ID`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from civic.clock import utcnow
from civic.extensions import db

votes_cli = AppGroup("votes", help="Votes: open and close due votes; recount one from its ballots.")


@votes_cli.command("close-due")
def close_due_command() -> None:
    """Open votes whose opening time has come and close those past their deadline (safe to run every minute)."""
    from civic.voting import closing, opening

    now = utcnow()
    opened = opening.open_due(now)
    db.session.commit()
    closed = closing.close_due(now)
    click.echo(f"Opened {len(opened)} vote(s), closed {len(closed)} vote(s).")


@votes_cli.command("recount")
@click.argument("vote_id", type=int)
def recount_command(vote_id: int) -> None:
    """Recompute the tally and the digest from the ballot rows and say whether they match the stored ones."""
    from civic.voting import tally

    report = tally.recount(vote_id)
    click.echo(report.text)
    if not report.matches:
        raise SystemExit(1)
