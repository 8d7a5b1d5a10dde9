"""flask sync restored: after the database is restored from a backup, every phone syncs from
scratch (its cursor may name changes the restored database never had)."""

import click
from sqlalchemy import update

from ..extensions import db
from ..sync.cli import sync_cli
from .models import User


@sync_cli.command("restored")
def restored() -> None:
    """Start every user's sync again: run once after restoring a backup."""
    count = db.session.execute(update(User).values(sync_epoch=User.sync_epoch + 1)).rowcount
    db.session.commit()
    click.echo(f"{count} accounts will sync from scratch")
