"""`flask buddies expire-proposals`: unanswered proposals lapse and fall back to the next
suggested buddy. Every reminder round does the same first; running it twice changes nothing
more."""

import click
from flask.cli import AppGroup

from ..core.clock import today_local
from ..extensions import db
from .operations import expire_proposals

group = AppGroup("buddies", help="The buddy programme.")


@group.command("expire-proposals")
def expire() -> None:
    count = expire_proposals(today_local())
    db.session.commit()
    click.echo(f"{count} proposal(s) lapsed")
