"""Gatherings with their tallies (a column per counter), topics and named attendees."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import GATHERING

gathering_host = Table(
    "gathering_host",
    db.metadata,
    Column("gathering_id", Id(), ForeignKey("gathering.id"), primary_key=True),
    Column("user_id", Id(), ForeignKey("user_account.id"), primary_key=True, index=True),
)
gathering_attendee = Table(
    "gathering_attendee",
    db.metadata,
    Column("gathering_id", Id(), ForeignKey("gathering.id"), primary_key=True),
    Column("person_id", Id(), ForeignKey("person.id"), primary_key=True, index=True),
)


class Gathering(db.Model):
    __tablename__ = "gathering"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str | None] = mapped_column(String(GATHERING["title"].max_len))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(GATHERING["place"].max_len))
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    invitation_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages_heard: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The tallies: each moves only by increments (core.tallies), never by an update.
    residents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    newcomers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    children: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=1)
    field_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    field_authors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    hosts = relationship("User", secondary=gathering_host, lazy="selectin",
                         order_by="User.display_name")
    people = relationship("Person", secondary=gathering_attendee, lazy="selectin")
    topics: Mapped[list["GatheringTopic"]] = relationship(
        order_by="GatheringTopic.created_at", lazy="selectin", cascade="all, delete-orphan")

    @property
    def host_ids(self) -> list[str]:
        return sorted(h.id for h in self.hosts)


class GatheringTopic(db.Model):
    """One thing raised at a gathering; its id is the id of the mutation that added it."""

    __tablename__ = "gathering_topic"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    gathering_id: Mapped[str] = mapped_column(ForeignKey("gathering.id"), index=True)
    domain: Mapped[str | None] = mapped_column(String(24))
    text: Mapped[str | None] = mapped_column(String(GATHERING["text"].max_len))
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
