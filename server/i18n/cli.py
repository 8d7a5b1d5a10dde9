"""flask i18n extract|update|compile|init: one command group for the catalogs."""

import click
from babel.core import UnknownLocaleError
from flask.cli import AppGroup

from . import catalogs

i18n_cli = AppGroup("i18n", help="Extract, update and compile the translation catalogs.")


@i18n_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    catalogs.extract()
    click.echo(f"wrote {catalogs.TEMPLATE.relative_to(catalogs.ROOT)}")


@i18n_cli.command("update")
@click.option("-l", "--language", "languages", multiple=True,
              help="Only this catalog (repeatable); default: all of them.")
def update(languages: tuple[str, ...]) -> None:
    """Extract, then merge new strings into the catalogs (dropping removed ones)."""
    catalogs.extract()
    chosen = languages or catalogs.languages_present()
    catalogs.update(chosen)
    click.echo(f"updated {', '.join(chosen)}")


@i18n_cli.command("compile")
def compile_catalogs() -> None:
    """Build the .mo files (never committed) from the .po catalogs."""
    for language, translated, total in catalogs.compile_all():
        click.echo(f"{language}: {translated} of {total} strings translated")


@i18n_cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language, e.g. `flask i18n init pl`."""
    catalogs.extract()
    try:
        path = catalogs.init(language)
    except FileExistsError as exc:
        raise click.ClickException(f"{exc} exists: use `flask i18n update`") from exc
    except UnknownLocaleError as exc:
        raise click.ClickException(f"{language} is not a language code Babel knows") from exc
    click.echo(f"created {path.relative_to(catalogs.ROOT)}: translate it, then "
               "`flask i18n compile`")
