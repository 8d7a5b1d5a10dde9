"""flask privacy retention: run daily by cron or a timer, beside flask sync prune."""

import click
from flask.cli import AppGroup

from .retention import run

privacy_cli = AppGroup("privacy", help="Privacy housekeeping.")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count what has expired; change nothing.")
def retention(dry_run: bool) -> None:
    """Erase or anonymise what is kept past its retention period (docs/privacy.md)."""
    for outcome in run(dry_run=dry_run):
        verb = f"would {outcome.action}" if dry_run else outcome.action
        click.echo(f"{outcome.record_type}: {verb} {outcome.count} "
                   f"(no activity for {outcome.months} months)")
