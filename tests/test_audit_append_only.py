"""On PostgreSQL the audit trail is append-only for every database client, not only the app:
the migration's trigger refuses UPDATE and DELETE, except retention's purge in its own
transaction. (A database of its own on the machine's PostgreSQL, in SQLite runs too.)"""

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from server import ROOT, create_app
from server.audit import expired, purge
from server.audit.models import AuditEvent
from server.core import clock
from server.extensions import db

from .postgres import create_database


@pytest.fixture
def migrated():
    url, drop = create_database()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    try:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


def test_the_database_refuses_to_change_or_delete_audit_rows(migrated):
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_event (at, action) VALUES (now(), 'sign_in')"))
    for statement in ("UPDATE audit_event SET action = 'nothing'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_event")).scalars().all() == ["sign_in"]


def test_retention_purges_old_rows_through_the_trigger(migrated):
    db.session.add(AuditEvent(action="sign_in", at=clock.now() - timedelta(days=6 * 365)))
    db.session.add(AuditEvent(action="sign_in"))
    db.session.commit()
    old = expired(clock.now() - timedelta(days=5 * 365))
    assert len(old) == 1
    purge(old)
    db.session.commit()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1
        # the permission ended with the purge's transaction
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("DELETE FROM audit_event"))


def test_every_audited_action_has_a_label_for_the_coordinator():
    """The audit page names each action in the reader's language, never by its code."""
    import re
    from pathlib import Path

    from server.privacy.audit_log import ACTION_LABELS

    server = Path(__file__).resolve().parents[1] / "server"
    source = "\n".join(p.read_text() for p in server.rglob("*.py"))
    named = set(re.findall(r'audit(?:_neighbourhood)?\((?:actor, )?"([a-z_]+)"', source))
    named |= set(re.findall(r'_(?:audit|changed)\(actor, "([a-z_]+)"', source))
    named |= {a for pair in re.findall(r'"([a-z_]+)" if active\s+else "([a-z_]+)"', source)
              for a in pair}
    named |= set(re.findall(r'action = "([a-z_]+)"', source))
    assert len(named) > 30
    assert named - set(ACTION_LABELS) == set()
