"""Accounts, their roles per municipality, and one-time invitations."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db

if TYPE_CHECKING:
    from ..org.models import Municipality, Team


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Bumped whenever what this user may see changes wholesale (roles, teams): the phone's
    # cursor then answers 410 and it syncs from scratch.
    sync_epoch: Mapped[int] = mapped_column(Integer, default=0)
    # Stamped into every session at sign-in; bumped to end all of them (auth/sessions.py).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Second factor (auth/twofactor.py): the authenticator app's shared secret, set once the
    # user proved a code from it, and the last time step a code was accepted for (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and would in a remember cookie): the id with
        the session generation, so a session from before the last bump names no one."""
        return f"{self.id}:{self.session_generation}"


class Membership(db.Model):
    """A role a user holds in one municipality."""

    __tablename__ = "membership"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="memberships")
    __table_args__ = (UniqueConstraint("user_id", "municipality_id", "role"),)


class Invitation(db.Model):
    __tablename__ = "invitation"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # The team of that municipality the invited user joins on accepting, if any.
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    created_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # Made by an admin without a case role of its own: the invited case role then waits for a
    # second admin (a RoleGrant), as an admin's own case role does.
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    municipality: Mapped["Municipality"] = relationship()
    team: Mapped["Team | None"] = relationship()


class RoleGrant(db.Model):
    """A case role an admin asked for (for itself, or for an account it invited while holding
    no case role itself): granted only when a second admin approves, neither the account nor
    the one who asked (both steps are in the audit trail)."""

    __tablename__ = "role_grant"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"))
    role: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(default=now)
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    requested_by: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    municipality: Mapped["Municipality"] = relationship()


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator; only its digest is kept."""

    __tablename__ = "recovery_code"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class Passkey(db.Model):
    """A WebAuthn credential (a passkey or security key) registered as a second factor."""

    __tablename__ = "passkey"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
