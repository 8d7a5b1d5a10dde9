"""Reads of households and welcome visits, scoped in SQL to who they are assigned to."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, func, or_, select

from ..core.access import Actor, receives_register_data
from ..core.errors import N_
from ..core.records import Read
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from ..people.models import Person
from ..people.queries import visible_people
from .fields import HOUSEHOLD, WELCOME_VISIT
from .models import Household, PackItem, StreetNeighbourhood, WelcomeImport, WelcomeVisit


def _assigned(actor: Actor):
    terms = [false(), Household.assigned_user_id == actor.user_id]
    if actor.team_ids:
        terms.append(Household.assigned_team_id.in_(actor.team_ids))
    return or_(*terms)


def visible_households(actor: Actor) -> Select[tuple[Household]]:
    """Coordinators: the municipality's; volunteers and workers: those assigned to them or
    their team. Officers none, not even on a team given households. A forgotten household is
    no one's."""
    query = select(Household).where(Household.municipality_id == actor.municipality_id,
                                    Household.forgotten_at.is_(None))
    if not receives_register_data(actor.roles):
        return query.where(false())
    if actor.is_coordinator:
        return query
    return query.where(_assigned(actor))


def get_visible(actor: Actor, household_id: str, *, for_update: bool = False) -> Household:
    return one_or_not_found(visible_households(actor).where(Household.id == household_id),
                            for_update=for_update)


def visible_visits(actor: Actor) -> Select[tuple[WelcomeVisit]]:
    query = select(WelcomeVisit).where(WelcomeVisit.municipality_id == actor.municipality_id)
    if not receives_register_data(actor.roles):
        return query.where(false())
    if actor.is_coordinator:
        return query
    return query.where(or_(WelcomeVisit.author_id == actor.user_id, WelcomeVisit.household_id.in_(
        visible_households(actor).with_only_columns(Household.id))))


def worklist(actor: Actor, mine_only: bool = True) -> Select[tuple[Household]]:
    """Households still to visit, nearest target date first: no visit yet, or not home once
    (to page)."""
    query = visible_households(actor).where(
        Household.approach == "visit",
        or_(Household.status == "new", (Household.status == "not_home") & (Household.attempts < 2)))
    if mine_only:
        query = query.where(_assigned(actor))
    return query.order_by(Household.target_on.is_(None), Household.target_on,
                          Household.registered_on, Household.id)


def visits_of(actor: Actor, household_id: str) -> list[WelcomeVisit]:
    return list(db.session.scalars(visible_visits(actor).where(
        WelcomeVisit.household_id == household_id).order_by(WelcomeVisit.occurred_at.desc())))


def pack_items(municipality_id: str, language: str | None = None) -> list[PackItem]:
    query = select(PackItem).where(PackItem.municipality_id == municipality_id)
    if language:
        query = query.where(PackItem.language == language)
    return list(db.session.scalars(query.order_by(PackItem.language, PackItem.position,
                                                  PackItem.title)))


def pack_languages(municipality_id: str) -> list[str]:
    return list(db.session.scalars(select(PackItem.language).where(
        PackItem.municipality_id == municipality_id).distinct().order_by(PackItem.language)))


# The pack's language of record: a Flemish municipality writes its leaflets in Dutch first.
PACK_BASE_LANGUAGE = "nl"


@dataclass(frozen=True)
class ShownItem:
    item: PackItem
    fallback: bool  # the Dutch item, shown because this language has no translation of it


def pack_offered(municipality_id: str, shipped: list[str]) -> list[str]:
    """Languages the pack is shown in: every language handvast ships, and any other one the
    municipality has items in."""
    return list(dict.fromkeys([*shipped, *pack_languages(municipality_id)]))


def pack_language_for(languages: list[str], offered: list[str]) -> str:
    """The household's first language the pack is offered in; else the Dutch pack."""
    return next((code for code in languages if code in offered), PACK_BASE_LANGUAGE)


def pack_in(municipality_id: str, language: str) -> list[ShownItem]:
    """The pack in one language. An item translates the Dutch item of the same kind at the
    same place among that kind (the second leaflet, the first link); a Dutch item the
    language has no translation of is shown in Dutch, marked; the language's own further
    items follow."""
    own = pack_items(municipality_id, language)
    if language == PACK_BASE_LANGUAGE:
        return [ShownItem(item, False) for item in own]
    by_place: dict[tuple[str, int], PackItem] = {}
    for item in own:
        by_place[(item.kind, sum(1 for k, _n in by_place if k == item.kind))] = item
    shown, seen = [], Counter()
    for item in pack_items(municipality_id, PACK_BASE_LANGUAGE):
        translated = by_place.pop((item.kind, seen[item.kind]), None)
        seen[item.kind] += 1
        shown.append(ShownItem(translated or item, translated is None))
    return shown + [ShownItem(item, False) for item in by_place.values()]


def streets(actor: Actor) -> list[StreetNeighbourhood]:
    return list(db.session.scalars(select(StreetNeighbourhood).where(
        StreetNeighbourhood.municipality_id == actor.municipality_id)
        .order_by(StreetNeighbourhood.street_key)))


def unknown_streets(actor: Actor) -> list[tuple[str, int]]:
    """Streets of households without a neighbourhood: (street as written, households)."""
    rows = db.session.execute(
        select(func.min(Household.street), func.count()).where(
            Household.municipality_id == actor.municipality_id,
            Household.forgotten_at.is_(None), Household.neighbourhood_id.is_(None))
        .group_by(Household.street_key).order_by(func.min(Household.street)))
    return [(street, count) for street, count in rows]


def assignable(actor: Actor) -> list[tuple[str, str]]:
    """(id, name) of the municipality's users a household may be given to: those who receive
    register data (never an officer)."""
    from ..org.queries import users

    return [(u.id, u.display_name) for u, roles in users(actor) if receives_register_data(roles)]


def imports(actor: Actor, limit: int = 12) -> list[WelcomeImport]:
    return list(db.session.scalars(select(WelcomeImport).where(
        WelcomeImport.municipality_id == actor.municipality_id)
        .order_by(WelcomeImport.created_at.desc()).limit(limit)))


def get_import(actor: Actor, import_id: str) -> WelcomeImport:
    return one_or_not_found(select(WelcomeImport).where(
        WelcomeImport.id == import_id, WelcomeImport.municipality_id == actor.municipality_id))


# --- people who may already be known ------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person: Person
    reasons: list[str]  # N_ messages


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\W\d_]+", text.lower()) if len(w) >= 3}


def matches(actor: Actor, household: Household, limit: int = 5) -> list[Match]:
    """People the actor may see who resemble the household: a shared name, the same
    neighbourhood, or named on an earlier household at the same address."""
    words = _words(household.names)
    if not words:
        return []
    earlier = set(db.session.scalars(select(Household.person_id).where(
        Household.municipality_id == household.municipality_id, Household.id != household.id,
        Household.street_key == household.street_key,
        Household.house_number == household.house_number, Household.person_id.is_not(None))))
    # ILIKE on PostgreSQL: the trigram index ix_person_name_trigram serves it.
    terms = [Person.display_name.icontains(w, autoescape=True) for w in sorted(words)[:6]]
    if earlier:
        terms.append(Person.id.in_(earlier))
    found = []
    for person in db.session.scalars(visible_people(actor).where(or_(*terms)).limit(50)):
        reasons = []
        shared = words & _words(person.display_name)
        if shared:
            reasons.append(N_("a name in common"))
        if person.id in earlier:
            reasons.append(N_("known at the same address"))
        if household.neighbourhood_id and person.neighbourhood_id == household.neighbourhood_id:
            reasons.append(N_("same neighbourhood"))
        if reasons and (len(reasons) > 1 or person.id in earlier or len(shared) > 1
                        or len(words) == 1):
            found.append(Match(person, reasons))
    found.sort(key=lambda m: (-len(m.reasons), m.person.display_name))
    return found[:limit]


# --- pull ---------------------------------------------------------------------------------


def household_data(actor: Actor, household: Household) -> dict:
    data = {name: jsonable(getattr(household, name)) for name in HOUSEHOLD.pulled(Read.BASIC)}
    data["person_id"] = household.person_id
    return data


def visit_data(actor: Actor, visit: WelcomeVisit) -> dict:
    data = {name: jsonable(getattr(visit, name)) for name in WELCOME_VISIT.pulled(Read.BASIC)}
    data["referral_id"] = visit.referral_id
    return data


# --- privacy: retention, activity, the person's export (docs/privacy.md) -----------------

def _last_visit():
    return (select(WelcomeVisit.household_id, func.max(WelcomeVisit.occurred_at).label("at"))
            .group_by(WelcomeVisit.household_id).subquery())


def expired_households(cutoff: datetime) -> list[str]:
    """Households not yet forgotten whose last visit (or, without one, their import) is before
    the cut-off: those welcomed who agreed to further contact, and any others the welcome's
    own six-month forgetting has not taken yet."""
    last = _last_visit()
    return list(db.session.scalars(
        select(Household.id).outerjoin(last, last.c.household_id == Household.id).where(
            Household.forgotten_at.is_(None), Household.imported_at < cutoff,
            or_(last.c.at.is_(None), last.c.at < cutoff))))


def people_active_since(cutoff: datetime) -> Select:
    """People whose household had a welcome visit since the cut-off."""
    return (select(Household.person_id).join(WelcomeVisit, WelcomeVisit.household_id ==
                                             Household.id)
            .where(Household.person_id.is_not(None), WelcomeVisit.occurred_at >= cutoff))


def subject_data(actor: Actor, person: Person) -> list[dict]:
    """The person's household as the register's list gave it and every welcome visit, for
    their export (the info pack by title)."""
    out = []
    households = db.session.scalars(visible_households(actor).where(
        Household.person_id == person.id).order_by(Household.registered_on))
    for household in households:
        data = household_data(actor, household)
        data.update(id=household.id, welcomed_on=jsonable(household.welcomed_on),
                    agrees_to_contact=household.agrees_to_contact, visits=[])
        visits = db.session.scalars(visible_visits(actor).where(
            WelcomeVisit.household_id == household.id).order_by(WelcomeVisit.occurred_at))
        for visit in visits:
            item = visit_data(actor, visit)
            item["id"] = visit.id
            item.pop("author_id", None)
            titles = dict(db.session.execute(select(PackItem.id, PackItem.title).where(
                PackItem.id.in_(visit.info_pack_items or []))).all())
            item["info_pack_items"] = [titles.get(i, i) for i in visit.info_pack_items or []]
            data["visits"].append(item)
        out.append(data)
    return out
