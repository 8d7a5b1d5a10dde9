"""Throwaway PostgreSQL databases on the machine's server: one for the suite when it runs on
PostgreSQL, and one each for the tests that need PostgreSQL in every run (SQLite runs
included), which make their own instead of skipping."""

import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from server.config import normalise_database_url

SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
ATTEMPTS = 5


def _create_once(base_url: str) -> tuple[str, Callable[[], None]]:
    url = make_url(normalise_database_url(base_url))
    name = f"handvast_test_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def create_database(base_url: str = SERVER) -> tuple[str, Callable[[], None]]:
    """A new, empty database: its URL and how to drop it. CREATE DATABASE fails while another
    session happens to use the template (other suites share this server): a few bounded
    attempts, then the real error."""
    for attempt in range(ATTEMPTS):
        try:
            return _create_once(base_url)
        except OperationalError:
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def throwaway_database() -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database, dropped afterwards."""
    url, drop = create_database()
    try:
        yield url
    finally:
        drop()
