"""Audit trail of sensitive reads, exports and account changes."""

from flask import Flask

from ..extensions import db
from .models import AuditEvent


def audit(action: str, *, user_id: str | None, municipality_id: str | None = None,
          object_type: str | None = None, object_id: str | None = None) -> None:
    """Add an audit event to the current transaction."""
    db.session.add(AuditEvent(action=action, user_id=user_id, municipality_id=municipality_id,
                              object_type=object_type, object_id=object_id))


def init_app(app: Flask) -> None:
    """No pages yet; the events are read by coordinators' reports."""
