"""flask i18n extract|update|compile|init: one command group for the catalogs."""

import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def _babel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,
                   cwd=ROOT)


i18n_cli = AppGroup("i18n", help="Extract, update and compile the translation catalogs.")


@i18n_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    _babel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "--no-location",
           "--omit-header", "--sort-output", "-o", str(TEMPLATE), "server", "pwa/js")


@i18n_cli.command("update")
def update() -> None:
    """Extract, then merge new strings into every catalog."""
    extract.callback()  # type: ignore[misc]
    _babel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "--no-wrap",
           "--ignore-obsolete", "--omit-header")


@i18n_cli.command("compile")
def compile_catalogs() -> None:
    """Build the .mo files (never committed) from the .po catalogs."""
    _babel("compile", "-d", str(TRANSLATIONS), "--statistics")


@i18n_cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language, e.g. `flask i18n init pl`."""
    extract.callback()  # type: ignore[misc]
    _babel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap")
