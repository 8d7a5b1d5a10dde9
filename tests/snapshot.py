"""A world built once per test session and put back for every test that asks for it: restoring
empties the database and copies the rows taken after the first build back in one transaction —
tens of milliseconds where building the demo takes seconds. Restoring keeps the build's record
ids, so a test sees the same world as the test before it; sequences are not reset, so records
a test adds get new ids.

On PostgreSQL the rows stay in the server, in a schema of copies (one statement each way);
elsewhere (SQLite, in the test process itself) they are read into memory."""

from collections.abc import Callable
from datetime import UTC, datetime

from server.core import clock
from server.extensions import db


class Snapshot:
    def __init__(self, number: int) -> None:
        self.schema = f"snapshot_{number}"
        self.rows: dict[str, list[dict]] = {}

    def take(self) -> "Snapshot":
        connection = db.session.connection()
        tables = db.metadata.sorted_tables
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f'CREATE SCHEMA "{self.schema}"; ' + "; ".join(
                f'CREATE TABLE "{self.schema}"."{t.name}" AS TABLE "{t.name}"' for t in tables))
            db.session.commit()
        else:
            self.rows = {t.name: [dict(row._mapping) for row in connection.execute(t.select())]
                         for t in tables}
        return self

    def restore(self) -> None:
        connection = db.session.connection()
        tables = db.metadata.sorted_tables
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("; ".join(
                [f'DELETE FROM "{t.name}"' for t in reversed(tables)]
                + [f'INSERT INTO "{t.name}" SELECT * FROM "{self.schema}"."{t.name}"'
                   for t in tables]))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
        db.session.commit()


_TAKEN: dict[tuple, Snapshot] = {}


def built_once(name: str, build: Callable[[], object]) -> None:
    """Puts the world `name` in the database (inside an app context): built by `build` the
    first time on each day the clock reads (a test that travelled gets its own, built on its
    day), restored from the snapshot afterwards."""
    travelled = round((clock.now() - datetime.now(UTC)).total_seconds() / 60)
    key = (name, clock.today_local(), travelled)
    if key in _TAKEN:
        _TAKEN[key].restore()
        return
    build()
    db.session.commit()
    _TAKEN[key] = Snapshot(len(_TAKEN)).take()
