"""flask push keys | send-reminders: the VAPID key pair, and the reminder runner for cron."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.clock import now
from . import keys, send

push_cli = AppGroup("push", help="Web push: keys and reminders.")


@push_cli.command("keys")
def make_keys() -> None:
    """Make the VAPID key pair once (instance folder, mode 0600) and show its public key."""
    if current_app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("VAPID_PRIVATE_KEY is configured: no key file needed.")
    elif keys.make_key_file(current_app):
        click.echo(f"made {keys.key_path(current_app)}")
    else:
        click.echo(f"kept {keys.key_path(current_app)} (a new key would end every device's "
                   "subscription)")
    click.echo(f"public key: {keys.public_key(keys.load(current_app))}")


@push_cli.command("send-reminders")
def send_reminders() -> None:
    """Send every due reminder once; safe to run from several machines at the same time."""
    try:
        outcome = send.run(now())
    except keys.NoKeys as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(outcome))
    if outcome.errors:
        raise click.ClickException(f"reminder sources failed: {', '.join(outcome.errors)}")
