"""Invitations: a link that makes a new account, or a role an existing account's owner
accepts after signing in. An invitation never signs anyone in to an account that exists."""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..audit import audit
from ..core.access import Actor, Role
from ..core.clock import as_utc, now
from ..core.errors import N_, NotFound
from ..core.validate import Checker
from ..extensions import db
from .models import Invitation, User
from .operations import (
    access_changed,
    check_new_password,
    grant_role,
    needs_second_admin,
    normalise_email,
    request_grant,
)
from .passwords import hash_password
from .queries import account

# What else an accepted invitation gives (org: a place on the team it names). Org sits above
# auth, so it registers this from its init_app.
JoinHook = Callable[[str, str, "str | None"], None]  # (user_id, municipality_id, team_id)
JOIN_HOOKS: list[JoinHook] = []


def on_joining(hook: JoinHook) -> None:
    if hook not in JOIN_HOOKS:
        JOIN_HOOKS.append(hook)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(actor: Actor, data: dict, teams: Iterable[str] = ()) -> str | None:
    """Create an invitation. Returns the secret link token for a new address (only its hash is
    stored), or None when the address has an account: its owner accepts after signing in.
    ``teams``: the ids of the municipality's teams the invitation may name (field team_id)."""
    check = Checker(data, ("email", "role", "team_id"))
    email = check.text("email", max_len=254, required=True)
    role = check.choice("role", [r.value for r in Role], required=True)
    team_id = check.choice("team_id", teams)
    if email and "@" not in email:
        check.fail("email", N_("not a valid e-mail address"))
    if role == Role.ADMIN and not actor.has(Role.ADMIN):
        check.fail("role", N_("not one of the allowed values"))
    existing = account(email) if email else None
    if existing is not None and existing.id == actor.user_id:
        check.fail("email", N_("this is your own address: your roles are changed in the list"))
    check.done()
    token = secrets.token_urlsafe(32)  # for an existing account it is never shown to anyone
    days = current_app.config["INVITE_DAYS"]
    db.session.add(Invitation(token_hash=_token_hash(token), email=normalise_email(email),
                              municipality_id=actor.municipality_id, role=role,
                              team_id=team_id, created_by=actor.user_id,
                              needs_approval=role != Role.ADMIN and needs_second_admin(actor),
                              expires_at=now() + timedelta(days=days)))
    audit("invite", user_id=actor.user_id, municipality_id=actor.municipality_id)
    db.session.flush()
    return None if existing else token


def find_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.used_at or as_utc(invitation.expires_at) < now():
        raise NotFound
    return invitation


def for_existing_account(invitation: Invitation) -> bool:
    return account(invitation.email) is not None


def join(token: str, data: dict) -> User:
    """Make the invited new account with the invited role. An address that has an account in
    the meantime gets NotFound: its owner accepts the invitation after signing in."""
    invitation = find_invitation(token)
    if for_existing_account(invitation):
        raise NotFound
    check = Checker(data, ("display_name", "password", "password_again"))
    name = check.text("display_name", max_len=120, required=True)
    password = check_new_password(check, data, (invitation.email, name or ""))
    check.done()
    user = User(email=invitation.email, display_name=name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    _use(invitation, user)
    db.session.flush()
    return user


def pending(user: User) -> list[Invitation]:
    """Open invitations addressed to this account, oldest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.email == user.email, Invitation.used_at.is_(None),
        Invitation.expires_at > now()).order_by(Invitation.created_at)))


def accept(user: User, invitation_id: str) -> None:
    """The signed-in owner accepts an invitation addressed to their account."""
    invitation = next((i for i in pending(user) if i.id == invitation_id), None)
    if invitation is None:
        raise NotFound
    _use(invitation, user)
    access_changed(user, end_sessions_too=False)  # gaining a role: the owner stays signed in
    db.session.flush()


def _use(invitation: Invitation, user: User) -> None:
    if invitation.needs_approval:
        request_grant(invitation.created_by, user.id, invitation.municipality_id,
                      invitation.role)
    else:
        grant_role(user, invitation.municipality_id, invitation.role)
    for hook in JOIN_HOOKS:
        hook(user.id, invitation.municipality_id, invitation.team_id)
    invitation.used_at = now()
    audit("accept_invitation", user_id=user.id, municipality_id=invitation.municipality_id,
          object_type="invitation", object_id=invitation.id)


def send_mail(email: str, link: str, existing: bool) -> bool:
    """Mail the invitation when SMTP is configured: the join link for a new address, the
    sign-in page for an account. Without SMTP the inviter copies the join link."""
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
    days = current_app.config["INVITE_DAYS"]
    if existing:
        text = _("You have a new invitation in handvast. Sign in to accept it (within "
                 "%(days)d days):", days=days)
    else:
        text = _("You are invited to handvast. Open this link to join (valid for "
                 "%(days)d days):", days=days)
    message.set_content(text + "\n\n" + link + "\n")
    try:
        with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("invitation mail could not be sent")
        return False
    return True
