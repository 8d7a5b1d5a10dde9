"""Every write to accounts: invitations, roles, deactivation, sign-in bookkeeping."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..audit import audit
from ..core.access import Actor, Role
from ..core.clock import as_utc, now
from ..core.errors import N_, NotFound, ValidationFailed
from ..core.validate import Checker, clean_line
from ..extensions import db
from .models import Invitation, Membership, User
from .passwords import hash_password

MIN_PASSWORD = 10


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """As stored: a single line (no NUL byte ever reaches a query), lower case."""
    return clean_line(email).lower()


def invite(actor: Actor, data: dict) -> str:
    """Create a one-time invitation; returns the secret token (only its hash is stored)."""
    check = Checker(data, ("email", "role"))
    email = check.text("email", max_len=254, required=True)
    role = check.choice("role", [r.value for r in Role], required=True)
    if email and "@" not in email:
        check.fail("email", N_("not a valid e-mail address"))
    if role == Role.ADMIN and not actor.has(Role.ADMIN):
        check.fail("role", N_("not one of the allowed values"))
    check.done()
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITE_DAYS"]
    db.session.add(Invitation(token_hash=_token_hash(token), email=normalise_email(email),
                              municipality_id=actor.municipality_id, role=role,
                              created_by=actor.user_id, expires_at=now() + timedelta(days=days)))
    audit("invite", user_id=actor.user_id, municipality_id=actor.municipality_id)
    db.session.commit()
    return token


def find_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.used_at or as_utc(invitation.expires_at) < now():
        raise NotFound
    return invitation


def accept_invitation(token: str, data: dict) -> User:
    """Join with the invited role: a new account, or an extra role for an existing one."""
    invitation = find_invitation(token)
    user = db.session.scalar(select(User).where(User.email == invitation.email))
    check = Checker(data, ("display_name", "password", "password_again"))
    if user is None:
        name = check.text("display_name", max_len=120, required=True)
        password = data.get("password") or ""
        if len(password) < MIN_PASSWORD:
            check.fail("password", N_("at least 10 characters"))
        elif password != data.get("password_again"):
            check.fail("password_again", N_("the passwords differ"))
        check.done()
        user = User(email=invitation.email, display_name=name,
                    password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
    grant_role(user, invitation.municipality_id, invitation.role)
    invitation.used_at = now()
    audit("accept_invitation", user_id=user.id, municipality_id=invitation.municipality_id)
    db.session.commit()
    return user


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
    user.password_hash = hash_password(password)
    db.session.commit()


def send_invitation_mail(email: str, link: str) -> bool:
    """Mail the invitation link when SMTP is configured; otherwise the page shows it to copy."""
    import smtplib
    from email.message import EmailMessage

    from flask_babel import gettext as _

    server = current_app.config["MAIL_SERVER"]
    if not server or not email:
        return False
    message = EmailMessage()
    message["Subject"] = _("Your invitation to handvast")
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = normalise_email(email)
    message.set_content(_("You are invited to handvast. Open this link to join (valid for "
                          "%(days)d days):", days=current_app.config["INVITE_DAYS"])
                        + "\n\n" + link + "\n")
    try:
        with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("invitation mail could not be sent")
        return False
    return True
