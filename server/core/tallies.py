"""Counters that commute: a tally moves by increments, each its own mutation (shared/SYNC.md,
"What is append-only"). Two phones adding 3 and 4 give 7 in either order; nothing is read
and written back, so no concurrent increment is ever lost."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from .errors import N_, ValidationFailed
from .validate import Checker

# One tap is +1 or -1; a phone that coalesces taps sends their sum, within these bounds.
DELTA_LOW, DELTA_HIGH = -1000, 1000


def check_delta(check: Checker, delta: int | None) -> None:
    """The declaration checks kind and range; an increment also needs a delta, never 0."""
    if delta is None and "delta" not in {e.field for e in check.errors}:
        check.fail("delta", N_("required"))
    elif delta == 0:
        check.fail("delta", N_("must not be zero"))


def add_to_tally(session: Session, model: Any, record_id: str, counter: str, delta: int) -> int:
    """Add ``delta`` to one counter column of a record in the database itself (no read, then
    write: the row lock of the UPDATE orders concurrent increments) and bump its version so
    that a pull carries the new total. Returns the new version. A count never goes below 0:
    a decrement past it is refused (ValidationFailed on ``delta``), checked in the same
    statement, so increments from other phones still add up exactly."""
    column = getattr(model, counter)
    statement = (update(model).where(model.id == record_id)
                 .values({column: column + delta, model.version: model.version + 1})
                 .returning(model.version))
    if delta < 0:
        statement = statement.where(column + delta >= 0)
    version = session.execute(statement).scalar_one_or_none()
    if version is None:
        raise ValidationFailed.single("delta", N_("would take the count below zero"))
    return int(version)


def tallies(record: Any, counters: tuple[str, ...]) -> dict[str, int]:
    """The totals of a record's counters, as a pull carries them (``tallies``)."""
    return {name: int(getattr(record, name) or 0) for name in counters}
