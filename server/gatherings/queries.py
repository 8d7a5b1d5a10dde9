"""Reads of gatherings, scoped in SQL: the municipality's calendar for workers, officers and
coordinators; the gatherings they host for volunteers. Named attendees only as far as the
reader may see them."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import lazyload

from ..core.access import Actor, Role, may_see_person
from ..core.records import Read
from ..core.tallies import tallies
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from ..people.models import Person
from ..people.queries import writable_people
from .fields import COUNTERS, GATHERING
from .labels import KIND_LABELS
from .models import Gathering, GatheringTopic, gathering_attendee, gathering_host

# Who sees every gathering of the municipality (the calendar); volunteers see theirs.
CALENDAR_ROLES = frozenset({Role.COORDINATOR, Role.WORKER, Role.OFFICER})


def _hosted_by(actor: Actor):
    return Gathering.id.in_(select(gathering_host.c.gathering_id)
                            .where(gathering_host.c.user_id == actor.user_id))


def visible_gatherings(actor: Actor) -> Select[tuple[Gathering]]:
    query = select(Gathering).where(Gathering.municipality_id == actor.municipality_id)
    if actor.roles & CALENDAR_ROLES:
        return query
    if not actor.is_field_user:
        return query.where(false())
    return query.where(or_(Gathering.created_by == actor.user_id, _hosted_by(actor)))


def editable_gatherings(actor: Actor) -> Select[tuple[Gathering]]:
    """Its planner, its hosts and the coordinator change a gathering's plan."""
    query = visible_gatherings(actor)
    if actor.is_coordinator:
        return query
    return query.where(or_(Gathering.created_by == actor.user_id, _hosted_by(actor)))


def get_visible(actor: Actor, gathering_id: str, *, for_update: bool = False) -> Gathering:
    return one_or_not_found(visible_gatherings(actor).where(Gathering.id == gathering_id),
                            for_update=for_update)


def get_editable(actor: Actor, gathering_id: str, *, for_update: bool = False) -> Gathering:
    return one_or_not_found(editable_gatherings(actor).where(Gathering.id == gathering_id),
                            for_update=for_update)


def may_edit(actor: Actor, gathering: Gathering) -> bool:
    return (actor.is_coordinator or gathering.created_by == actor.user_id
            or any(h.id == actor.user_id for h in gathering.hosts))


def may_count(actor: Actor) -> bool:
    """Whoever sees a gathering and works in the field counts at it, names, notes topics."""
    return actor.is_field_user


def runnable_id(actor: Actor, gathering_id: str) -> str | None:
    """The id of a gathering the actor may count at, without loading (or locking) it."""
    if not may_count(actor):
        return None
    return db.session.scalar(visible_gatherings(actor).with_only_columns(Gathering.id)
                             .where(Gathering.id == gathering_id))


def calendar(actor: Actor, now: datetime, *, upcoming: bool, limit: int = 100) -> list[Gathering]:
    query = visible_gatherings(actor)
    if upcoming:
        query = query.where(Gathering.starts_at >= now).order_by(Gathering.starts_at)
    else:
        query = query.where(Gathering.starts_at < now).order_by(Gathering.starts_at.desc())
    # A list of gatherings shows none of their attendees, hosts or topics: not loaded.
    query = query.options(lazyload(Gathering.people), lazyload(Gathering.hosts),
                          lazyload(Gathering.topics))
    return list(db.session.scalars(query.limit(limit)))


def title(gathering: Gathering) -> str:
    return gathering.title or gettext(KIND_LABELS[gathering.kind])


@dataclass(frozen=True)
class Attendees:
    people: list[Person]
    others: int


def attendees(actor: Actor, gathering: Gathering) -> Attendees:
    seen = [p for p in gathering.people
            if may_see_person(actor, p.team_id, p.created_by, logged_by_actor=False)]
    return Attendees(sorted(seen, key=lambda p: (p.display_name, p.id)),
                     len(gathering.people) - len(seen))


def nameable(actor: Actor) -> Select[tuple[Person]]:
    """People the actor may name as attendees: on their caseload (or their own) and with a
    legal basis for processing recorded."""
    return writable_people(actor).where(Person.consent_basis.is_not(None))


def nameable_people(actor: Actor, limit: int = 300) -> list[Person]:
    return list(db.session.scalars(nameable(actor).order_by(Person.display_name).limit(limit)))


def sync_data(actor: Actor, gathering: Gathering) -> dict:
    data = {name: jsonable(getattr(gathering, name)) for name in GATHERING.pulled(Read.BASIC)
            if name != "host_ids"}
    data["host_ids"] = sorted(h.id for h in gathering.hosts)
    data["tallies"] = tallies(gathering, COUNTERS)
    data["topics"] = [{"id": t.id, "domain": t.domain, "text": t.text} for t in gathering.topics]
    named = attendees(actor, gathering)
    data["person_ids"] = sorted(p.id for p in named.people)
    data["other_attendees"] = named.others
    return data


# --- privacy: retention, activity, the person's export (docs/privacy.md) -----------------

def expired(cutoff: datetime) -> list[str]:
    """Gatherings held before the cut-off that still name attendees or hold a topic's text."""
    named = select(gathering_attendee.c.gathering_id)
    worded = select(GatheringTopic.gathering_id).where(GatheringTopic.text.is_not(None))
    return list(db.session.scalars(select(Gathering.id).where(
        Gathering.starts_at < cutoff, Gathering.created_at < cutoff,
        or_(Gathering.id.in_(named), Gathering.id.in_(worded)))))


def people_active_since(cutoff: datetime) -> Select:
    """People named at a gathering held since the cut-off: their retention period runs on."""
    return (select(gathering_attendee.c.person_id)
            .join(Gathering, Gathering.id == gathering_attendee.c.gathering_id)
            .where(Gathering.starts_at >= cutoff))


def subject_data(actor: Actor, person: Person) -> list[dict]:
    """The gatherings the person was named at, for their export: what, when and where (who
    else came is not theirs to read)."""
    attended = select(gathering_attendee.c.gathering_id).where(
        gathering_attendee.c.person_id == person.id)
    query = visible_gatherings(actor).where(Gathering.id.in_(attended)).order_by(
        Gathering.starts_at)
    return [{"id": g.id, "kind": g.kind, "title": str(title(g)), "starts_at": jsonable(g.starts_at),
             "place": g.place} for g in db.session.scalars(query)]
