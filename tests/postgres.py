"""A throwaway PostgreSQL database for tests that need PostgreSQL in every run of the suite
(SQLite runs included): they make their own on the machine's server instead of skipping."""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError

from .conftest import _postgres_database

SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _create() -> tuple[str, callable]:
    # CREATE DATABASE fails while another session happens to be copying or using the template
    # (other suites share this server): a few bounded attempts, then the real error.
    for attempt in range(5):
        try:
            return _postgres_database(SERVER)
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def throwaway_database() -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database, dropped afterwards."""
    url, drop = _create()
    try:
        yield url
    finally:
        drop()
