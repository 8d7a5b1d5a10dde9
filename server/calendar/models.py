"""A user's calendar feed: only a digest of its secret is kept, so a leaked database does
not open anyone's calendar; renewing replaces it and the old address stops working."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..extensions import db


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feed"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    user = relationship("User", lazy="joined")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)
