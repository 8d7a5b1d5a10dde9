"""Applying mutations: the one door every write goes through, from a form or a sync batch.

Each mutation runs in a savepoint with its row in ``applied_mutation``; the primary key
on that row is what makes delivery exactly-once, across batches, processes and forms.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..core.access import Actor
from ..core.changes import pending_snapshot, restore_pending
from ..core.errors import N_, FieldError, Forbidden, NotFound, ValidationFailed
from ..core.ids import parse_id
from ..core.mutations import Mutation, Outcome, Result
from ..extensions import db
from .models import AppliedMutation

Handler = Callable[[Actor, Mutation], Outcome]
HANDLERS: dict[str, Handler] = {}
NOT_ALLOWED = N_("not found or not allowed")


def handles(mutation_type: str) -> Callable[[Handler], Handler]:
    """Register an operation as the handler of one mutation type."""

    def register(fn: Handler) -> Handler:
        HANDLERS[mutation_type] = fn
        return fn

    return register


def _result_of(row: AppliedMutation, status: str) -> Result:
    return Result(id=row.id, status=status, record_id=row.record_id, version=row.version,
                  conflict=row.conflict)


def _previous(actor: Actor, mutation_id: str) -> Result | None:
    row = db.session.get(AppliedMutation, mutation_id)
    if row is None:
        return None
    if row.user_id != actor.user_id:  # someone else's id: never echo their result
        return Result(id=mutation_id, status="rejected", record_id="",
                      errors=[FieldError("id", NOT_ALLOWED)])
    return _result_of(row, "duplicate")


def _status(outcome: Outcome) -> str:
    if outcome.conflict_fields:
        return "conflict"
    return "merged" if outcome.merged else "applied"


def apply_one(actor: Actor, mutation: Mutation, client_id: str | None = None) -> Result:
    """Apply one mutation inside a savepoint; the caller commits."""
    if (previous := _previous(actor, mutation.id)) is not None:
        return previous
    if parse_id(mutation.record_id) != mutation.record_id:
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("record_id", N_("not a valid id"))])
    handler = HANDLERS.get(mutation.type)
    if handler is None:
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("type", N_("unknown mutation type"))])
    snapshot = pending_snapshot(db.session)
    try:
        with db.session.begin_nested():
            outcome = handler(actor, mutation)
            status = _status(outcome)
            conflict = ({"fields": outcome.conflict_fields, "conflict_id": outcome.conflict_id}
                        if outcome.conflict_fields else None)
            db.session.add(AppliedMutation(
                id=mutation.id, user_id=actor.user_id, client_id=client_id, seq=mutation.seq,
                type=mutation.type, record_id=outcome.record_id, status=status,
                version=outcome.version, conflict=conflict,
            ))
            db.session.flush()
    except ValidationFailed as exc:
        restore_pending(db.session, snapshot)
        return Result(mutation.id, "rejected", mutation.record_id, errors=exc.errors)
    except (NotFound, Forbidden):
        restore_pending(db.session, snapshot)
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("record_id", NOT_ALLOWED)])
    except IntegrityError:
        # Another transaction applied this id first (or the record id is taken).
        restore_pending(db.session, snapshot)
        if (previous := _previous(actor, mutation.id)) is not None:
            return previous
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("record_id", NOT_ALLOWED)])
    return Result(mutation.id, status, outcome.record_id, version=outcome.version,
                  conflict=conflict)


def commit_one(actor: Actor, mutation: Mutation) -> Result:
    """Apply and commit a single mutation, as a form post does."""
    result = apply_one(actor, mutation)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if (previous := _previous(actor, mutation.id)) is not None:
            return previous
        raise
    return result


def already_applied(ids: Iterable[str]) -> set[str]:
    id_list = list(ids)
    if not id_list:
        return set()
    return set(db.session.scalars(select(AppliedMutation.id).where(AppliedMutation.id.in_(id_list))))
