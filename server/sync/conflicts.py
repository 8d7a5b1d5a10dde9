"""Conflicts: edits that lost to a newer change of the same field, kept with both values for
their authors until they choose. Generic over record types: a record type that merges per
field (``field_versions``, ``field_authors``) registers how its conflicts are resolved."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..core.access import Actor
from ..core.clock import now
from ..core.mutations import Mutation
from ..core.values import jsonable
from ..extensions import db
from .models import SyncConflict
from .registry import RECORD_TYPES, Resolving


def keep(actor: Actor, record_type: str, record: Any, mutation: Mutation, fields: list[str],
         values: dict[str, Any]) -> str | None:
    """Keep the actor's losing value of each field; the id of the first conflict."""
    first: str | None = None
    for name in fields:
        conflict = SyncConflict(
            municipality_id=record.municipality_id, user_id=actor.user_id,
            record_type=record_type, record_id=record.id, field=name,
            their_value=jsonable(values[name]), server_value=jsonable(getattr(record, name)),
            changed_by=record.field_authors.get(name),
            changed_in_version=record.field_versions.get(name, record.version),
            changed_at=record.updated_at, mutation_id=mutation.id,
        )
        db.session.add(conflict)
        db.session.flush()
        first = first or conflict.id
    return first


def close_resolved(actor: Actor, record_type: str, record_id: str, fields: list[str]) -> None:
    """An edit of a field by the author of an open conflict on it resolves that conflict."""
    if not fields:
        return
    open_conflicts = db.session.scalars(select(SyncConflict).where(
        SyncConflict.user_id == actor.user_id, SyncConflict.record_type == record_type,
        SyncConflict.record_id == record_id, SyncConflict.field.in_(fields),
        SyncConflict.resolved_at.is_(None)))
    for conflict in open_conflicts:
        conflict.resolved_at = now()


@dataclass(frozen=True)
class Open:
    """An open conflict with its record (which the actor may still edit) and who won."""

    conflict: SyncConflict
    record: Any
    resolving: Resolving
    changed_by: str | None

    @property
    def current(self) -> Any:
        return getattr(self.record, self.conflict.field)

    def kept(self, keep: str | None) -> dict[str, Any]:
        """The fields of the update that keeps mine (the losing edit) or theirs (the current
        value), as a form sends them."""
        value = self.conflict.their_value if keep == "mine" else self.current
        return {self.conflict.field: value.isoformat() if hasattr(value, "isoformat") else value}


def _open(actor: Actor) -> list[SyncConflict]:
    return list(db.session.scalars(select(SyncConflict).where(
        SyncConflict.user_id == actor.user_id,
        SyncConflict.municipality_id == actor.municipality_id,
        SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.created_at)
        .options(selectinload(SyncConflict.changer))))


def _records(actor: Actor, conflicts: list[SyncConflict]) -> dict[tuple[str, str], tuple[Any, Resolving]]:
    """The records of these conflicts that the actor may still edit, with how to resolve them."""
    found: dict[tuple[str, str], tuple[Any, Resolving]] = {}
    for name in {c.record_type for c in conflicts}:
        kind = RECORD_TYPES.get(name)
        if kind is None or (resolving := kind.resolving) is None:
            continue
        ids = {c.record_id for c in conflicts if c.record_type == name}
        query = resolving.writable(actor).where(kind.model.id.in_(ids))
        found.update(((name, r.id), (r, resolving)) for r in db.session.scalars(query))
    return found


def open_conflicts(actor: Actor) -> list[Open]:
    """Open conflicts on records the actor may still edit, oldest first."""
    items = _open(actor)
    records = _records(actor, items)
    return [Open(c, *records[c.record_type, c.record_id],
                 c.changer.display_name if c.changer is not None else None)
            for c in items if (c.record_type, c.record_id) in records]


def get_open(actor: Actor, conflict_id: str) -> Open | None:
    return next((item for item in open_conflicts(actor) if item.conflict.id == conflict_id), None)


def open_for(actor: Actor) -> list[dict]:
    return [{
        "conflict_id": c.id, "record_type": c.record_type, "record_id": c.record_id,
        "field": c.field, "mine": c.their_value,
        "current": jsonable(item.current), "current_version": item.record.version,
        "changed_by": item.changed_by, "changed_in_version": c.changed_in_version,
        "changed_at": c.changed_at.isoformat() if c.changed_at else None,
        "created_at": c.created_at.isoformat(),
    } for item in open_conflicts(actor) for c in [item.conflict]]


def forget_record(record_type: str, record_id: str) -> None:
    """An erased record's conflicts go with it: they hold its values."""
    db.session.execute(delete(SyncConflict).where(SyncConflict.record_type == record_type,
                                                  SyncConflict.record_id == record_id))
