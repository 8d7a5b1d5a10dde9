"""The change log: one row per record, stamped with a sequence number in commit order.

Operations call ``record_change``; the rows are written just before commit, after
taking the single-row counter with ``UPDATE ... RETURNING``. That row lock is held
until commit, so two transactions that both log changes are stamped in the order
they commit: a pull cursor never skips a transaction that started earlier and
committed later (on SQLite the database write lock gives the same order).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import now
from .db import Base, Id, dialect_insert


class ChangeCounter(Base):
    __tablename__ = "change_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    # Tombstones at or below this sequence have been pruned; older cursors answer 410.
    horizon: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeLog(Base):
    __tablename__ = "change_log"
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(Id(), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    municipality_id: Mapped[str] = mapped_column(Id())
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime]

    __table_args__ = (Index("ix_change_log_municipality_seq", "municipality_id", "seq"),)


@dataclass(frozen=True)
class Change:
    record_type: str
    record_id: str
    municipality_id: str
    version: int
    deleted: bool = False


def record_change(session: Session, change: Change) -> None:
    """Queue a change to be stamped when the session commits (last write of a record wins)."""
    pending: dict[tuple[str, str], Change] = session.info.setdefault("changes", {})
    pending[(change.record_type, change.record_id)] = change


def _stamp(session: Session) -> None:
    # SQLAlchemy also fires before_commit when a savepoint is released: leave the changes
    # queued (apply.py restores the queue if a savepoint rolls back) for the real commit,
    # so a batch takes the counter once rather than once per mutation.
    if session.in_nested_transaction():
        return
    pending: dict[tuple[str, str], Change] = session.info.pop("changes", {})
    if not pending:
        return
    last = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + len(pending))
        .returning(ChangeCounter.value)
    ).scalar_one()
    first = last - len(pending) + 1
    stamp = now()
    rows = [
        {
            "record_type": c.record_type,
            "record_id": c.record_id,
            "seq": first + i,
            "municipality_id": c.municipality_id,
            "version": c.version,
            "deleted": c.deleted,
            "changed_at": stamp,
        }
        for i, c in enumerate(pending.values())
    ]
    stmt = dialect_insert(session, ChangeLog)
    stmt = stmt.on_conflict_do_update(
        index_elements=["record_type", "record_id"],
        set_={k: stmt.excluded[k] for k in ("seq", "municipality_id", "version", "deleted",
                                             "changed_at")},
    )
    session.execute(stmt, rows)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: nothing stays pending
        session.info.pop("changes", None)


def pending_snapshot(session: Session) -> dict[tuple[str, str], Change]:
    """Copy of what is queued, to restore when a savepoint is rolled back."""
    return dict(session.info.get("changes", {}))


def restore_pending(session: Session, snapshot: dict[tuple[str, str], Change]) -> None:
    session.info["changes"] = snapshot


def install(session_class: type[Session]) -> None:
    """Stamp pending changes before every commit; drop them on rollback."""
    if not event.contains(session_class, "before_commit", _stamp):
        event.listen(session_class, "before_commit", _stamp)
        event.listen(session_class, "after_transaction_end", _forget)


def ensure_counter(session: Session) -> None:
    if session.scalar(select(ChangeCounter.id).where(ChangeCounter.id == 1)) is None:
        session.add(ChangeCounter(id=1, value=0, horizon=0))
        session.flush()
