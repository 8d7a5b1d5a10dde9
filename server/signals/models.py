"""Signals with their triage steps, and how far their reporter has read them."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import SIGNAL


class Signal(db.Model):
    __tablename__ = "signal"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    reporter_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    theme: Mapped[str] = mapped_column(String(24))
    urgency: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text)
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    gathering_id: Mapped[str | None] = mapped_column(ForeignKey("gathering.id"))
    round_id: Mapped[str | None] = mapped_column(ForeignKey("outreach_round.id"))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    forwarded_to: Mapped[str | None] = mapped_column(String(SIGNAL["forwarded_to"].max_len))
    # Steps the reporter has seen: the later ones are their notifications.
    reporter_seen: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)

    steps: Mapped[list["SignalStep"]] = relationship(
        order_by="SignalStep.id", cascade="all, delete-orphan", lazy="selectin")
    reporter = relationship("User", lazy="joined")


class SignalStep(db.Model):
    __tablename__ = "signal_step"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signal.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    forwarded_to: Mapped[str | None] = mapped_column(String(SIGNAL["forwarded_to"].max_len))
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=now)
