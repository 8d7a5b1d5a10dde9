"""`flask indicators refresh [--municipality NAME] [--period 2026-Q4] [--rebuild]`: from cron,
brings every figure up to date (frozen periods stay as they are unless rebuilt)."""

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import or_, select

from ..core import clock
from ..extensions import db
from ..org.models import Municipality
from . import refresh as recount
from .periods import parse_period


def _municipalities(name: str | None) -> list[Municipality]:
    query = select(Municipality).where(Municipality.active.is_(True)).order_by(Municipality.name)
    if name is not None:
        query = query.where(or_(Municipality.name == name, Municipality.slug == name))
    found = list(db.session.scalars(query))
    if name is not None and not found:
        raise click.ClickException(f"no active municipality named {name!r}")
    return found


def init_app(app: Flask) -> None:
    group = AppGroup("indicators", help="The precomputed figures of the dashboard.")

    @group.command("refresh")
    @click.option("--municipality", "name", help="name or slug (default: every one)")
    @click.option("--period", "code", help="2026-Q4 or 2026-11 (default: every period)")
    @click.option("--rebuild", is_flag=True, help="recount closed periods too")
    def refresh_command(name: str | None, code: str | None, rebuild: bool) -> None:
        """Recount every figure that is not frozen."""
        period = parse_period(code) if code is not None else None
        if code is not None and period is None:
            raise click.BadParameter("write a quarter as 2026-Q4 or a month as 2026-11",
                                     param_hint="--period")
        today = clock.today_local()
        for municipality in _municipalities(name):
            first = recount.first_day(municipality.id)
            periods = [period] if period else (recount.periods_since(first, today)
                                               if first else [])
            done = sum(recount.refresh(municipality.id, p, rebuild=rebuild) for p in periods)
            db.session.commit()
            click.echo(f"{municipality.name}: {done} periods recounted, "
                       f"{len(periods) - done} frozen")

    app.cli.add_command(group)
