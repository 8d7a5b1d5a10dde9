"""Households from the register's list, their welcome visits, the import and the info pack."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db
from .fields import HOUSEHOLD, WELCOME_VISIT


class Household(db.Model):
    """One household of the inflow. Forgetting clears everything about the people and keeps
    only what the inflow figures count (month, neighbourhood, how far the welcome got)."""

    __tablename__ = "household"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    # Address and registration date, normalised and hashed: one household per registration,
    # however often (or overlapping) the list is imported. Cleared when forgotten.
    household_key: Mapped[str | None] = mapped_column(String(64))
    names: Mapped[str] = mapped_column(String(HOUSEHOLD["names"].max_len))
    street: Mapped[str] = mapped_column(String(HOUSEHOLD["street"].max_len))
    street_key: Mapped[str] = mapped_column(String(HOUSEHOLD["street"].max_len), index=True)
    house_number: Mapped[str] = mapped_column(String(HOUSEHOLD["house_number"].max_len))
    postcode: Mapped[str] = mapped_column(String(HOUSEHOLD["postcode"].max_len))
    registered_on: Mapped[date] = mapped_column(Date, index=True)
    household_size: Mapped[int | None] = mapped_column(Integer)
    age_bands: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhood.id"))
    assigned_team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), index=True)
    assigned_user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"),
                                                         index=True)
    target_on: Mapped[date | None] = mapped_column(Date)
    approach: Mapped[str] = mapped_column(String(24), default="visit")
    status: Mapped[str] = mapped_column(String(16), default="new")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    welcomed_on: Mapped[date | None] = mapped_column(Date)
    agrees_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id"))
    import_id: Mapped[str | None] = mapped_column(ForeignKey("welcome_import.id"))
    imported_at: Mapped[datetime] = mapped_column(default=now)
    forgotten_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("municipality_id", "household_key"),)


class WelcomeVisit(db.Model):
    """One attempt at a welcome visit: append-only, gone when its household is forgotten."""

    __tablename__ = "welcome_visit"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    pack_language: Mapped[str | None] = mapped_column(
        String(WELCOME_VISIT["pack_language"].max_len))
    info_pack_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    agrees_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    buddy_wish: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)


class StreetNeighbourhood(db.Model):
    """The coordinator's street -> neighbourhood table, per municipality."""

    __tablename__ = "street_neighbourhood"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    street_key: Mapped[str] = mapped_column(String(HOUSEHOLD["street"].max_len))
    street: Mapped[str] = mapped_column(String(HOUSEHOLD["street"].max_len))
    neighbourhood_id: Mapped[str] = mapped_column(ForeignKey("neighbourhood.id"))

    __table_args__ = (UniqueConstraint("municipality_id", "street_key"),)


class ImportMapping(db.Model):
    """Which column of the population service's export holds what: kept for next month."""

    __tablename__ = "welcome_mapping"
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    columns: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class WelcomeImport(db.Model):
    """One import of a month's list: staged (previewed), running in chunks, done."""

    __tablename__ = "welcome_import"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="staged")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rows_with_problems: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)  # distinct ones in the file
    processed: Mapped[int] = mapped_column(Integer, default=0)  # households handled so far
    created: Mapped[int] = mapped_column(Integer, default=0)
    already_known: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    finished_at: Mapped[datetime | None] = mapped_column()


class ImportRow(db.Model):
    """A row of a staged import: only the columns the municipality keeps, already reduced
    (a date of birth is an age band here). Deleted when the import is done or dropped."""

    __tablename__ = "welcome_import_row"
    import_id: Mapped[str] = mapped_column(ForeignKey("welcome_import.id"), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_key: Mapped[str | None] = mapped_column(String(64), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)


class PackItem(db.Model):
    """A piece of the municipality's info pack in one language: a leaflet, a link, the
    service directory."""

    __tablename__ = "pack_item"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
