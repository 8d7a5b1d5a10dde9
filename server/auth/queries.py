"""Reads of accounts."""

from sqlalchemy import select

from ..extensions import db
from .models import User
from .operations import normalise_email


def account(email: str) -> User | None:
    """The account of an e-mail address as typed (normalised as stored), if there is one."""
    email = normalise_email(email)
    return db.session.scalar(select(User).where(User.email == email)) if email else None
