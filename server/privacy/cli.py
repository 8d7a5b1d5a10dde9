"""flask privacy retention: run daily by cron or a timer, beside flask sync prune."""

import click
from flask.cli import AppGroup

from ..extensions import db
from .retention import kinds, run_one

privacy_cli = AppGroup("privacy", help="Privacy housekeeping.")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count what has expired; change nothing.")
def retention(dry_run: bool) -> None:
    """Erase or anonymise what is kept past its retention period (docs/privacy.md)."""
    for kind in kinds():
        outcome = run_one(kind, dry_run=dry_run)
        if not dry_run:
            db.session.commit()  # each type on its own: a later failure keeps the earlier
        verb = f"would {outcome.action}" if dry_run else outcome.action
        click.echo(f"{outcome.record_type}: {verb} {outcome.count} "
                   f"(no activity for {outcome.months} months)")
