"""Break the glass: a reader opens a person outside their scope for a limited time, on a stated
reason, recorded in the audit trail and shown to the coordinator. Who may is core.access's
``may_break_glass``; the grant shows the person's profile on pages, never on a phone."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, delete, false, select

from ..audit import audit
from ..core import clock
from ..core.access import Actor, may_break_glass
from ..core.errors import N_, NotFound, ValidationFailed
from ..core.validate import clean_line
from ..extensions import db
from ..people.models import Person
from .models import AccessGrant

REASON_MAX = 300


def granted(actor: Actor) -> ColumnElement[bool]:
    """people.queries.granted_view: the people this reader opened and whose window is open."""
    if not may_break_glass(actor):
        return false()
    return Person.id.in_(select(AccessGrant.person_id).where(
        AccessGrant.user_id == actor.user_id,
        AccessGrant.municipality_id == actor.municipality_id,
        AccessGrant.expires_at > clock.now()))


def askable(actor: Actor, person_id: str) -> bool:
    """The reader may ask for this person: they may break the glass, and the person is of
    their municipality (anyone else gets the usual 404)."""
    return may_break_glass(actor) and db.session.scalar(select(Person.id).where(
        Person.id == person_id, Person.municipality_id == actor.municipality_id)) is not None


def open_person(actor: Actor, person_id: str, reason: str) -> AccessGrant:
    """Grant access for BREAK_GLASS_HOURS on a stated reason; the caller commits."""
    if not askable(actor, person_id):
        raise NotFound
    reason = clean_line(reason or "").strip()
    if len(reason) < 10:
        # I18N: a reason for opening a person outside one's caseload is too short or missing
        raise ValidationFailed.single("reason", N_("say in a few words why you need this"))
    if len(reason) > REASON_MAX:
        raise ValidationFailed.single("reason", N_("too long"))
    now = clock.now()
    grant = AccessGrant(municipality_id=actor.municipality_id, user_id=actor.user_id,
                        person_id=person_id, reason=reason, granted_at=now,
                        expires_at=now + timedelta(hours=current_app.config["BREAK_GLASS_HOURS"]))
    db.session.add(grant)
    audit("break_glass", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="person", object_id=person_id, reason=reason)
    db.session.flush()
    return grant


def forget_person(person_id: str) -> None:
    """A person's erasure: their grants go (the audit trail keeps that they were given)."""
    db.session.execute(delete(AccessGrant).where(AccessGrant.person_id == person_id))
