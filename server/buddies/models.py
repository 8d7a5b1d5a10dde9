"""The buddy programme's tables: profiles, wishes, pairs, sessions and their logs."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import PAIR, PROFILE, SESSION, WISH


class BuddyProfile(db.Model):
    __tablename__ = "buddy_profile"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    nearby_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer)
    preferences: Mapped[str | None] = mapped_column(String(PROFILE["preferences"].max_len))
    version: Mapped[int] = mapped_column(Integer, default=1)

    user = relationship("User", lazy="joined")
    __table_args__ = (UniqueConstraint("municipality_id", "user_id"),)


class BuddyWish(db.Model):
    __tablename__ = "buddy_wish"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferences: Mapped[str | None] = mapped_column(String(WISH["preferences"].max_len))
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="open")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)

    person = relationship("Person", lazy="joined")


class BuddyPair(db.Model):
    __tablename__ = "buddy_pair"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    wish_id: Mapped[str] = mapped_column(ForeignKey("buddy_wish.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    buddy_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    proposed_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals_reached: Mapped[list[str]] = mapped_column(JSON, default=list)
    proposed_on: Mapped[date] = mapped_column(Date)
    answer_by: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(16))
    evaluation: Mapped[str | None] = mapped_column(String(PAIR["evaluation"].max_len))
    version: Mapped[int] = mapped_column(Integer, default=1)

    person = relationship("Person", lazy="joined")
    buddy = relationship("User", lazy="joined", foreign_keys=[buddy_id])
    wish = relationship(BuddyWish, lazy="joined")


class BuddySession(db.Model):
    __tablename__ = "buddy_session"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("buddy_pair.id"), index=True)
    # As planned, in Brussels wall time (what calendars show), and the moment it makes.
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(SESSION["start_time"].max_len))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(SESSION["place"].max_len))
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    planned_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)  # of the newest log
    minutes_spent: Mapped[int | None] = mapped_column(Integer)  # of the newest log
    # Who on the matching side vouches for the newest "done" log's time; none while the
    # buddy alone logged it (the hours export shows those apart as unconfirmed).
    hours_confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    pair = relationship(BuddyPair, lazy="joined")
    logs: Mapped[list["BuddySessionLog"]] = relationship(
        order_by="BuddySessionLog.id", cascade="all, delete-orphan", lazy="selectin")


class BuddySessionLog(db.Model):
    """What happened at a session, as logged: append-only, the newest decides the status."""

    __tablename__ = "buddy_session_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("buddy_session.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    minutes_spent: Mapped[int | None] = mapped_column(Integer)
    logged_at: Mapped[datetime] = mapped_column(default=now)
