"""Contacts (contactmomenten): append-only, a correction is a new version."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import CONTACT

contact_person = Table(
    "contact_person",
    db.metadata,
    Column("contact_id", Id(), ForeignKey("contact.id"), primary_key=True),
    Column("person_id", Id(), ForeignKey("person.id"), primary_key=True, index=True),
)


class Contact(db.Model):
    __tablename__ = "contact"
    # The coordinator's contacts per week: a municipality's contacts of eight weeks, counted
    # from the index alone.
    __table_args__ = (Index("ix_contact_municipality_occurred", "municipality_id", "occurred_at"),)
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    place: Mapped[str | None] = mapped_column(String(CONTACT["place"].max_len))
    channel: Mapped[str] = mapped_column(String(16))
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    note_visibility: Mapped[str] = mapped_column(String(16), default="team")
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)

    people = relationship("Person", secondary=contact_person, lazy="selectin")


class ContactVersion(db.Model):
    """Every version of a contact as it was logged or corrected: the history."""

    __tablename__ = "contact_version"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contact.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
