"""Referrals (toeleidingen) with their dated steps: the closed loop."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class Referral(db.Model):
    __tablename__ = "referral"
    # Open referrals in follow-up order, a page at a time, and the overdue ones; with the
    # status, how many are open or overdue is counted from the index alone.
    __table_args__ = (Index("ix_referral_municipality_due", "municipality_id", "follow_up_due",
                            "id", "status"),)
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    status_on: Mapped[date] = mapped_column(Date)
    follow_up_due: Mapped[date | None] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # Who may read the note: the rule of contact notes (team, private, sensitive).
    note_visibility: Mapped[str] = mapped_column(String(16), default="team",
                                                 server_default="team")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)

    # Loaded where shown (a referral's page, a pull): a list of referrals never needs them.
    steps: Mapped[list["ReferralStep"]] = relationship(
        order_by="ReferralStep.id", cascade="all, delete-orphan"
    )
    service = relationship("Service", lazy="joined")
    person = relationship("Person", lazy="joined")


class ReferralStep(db.Model):
    __tablename__ = "referral_step"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    note_visibility: Mapped[str] = mapped_column(String(16), default="team",
                                                 server_default="team")
