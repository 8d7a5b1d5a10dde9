"""Every write to a person: validate, change, record the change, keep conflicts."""

import re
from typing import Any

from sqlalchemy import select

from ..core.access import Actor, Role
from ..core.changes import Change, record_change
from ..core.clock import now
from ..core.errors import N_, Forbidden, NotFound, ValidationFailed
from ..core.merge import check_base_version, plan_update
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..core.vocab import CONSENT_BASES
from ..extensions import db
from ..org.models import Team
from ..org.operations import check_neighbourhood
from ..sync import conflicts
from ..sync.registry import access_changed, handles
from . import queries
from .models import Person

EDITABLE = ("display_name", "phone", "email", "reach_note", "neighbourhood_id", "languages",
            "preferred_language", "consent_basis", "consent_purpose", "consent_date")
BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _languages(check: Checker, name: str) -> list[str]:
    value = check.data.get(name, [])
    if value is None:
        return []
    if (not isinstance(value, list) or len(value) > 12
            or any(not isinstance(v, str) or not BCP47.match(v) for v in value)):
        check.fail(name, N_("must be a list of language codes"))
        return []
    return list(dict.fromkeys(value))


def check_person_fields(actor: Actor, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate the fields present (all of them when creating); return typed values."""
    check = Checker(data, EDITABLE)
    readers = {
        "display_name": lambda: check.text("display_name", max_len=120, required=True),
        "phone": lambda: check.text("phone", max_len=40),
        "email": lambda: check.text("email", max_len=254),
        "reach_note": lambda: check.text("reach_note", max_len=500),
        "neighbourhood_id": lambda: check_neighbourhood(check, actor),
        "languages": lambda: _languages(check, "languages"),
        "preferred_language": lambda: check.text("preferred_language", max_len=16),
        "consent_basis": lambda: check.choice("consent_basis", CONSENT_BASES),
        "consent_purpose": lambda: check.text("consent_purpose", max_len=1000, lines=True),
        "consent_date": lambda: check.day("consent_date"),
    }
    names = EDITABLE if creating else [n for n in EDITABLE if n in data]
    values = {name: readers[name]() for name in names}
    if values.get("email") and not EMAIL.match(values["email"]):
        check.fail("email", N_("not a valid e-mail address"))
    if values.get("preferred_language") and not BCP47.match(values["preferred_language"]):
        check.fail("preferred_language", N_("not a language code"))
    check.done()
    return values


def _require_field_user(actor: Actor) -> None:
    if not actor.is_field_user:
        raise Forbidden


def _default_team(actor: Actor) -> str | None:
    """A caseload user's new person lands on their team when they have exactly one."""
    if actor.works_caseload and len(actor.team_ids) == 1:
        return next(iter(actor.team_ids))
    return None


@handles("person.create")
def create_person(actor: Actor, mutation: Mutation) -> Outcome:
    _require_field_user(actor)
    values = check_person_fields(actor, mutation.fields, creating=True)
    if db.session.get(Person, mutation.record_id) is not None:
        raise NotFound
    person = Person(id=mutation.record_id, municipality_id=actor.municipality_id,
                    created_by=actor.user_id, team_id=_default_team(actor), version=1,
                    field_versions={name: 1 for name in values},
                    field_authors={name: actor.user_id for name in values}, **values)
    db.session.add(person)
    db.session.flush()
    _log(person)
    return Outcome(person.id, person.version, person.municipality_id)


@handles("person.update")
def update_person(actor: Actor, mutation: Mutation) -> Outcome:
    person = queries.get_writable(actor, mutation.record_id, for_update=True)
    if mutation.base_version is None:
        raise ValidationFailed.single("base_version", N_("required"))
    values = check_person_fields(actor, mutation.fields, creating=False)
    current = {name: getattr(person, name) for name in values}
    plan = plan_update(current, values, person.field_versions, person.version,
                       mutation.base_version, field_authors=person.field_authors,
                       author=actor.user_id)
    conflict_id = conflicts.keep(actor, "person", person, mutation, plan.conflicts, values)
    if plan.apply:
        _apply(actor, person, plan.apply)
    conflicts.close_resolved(actor, "person", person.id,
                             [n for n in values if n not in plan.conflicts])
    return Outcome(person.id, person.version, person.municipality_id,
                   conflict_fields=plan.conflicts, conflict_id=conflict_id,
                   merged=plan.stale and not plan.conflicts)


@handles("person.assign")
def assign_person(actor: Actor, mutation: Mutation) -> Outcome:
    """Put a person on a team's caseload (or take them off it): coordinators and workers."""
    if not (actor.is_coordinator or actor.has(Role.WORKER)):
        raise Forbidden
    person = queries.get_writable(actor, mutation.record_id, for_update=True)
    check_base_version(mutation.base_version, person.version)
    check = Checker(mutation.fields, ("team_id",))
    team_id = check.ident("team_id")
    if team_id and db.session.scalar(select(Team.id).where(
            Team.id == team_id, Team.municipality_id == actor.municipality_id)) is None:
        check.fail("team_id", N_("not found or not allowed"))
    check.done()
    if team_id != person.team_id:
        _apply(actor, person, {"team_id": team_id})
        access_changed("person", person.id)  # who may see their contacts and referrals
    return Outcome(person.id, person.version, person.municipality_id)


def _apply(actor: Actor, person: Person, changes: dict[str, Any]) -> None:
    person.version += 1
    for name, value in changes.items():
        setattr(person, name, value)
    person.field_versions = {**person.field_versions, **{n: person.version for n in changes}}
    person.field_authors = {**person.field_authors, **{n: actor.user_id for n in changes}}
    person.updated_at = now()
    _log(person)


def _log(person: Person) -> None:
    record_change(db.session, Change("person", person.id, person.municipality_id, person.version))
