"""Every write to municipalities (admins) and their neighbourhoods (admins, coordinators)."""

import re
import unicodedata

from sqlalchemy import select, update

from ..audit import audit
from ..auth.models import Membership, User
from ..core.access import Actor, Role
from ..core.errors import N_, NotFound, ValidationFailed
from ..core.validate import Checker
from ..extensions import db, one_or_not_found
from .models import Municipality, Neighbourhood


def _name(data: dict) -> str:
    check = Checker(data, ("name",))
    name = check.text("name", max_len=120, required=True)
    check.done()
    return name or ""


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48] or "municipality"
    slug, n = base, 1
    while db.session.scalar(select(Municipality.id).where(Municipality.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _municipality_name_free(name: str, municipality_id: str | None = None) -> None:
    taken = db.session.scalar(select(Municipality.id).where(Municipality.name == name))
    if taken and taken != municipality_id:
        raise ValidationFailed.single("name", N_("a municipality with this name exists"))


def _require_admin(actor: Actor) -> None:
    if not actor.has(Role.ADMIN):
        raise NotFound


def managed_municipalities(actor: Actor):  # noqa: ANN201 - a Select of Municipality
    """The municipalities this admin holds the admin role in, active or not."""
    return select(Municipality).where(Municipality.id.in_(select(Membership.municipality_id).where(
        Membership.user_id == actor.user_id, Membership.role == Role.ADMIN.value)))


def get_municipality(actor: Actor, municipality_id: str) -> Municipality:
    _require_admin(actor)
    return one_or_not_found(managed_municipalities(actor).where(
        Municipality.id == municipality_id))


def create_municipality(actor: Actor, data: dict) -> Municipality:
    """A new municipality; its creator is its admin (and may switch into it)."""
    _require_admin(actor)
    name = _name(data)
    _municipality_name_free(name)
    municipality = Municipality(name=name, slug=_slug(name), active=True)
    db.session.add(municipality)
    db.session.flush()
    db.session.add(Membership(user_id=actor.user_id, municipality_id=municipality.id,
                              role=Role.ADMIN.value))
    audit("create_municipality", user_id=actor.user_id, municipality_id=municipality.id,
          object_type="municipality", object_id=municipality.id)
    db.session.flush()
    return municipality


def rename_municipality(actor: Actor, municipality: Municipality, data: dict) -> None:
    name = _name(data)
    _municipality_name_free(name, municipality.id)
    municipality.name = name
    audit("rename_municipality", user_id=actor.user_id, municipality_id=municipality.id,
          object_type="municipality", object_id=municipality.id)
    db.session.flush()


def set_municipality_active(actor: Actor, municipality: Municipality, active: bool) -> None:
    """A deactivated municipality can no longer be switched into; nothing in it is deleted."""
    if not active and municipality.id == actor.municipality_id:
        raise ValidationFailed.single("active", N_(
            "you are working in this municipality: switch to another one first"))
    if municipality.active != active:
        # what its people's phones may keep changes wholesale: they sync from scratch
        db.session.execute(update(User).where(User.id.in_(select(Membership.user_id).where(
            Membership.municipality_id == municipality.id))).values(
                sync_epoch=User.sync_epoch + 1).execution_options(synchronize_session="fetch"))
    municipality.active = active
    audit("activate_municipality" if active else "deactivate_municipality",
          user_id=actor.user_id, municipality_id=municipality.id,
          object_type="municipality", object_id=municipality.id)
    db.session.flush()


def get_neighbourhood(actor: Actor, neighbourhood_id: str) -> Neighbourhood:
    return one_or_not_found(select(Neighbourhood).where(
        Neighbourhood.id == neighbourhood_id,
        Neighbourhood.municipality_id == actor.municipality_id))


def _neighbourhood_name(actor: Actor, data: dict, neighbourhood_id: str | None = None) -> str:
    name = _name(data)
    taken = db.session.scalar(select(Neighbourhood.id).where(
        Neighbourhood.municipality_id == actor.municipality_id, Neighbourhood.name == name))
    if taken and taken != neighbourhood_id:
        raise ValidationFailed.single("name", N_("a neighbourhood with this name exists"))
    return name


def create_neighbourhood(actor: Actor, data: dict) -> Neighbourhood:
    neighbourhood = Neighbourhood(municipality_id=actor.municipality_id,
                                  name=_neighbourhood_name(actor, data), active=True)
    db.session.add(neighbourhood)
    db.session.flush()
    _audit_neighbourhood(actor, "create_neighbourhood", neighbourhood)
    return neighbourhood


def rename_neighbourhood(actor: Actor, neighbourhood: Neighbourhood, data: dict) -> None:
    neighbourhood.name = _neighbourhood_name(actor, data, neighbourhood.id)
    _audit_neighbourhood(actor, "rename_neighbourhood", neighbourhood)


def set_neighbourhood_active(actor: Actor, neighbourhood: Neighbourhood, active: bool) -> None:
    """A deactivated neighbourhood is no longer offered in forms; old records keep it."""
    neighbourhood.active = active
    _audit_neighbourhood(actor, "activate_neighbourhood" if active
                         else "deactivate_neighbourhood", neighbourhood)


def _audit_neighbourhood(actor: Actor, action: str, neighbourhood: Neighbourhood) -> None:
    audit(action, user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="neighbourhood", object_id=neighbourhood.id)
    db.session.flush()
