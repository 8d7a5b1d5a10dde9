"""Every write to a signal: raise one, move it on in triage (each step for its reporter)."""

from sqlalchemy import select

from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import now
from ..core.errors import N_, Forbidden, NotFound
from ..core.merge import check_base_version
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..extensions import db
from ..gatherings import queries as gatherings
from ..org.operations import check_neighbourhood
from ..outreach import queries as outreach
from ..sync.registry import handles
from . import queries
from .fields import CREATE, SEEN, TRIAGE
from .models import Signal, SignalStep


def _linked(check: Checker, name: str, load) -> str | None:
    """A gathering or round the reporter may see, or a refusal that reveals nothing more."""
    record_id = check.ident(name)
    if record_id:
        try:
            load(record_id)
        except NotFound:
            check.fail(name, N_("not found or not allowed"))
            return None
    return record_id


@handles("signal.create")
def raise_signal(actor: Actor, mutation: Mutation) -> Outcome:
    if not actor.is_field_user:
        raise Forbidden
    values, check = CREATE.read(mutation.fields, readers={
        "neighbourhood_id": lambda check: check_neighbourhood(check, actor),
        "gathering_id": lambda check: _linked(
            check, "gathering_id", lambda i: gatherings.get_visible(actor, i)),
        "round_id": lambda check: _linked(
            check, "round_id", lambda i: outreach.get_visible(actor, i))})
    check.done()
    if db.session.get(Signal, mutation.record_id) is not None:
        raise NotFound
    signal = Signal(id=mutation.record_id, municipality_id=actor.municipality_id,
                    reporter_id=actor.user_id, status="new", version=1, reporter_seen=1,
                    created_at=now(), **values)
    signal.steps.append(SignalStep(status="new", author_id=actor.user_id, at=signal.created_at))
    db.session.add(signal)
    db.session.flush()
    _log(signal)
    return Outcome(signal.id, signal.version, signal.municipality_id)


@handles("signal.triage")
def triage(actor: Actor, mutation: Mutation) -> Outcome:
    """One step on: new → acknowledged → forwarded → resolved, by workers and coordinators.
    The step is the reporter's notification until they have seen it."""
    if not queries.may_triage(actor):
        raise NotFound
    signal = queries.get_visible(actor, mutation.record_id, for_update=True)
    check_base_version(mutation.base_version, signal.version)
    values, check = TRIAGE.read(mutation.fields)
    status, forwarded_to = values["status"], values["forwarded_to"]
    if status and status not in queries.next_statuses(signal):
        check.fail("status", N_("not a next step from the current status"))
    if status == "forwarded" and not forwarded_to:
        check.fail("forwarded_to", N_("required"))
    check.done()
    signal.status = status
    if forwarded_to:
        signal.forwarded_to = forwarded_to
    signal.steps.append(SignalStep(status=status, forwarded_to=forwarded_to,
                                   note=values["note"], author_id=actor.user_id, at=now()))
    signal.version += 1
    if signal.reporter_id == actor.user_id:  # one's own step is no news to oneself
        signal.reporter_seen = signal.version
    _log(signal)
    return Outcome(signal.id, signal.version, signal.municipality_id)


@handles("signal.seen")
def seen(actor: Actor, mutation: Mutation) -> Outcome:
    """The reporter read the steps on their signal up to the version their page showed:
    pressed offline, a step added before the phone syncs stays news. Not a change of the
    record: nothing syncs, and twice is once."""
    signal = queries.get_visible(actor, mutation.record_id, for_update=True)
    if signal.reporter_id != actor.user_id:
        raise NotFound
    check_base_version(mutation.base_version, signal.version)
    SEEN.read(mutation.fields)[1].done()
    shown = signal.version if mutation.base_version is None else mutation.base_version
    signal.reporter_seen = max(signal.reporter_seen, shown)
    db.session.flush()
    return Outcome(signal.id, signal.version, signal.municipality_id)


def mark_seen(actor: Actor) -> None:
    """The reporter has seen every step of their signals (not a record change: nothing syncs)."""
    for signal in db.session.scalars(queries.visible_signals(actor).where(
            Signal.reporter_id == actor.user_id, Signal.version > Signal.reporter_seen)):
        signal.reporter_seen = signal.version
    db.session.flush()


def _log(signal: Signal) -> None:
    record_change(db.session, Change("signal", signal.id, signal.municipality_id, signal.version))


def anonymise(signal_ids: list[str]) -> None:
    """Retention (docs/privacy.md): a signal resolved long ago keeps what policy counts (theme,
    urgency, neighbourhood, where it went, its steps and their days) and loses the words that
    might name someone: its description and the steps' notes."""
    for signal in db.session.scalars(select(Signal).where(Signal.id.in_(signal_ids))):
        signal.description = ""
        for step in signal.steps:
            step.note = None
        signal.version += 1
        signal.reporter_seen = max(signal.reporter_seen, signal.version)  # no news to them
        _log(signal)
    db.session.flush()
