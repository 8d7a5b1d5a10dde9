"""Outreach rounds: where and when, a column per counter, the topics raised."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import ROUND


class OutreachRound(db.Model):
    __tablename__ = "outreach_round"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    started_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="street_work")
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(ROUND["place"].max_len))
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    # The tallies: each moves only by increments (core.tallies).
    reached: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    conversations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    flyers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    referrals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)

    topics: Mapped[list["RoundTopic"]] = relationship(
        order_by="RoundTopic.created_at", lazy="selectin", cascade="all, delete-orphan")


class RoundTopic(db.Model):
    """One thing raised on a round; its id is the id of the mutation that added it."""

    __tablename__ = "outreach_topic"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    round_id: Mapped[str] = mapped_column(ForeignKey("outreach_round.id"), index=True)
    domain: Mapped[str | None] = mapped_column(String(24))
    text: Mapped[str | None] = mapped_column(String(ROUND["text"].max_len))
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
