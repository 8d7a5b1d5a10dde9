"""Every write about households and welcome visits: log a visit, assign, link, forget."""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update

from ..audit import audit
from ..core import clock
from ..core.access import Actor, Role, receives_register_data
from ..core.changes import Change, record_change
from ..core.errors import N_, FieldError, Forbidden, NotFound, ValidationFailed
from ..core.ids import new_id, parse_id
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..extensions import db
from ..org import queries as org_queries
from ..org.models import Neighbourhood, Team
from ..people import queries as people
from ..people.fields import BCP47
from ..people.operations import create_person
from ..referrals.operations import create_referral
from ..sync.registry import handles
from . import hooks, queries
from .fields import APPROACHES, LOG, WELCOME_VISIT
from .importing import street_key
from .models import (
    Household,
    ImportRow,
    PackItem,
    StreetNeighbourhood,
    WelcomeImport,
    WelcomeVisit,
)

NOT_ALLOWED = N_("not found or not allowed")
ONLY_WELCOMED = ("info_pack_items", "domains", "refer_to_service_id", "buddy_wish")
NEEDS_AGREEMENT = ("refer_to_service_id", "buddy_wish")
SECOND_ATTEMPT = timedelta(days=7)  # after "not home", another evening a week later


def _household(check: Checker, actor: Actor) -> Household | None:
    household_id = check.ident("household_id", required=True)
    if not household_id:
        return None
    try:
        return queries.get_visible(actor, household_id, for_update=True)
    except NotFound:
        check.fail("household_id", NOT_ALLOWED)
        return None


def _pack_items(check: Checker, actor: Actor) -> list[str]:
    ids = check.idents("info_pack_items", max_items=WELCOME_VISIT["info_pack_items"].max_items or 50)
    if ids and len(set(db.session.scalars(select(PackItem.id).where(
            PackItem.id.in_(ids), PackItem.municipality_id == actor.municipality_id)))) != len(ids):
        check.fail("info_pack_items", NOT_ALLOWED)
        return []
    return ids


@handles("welcome_visit.log")
def log_visit(actor: Actor, mutation: Mutation) -> Outcome:
    """One attempt: its outcome moves the household along; a welcome with the household's
    agreement may make a person of it and propose a referral in the same step."""
    if not receives_register_data(actor.roles):
        raise Forbidden
    values, check = LOG.read(mutation.fields, readers={
        "household_id": lambda c: _household(c, actor),
        "info_pack_items": lambda c: _pack_items(c, actor)})
    welcomed = values["outcome"] == "welcomed"
    for name in ONLY_WELCOMED:
        if values.get(name) and not welcomed:
            check.fail(name, N_("only for a household that was welcomed"))
    for name in NEEDS_AGREEMENT:
        if values.get(name) and welcomed and not values["agrees_to_contact"]:
            check.fail(name, N_("needs the household's agreement to be contacted again"))
    if values["agrees_to_contact"] and not welcomed:
        check.fail("agrees_to_contact", N_("only for a household that was welcomed"))
    check.done()
    if db.session.get(WelcomeVisit, mutation.record_id) is not None:
        raise NotFound
    household: Household = values.pop("household_id")
    service_id = values.pop("refer_to_service_id")
    visit = WelcomeVisit(id=mutation.record_id, municipality_id=actor.municipality_id,
                         household_id=household.id, author_id=actor.user_id, version=1, **values)
    db.session.add(visit)
    _move_household(household, visit)
    if service_id:
        visit.referral_id = household.referral_id = _refer(actor, household, visit, service_id)
    db.session.flush()
    if visit.buddy_wish:  # for the household's person: the linked one, or one made now
        person_id = household.person_id
        if person_id is None or not people.is_writable(actor, person_id):
            person_id = _person_from(actor, household, visit, visit.id)
        hooks.buddy_wished(actor, person_id, visit)
    record_change(db.session, Change("welcome_visit", visit.id, visit.municipality_id, 1))
    return Outcome(visit.id, visit.version, visit.municipality_id)


def _move_household(household: Household, visit: WelcomeVisit) -> None:
    household.attempts += 1
    household.status = visit.outcome
    day = visit.occurred_at.astimezone(clock.LOCAL_TZ).date()
    if visit.outcome == "not_home" and household.attempts < 2:
        household.target_on = day + SECOND_ATTEMPT  # the second attempt, planned
    if visit.outcome == "welcomed":
        household.welcomed_on = min(filter(None, (household.welcomed_on, day)))
        household.agrees_to_contact = visit.agrees_to_contact
        household.languages = list(dict.fromkeys([*household.languages, *visit.languages]))[:12]
    _changed(household)


def _changed(household: Household) -> None:
    household.version += 1
    record_change(db.session, Change("household", household.id, household.municipality_id,
                                     household.version))


def _refer(actor: Actor, household: Household, visit: WelcomeVisit, service_id: str) -> str:
    """The household's person (the linked one, or one made now) referred to the service."""
    person_id = household.person_id
    if person_id is None or not people.is_writable(actor, person_id):
        person_id = _person_from(actor, household, visit, visit.id)
    outcome = _sub(create_referral, actor, "referral.create",
                   {"person_id": person_id, "service_id": service_id})
    return outcome.record_id


def _person_from(actor: Actor, household: Household, visit: WelcomeVisit,
                 person_id: str | None = None) -> str:
    """A person made of the household. Made by a visit, they take the visit's id: the phone
    that logged the visit offline knows it, and offers them to log a contact with at once."""
    fields = {"display_name": household.names[:120], "languages": visit.languages,
              "neighbourhood_id": household.neighbourhood_id, "consent_basis": "consent",
              "consent_purpose": "Welkomstbezoek: akkoord om opnieuw gecontacteerd te worden",
              "consent_date": clock.today_local().isoformat()}
    if visit.languages:
        fields["preferred_language"] = visit.languages[0]
    household.person_id = _sub(create_person, actor, "person.create", fields,
                               record_id=person_id).record_id
    return household.person_id


def _sub(operation, actor: Actor, mutation_type: str, fields: dict,
         record_id: str | None = None) -> Outcome:
    """Another feature's operation as part of this one; its refusal is this field's."""
    try:
        return operation(actor, Mutation(id=new_id(), type=mutation_type,
                                         record_id=record_id or new_id(), fields=fields))
    except (ValidationFailed, NotFound, Forbidden) as exc:
        raise ValidationFailed([FieldError("refer_to_service_id", NOT_ALLOWED)]) from exc


# --- the coordinator's approach -----------------------------------------------------------


def _require_coordinator(actor: Actor) -> None:
    if not actor.is_coordinator:
        raise Forbidden


def assign(actor: Actor, households: list[Household], *, team_id: str | None,
           user_id: str | None, target_on: date | None, within_days: int | None,
           approach: str | None = None) -> int:
    """Give households to a team or a person (or take them back), with a target date: a
    fixed one, or a number of days after each registration. Their phones follow."""
    _require_coordinator(actor)
    check = Checker({}, ())
    if team_id and db.session.scalar(select(Team.id).where(
            Team.id == team_id, Team.municipality_id == actor.municipality_id)) is None:
        check.fail("team_id", NOT_ALLOWED)
    if user_id:
        roles = {u.id: roles for u, roles in _members(actor)}.get(user_id) or []
        if Role.OFFICER in roles:
            check.fail("user_id", N_("a neighbourhood police officer is never given households "
                                     "from the population register"))
        elif not receives_register_data(roles):
            check.fail("user_id", NOT_ALLOWED)
    if approach is not None and approach not in APPROACHES:
        check.fail("approach", N_("not one of the allowed values"))
    if within_days is not None and not 1 <= within_days <= 365:
        check.fail("within_days", N_("out of range"))
    check.done()
    for household in households:
        household.assigned_team_id, household.assigned_user_id = team_id, user_id
        if within_days is not None:
            household.target_on = household.registered_on + timedelta(days=within_days)
        elif target_on is not None:
            household.target_on = target_on
        if approach is not None:
            household.approach = approach
        _changed(household)
        _relog_visits(household.id)
    audit("welcome_assign", user_id=actor.user_id, municipality_id=actor.municipality_id)
    db.session.flush()
    return len(households)


def _members(actor: Actor):
    return org_queries.users(actor)


def _relog_visits(household_id: str) -> None:
    """Who sees a household's visits follows the household."""
    for visit in db.session.scalars(select(WelcomeVisit).where(
            WelcomeVisit.household_id == household_id)):
        record_change(db.session, Change("welcome_visit", visit.id, visit.municipality_id,
                                         visit.version))


def link_person(actor: Actor, household: Household, person_id: str | None) -> None:
    """The household is someone already known: a referral from its visit goes to them."""
    if person_id and not people.is_writable(actor, person_id):
        raise ValidationFailed.single("person_id", NOT_ALLOWED)
    household.person_id = parse_id(person_id) if person_id else None
    _changed(household)
    db.session.flush()


def person_for(actor: Actor, household: Household) -> str:
    """The household's person, made now if there is none: for the referral form."""
    if household.status != "welcomed" or not household.agrees_to_contact:
        raise ValidationFailed.single("person_id", N_(
            "needs the household's agreement to be contacted again"))
    if household.person_id and people.is_writable(actor, household.person_id):
        return household.person_id
    last = db.session.scalars(select(WelcomeVisit).where(
        WelcomeVisit.household_id == household.id, WelcomeVisit.outcome == "welcomed")
        .order_by(WelcomeVisit.occurred_at.desc())).first()
    _person_from(actor, household, last)
    _changed(household)
    db.session.flush()
    return household.person_id


# --- streets and neighbourhoods -----------------------------------------------------------


def set_street(actor: Actor, street: str, neighbourhood_id: str | None) -> int:
    """A street's neighbourhood (None: forget the street); the households on it follow."""
    _require_coordinator(actor)
    check = Checker({"street": street}, ("street",))
    street = check.text("street", max_len=120, required=True) or ""
    if neighbourhood_id and db.session.scalar(select(Neighbourhood.id).where(
            Neighbourhood.id == neighbourhood_id,
            Neighbourhood.municipality_id == actor.municipality_id)) is None:
        check.fail("neighbourhood_id", NOT_ALLOWED)
    check.done()
    key = street_key(street)
    row = db.session.scalar(select(StreetNeighbourhood).where(
        StreetNeighbourhood.municipality_id == actor.municipality_id,
        StreetNeighbourhood.street_key == key))
    if neighbourhood_id is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(StreetNeighbourhood(municipality_id=actor.municipality_id, street=street,
                                           street_key=key, neighbourhood_id=neighbourhood_id))
    else:
        row.street, row.neighbourhood_id = street, neighbourhood_id
    moved = 0
    for household in db.session.scalars(select(Household).where(
            Household.municipality_id == actor.municipality_id, Household.street_key == key,
            Household.forgotten_at.is_(None))):
        if household.neighbourhood_id != neighbourhood_id:
            household.neighbourhood_id = neighbourhood_id
            _changed(household)
            moved += 1
    db.session.flush()
    return moved


# --- the info pack ------------------------------------------------------------------------


def add_pack_item(actor: Actor, data: dict) -> PackItem:
    _require_coordinator(actor)
    check = Checker(data, ("language", "kind", "title", "url"))
    language = check.text("language", max_len=16, required=True)
    if language and not BCP47.fullmatch(language):
        check.fail("language", N_("not a language code"))
    kind = check.choice("kind", ("leaflet", "link", "directory"), required=True)
    title = check.text("title", max_len=200, required=True)
    url = check.text("url", max_len=500)
    if url and not url.startswith(("https://", "http://")):
        check.fail("url", N_("must start with https://"))
    check.done()
    position = len(queries.pack_items(actor.municipality_id, language))
    item = PackItem(municipality_id=actor.municipality_id, language=language, kind=kind,
                    title=title, url=url, position=position)
    db.session.add(item)
    db.session.flush()
    return item


def remove_pack_item(actor: Actor, item_id: str) -> None:
    _require_coordinator(actor)
    item = db.session.scalar(select(PackItem).where(
        PackItem.id == item_id, PackItem.municipality_id == actor.municipality_id))
    if item is None:
        raise NotFound
    db.session.delete(item)
    db.session.flush()


# --- forgetting ---------------------------------------------------------------------------


def forget_due(before: datetime, municipality_id: str | None = None) -> int:
    """Households imported before ``before`` that were never welcomed, or welcomed without
    agreeing to further contact, are forgotten: names, address, ages, languages and their
    visits go; phones are told (deleted: true); the inflow figures keep counting them."""
    query = select(Household).where(
        Household.forgotten_at.is_(None), Household.imported_at < before,
        (Household.status != "welcomed") | Household.agrees_to_contact.is_(False))
    if municipality_id:
        query = query.where(Household.municipality_id == municipality_id)
    count = 0
    for household in db.session.scalars(query).all():
        forget(household)
        count += 1
    db.session.flush()
    return count


def drop_stale_imports(before: datetime) -> int:
    """Staged imports nobody started or dropped: their rows (names, addresses) go."""
    stale = list(db.session.scalars(select(WelcomeImport).where(
        WelcomeImport.state == "staged", WelcomeImport.created_at < before)))
    for job in stale:
        db.session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))
        job.state, job.finished_at = "dropped", clock.now()
    db.session.flush()
    return len(stale)


def forget(household: Household) -> None:
    visits = list(db.session.scalars(select(WelcomeVisit).where(
        WelcomeVisit.household_id == household.id)))
    for visit in visits:
        record_change(db.session, Change("welcome_visit", visit.id, visit.municipality_id,
                                         visit.version + 1, deleted=True))
    db.session.execute(delete(WelcomeVisit).where(WelcomeVisit.household_id == household.id))
    cleared = {"household_key": None, "names": "", "street": "", "street_key": "",
               "house_number": "", "postcode": "", "age_bands": [], "languages": [],
               "household_size": None, "person_id": None, "forgotten_at": clock.now(),
               "version": household.version + 1}
    for name, value in cleared.items():
        setattr(household, name, value)
    record_change(db.session, Change("household", household.id, household.municipality_id,
                                     household.version + 1, deleted=True))


# --- privacy: erasure and retention (docs/privacy.md) -------------------------------------

def erase_person_households(person_id: str) -> None:
    """A person is erased: the households linked to them are forgotten as the unreached are
    (names, address and visits go, phones are told); the inflow figures keep counting them."""
    for household in db.session.scalars(select(Household).where(
            Household.person_id == person_id, Household.forgotten_at.is_(None))).all():
        forget(household)
    db.session.execute(update(Household).where(Household.person_id == person_id)
                       .values(person_id=None))
    db.session.flush()


def forget_households(household_ids: list[str]) -> None:
    """Retention: households without a visit for the period are forgotten."""
    for household in db.session.scalars(select(Household).where(
            Household.id.in_(household_ids), Household.forgotten_at.is_(None))).all():
        forget(household)
    db.session.flush()


def detach_referrals(referral_ids: list[str]) -> None:
    """Referrals are about to be erased (retention, a person's erasure): households and visits
    let go of them; phones holding a visit receive it without its referral."""
    for household in db.session.scalars(select(Household).where(
            Household.referral_id.in_(referral_ids))).all():
        household.referral_id = None
        if household.forgotten_at is None:
            household.version += 1
            record_change(db.session, Change("household", household.id,
                                             household.municipality_id, household.version))
    for visit in db.session.scalars(select(WelcomeVisit).where(
            WelcomeVisit.referral_id.in_(referral_ids))).all():
        visit.referral_id = None
        visit.version += 1
        record_change(db.session, Change("welcome_visit", visit.id, visit.municipality_id,
                                         visit.version))
    db.session.flush()
