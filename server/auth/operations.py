"""Every write to accounts but invitations: roles, deactivation, passwords, sign-out."""

from collections.abc import Callable

from sqlalchemy import select

from ..audit import audit
from ..core.access import Actor, Role, rank
from ..core.clock import now
from ..core.errors import N_, NotFound, ValidationFailed
from ..core.validate import Checker, clean_line
from ..extensions import db
from .models import Membership, RoleGrant, User
from .passwords import hash_password, needs_rehash, password_problem, verify_password
from .sessions import end_sessions

# What else a user holds in a municipality they are removed from (org: their place on its
# teams). Org sits above auth, so it registers this from its init_app.
LeaveHook = Callable[[str, str], None]  # (user_id, municipality_id)
LEAVE_HOOKS: list[LeaveHook] = []


def on_leaving_municipality(hook: LeaveHook) -> None:
    if hook not in LEAVE_HOOKS:
        LEAVE_HOOKS.append(hook)


def normalise_email(email: str) -> str:
    """As stored: a single line (no NUL byte ever reaches a query), lower case."""
    return clean_line(email).lower()


def grant_role(user: User, municipality_id: str, role: str) -> None:
    exists = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.municipality_id == municipality_id,
        Membership.role == role))
    if exists is None:
        db.session.add(Membership(user_id=user.id, municipality_id=municipality_id, role=role))


def access_changed(user: User, *, end_sessions_too: bool = True) -> None:
    """The one call after anything that changes what ``user`` may reach (roles,
    deactivation): the phone then syncs from scratch, and every session of the account ends
    (a role the owner accepts themselves keeps their session: ``end_sessions_too=False``)."""
    user.sync_epoch += 1
    if end_sessions_too:
        end_sessions(user)


def _check_authority(actor: Actor, user: User, field: str) -> None:
    """A manager never touches an account that holds a role above theirs anywhere."""
    held = {Role(m.role) for m in user.memberships}
    if rank(held) > rank(actor.roles):
        raise ValidationFailed.single(field, N_("only an admin can change this account"))


def set_roles(actor: Actor, user: User, roles: list[str]) -> None:
    """Replace the user's roles in the actor's municipality. A role an admin gives itself
    waits for a second admin's approval (see approve_grant)."""
    allowed = {r.value for r in Role if rank({r}) <= rank(actor.roles)}
    if any(r not in allowed for r in roles):
        raise ValidationFailed.single("roles", N_("not one of the allowed values"))
    _check_authority(actor, user, "roles")
    if user.id == actor.user_id and Role.COORDINATOR.value not in roles and actor.is_coordinator:
        raise ValidationFailed.single("roles", N_("you cannot remove your own coordinator role"))
    here = [m for m in user.memberships if m.municipality_id == actor.municipality_id]
    before = {m.role for m in here}
    for membership in here:
        if membership.role not in roles:
            db.session.delete(membership)
    held = {m.role for m in here}
    for role in dict.fromkeys(roles):
        if role in held:
            continue
        if role != Role.ADMIN and (user.id == actor.user_id and actor.has(Role.ADMIN)
                                   or needs_second_admin(actor)):
            request_grant(actor.user_id, user.id, actor.municipality_id, role)
        else:
            grant_role(user, actor.municipality_id, role)
    db.session.flush()
    db.session.refresh(user, ["memberships"])
    if before != {m.role for m in user.memberships if m.municipality_id == actor.municipality_id}:
        access_changed(user)
    audit("set_roles", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="user", object_id=user.id)
    db.session.flush()


def needs_second_admin(actor: Actor) -> bool:
    """An admin holding no case role here: a case role it gives (to any account, by the list
    or by an invitation) waits for a second admin, so that no admin reaches case data alone
    through an account it made or controls."""
    return actor.has(Role.ADMIN) and not (actor.roles - {Role.ADMIN})


def request_grant(requested_by: str, user_id: str, municipality_id: str, role: str) -> None:
    waiting = db.session.scalar(select(RoleGrant.id).where(
        RoleGrant.user_id == user_id, RoleGrant.municipality_id == municipality_id,
        RoleGrant.role == role, RoleGrant.approved_at.is_(None)))
    if waiting is None:
        db.session.add(RoleGrant(user_id=user_id, municipality_id=municipality_id, role=role,
                                 requested_by=requested_by))
        audit("request_role_grant", user_id=requested_by, municipality_id=municipality_id,
              object_type="user", object_id=user_id)


def approve_grant(actor: Actor, grant_id: str) -> None:
    """A second admin of the grant's municipality approves an admin's request for a case role
    for itself (an admin elsewhere sees no such grant)."""
    grant = db.session.get(RoleGrant, grant_id)
    if (not actor.has(Role.ADMIN) or grant is None or grant.approved_at is not None
            or grant.municipality_id != actor.municipality_id):
        raise NotFound
    if actor.user_id in (grant.user_id, grant.requested_by):
        raise ValidationFailed.single("grant", N_("a second admin must approve this"))
    grant_role(grant.user, grant.municipality_id, grant.role)
    grant.approved_by, grant.approved_at = actor.user_id, now()
    access_changed(grant.user)
    audit("approve_role_grant", user_id=actor.user_id, municipality_id=grant.municipality_id,
          object_type="user", object_id=grant.user_id)
    db.session.flush()


def set_active(actor: Actor, user: User, active: bool) -> None:
    """An admin (de)activates the whole account. A coordinator deactivating someone who also
    works in another municipality removes them from this municipality only."""
    if user.id == actor.user_id:
        raise ValidationFailed.single("active", N_("you cannot deactivate yourself"))
    _check_authority(actor, user, "active")
    elsewhere = any(m.municipality_id != actor.municipality_id for m in user.memberships)
    if actor.has(Role.ADMIN) or not elsewhere:
        user.active = active
        action = "activate" if active else "deactivate"
    elif active:
        if not user.active:
            raise ValidationFailed.single("active", N_("only an admin can change this account"))
        return
    else:
        _remove_from_municipality(user, actor.municipality_id)
        action = "remove_from_municipality"
    access_changed(user)
    audit(action, user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="user", object_id=user.id)
    db.session.flush()


def _remove_from_municipality(user: User, municipality_id: str) -> None:
    for membership in list(user.memberships):
        if membership.municipality_id == municipality_id:
            user.memberships.remove(membership)
    for hook in LEAVE_HOOKS:
        hook(user.id, municipality_id)


def check_new_password(check: Checker, data: dict, user_words: tuple[str, ...]) -> str:
    """The new password in ``data`` (fields password and password_again), checked by the one
    password rule (passwords.password_problem)."""
    password = data.get("password")
    if not isinstance(password, str):
        check.fail("password", N_("required"))
        return ""
    if problem := password_problem(password, user_words):
        check.fail("password", problem)
    elif password != data.get("password_again"):
        check.fail("password_again", N_("the passwords differ"))
    return password


def change_password(user: User, data: dict) -> None:
    """The signed-in user's own new password; every session of theirs ends (the view starts a
    fresh one on the device that made the change)."""
    check = Checker(data, ("current_password", "password", "password_again"))
    current = data.get("current_password")
    if not isinstance(current, str) or not verify_password(user.password_hash, current[:1024]):
        check.fail("current_password", N_("not your current password"))
    password = check_new_password(check, data, (user.email, user.display_name))
    check.done()
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit("change_password", user_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()


def sign_out(user: User) -> None:
    """Sign-out ends every session of this user, not only the cookie of this device: a copy
    of it (or another device's) is refused from now on."""
    end_sessions(user)
    db.session.flush()


def rehash_if_needed(user: User, password: str) -> None:
    """At sign-in, while the password is at hand: bring an old hash to today's parameters."""
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
