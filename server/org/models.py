"""Municipalities (the tenants), their neighbourhoods and teams."""

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class Municipality(db.Model):
    __tablename__ = "municipality"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    default_locale: Mapped[str] = mapped_column(String(8), default="nl")
    # A deactivated municipality can no longer be switched into; its data stays.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(
        back_populates="municipality", order_by="Neighbourhood.name"
    )


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhood"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # A deactivated neighbourhood is no longer offered in forms; records keep showing it.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    municipality: Mapped[Municipality] = relationship(back_populates="neighbourhoods")
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)


class Team(db.Model):
    __tablename__ = "team"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)


class TeamMember(db.Model):
    __tablename__ = "team_member"
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)

    team: Mapped[Team] = relationship(back_populates="members")
