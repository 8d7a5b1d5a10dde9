"""Every write to a person: validate, change, record the change, keep conflicts."""

from typing import Any

from sqlalchemy import select

from ..audit import audit
from ..core.access import Actor, Role, may_manage_privacy
from ..core.changes import Change, record_change
from ..core.clock import now
from ..core.errors import N_, Forbidden, NotFound, ValidationFailed
from ..core.merge import check_base_version, plan_update
from ..core.mutations import Mutation, Outcome
from ..core.validate import clean_line
from ..extensions import db
from ..org.models import Team
from ..org.operations import check_neighbourhood
from ..sync import conflicts
from ..sync.registry import access_changed, handles
from . import queries
from .fields import ASSIGN, CREATE, UPDATE
from .fields import EDITABLE as EDITABLE  # what a person form edits
from .models import Person


def check_person_fields(actor: Actor, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate the fields present (all of them when creating); return typed values."""
    values, check = (CREATE if creating else UPDATE).read(
        data, readers={"neighbourhood_id": lambda check: check_neighbourhood(check, actor)})
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
    values, check = ASSIGN.read(mutation.fields)
    team_id = values["team_id"]
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


# I18N: the reason for erasing a person is missing or too short
REASON_NEEDED = N_("say in a few words why (for example: the person asked for it)")


def erase_person_on_request(actor: Actor, person_id: str, reason: str) -> None:
    """A coordinator erases a person (the right to erasure): everything about them goes
    through the features' erase hooks, phones receive deletions; the audit trail keeps who,
    when and why, never the person's data. The caller commits."""
    if not may_manage_privacy(actor):
        raise Forbidden
    person = queries.get_writable(actor, person_id, for_update=True)
    reason = clean_line(reason or "")
    if len(reason) < 5:
        raise ValidationFailed.single("reason", REASON_NEEDED)
    if len(reason) > 300:
        raise ValidationFailed.single("reason", N_("too long"))
    erase_person(person.id)
    audit("erase_person", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="person", object_id=person_id, reason=reason)


def erase_person(person_id: str) -> None:
    """Remove a person and what every feature holds about them (privacy.on_erase), recording
    the deletions in the change log: at their next pull, phones that hold any of it forget it.
    Used by the coordinator's erasure and by retention."""
    from ..core.privacy import ERASE_HOOKS

    person = db.session.get(Person, person_id, with_for_update=True)
    if person is None:
        return
    for hook in ERASE_HOOKS:
        hook(person_id)
    conflicts.forget_record("person", person_id)
    record_change(db.session, Change("person", person.id, person.municipality_id,
                                     person.version + 1, deleted=True))
    db.session.delete(person)
    db.session.flush()


def erase_people(person_ids: list[str]) -> None:
    """Retention: people without any activity for the period go, as an erasure does."""
    for person_id in person_ids:
        erase_person(person_id)
