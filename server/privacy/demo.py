"""Demo data for privacy: how the demo people agreed, one who no longer agrees, one whose
consent has run out; through the same operations as the app (seed() commits)."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..auth.models import User
from ..core.access import Actor, Role
from ..core.clock import today_local
from ..core.consent import add_months
from ..core.ids import new_id
from ..core.mutations import Mutation
from ..extensions import db
from ..org.models import Municipality, TeamMember
from ..people.models import Person
from ..sync.apply import apply_one


def _worker(municipality: Municipality) -> Actor:
    user = db.session.scalar(select(User).where(User.email == "worker@example.org"))
    teams = frozenset(db.session.scalars(select(TeamMember.team_id).where(
        TeamMember.user_id == user.id)))
    roles = frozenset(Role(m.role) for m in user.memberships
                      if m.municipality_id == municipality.id)
    return Actor(user.id, municipality.id, roles, teams)


def _update(actor: Actor, person: Person, fields: dict) -> None:
    result = apply_one(actor, Mutation(id=new_id(), type="person.update", record_id=person.id,
                                       fields=fields, base_version=person.version))
    if result.status != "applied":
        raise RuntimeError(f"privacy demo: {result.status} {result.errors}")


def seed_privacy() -> None:
    dilbeek = db.session.scalar(select(Municipality).where(Municipality.slug == "dilbeek"))
    worker = _worker(dilbeek)
    people = {p.display_name: p for p in db.session.scalars(
        select(Person).where(Person.municipality_id == dilbeek.id, Person.team_id.is_not(None)))}
    for person in people.values():
        _update(worker, person, {"consent_method": "spoken"})
    if (maria := people.get("Maria Popescu")) is not None:  # said she no longer agrees
        _update(worker, maria, {"consent_withdrawn_on": (today_local() - timedelta(days=3))
                                .isoformat()})
    if (ewa := people.get("Ewa Nowak")) is not None:  # agreed long ago: to be asked again
        given = add_months(today_local(), -current_app.config["CONSENT_VALID_MONTHS"])
        _update(worker, ewa, {"consent_date": (given - timedelta(days=5)).isoformat(),
                              "consent_method": "signed"})
