"""Every write to a contact: log one, correct one (a new version), mark a follow-up done."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.consent import limits_processing
from ..core.errors import N_, FieldError, Forbidden, ValidationFailed
from ..core.ids import parse_id
from ..core.merge import check_base_version
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..core.values import jsonable
from ..extensions import db
from ..org.models import Neighbourhood
from ..org.operations import check_neighbourhood
from ..people.models import Person
from ..people.queries import consent, visible_people
from ..sync.apply import NOT_ALLOWED
from ..sync.registry import handles, handles_many
from . import queries
from .fields import CORRECT, CREATE
from .fields import FIELDS as FIELDS  # what a contact mutation takes
from .models import Contact, ContactVersion, contact_person


@dataclass(frozen=True)
class Known:
    """What a batch of new contacts refers to, looked up once for all of them."""

    people: dict[str, Person]
    neighbourhoods: frozenset[str]


def check_contact_fields(actor: Actor, data: dict[str, Any], *, creating: bool,
                         known: Known | None = None) -> dict[str, Any]:
    values, check = (CREATE if creating else CORRECT).read(data, readers={
        "person_ids": lambda check: _people(check, actor, known),
        "neighbourhood_id": lambda check: check_neighbourhood(
            check, actor, known.neighbourhoods if known else None)})
    check.done()
    return values


def _people(check: Checker, actor: Actor, known: Known | None = None) -> list[Person]:
    ids = check.idents("person_ids")
    if not ids:
        return []
    if known is not None:
        people = [known.people[i] for i in dict.fromkeys(ids) if i in known.people]
    else:
        people = list(db.session.scalars(visible_people(actor).where(Person.id.in_(ids))))
    if len(people) != len(ids):
        check.fail("person_ids", N_("not found or not allowed"))
        return []
    return people


@handles("contact.create")
def create_contact(actor: Actor, mutation: Mutation) -> Outcome:
    """One new contact: the set-based form below, for a run of one."""
    [outcome] = create_contacts(actor, [mutation])
    if isinstance(outcome, ValidationFailed):
        raise outcome
    return outcome


@handles_many("contact.create")
def create_contacts(actor: Actor, mutations: list[Mutation]) -> list[Outcome | ValidationFailed]:
    """Many new contacts at once (a phone's outbox after a day without signal): the checks
    of create_contact, with what they refer to looked up once, and one statement per table."""
    if not actor.is_field_user:
        raise Forbidden
    known = _known(actor, mutations)
    taken = set(db.session.scalars(
        select(Contact.id).where(Contact.id.in_([m.record_id for m in mutations]))))
    results: list[Outcome | ValidationFailed] = []
    contacts, links, versions = [], [], []
    for mutation in mutations:
        try:
            values = check_contact_fields(actor, mutation.fields, creating=True, known=known)
            check_consent(values["note"], values["person_ids"])
            if mutation.record_id in taken:
                raise ValidationFailed([FieldError("record_id", NOT_ALLOWED)])
        except ValidationFailed as exc:
            results.append(exc)
            continue
        taken.add(mutation.record_id)
        people = values.pop("person_ids")
        contacts.append({"id": mutation.record_id, "municipality_id": actor.municipality_id,
                         "author_id": actor.user_id, "version": 1, **values})
        links += [{"contact_id": mutation.record_id, "person_id": p.id} for p in people]
        snapshot = {name: jsonable(value) for name, value in values.items()}
        snapshot["person_ids"] = sorted(p.id for p in people)
        versions.append({"contact_id": mutation.record_id, "version": 1,
                         "author_id": actor.user_id, "data": snapshot})
        record_change(db.session, Change("contact", mutation.record_id, actor.municipality_id, 1))
        _announce_people_to_officer(actor, people)
        results.append(Outcome(mutation.record_id, 1, actor.municipality_id))
    for table, rows in ((Contact, contacts), (contact_person, links), (ContactVersion, versions)):
        if rows:
            db.session.execute(insert(table), rows)
    return results


# I18N: why a contact with a note is refused: a person's consent was withdrawn or expired
CONSENT_LIMITED = N_("consent withdrawn or expired: renew it on the person's page before "
                     "noting anything new")


def check_consent(note: str | None, people: list[Person]) -> None:
    """No new note about a person whose consent was withdrawn or has expired (core.consent):
    the same refusal for a form and for a phone's push."""
    if note and any(limits_processing(consent(person)) for person in people):
        raise ValidationFailed([FieldError("person_ids", CONSENT_LIMITED)])


def _known(actor: Actor, mutations: list[Mutation]) -> Known:
    person_ids, neighbourhood_ids = set(), set()
    for mutation in mutations:
        listed = mutation.fields.get("person_ids")
        if isinstance(listed, list):
            person_ids.update(parse_id(i) for i in listed if isinstance(i, str))
        neighbourhood_ids.add(parse_id(mutation.fields.get("neighbourhood_id")))
    person_ids.discard(None)
    neighbourhood_ids.discard(None)
    people = {p.id: p for p in db.session.scalars(
        visible_people(actor).where(Person.id.in_(person_ids)))} if person_ids else {}
    neighbourhoods = frozenset(db.session.scalars(select(Neighbourhood.id).where(
        Neighbourhood.id.in_(neighbourhood_ids),
        Neighbourhood.municipality_id == actor.municipality_id))) if neighbourhood_ids else frozenset()
    return Known(people, neighbourhoods)


@handles("contact.correct")
def correct_contact(actor: Actor, mutation: Mutation) -> Outcome:
    """A correction never overwrites: the old version stays in the history."""
    contact = queries.get_correctable(actor, mutation.record_id, for_update=True)
    check_base_version(mutation.base_version, contact.version)
    values = check_contact_fields(actor, mutation.fields, creating=False)
    check_consent(values.get("note"), values.get("person_ids", contact.people))
    if "person_ids" in values:
        # The corrector changes only the people they may see; the others stay with the contact.
        seen = queries.participants(actor, contact).people
        unseen = [p for p in contact.people if p not in seen]
        contact.people = values.pop("person_ids") + unseen
        _announce_people_to_officer(actor, contact.people)
    for name, value in values.items():
        setattr(contact, name, value)
    contact.version += 1
    _version(actor, contact)
    return Outcome(contact.id, contact.version, contact.municipality_id)


def _version(actor: Actor, contact: Contact) -> None:
    snapshot = {name: jsonable(getattr(contact, name)) for name in FIELDS if name != "person_ids"}
    snapshot["person_ids"] = sorted(p.id for p in contact.people)
    db.session.add(ContactVersion(contact_id=contact.id, version=contact.version,
                                  author_id=actor.user_id, data=snapshot))
    record_change(db.session, Change("contact", contact.id, contact.municipality_id,
                                     contact.version))


def _announce_people_to_officer(actor: Actor, people: list[Person]) -> None:
    """An officer may see the people they logged: re-announce them so their phone gets them."""
    if actor.is_officer and not actor.is_coordinator:
        for person in people:
            record_change(db.session, Change("person", person.id, person.municipality_id,
                                             person.version))


def relog_for_person(person_id: str) -> None:
    """Re-announce a person's contacts after their caseload changed (access follows)."""
    contacts = db.session.scalars(select(Contact).where(Contact.id.in_(
        select(contact_person.c.contact_id).where(contact_person.c.person_id == person_id))))
    for contact in contacts:
        record_change(db.session, Change("contact", contact.id, contact.municipality_id,
                                         contact.version))


def _forget(contact: Contact, *, deleted: bool) -> None:
    db.session.execute(delete(ContactVersion).where(ContactVersion.contact_id == contact.id))
    record_change(db.session, Change("contact", contact.id, contact.municipality_id,
                                     contact.version + 1, deleted=deleted))


def erase_person_contacts(person_id: str) -> None:
    """A person is erased: contacts with them alone go (phones receive deletions); from a
    contact with others they are taken off, and its history with them goes."""
    linked = select(contact_person.c.contact_id).where(contact_person.c.person_id == person_id)
    for contact in db.session.scalars(select(Contact).where(Contact.id.in_(linked))):
        others = [p for p in contact.people if p.id != person_id]
        if others:
            contact.people = others
            _forget(contact, deleted=False)
            contact.version += 1
            _version_as_system(contact)
        else:
            _forget(contact, deleted=True)
            contact.people = []
            db.session.flush()
            db.session.delete(contact)
    db.session.flush()


def anonymise(contact_ids: list[str]) -> None:
    """Retention: an old contact keeps what it counts for (when, how, which life domains, the
    neighbourhood, how long) and loses its note, place, follow-up, people and history."""
    for contact in db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))):
        _forget(contact, deleted=False)
        contact.people = []
        contact.note = contact.place = contact.follow_up_on = None
        contact.note_visibility = "team"
        contact.version += 1
        _version_as_system(contact)
    db.session.flush()


def _version_as_system(contact: Contact) -> None:
    """The one version left after an erasure or anonymisation, under the contact's author."""
    snapshot = {name: jsonable(getattr(contact, name)) for name in FIELDS if name != "person_ids"}
    snapshot["person_ids"] = sorted(p.id for p in contact.people)
    db.session.add(ContactVersion(contact_id=contact.id, version=contact.version,
                                  author_id=contact.author_id, data=snapshot))
