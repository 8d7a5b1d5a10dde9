"""Every write to a gathering: plan it, change the plan, count, note languages and topics,
name attendees."""

from typing import Any

from sqlalchemy import select

from ..auth.models import Membership, User
from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import now
from ..core.errors import N_, Forbidden, NotFound, ValidationFailed
from ..core.merge import plan_update
from ..core.mutations import Mutation, Outcome
from ..core.tallies import add_to_tally, check_delta
from ..core.validate import Checker
from ..extensions import db
from ..org.operations import check_neighbourhood
from ..people.models import Person
from ..sync import conflicts
from ..sync.registry import handles
from . import queries
from .fields import ATTEND, CREATE, GATHERING, HEAR, INCREMENT, TOPIC, UPDATE
from .models import Gathering, GatheringTopic, gathering_attendee


def _hosts(check: Checker, actor: Actor) -> list[User] | None:
    ids = check.idents("host_ids", max_items=GATHERING["host_ids"].max_items)
    if not ids:
        return []
    hosts = list(db.session.scalars(select(User).where(User.id.in_(ids), User.id.in_(
        select(Membership.user_id).where(Membership.municipality_id == actor.municipality_id)))))
    if len(hosts) != len(set(ids)):
        check.fail("host_ids", N_("not found or not allowed"))
        return None
    return hosts

def _plan_fields(actor: Actor, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    values, check = (CREATE if creating else UPDATE).read(data, readers={
        "neighbourhood_id": lambda check: check_neighbourhood(check, actor),
        "host_ids": lambda check: _hosts(check, actor)})
    check.done()
    return values

@handles("gathering.create")
def create_gathering(actor: Actor, mutation: Mutation) -> Outcome:
    if not actor.is_field_user:
        raise Forbidden
    values = _plan_fields(actor, mutation.fields, creating=True)
    if db.session.get(Gathering, mutation.record_id) is not None:
        raise NotFound
    hosts = values.pop("host_ids") or []
    gathering = Gathering(id=mutation.record_id, municipality_id=actor.municipality_id,
                          created_by=actor.user_id, version=1,
                          field_versions={name: 1 for name in values},
                          field_authors={name: actor.user_id for name in values},
                          residents=0, newcomers=0, children=0, languages_heard=[], **values)
    gathering.hosts = hosts
    db.session.add(gathering)
    db.session.flush()
    _log(gathering)
    return Outcome(gathering.id, gathering.version, gathering.municipality_id)

@handles("gathering.update")
def update_gathering(actor: Actor, mutation: Mutation) -> Outcome:
    """Disjoint edits merge; an edit of a field someone else changed since becomes a conflict
    for its author. Counting never conflicts with this: tallies are not plan fields."""
    gathering = queries.get_editable(actor, mutation.record_id, for_update=True)
    if mutation.base_version is None:
        raise ValidationFailed.single("base_version", N_("required"))
    values = _plan_fields(actor, mutation.fields, creating=False)
    if "host_ids" in values:
        values["host_ids"] = sorted(h.id for h in values["host_ids"] or [])
    current = {name: _plan_value(gathering, name) for name in values}
    plan = plan_update(current, values, gathering.field_versions, gathering.version,
                       mutation.base_version, field_authors=gathering.field_authors,
                       author=actor.user_id)
    conflict_id = conflicts.keep(actor, "gathering", gathering, mutation, plan.conflicts, values)
    if plan.apply:
        gathering.version += 1
        for name, value in plan.apply.items():
            if name == "host_ids":
                gathering.hosts = list(db.session.scalars(select(User).where(User.id.in_(value))))
            else:
                setattr(gathering, name, value)
        gathering.field_versions = {**gathering.field_versions,
                                    **{n: gathering.version for n in plan.apply}}
        gathering.field_authors = {**gathering.field_authors,
                                   **{n: actor.user_id for n in plan.apply}}
        gathering.updated_at = now()
        _log(gathering)
    conflicts.close_resolved(actor, "gathering", gathering.id,
                             [n for n in values if n not in plan.conflicts])
    return Outcome(gathering.id, gathering.version, gathering.municipality_id,
                   conflict_fields=plan.conflicts, conflict_id=conflict_id,
                   merged=plan.stale and not plan.conflicts)

def _plan_value(gathering: Gathering, name: str) -> Any:
    if name == "host_ids":
        return sorted(h.id for h in gathering.hosts)
    return getattr(gathering, name)

def _runnable(actor: Actor, record_id: str) -> str:
    gathering_id = queries.runnable_id(actor, record_id)
    if gathering_id is None:
        raise NotFound
    return gathering_id

@handles("gathering.increment")
def increment(actor: Actor, mutation: Mutation) -> Outcome:
    """One tap (or the sum of a few): added in the database, so two phones add up exactly."""
    gathering_id = _runnable(actor, mutation.record_id)
    values, check = INCREMENT.read(mutation.fields)
    check_delta(check, values["delta"])
    check.done()
    version = add_to_tally(db.session, Gathering, gathering_id, values["counter"],
                           values["delta"])
    return _logged(gathering_id, actor.municipality_id, version)

def _logged(gathering_id: str, municipality_id: str, version: int) -> Outcome:
    record_change(db.session, Change("gathering", gathering_id, municipality_id, version))
    return Outcome(gathering_id, version, municipality_id)

def _touch(actor: Actor, record_id: str) -> Gathering:
    """The gathering, locked, for a change of its languages, topics or attendees."""
    if not queries.may_count(actor):
        raise NotFound
    return queries.get_visible(actor, record_id, for_update=True)

def _bump(gathering: Gathering) -> Outcome:
    gathering.version += 1
    gathering.updated_at = now()
    _log(gathering)
    return Outcome(gathering.id, gathering.version, gathering.municipality_id)

@handles("gathering.hear")
def hear(actor: Actor, mutation: Mutation) -> Outcome:
    gathering = _touch(actor, mutation.record_id)
    values, check = HEAR.read(mutation.fields)
    check.done()
    heard = values["heard"] if "heard" in mutation.fields else True
    languages = [code for code in gathering.languages_heard if code != values["language"]]
    gathering.languages_heard = sorted([*languages, values["language"]] if heard else languages)
    return _bump(gathering)

@handles("gathering.topic")
def add_topic(actor: Actor, mutation: Mutation) -> Outcome:
    gathering = _touch(actor, mutation.record_id)
    values, check = TOPIC.read(mutation.fields)
    if not values["domain"] and not values["text"] and not check.errors:
        check.fail("text", N_("required"))
    check.done()
    gathering.topics.append(GatheringTopic(id=mutation.id, domain=values["domain"],
                                           text=values["text"], author_id=actor.user_id))
    return _bump(gathering)

@handles("gathering.attend")
def attend(actor: Actor, mutation: Mutation) -> Outcome:
    """Name an attendee: only a person the actor may see, with a legal basis recorded."""
    gathering = _touch(actor, mutation.record_id)
    values, check = ATTEND.read(mutation.fields)
    check.done()
    person = db.session.scalar(queries.nameable(actor).where(Person.id == values["person_id"]))
    if person is None:
        raise ValidationFailed.single("person_id", N_("not found or not allowed"))
    present = values["present"] if "present" in mutation.fields else True
    named = person in gathering.people
    if present and not named:
        gathering.people.append(person)
    elif not present and named:
        gathering.people.remove(person)
    return _bump(gathering)

def _log(gathering: Gathering) -> None:
    record_change(db.session, Change("gathering", gathering.id, gathering.municipality_id,
                                     gathering.version))

def relog_for_person(person_id: str) -> None:
    """Re-announce the gatherings a person attended: who may see them by name changed."""
    for gathering in db.session.scalars(select(Gathering).where(Gathering.id.in_(
            select(gathering_attendee.c.gathering_id)
            .where(gathering_attendee.c.person_id == person_id)))):
        _log(gathering)


# --- privacy: erasure and retention (docs/privacy.md) -------------------------------------

def erase_person_attendance(person_id: str) -> None:
    """A person is erased: they are taken off every gathering they were named at; the
    tallies stay (they never named anyone). Phones receive the gathering without them."""
    for gathering in db.session.scalars(select(Gathering).where(Gathering.id.in_(
            select(gathering_attendee.c.gathering_id)
            .where(gathering_attendee.c.person_id == person_id)))):
        gathering.people = [p for p in gathering.people if p.id != person_id]
        _bump(gathering)
    db.session.flush()


def anonymise(gathering_ids: list[str]) -> None:
    """Retention: an old gathering keeps what it counts for (kind, when, where, the tallies,
    languages heard, the topics' life domains) and loses its named attendees and the topics'
    free text, which might name someone."""
    for gathering in db.session.scalars(select(Gathering).where(Gathering.id.in_(gathering_ids))):
        gathering.people = []
        for topic in list(gathering.topics):
            topic.text = None
            if topic.domain is None:
                gathering.topics.remove(topic)  # nothing left to count
        _bump(gathering)
    db.session.flush()
