"""The demo municipality: `flask seed-demo` (make run calls it; it never runs in production);
and `flask seed-scale`, a large synthetic region for benchmarks."""

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

    @app.cli.command("seed-scale")
    @click.option("--small", is_flag=True, help="3 municipalities, 2,000 people (CI).")
    @click.option("--municipalities", type=click.IntRange(1), help="Default 30.")
    @click.option("--people", type=click.IntRange(1), help="Default 100,000.")
    @click.option("--contacts", type=click.IntRange(0), help="Default 1,000,000.")
    @click.option("--referrals", type=click.IntRange(0), help="Default 200,000.")
    @click.option("--seed", "rng_seed", type=int, default=1, show_default=True,
                  help="The same seed gives the same region.")
    def seed_scale_command(small: bool, rng_seed: int, **sizes: int | None) -> None:
        """Create a synthetic region for benchmarks in bulk (once, on an empty database)."""
        from dataclasses import replace

        from .scale import COORDINATOR_EMAIL, SMALL, WORKER_EMAIL, RegionPresent, Size, seed_scale
        from .seed import DEMO_PASSWORD

        size = replace(SMALL if small else Size(),
                       **{name: value for name, value in sizes.items() if value is not None})
        try:
            seed_scale(size, rng_seed, echo=click.echo)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        except RegionPresent as exc:
            raise click.ClickException("This database already holds a synthetic region: "
                                       "use an empty database.") from exc
        click.echo(f"Logins (password: {DEMO_PASSWORD}):")
        click.echo(f"  {WORKER_EMAIL:32} worker, a team caseload of 300 in the largest municipality")
        click.echo(f"  {COORDINATOR_EMAIL:32} coordinator of the largest municipality")
