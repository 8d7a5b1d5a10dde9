"""The demo municipality: `flask seed-demo` (make run calls it; it never runs in production)."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo municipalities, accounts and case data (once; reruns keep data)."""
        from .seed import DEMO_PASSWORD, LOGINS, seed

        created = seed()
        click.echo("Demo data created." if created else "Demo data already present: kept.")
        click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, description in LOGINS:
            click.echo(f"  {email:32} {description}")
