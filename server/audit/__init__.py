"""Audit trail of sensitive reads, exports and account changes."""

from flask import Flask

from ..core.access import Actor, Visibility
from ..extensions import db
from .models import AuditEvent


def audit(action: str, *, user_id: str | None, municipality_id: str | None = None,
          object_type: str | None = None, object_id: str | None = None) -> None:
    """Add an audit event to the current transaction."""
    db.session.add(AuditEvent(action=action, user_id=user_id, municipality_id=municipality_id,
                              object_type=object_type, object_id=object_id))


def note_read(actor: Actor, visibility: str, *, municipality_id: str, object_type: str,
              object_id: str) -> None:
    """A person read a note's text: a sensitive one is audited. The view records it before
    rendering the text (a template never writes)."""
    if visibility == Visibility.SENSITIVE:
        audit("read_sensitive_note", user_id=actor.user_id, municipality_id=municipality_id,
              object_type=object_type, object_id=object_id)


def init_app(app: Flask) -> None:
    """No pages yet; the events are read by coordinators' reports."""
