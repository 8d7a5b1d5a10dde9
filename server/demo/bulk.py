"""Bulk loading for the synthetic region: COPY on PostgreSQL, Core executemany elsewhere,
with the change-log rows an operation would have queued for each record."""

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import JSON, Connection, Table, select, update

from ..core.changes import ChangeCounter, ChangeLog

CHANGE_COLUMNS = ("record_type", "record_id", "seq", "municipality_id", "version", "deleted",
                  "changed_at")


@dataclass
class Tally:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Loader:
    """Writes rows in one transaction and counts them per table. Change-log sequence numbers
    are taken from the counter, whose row stays locked until commit (as core.changes does)."""

    connection: Connection
    stamp: datetime
    echo: Callable[[str], None]
    tallies: dict[str, Tally] = field(default_factory=dict)
    seq: int = 0

    def __post_init__(self) -> None:
        self.postgres = self.connection.dialect.name == "postgresql"
        counter = ChangeCounter.__table__
        # An UPDATE that changes nothing takes the row lock: later writers wait for our commit.
        self.connection.execute(update(counter).where(counter.c.id == 1)
                                .values(value=counter.c.value))
        self.seq = self.connection.execute(
            select(counter.c.value).where(counter.c.id == 1)).scalar_one()

    def write(self, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        _check_columns(table, columns)
        start = time.perf_counter()
        if self.postgres:
            self._copy(table, columns, rows)
        else:
            self.connection.execute(table.insert(), [dict(zip(columns, row, strict=True))
                                                     for row in rows])
        tally = self.tallies.setdefault(table.name, Tally())
        tally.rows += len(rows)
        tally.seconds += time.perf_counter() - start

    def _copy(self, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
        encode = [isinstance(table.c[name].type, JSON) for name in columns]
        raw = self.connection.connection.dbapi_connection
        statement = f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN'
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(value) if flag and value is not None else value
                                for value, flag in zip(row, encode, strict=True)])

    def log(self, record_type: str, records: Iterable[tuple[str, str, int]]) -> None:
        """Change-log rows for (id, municipality id, version): what record_change queues."""
        rows = []
        for record_id, municipality_id, version in records:
            self.seq += 1
            rows.append((record_type, record_id, self.seq, municipality_id, version, False,
                         self.stamp))
        self.write(ChangeLog.__table__, CHANGE_COLUMNS, rows)

    def finish(self) -> None:
        counter = ChangeCounter.__table__
        self.connection.execute(update(counter).where(counter.c.id == 1).values(value=self.seq))

    def report(self) -> None:
        for name, tally in sorted(self.tallies.items(), key=lambda item: -item[1].rows):
            rate = tally.rows / tally.seconds if tally.seconds else 0
            self.echo(f"  {name:22} {tally.rows:>10,} rows  {tally.seconds:7.1f} s  "
                      f"{rate:>10,.0f} rows/s")


def _check_columns(table: Table, columns: Sequence[str]) -> None:
    """COPY applies no Python-side defaults: every required column must be given."""
    missing = [c.name for c in table.columns
               if c.name not in columns and not c.nullable and c.server_default is None
               and not (c.primary_key and c.autoincrement is True)]
    if missing:
        raise ValueError(f"{table.name}: no value for {', '.join(missing)}")
