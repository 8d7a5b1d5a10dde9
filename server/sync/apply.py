"""Applying mutations: the one door every write goes through, from a form or a sync batch.

Each mutation runs in a savepoint with its row in ``applied_mutation``; the primary key
on that row is what makes delivery exactly-once, across batches, processes and forms.
"""

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..core.access import Actor
from ..core.changes import pending_snapshot, restore_pending
from ..core.errors import N_, FieldError, Forbidden, NotFound, ValidationFailed
from ..core.ids import parse_id
from ..core.merge import base_version_error
from ..core.mutations import Mutation, Outcome, Result
from ..extensions import db
from .models import AppliedMutation
from .registry import BULK_HANDLERS, HANDLERS

NOT_ALLOWED = N_("not found or not allowed")


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


def apply_one(actor: Actor, mutation: Mutation, client_id: str | None = None, *,
              known_new: bool = False) -> Result:
    """Apply one mutation inside a savepoint; the caller commits.

    ``known_new``: the caller has just seen that this id is not in the ledger (one query for
    a whole batch), so skip looking it up again; the primary key still decides."""
    if not known_new and (previous := _previous(actor, mutation.id)) is not None:
        return previous
    if parse_id(mutation.record_id) != mutation.record_id:
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("record_id", N_("not a valid id"))])
    handler = HANDLERS.get(mutation.type)
    if handler is None:
        return Result(mutation.id, "rejected", mutation.record_id,
                      errors=[FieldError("type", N_("unknown mutation type"))])
    if (base_error := base_version_error(mutation.base_version)) is not None:
        return Result(mutation.id, "rejected", mutation.record_id, errors=[base_error])
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
    except (ValidationFailed, NotFound, Forbidden, IntegrityError) as exc:
        restore_pending(db.session, snapshot)
        # Another process may have applied this very id since the check above (the same
        # batch through two servers): its record then exists or its row collides. That is
        # a duplicate, not a refusal.
        if (previous := _previous(actor, mutation.id)) is not None:
            return previous
        errors = exc.errors if isinstance(exc, ValidationFailed) else [
            FieldError("record_id", NOT_ALLOWED)]
        return Result(mutation.id, "rejected", mutation.record_id, errors=errors)
    return Result(mutation.id, status, outcome.record_id, version=outcome.version,
                  conflict=conflict)


def apply_many(actor: Actor, mutations: list[Mutation], client_id: str | None = None) -> list[Result]:
    """New mutations of one type with a set-based operation, in one savepoint: what a phone
    sends after a day without signal. The caller has seen that none of the ids is in the
    ledger; if anything collides all the same (another process applied one meanwhile), or the
    operation refuses the actor, every mutation goes the one-by-one way of apply_one."""
    handler = BULK_HANDLERS[mutations[0].type]
    snapshot = pending_snapshot(db.session)
    try:
        with db.session.begin_nested():
            outcomes = handler(actor, mutations)
            ledger = [{"id": m.id, "user_id": actor.user_id, "client_id": client_id, "seq": m.seq,
                       "type": m.type, "record_id": o.record_id, "status": "applied",
                       "version": o.version, "conflict": None}
                      for m, o in zip(mutations, outcomes, strict=True) if isinstance(o, Outcome)]
            if ledger:
                db.session.execute(insert(AppliedMutation), ledger)
    except (NotFound, Forbidden, IntegrityError):
        restore_pending(db.session, snapshot)
        return [apply_one(actor, mutation, client_id) for mutation in mutations]
    # A refusal of an id that another process has applied meanwhile is that duplicate.
    return [Result(m.id, "applied", o.record_id, version=o.version) if isinstance(o, Outcome)
            else _previous(actor, m.id) or Result(m.id, "rejected", m.record_id, errors=o.errors)
            for m, o in zip(mutations, outcomes, strict=True)]


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
