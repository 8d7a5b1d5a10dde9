"""Reads of people, scoped in SQL to what the actor may see."""

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from ..core.access import Actor, holds_case
from ..core.records import Read
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from .fields import PERSON
from .models import Person

BASIC_FIELDS = PERSON.pulled(Read.BASIC)
FULL_FIELDS = PERSON.pulled(Read.BASIC, Read.FULL)


# Other features may let an actor see a person read-only: contacts lets an officer see the
# people they logged a contact with. Each gives a condition on Person for an actor.
ReadOnlyView = Callable[[Actor], ColumnElement[bool]]
READ_ONLY_VIEWS: list[ReadOnlyView] = []


def read_only_view(condition: ReadOnlyView) -> None:
    if condition not in READ_ONLY_VIEWS:
        READ_ONLY_VIEWS.append(condition)


def visible_people(actor: Actor) -> Select[tuple[Person]]:
    """Coordinators: the municipality; caseload roles: their teams' people and their own
    unassigned ones; officers also the people they logged a contact with."""
    return _scoped(actor, read_only=True)


def writable_people(actor: Actor) -> Select[tuple[Person]]:
    """Like visible_people, without the officer's read-only view of people they logged."""
    return _scoped(actor, read_only=False)


def _scoped(actor: Actor, *, read_only: bool) -> Select[tuple[Person]]:
    query = select(Person).where(Person.municipality_id == actor.municipality_id)
    if actor.is_coordinator:
        return query
    terms = [false()]
    if actor.works_caseload and actor.team_ids:
        terms.append(Person.team_id.in_(actor.team_ids))
    if actor.is_field_user:
        terms.append(and_(Person.created_by == actor.user_id, Person.team_id.is_(None)))
    if read_only:
        terms.extend(condition(actor) for condition in READ_ONLY_VIEWS)
    return query.where(or_(*terms))


def get_visible(actor: Actor, person_id: str) -> Person:
    return one_or_not_found(visible_people(actor).where(Person.id == person_id))


def get_writable(actor: Actor, person_id: str, *, for_update: bool = False) -> Person:
    return one_or_not_found(writable_people(actor).where(Person.id == person_id),
                            for_update=for_update)


def is_visible(actor: Actor, person_id: str) -> bool:
    return db.session.scalar(visible_people(actor).where(Person.id == person_id)) is not None


def is_writable(actor: Actor, person_id: str) -> bool:
    return db.session.scalar(writable_people(actor).where(Person.id == person_id)) is not None


def full_profile(actor: Actor, person: Person) -> bool:
    """Officers and buddies only ever get the basic profile, except of a person they entered
    themselves who is not on a team yet."""
    unassigned_own = person.team_id is None and person.created_by == actor.user_id
    return holds_case(actor, person.team_id, person.created_by) or unassigned_own


def search(actor: Actor, text: str = "", limit: int = 50) -> list[Person]:
    query = visible_people(actor)
    if text:
        # SQLAlchemy escapes % and _ (autoescape), as the service search does.
        query = query.where(Person.display_name.icontains(text, autoescape=True))
    return list(db.session.scalars(query.order_by(Person.display_name).limit(limit)))


def without_team(actor: Actor) -> list[Person]:
    query = visible_people(actor).where(Person.team_id.is_(None)).order_by(Person.created_at)
    return list(db.session.scalars(query))


def sync_data(actor: Actor, person: Person) -> dict:
    fields = FULL_FIELDS if full_profile(actor, person) else BASIC_FIELDS
    data = {name: jsonable(getattr(person, name)) for name in fields}
    data["full_profile"] = fields is FULL_FIELDS
    return data
