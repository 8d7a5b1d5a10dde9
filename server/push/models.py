"""Each device's push subscription, and each reminder sent (or being sent) once."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class PushSubscription(db.Model):
    """A browser's PushSubscription: one per device. The endpoint is unique, so a phone that
    changes hands sends its reminders to whoever turned them on last."""

    __tablename__ = "push_subscription"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_at: Mapped[datetime] = mapped_column(default=now)  # last posted by the device
    # Rounds in a row in which the push service could not be reached or failed (5xx) for this
    # device; at PUSH_MAX_ATTEMPTS it is forgotten. A delivered reminder sets it back to 0.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# What became of a reminder (PushReminder.status).
SENDING, SENT, FAILED, GAVE_UP, NO_DEVICE = "sending", "sent", "failed", "gave_up", "no_device"


class PushReminder(db.Model):
    """One row per reminder key, inserted (claimed) before it is sent: the primary key makes
    two runners at the same moment send it once. A failed send is retried from the payload
    kept here, rendered once in the user's language, without personal data."""

    __tablename__ = "push_reminder"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_push_reminder_due", "status", "next_attempt_at"),)
