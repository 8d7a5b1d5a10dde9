"""Pull: every change the user may see since their cursor, and deletions for what they lost.

The cursor names the municipality, the user's sync epoch and a change-log sequence
number. A cursor from another municipality or epoch, older than the tombstone horizon, or
newer than any change the database holds (a database restored from a backup taken before the
phone last pulled), answers 410 and the phone syncs from scratch.
"""

from typing import Any

from sqlalchemy import and_, select

from ..core.access import Actor
from ..core.changes import ChangeCounter, ChangeLog
from ..core.db import dialect_insert
from ..core.ids import parse_id
from ..core.validate import whole_number
from ..extensions import db
from .models import SyncDelivery
from .registry import RECORD_TYPES, RecordType


class CursorGone(Exception):
    """The cursor is too old or from another scope: start again."""


class BadCursor(ValueError):
    pass


def make_cursor(actor: Actor, epoch: int, seq: int) -> str:
    return f"1.{actor.municipality_id}.{epoch}.{seq}"


def read_cursor(actor: Actor, epoch: int, cursor: str | None) -> int:
    if not cursor:
        return 0
    parts = cursor.split(".")
    if len(cursor) > 100 or len(parts) != 4 or parts[0] != "1" or parse_id(parts[1]) != parts[1]:
        raise BadCursor(cursor)
    cursor_epoch, seq = (whole_number(part, max_digits=19, typed=False) for part in parts[2:])
    if cursor_epoch is None or seq is None or seq >= 2**63:
        raise BadCursor(cursor)
    if parts[1] != actor.municipality_id or cursor_epoch != epoch:
        raise CursorGone
    counter = db.session.get(ChangeCounter, 1)
    if seq > (counter.value if counter is not None else 0):
        raise CursorGone  # restored from a backup: new changes would reuse numbers it has seen
    if counter is not None and seq < counter.horizon:
        raise CursorGone
    return seq


def _visible(actor: Actor, kind: RecordType, ids: list[str]) -> dict[str, Any]:
    if not ids:
        return {}
    query = kind.visible(actor).where(kind.model.id.in_(ids))
    return {record.id: record for record in db.session.scalars(query)}


def _delivered(actor: Actor, rows: list[ChangeLog]) -> set[tuple[str, str]]:
    keys = [(r.record_type, r.record_id) for r in rows]
    if not keys:
        return set()
    query = select(SyncDelivery.record_type, SyncDelivery.record_id).where(
        SyncDelivery.user_id == actor.user_id,
        SyncDelivery.record_id.in_([k[1] for k in keys]))
    return {(t, i) for t, i in db.session.execute(query)}


def _log_after(actor: Actor, since: int, limit: int) -> list[ChangeLog]:
    """The municipality's change-log rows after `since`, read from ix_change_log_municipality_seq
    so that the cost follows the rows returned, not the other municipalities' rows."""
    here = ChangeLog.municipality_id == actor.municipality_id
    order: tuple[Any, ...] = (ChangeLog.seq,)
    if db.session.get_bind().dialect.name == "postgresql":
        # Given "municipality_id = x ... ORDER BY seq", PostgreSQL prefers the seq index
        # (heap in the same order) and filters through every newer row of the other
        # municipalities. A range that pins the same value keeps municipality_id in the
        # ORDER BY, which only the composite index delivers. (SQLite picks it by itself.)
        here = and_(ChangeLog.municipality_id >= actor.municipality_id,
                    ChangeLog.municipality_id <= actor.municipality_id)
        order = (ChangeLog.municipality_id, ChangeLog.seq)
    return list(db.session.scalars(
        select(ChangeLog).where(here, ChangeLog.seq > since).order_by(*order).limit(limit)))


def pull(actor: Actor, epoch: int, cursor: str | None, limit: int) -> dict:
    since = read_cursor(actor, epoch, cursor)
    rows = _log_after(actor, since, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    by_type: dict[str, list[str]] = {}
    for row in rows:
        if row.record_type in RECORD_TYPES and not row.deleted:
            by_type.setdefault(row.record_type, []).append(row.record_id)
    visible = {t: _visible(actor, RECORD_TYPES[t], ids) for t, ids in by_type.items()}
    delivered = _delivered(actor, rows)
    changes, gained = [], []
    for row in rows:
        key = (row.record_type, row.record_id)
        record = visible.get(row.record_type, {}).get(row.record_id)
        if record is not None:
            changes.append({"type": row.record_type, "id": row.record_id,
                            "version": record.version,
                            "deleted": False,
                            "data": RECORD_TYPES[row.record_type].data(actor, record)})
            if key not in delivered:
                gained.append(key)
        elif key in delivered:
            # The delivery stays recorded: every phone of this user must hear of the loss.
            changes.append({"type": row.record_type, "id": row.record_id,
                            "version": row.version, "deleted": True})
    remember(actor, gained)
    next_seq = rows[-1].seq if rows else since
    return {"changes": changes, "cursor": make_cursor(actor, epoch, next_seq), "more": more}


def remember(actor: Actor, gained: list[tuple[str, str]]) -> None:
    if gained:
        stmt = dialect_insert(db.session, SyncDelivery).on_conflict_do_nothing()
        db.session.execute(stmt, [
            {"user_id": actor.user_id, "record_type": t, "record_id": i} for t, i in gained])
