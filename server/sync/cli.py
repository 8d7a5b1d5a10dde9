"""flask sync prune: the housekeeping of the change log, run daily by cron or a timer."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.clock import now
from ..extensions import db
from .prune import prune_tombstones

sync_cli = AppGroup("sync", help="Sync housekeeping.")


@sync_cli.command("prune")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep tombstones this many days (default: SYNC_TOMBSTONE_DAYS).")
def prune(days: int | None) -> None:
    """Drop tombstones older than the horizon; phones with an older cursor sync from scratch."""
    keep = current_app.config["SYNC_TOMBSTONE_DAYS"] if days is None else days
    pruned = prune_tombstones(now() - timedelta(days=keep))
    db.session.commit()
    click.echo(f"pruned {pruned} tombstones older than {keep} days")
