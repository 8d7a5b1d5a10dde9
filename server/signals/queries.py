"""Reads of signals: workers and coordinators see the municipality's (they triage them);
everyone else who raises signals sees their own, with where each stands."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import lazyload

from ..core.access import Actor, Role
from ..core.records import Read
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from .fields import SIGNAL, STATUSES
from .models import Signal, SignalStep

TRIAGE_ROLES = frozenset({Role.COORDINATOR, Role.WORKER})
AGES = {"week": (None, 7), "month": (7, 30), "older": (30, None)}  # days: (at least, under)


def visible_signals(actor: Actor) -> Select[tuple[Signal]]:
    query = select(Signal).where(Signal.municipality_id == actor.municipality_id)
    if may_triage(actor):
        return query
    if not actor.is_field_user:
        return query.where(false())
    return query.where(Signal.reporter_id == actor.user_id)


def may_triage(actor: Actor) -> bool:
    return bool(actor.roles & TRIAGE_ROLES)


def get_visible(actor: Actor, signal_id: str, *, for_update: bool = False) -> Signal:
    return one_or_not_found(visible_signals(actor).where(Signal.id == signal_id),
                            for_update=for_update)


def next_statuses(signal: Signal) -> tuple[str, ...]:
    """Later statuses only: a step may be skipped, never undone."""
    return STATUSES[STATUSES.index(signal.status) + 1:]


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    neighbourhood_id: str | None = None
    status: str | None = None
    age: str | None = None
    mine: bool = False


def listing(actor: Actor, filters: Filters, moment: datetime, limit: int = 200) -> list[Signal]:
    query = visible_signals(actor)
    if filters.mine:
        query = query.where(Signal.reporter_id == actor.user_id)
    if filters.theme:
        query = query.where(Signal.theme == filters.theme)
    if filters.neighbourhood_id:
        query = query.where(Signal.neighbourhood_id == filters.neighbourhood_id)
    if filters.status:
        query = query.where(Signal.status == filters.status)
    if filters.age in AGES:
        at_least, under = AGES[filters.age]
        if at_least is not None:
            query = query.where(Signal.created_at <= moment - timedelta(days=at_least))
        if under is not None:
            query = query.where(Signal.created_at > moment - timedelta(days=under))
    # The list shows where each stands (its status), never its steps: not loaded.
    query = query.options(lazyload(Signal.steps))
    return list(db.session.scalars(query.order_by(Signal.created_at.desc()).limit(limit)))


@dataclass(frozen=True)
class Update:
    """A step on one of the reporter's signals they have not seen yet: their notification."""

    signal: Signal
    step: SignalStep


def updates(actor: Actor) -> list[Update]:
    mine = db.session.scalars(visible_signals(actor).where(
        Signal.reporter_id == actor.user_id, Signal.version > Signal.reporter_seen))
    found = [Update(signal, step) for signal in mine
             for step in signal.steps[signal.reporter_seen:] if step.author_id != actor.user_id]
    return sorted(found, key=lambda u: u.step.at, reverse=True)


def sync_data(actor: Actor, signal: Signal) -> dict:
    data = {name: jsonable(getattr(signal, name))
            for name in (*SIGNAL.pulled(Read.BASIC), "created_at")}
    data["steps"] = [{"status": s.status, "at": jsonable(s.at), "forwarded_to": s.forwarded_to,
                      "note": s.note} for s in signal.steps]
    return data


def expired(cutoff: datetime) -> list[str]:
    """Signals resolved before the cut-off (their last step) that still hold words."""
    last_step = (select(SignalStep.signal_id).group_by(SignalStep.signal_id)
                 .having(func.max(SignalStep.at) < cutoff))
    noted = select(SignalStep.signal_id).where(SignalStep.note.is_not(None))
    return list(db.session.scalars(select(Signal.id).where(
        Signal.status == "resolved", Signal.created_at < cutoff, Signal.id.in_(last_step),
        or_(Signal.description != "", Signal.id.in_(noted)))))
