"""Every write to accounts but invitations: roles, deactivation, passwords."""


from sqlalchemy import select

from ..audit import audit
from ..core.access import Actor, Role
from ..core.errors import N_, ValidationFailed
from ..extensions import db
from .models import Membership, User
from .passwords import hash_password, needs_rehash, password_problem


def normalise_email(email: str) -> str:
    return email.strip().lower()


def grant_role(user: User, municipality_id: str, role: str) -> None:
    exists = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.municipality_id == municipality_id,
        Membership.role == role))
    if exists is None:
        db.session.add(Membership(user_id=user.id, municipality_id=municipality_id, role=role))


def set_roles(actor: Actor, user: User, roles: list[str]) -> None:
    """Replace the user's roles in the actor's municipality."""
    allowed = {r.value for r in Role} - ({Role.ADMIN.value} if not actor.has(Role.ADMIN) else set())
    if any(r not in allowed for r in roles):
        raise ValidationFailed.single("roles", N_("not one of the allowed values"))
    if user.id == actor.user_id and Role.COORDINATOR.value not in roles and actor.is_coordinator:
        raise ValidationFailed.single("roles", N_("you cannot remove your own coordinator role"))
    for membership in list(user.memberships):
        if membership.municipality_id == actor.municipality_id and membership.role not in roles:
            db.session.delete(membership)
    for role in roles:
        grant_role(user, actor.municipality_id, role)
    user.sync_epoch += 1
    audit("set_roles", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="user", object_id=user.id)
    db.session.commit()


def set_active(actor: Actor, user: User, active: bool) -> None:
    if user.id == actor.user_id:
        raise ValidationFailed.single("active", N_("you cannot deactivate yourself"))
    user.active = active
    user.sync_epoch += 1
    audit("activate" if active else "deactivate", user_id=actor.user_id,
          municipality_id=actor.municipality_id, object_type="user", object_id=user.id)
    db.session.commit()


def set_password(user: User, password: str) -> None:
    if problem := password_problem(password, (user.email, user.display_name)):
        raise ValidationFailed.single("password", problem)
    user.password_hash = hash_password(password)
    db.session.commit()


def rehash_if_needed(user: User, password: str) -> None:
    """At sign-in, while the password is at hand: bring an old hash to today's parameters."""
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
