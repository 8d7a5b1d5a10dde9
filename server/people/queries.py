"""Reads of people, scoped in SQL to what the actor may see."""

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from ..core.access import Actor, holds_case, may_break_glass
from ..core.clock import today_local
from ..core.consent import ConsentState, consent_state
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


# People an actor may open for a while outside their scope, with a stated reason (privacy's
# break the glass): on pages only, never pulled onto a phone, never written.
GRANTED_VIEWS: list[ReadOnlyView] = []


def granted_view(condition: ReadOnlyView) -> None:
    if condition not in GRANTED_VIEWS:
        GRANTED_VIEWS.append(condition)


def visible_people(actor: Actor) -> Select[tuple[Person]]:
    """Coordinators: the municipality; caseload roles: their teams' people and their own
    unassigned ones; officers also the people they logged a contact with; and whoever a
    reader opened for a while with a stated reason."""
    return _scoped(actor, read_only=True, granted=True)


def pulled_people(actor: Actor) -> Select[tuple[Person]]:
    """What a phone receives: visible_people without the temporary grants."""
    return _scoped(actor, read_only=True)


def writable_people(actor: Actor) -> Select[tuple[Person]]:
    """Like visible_people, without the officer's read-only view of people they logged."""
    return _scoped(actor, read_only=False)


def _scoped(actor: Actor, *, read_only: bool, granted: bool = False) -> Select[tuple[Person]]:
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
    if granted:
        terms.extend(condition(actor) for condition in GRANTED_VIEWS)
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
    return holds_case(actor, person.team_id, person.created_by) or unassigned_own or (
        may_break_glass(actor) and is_granted(actor, person.id))


def is_granted(actor: Actor, person_id: str) -> bool:
    """Opened outside the reader's scope with a stated reason, the window still open."""
    if not GRANTED_VIEWS:
        return False
    return db.session.scalar(select(Person.id).where(
        Person.id == person_id, Person.municipality_id == actor.municipality_id,
        or_(*(condition(actor) for condition in GRANTED_VIEWS)))) is not None


def consent(person: Person) -> ConsentState:
    """The person's basis today (core.consent), with the configured validity of consent."""
    return consent_state(person.consent_basis, person.consent_date, person.consent_withdrawn_on,
                         today=today_local(),
                         valid_months=current_app.config["CONSENT_VALID_MONTHS"])


def inactive_since(cutoff: datetime) -> list[str]:
    """People without any change, contact, referral (or what other features register with
    privacy.activity) since the cut-off: their retention period is over."""
    from ..core.privacy import ACTIVITY

    query = select(Person.id).where(Person.updated_at < cutoff)
    for active_since in ACTIVITY.values():
        query = query.where(Person.id.not_in(active_since(cutoff)))
    return list(db.session.scalars(query))


def search(actor: Actor, text: str = "", limit: int = 50) -> list[Person]:
    query = visible_people(actor)
    if text:
        # SQLAlchemy escapes % and _ (autoescape), as the service search does; ILIKE on
        # PostgreSQL, served by the trigram index ix_person_name_trigram.
        query = query.where(Person.display_name.icontains(text, autoescape=True))
    return list(db.session.scalars(query.order_by(Person.display_name).limit(limit)))


def without_team(actor: Actor, limit: int = 10) -> tuple[list[Person], int]:
    """The ``limit`` people waiting longest for a team, and how many wait in all."""
    query = visible_people(actor).where(Person.team_id.is_(None))
    total = db.session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True))
    shown = db.session.scalars(query.order_by(Person.created_at, Person.id).limit(limit))
    return list(shown), total or 0


def sync_data(actor: Actor, person: Person) -> dict:
    fields = FULL_FIELDS if full_profile(actor, person) else BASIC_FIELDS
    data = {name: jsonable(getattr(person, name)) for name in fields}
    data["full_profile"] = fields is FULL_FIELDS
    return data


def subject_data(actor: Actor, person: Person) -> dict:
    """The person's own record for their export: every field the reader may see, with who
    recorded the basis for keeping it."""
    fields = FULL_FIELDS if full_profile(actor, person) else BASIC_FIELDS
    data = {name: jsonable(getattr(person, name)) for name in fields}
    data.update(id=person.id, created_at=jsonable(person.created_at),
                updated_at=jsonable(person.updated_at), consent_state=str(consent(person)))
    return data


def in_scope(actor: Actor, person_id: str) -> bool:
    """Seen without a temporary grant: what the reader's phone may keep."""
    return db.session.scalar(pulled_people(actor).where(Person.id == person_id)) is not None


def consent_recorded_by(person: Person) -> str | None:
    """Who recorded the basis (the last to change it), by name."""
    from ..auth.models import User

    author = person.field_authors.get("consent_basis") or person.field_authors.get("consent_date")
    user = db.session.get(User, author) if author else None
    return user.display_name if user else None
