"""The conflict inbox: edits that lost, with both values, for their authors."""

from sqlalchemy import select

from ..auth.models import User
from ..core.access import Actor
from ..core.values import jsonable
from ..extensions import db
from ..people.models import Person
from ..people.queries import writable_people
from .models import SyncConflict


def _open(actor: Actor) -> list[SyncConflict]:
    return list(db.session.scalars(select(SyncConflict).where(
        SyncConflict.user_id == actor.user_id,
        SyncConflict.municipality_id == actor.municipality_id,
        SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.created_at)))


def open_conflicts(actor: Actor) -> list[tuple[SyncConflict, Person, str | None]]:
    """Open conflicts on records the actor may still edit, with the record and who won."""
    items = _open(actor)
    ids = {c.record_id for c in items}
    people = {p.id: p for p in db.session.scalars(
        writable_people(actor).where(Person.id.in_(ids)))} if ids else {}
    names = {u.id: u.display_name for u in db.session.scalars(
        select(User).where(User.id.in_({c.changed_by for c in items if c.changed_by})))}
    return [(c, people[c.record_id], names.get(c.changed_by))
            for c in items if c.record_id in people]


def get_open(actor: Actor, conflict_id: str) -> tuple[SyncConflict, Person] | None:
    for conflict, person, _name in open_conflicts(actor):
        if conflict.id == conflict_id:
            return conflict, person
    return None


def open_for(actor: Actor) -> list[dict]:
    return [{
        "conflict_id": c.id, "record_type": c.record_type, "record_id": c.record_id,
        "field": c.field, "mine": c.their_value,
        "current": jsonable(getattr(person, c.field)), "current_version": person.version,
        "changed_by": name, "changed_in_version": c.changed_in_version,
        "changed_at": c.changed_at.isoformat() if c.changed_at else None,
        "created_at": c.created_at.isoformat(),
    } for c, person, name in open_conflicts(actor)]
