"""A person the first line works with: minimal data, versioned per field for sync merges."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import DDL, JSON, Date, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import PERSON


class Person(db.Model):
    __tablename__ = "person"
    __table_args__ = (
        # The person picker: a municipality's people by name, read in order up to a limit.
        Index("ix_person_municipality_name", "municipality_id", "display_name"),
    )
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(PERSON["display_name"].max_len))
    phone: Mapped[str | None] = mapped_column(String(PERSON["phone"].max_len))
    email: Mapped[str | None] = mapped_column(String(PERSON["email"].max_len))
    reach_note: Mapped[str | None] = mapped_column(String(PERSON["reach_note"].max_len))
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_language: Mapped[str | None] = mapped_column(String(PERSON["preferred_language"].max_len))
    consent_basis: Mapped[str | None] = mapped_column(String(32))
    consent_purpose: Mapped[str | None] = mapped_column(Text)
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_method: Mapped[str | None] = mapped_column(String(16))
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # field name -> record version in which it last changed; drives merge vs conflict
    field_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # field name -> user id of whoever changed it last
    field_authors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# Name searches (icontains: ILIKE '%word%' on PostgreSQL; the household match, the search):
# trigrams on PostgreSQL; elsewhere a plain index (SQLite scans, fine at its sizes).
Index("ix_person_name_trigram", Person.display_name, postgresql_using="gin",
      postgresql_ops={"display_name": "gin_trgm_ops"})

# Tests and `flask db`-less set-ups create tables from the models: the trigram index needs
# its extension first (the migration creates it too).
event.listen(Person.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
