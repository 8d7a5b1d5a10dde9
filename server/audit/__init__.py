"""Audit trail of sign-ins, sensitive reads, exports, erasures, access outside one's scope and
account changes; coordinators read it at /audit and per person."""

from datetime import datetime

from flask import Flask
from sqlalchemy import delete, func, select

from ..core.access import Actor, Visibility
from ..core.errors import N_
from ..extensions import db
from .models import PURGING, AuditEvent


def audit(action: str, *, user_id: str | None, municipality_id: str | None = None,
          object_type: str | None = None, object_id: str | None = None,
          reason: str | None = None) -> None:
    """Add an audit event to the current transaction."""
    db.session.add(AuditEvent(action=action, user_id=user_id, municipality_id=municipality_id,
                              object_type=object_type, object_id=object_id,
                              reason=reason[:300] if reason else None))


def note_read(actor: Actor, visibility: str, *, municipality_id: str, object_type: str,
              object_id: str) -> None:
    """A person read a note's text: a sensitive one is audited. The view records it before
    rendering the text (a template never writes)."""
    if visibility == Visibility.SENSITIVE:
        audit("read_sensitive_note", user_id=actor.user_id, municipality_id=municipality_id,
              object_type=object_type, object_id=object_id)


def expired(cutoff: datetime) -> list[str]:
    return [str(i) for i in db.session.scalars(select(AuditEvent.id).where(AuditEvent.at < cutoff))]


def purge(ids: list[str]) -> None:
    """Retention: audit rows older than their period go, the one deletion the trail allows.
    On PostgreSQL the migration's trigger lets it through only with handvast.audit_purge set
    for this transaction."""
    if not ids:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.set_config("handvast.audit_purge", "on", True)))
    db.session.info[PURGING] = True
    try:
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start:start + 500]]
            db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(chunk)))
    finally:
        db.session.info.pop(PURGING, None)


def init_app(app: Flask) -> None:
    """The pages that read the trail are privacy's (server/privacy/audit_views.py)."""
    from ..core.privacy import retention

    retention("audit", 60, expired=expired, forget=purge, label=N_("Audit trail"))
