"""Sync bookkeeping: applied mutations (the idempotency ledger), conflicts, deliveries."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class AppliedMutation(db.Model):
    """One row per mutation id that took effect; the primary key makes delivery exactly-once."""

    __tablename__ = "applied_mutation"
    id: Mapped[str] = mapped_column(Id(), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(48))
    record_id: Mapped[str] = mapped_column(Id())
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    conflict: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(default=now)


class SyncConflict(db.Model):
    """An edit that lost to a newer change of the same field, kept for its author."""

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(Id())
    field: Mapped[str] = mapped_column(String(48))
    their_value: Mapped[Any] = mapped_column(JSON)  # the losing edit: "mine" for its author
    server_value: Mapped[Any] = mapped_column(JSON)
    changed_by: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    changed_in_version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime | None]
    mutation_id: Mapped[str] = mapped_column(Id())
    created_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    # The account of whoever made the winning change, by name: sync imports no feature.
    changer = relationship("User", foreign_keys=[changed_by], viewonly=True, lazy="raise")

    __table_args__ = (Index("ix_sync_conflict_open", "user_id", "resolved_at"),)


class SyncDelivery(db.Model):
    """Records a user's phones may hold, so lost access turns into a deletion for them only."""

    __tablename__ = "sync_delivery"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(Id(), primary_key=True)
