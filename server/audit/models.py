"""The audit trail: who read, exported, erased or changed what, never the content itself.

Append-only: the app never updates or deletes a row (guard below; on PostgreSQL a trigger of
the migration refuses it too), except retention's purge of rows past their period."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..core import clock
from ..core.db import Id
from ..extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=lambda: clock.now(), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(Id())
    # A stated reason (erasure, opening a person outside one's scope) or a count: never a
    # note's text.
    reason: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_audit_event_object", "object_id"),
                      Index("ix_audit_event_municipality_at", "municipality_id", "at"))


class AppendOnly(RuntimeError):
    """Something tried to change or remove an audit row."""


PURGING = "audit_purge"  # session.info key set by retention's purge only


@event.listens_for(AuditEvent, "before_update")
def _no_update(*_args) -> None:
    raise AppendOnly("the audit trail is append-only")


@event.listens_for(AuditEvent, "before_delete")
def _no_delete(*_args) -> None:
    raise AppendOnly("the audit trail is append-only")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_change(state) -> None:
    if (state.is_update or state.is_delete) and not state.session.info.get(PURGING):
        if any(m.class_ is AuditEvent for m in state.all_mappers):
            raise AppendOnly("the audit trail is append-only")
