"""`flask welcome import PATH --municipality NAME` and `flask welcome forget`: the scheduled
jobs, through the same operations as the pages."""

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import or_, select

from ..core import clock
from ..core.access import Actor, Role
from ..core.errors import ValidationFailed
from ..extensions import db
from ..org.models import Municipality


def _municipality(name: str) -> Municipality:
    found = db.session.scalar(select(Municipality).where(
        or_(Municipality.name == name, Municipality.slug == name)))
    if found is None:
        raise click.ClickException(f"no municipality named {name!r}")
    return found


def init_app(app: Flask) -> None:
    group = AppGroup("welcome", help="Welcome visits: import the register's list, forget.")

    @group.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--municipality", "name", required=True, help="name or slug")
    def import_command(path: Path, name: str) -> None:
        """Import a month's registrations with the municipality's kept column mapping."""
        from . import importing, uploads
        from .spreadsheet import read_table

        municipality = _municipality(name)
        mapping = importing.kept_mapping(municipality.id)
        if not mapping:
            raise click.ClickException("map the columns once on the import page first")
        # The scheduled job acts for the municipality as its coordinator would.
        system = Actor(user_id=None, municipality_id=municipality.id,  # type: ignore[arg-type]
                       roles=frozenset({Role.COORDINATOR}))
        try:
            kind = uploads.from_path(path)
            headers = read_table(path, kind).headers
            importing.check_mapping(headers, mapping)
            job = importing.stage(system, path, kind, path.name, mapping)
            db.session.commit()
            importing.run_all(system, job, commit=db.session.commit)
        except ValidationFailed as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{job.rows} rows, {job.rows_with_problems} with problems (not imported); "
                   f"{job.created} new households, {job.already_known} already known.")

    @group.command("forget")
    @click.option("--months", type=int, default=None,
                  help="after how many months (default: WELCOME_FORGET_MONTHS, 6)")
    def forget_command(months: int | None) -> None:
        """Forget households never reached, or who did not agree to further contact."""
        from . import uploads
        from .operations import drop_stale_imports, forget_due

        months = months or current_app.config.get("WELCOME_FORGET_MONTHS", 6)
        before = clock.now() - timedelta(days=round(months * 30.44))
        count = forget_due(before)
        stale = drop_stale_imports(clock.now() - timedelta(days=2))
        uploads.sweep()
        db.session.commit()
        click.echo(f"{count} households forgotten; {stale} unfinished imports dropped.")

    app.cli.add_command(group)
