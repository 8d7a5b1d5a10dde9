"""The first sync as a snapshot: every record the user may see, type by type in id order,
paged by a continuation token, ending with a pull cursor.

The cursor is taken before the first record is read: a change committed after it has a
higher sequence number (the change log is stamped in commit order, core/changes.py), so the
pull that follows the snapshot brings it. The records come from the same scope queries and
serializers as a pull, and are remembered as delivered the same way, so lost access later
reaches the phone as a deletion.
"""

import time
from typing import Any

from sqlalchemy import select

from ..core.access import Actor
from ..core.changes import ChangeCounter
from ..core.ids import parse_id
from ..core.validate import whole_number
from ..extensions import db
from .pull import BadCursor, CursorGone, make_cursor, read_cursor, remember
from .registry import RECORD_TYPES

CHUNK = 200  # records read per query; the time budget is looked at between chunks


def _types() -> list[str]:
    return sorted(RECORD_TYPES)


def _token(actor: Actor, epoch: int, seq: int, record_type: str, after: str) -> str:
    return f"s1.{actor.municipality_id}.{epoch}.{seq}.{record_type}.{after or '-'}"


def _read_token(actor: Actor, epoch: int, token: str) -> tuple[int, str, str]:
    """(cursor seq, record type, last id read) of a token; BadCursor or CursorGone."""
    parts = token.split(".")
    if len(token) > 200 or len(parts) != 6 or parts[0] != "s1" or parts[4] not in RECORD_TYPES:
        raise BadCursor(token)
    after = "" if parts[5] == "-" else parts[5]
    if after and parse_id(after) != after:
        raise BadCursor(token)
    seq = read_cursor(actor, epoch, f"1.{parts[1]}.{parts[2]}.{parts[3]}")  # a cursor's checks
    return seq, parts[4], after


def _now_seq() -> int:
    """The newest committed sequence number: every change stamped later is after it."""
    return db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0


def _chunk(actor: Actor, record_type: str, after: str, limit: int) -> list[Any]:
    kind = RECORD_TYPES[record_type]
    query = kind.visible(actor)
    if after:
        query = query.where(kind.model.id > after)
    return list(db.session.scalars(query.order_by(kind.model.id).limit(limit)))


def snapshot(actor: Actor, epoch: int, token: str | None, limit: int,
             budget_seconds: float) -> tuple[dict, bool]:
    """One page of the snapshot and whether the time budget ran out before the page was full
    (the client then waits Retry-After and continues with ``next``)."""
    started = time.monotonic()
    types = _types()
    if token:
        seq, record_type, after = _read_token(actor, epoch, token)
    else:
        seq, record_type, after = _now_seq(), types[0], ""
    changes: list[dict] = []
    gained: list[tuple[str, str]] = []
    out_of_time = False
    while True:
        want = min(CHUNK, limit - len(changes))
        records = _chunk(actor, record_type, after, want)
        kind = RECORD_TYPES[record_type]
        for record in records:
            changes.append({"type": record_type, "id": record.id, "version": record.version,
                            "deleted": False, "data": kind.data(actor, record)})
            gained.append((record_type, record.id))
        if len(records) == want:
            after = records[-1].id
        else:  # this type is done: the next one from its start
            index = types.index(record_type) + 1
            if index == len(types):
                remember(actor, gained)
                return {"changes": changes, "next": None,
                        "cursor": make_cursor(actor, epoch, seq)}, False
            record_type, after = types[index], ""
        if len(changes) >= limit:
            break
        if time.monotonic() - started > budget_seconds:
            out_of_time = True
            break
    remember(actor, gained)
    return {"changes": changes, "next": _token(actor, epoch, seq, record_type, after),
            "cursor": None}, out_of_time


def read_limit(text: str) -> int | None:
    limit = whole_number(text, max_digits=4, typed=False)
    return limit if limit is not None and 1 <= limit <= 5000 else None


__all__ = ["BadCursor", "CursorGone", "read_limit", "snapshot"]
