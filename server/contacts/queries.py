"""Reads of contacts, scoped in SQL; note texts shown only to whom they are for."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, false, or_, select

from ..core.access import Actor, may_read_note, may_see_person
from ..core.access import note_shown as access_note_shown
from ..core.errors import NotFound
from ..core.records import Read
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from ..people.models import Person
from ..people.timeline import Entry
from .fields import CONTACT
from .models import Contact, ContactVersion, contact_person


def visible_contacts(actor: Actor) -> Select[tuple[Contact]]:
    """Coordinators: the municipality; everyone their own; caseload roles also contacts
    with people on their teams' caseloads."""
    query = select(Contact).where(Contact.municipality_id == actor.municipality_id)
    if actor.is_coordinator:
        return query
    terms = [false(), Contact.author_id == actor.user_id]
    if actor.works_caseload and actor.team_ids:
        # Asked of each contact (EXISTS on its links), not by listing every contact of the
        # teams' people first: a person's page reads their dozen, not the municipality's.
        terms.append(select(contact_person.c.contact_id)
                     .join(Person, Person.id == contact_person.c.person_id)
                     .where(contact_person.c.contact_id == Contact.id,
                            Person.team_id.in_(actor.team_ids)).exists())
    return query.where(or_(*terms))


def get_visible(actor: Actor, contact_id: str, *, for_update: bool = False) -> Contact:
    return one_or_not_found(visible_contacts(actor).where(Contact.id == contact_id),
                            for_update=for_update)


def may_correct(actor: Actor, contact: Contact) -> bool:
    """Its author corrects a contact, and coordinators: the one rule, for pages and writes."""
    return contact.author_id == actor.user_id or actor.is_coordinator


def get_correctable(actor: Actor, contact_id: str, *, for_update: bool = False) -> Contact:
    contact = get_visible(actor, contact_id, for_update=for_update)
    if not may_correct(actor, contact):
        raise NotFound
    return contact


def for_person(actor: Actor, person_id: str) -> list[Contact]:
    # From the person's links, not the municipality's contacts: the cost follows the person.
    query = visible_contacts(actor).join(
        contact_person, contact_person.c.contact_id == Contact.id
    ).where(contact_person.c.person_id == person_id)
    return list(db.session.scalars(query.order_by(Contact.occurred_at.desc())))


def timeline(actor: Actor, person_id: str) -> list[Entry]:
    """The person's contacts on their timeline, with how each note shows there."""
    return [Entry("contact", c.occurred_at.date(), c, note_shown(actor, c))
            for c in for_person(actor, person_id)]


def officer_logged(actor: Actor) -> ColumnElement[bool]:
    """An officer also sees, read-only, the people they logged a contact with."""
    if not actor.is_officer:
        return false()
    return Person.id.in_(
        select(contact_person.c.person_id)
        .join(Contact, Contact.id == contact_person.c.contact_id)
        .where(Contact.author_id == actor.user_id)
    )


def recent(actor: Actor, limit: int = 10, mine_only: bool = True) -> list[Contact]:
    query = visible_contacts(actor)
    if mine_only:
        query = query.where(Contact.author_id == actor.user_id)
    return list(db.session.scalars(query.order_by(Contact.occurred_at.desc()).limit(limit)))


def follow_ups(actor: Actor, until: date | None = None) -> list[Contact]:
    """The actor's own open follow-ups, earliest first."""
    query = visible_contacts(actor).where(
        Contact.author_id == actor.user_id, Contact.follow_up_on.is_not(None),
        Contact.follow_up_done.is_(False),
    )
    if until is not None:
        query = query.where(Contact.follow_up_on <= until)
    return list(db.session.scalars(query.order_by(Contact.follow_up_on)))


def history(actor: Actor, contact: Contact) -> list[ContactVersion]:
    query = select(ContactVersion).where(ContactVersion.contact_id == contact.id)
    return list(db.session.scalars(query.order_by(ContactVersion.version.desc())))


def readable_note(actor: Actor, contact: Contact) -> str | None:
    """The note if the actor may read it, for a person's explicit read (never for a page or a
    pull a phone may keep): the view records the read (audit.note_read) before rendering."""
    if not contact.note or not may_read_note(actor, contact.author_id, contact.note_visibility):
        return None
    return contact.note


@dataclass(frozen=True)
class Participants:
    """Who a contact was with, as one reader may know it: the people they may see, and how
    many others there were (never their names or ids)."""

    people: list[Person]
    others: int


def participants(actor: Actor, contact: Contact) -> Participants:
    logged = contact.author_id == actor.user_id
    seen = [p for p in contact.people
            if may_see_person(actor, p.team_id, p.created_by, logged_by_actor=logged)]
    return Participants(sorted(seen, key=lambda p: (p.display_name, p.id)),
                        len(contact.people) - len(seen))


def note_shown(actor: Actor, contact: Contact) -> str | None:
    """How a page shows the contact's note (core.access.note_shown); None without a note."""
    if not contact.note:
        return None
    return access_note_shown(actor, contact.author_id, contact.note_visibility)


def kept_note(actor: Actor, contact: Contact) -> str | None:
    """The note text a page or a pull may carry: a team note the reader may read."""
    return contact.note if note_shown(actor, contact) == "text" else None


def sync_data(actor: Actor, contact: Contact) -> dict:
    data = {name: jsonable(getattr(contact, name)) for name in CONTACT.pulled(Read.BASIC)}
    with_whom = participants(actor, contact)
    data["person_ids"] = sorted(p.id for p in with_whom.people)
    data["other_people"] = with_whom.others
    # What a phone keeps: private notes are read live, sensitive ones on request, audited.
    data["note"] = kept_note(actor, contact)
    return data


def expired(cutoff: datetime) -> list[str]:
    """Contacts past their retention that still hold anything personal (a note, a place, a
    follow-up, the people it was with): retention anonymises them."""
    linked = select(contact_person.c.contact_id)
    return list(db.session.scalars(select(Contact.id).where(
        Contact.occurred_at < cutoff, Contact.created_at < cutoff,
        or_(Contact.note.is_not(None), Contact.place.is_not(None),
            Contact.follow_up_on.is_not(None), Contact.id.in_(linked)))))


def people_active_since(cutoff: datetime) -> Select:
    """People with a contact since the cut-off: their retention period runs on."""
    return (select(contact_person.c.person_id)
            .join(Contact, Contact.id == contact_person.c.contact_id)
            .where(Contact.occurred_at >= cutoff))


def subject_data(actor: Actor, person: Person) -> list[dict]:
    """The person's contacts for their export: every field, the note where the reader may
    read it (core.access.may_read_note), who else was there only as a count."""
    out = []
    for contact in for_person(actor, person.id):
        data = {name: jsonable(getattr(contact, name)) for name in CONTACT.pulled(Read.BASIC)}
        data["id"] = contact.id
        data["note"] = readable_note(actor, contact)
        data["other_people"] = len(contact.people) - 1
        data["versions"] = len(history(actor, contact))
        out.append(data)
    return out
