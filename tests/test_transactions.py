"""One transaction rule: operations flush, the request commits once, templates never write."""

import re

import pytest
from flask import render_template_string
from sqlalchemy import event, func, select

from server import ROOT, create_app
from server.audit.models import AuditEvent
from server.core.ids import new_id
from server.extensions import db
from server.org.models import Team
from server.transaction import WriteWhileRendering

COMMIT = re.compile(r"\.commit\(\)")
# The request, the sync batch of a form post (commit_one) and command-line commands commit.
MAY_COMMIT = {"server/transaction.py", "server/sync/apply.py", "server/sync/cli.py",
              "server/demo/seed.py", "server/demo/scale.py", "server/auth/cli.py", "server/privacy/cli.py",
              # a sign-in attempt is audited after the request answered: a failure rolls back
              "server/privacy/signins.py",
              # the reminder runner claims each reminder in its own commit before sending it
              "server/push/send.py", "server/buddies/cli.py", "server/welcome/cli.py"}


def test_only_the_request_the_batch_and_commands_commit():
    committing = {str(path.relative_to(ROOT)) for path in (ROOT / "server").rglob("*.py")
                  if COMMIT.search(path.read_text())}
    assert committing <= MAY_COMMIT


def test_a_template_that_writes_fails(app, world):
    def sneaky_audit():
        db.session.add(AuditEvent(action="read", user_id=world.users["worker"].id))
        return ""

    with app.test_request_context("/"), pytest.raises(WriteWhileRendering):
        render_template_string("{{ sneaky_audit() }}", sneaky_audit=sneaky_audit)


def test_a_page_renders_what_the_view_wrote(app, world):
    with app.test_request_context("/"):
        db.session.add(AuditEvent(action="read", user_id=world.users["worker"].id))
        text = render_template_string("{{ count() }}", count=lambda: db.session.scalar(
            select(func.count()).select_from(AuditEvent)))
        assert text == "1"
        db.session.rollback()


def test_a_refused_form_writes_nothing(app, world, login):
    client = login("coordinator@a.test")
    response = client.post("/manage/teams", data={"csrf_token": client.csrf, "name": ""})
    assert response.status_code == 422
    assert client.post("/manage/teams", data={"csrf_token": client.csrf,
                                              "name": "Noord"}).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Team.name).where(Team.name == "Noord")).all() == ["Noord"]


def test_a_rolled_back_savepoint_keeps_the_rest_of_the_transaction(app, world):
    with app.app_context():
        db.session.add(AuditEvent(action="kept", user_id=world.users["worker"].id))
        db.session.flush()
        savepoint = db.session.begin_nested()
        db.session.add(AuditEvent(action="dropped", user_id=world.users["worker"].id))
        db.session.flush()
        savepoint.rollback()
        assert db.session.scalars(select(AuditEvent.action)).all() == ["kept"]
        db.session.rollback()  # and the whole transaction goes, savepoint work included
        assert db.session.scalars(select(AuditEvent.action)).all() == []


@pytest.fixture
def sqlite_app(tmp_path):
    """An app of its own on a SQLite file, whatever database the suite runs on."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.db'}"},
                     instance_path=str(tmp_path))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sqlite_begins_every_transaction_and_writing_requests_take_the_lock(sqlite_app):
    statements: list[str] = []
    with sqlite_app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda _conn, _cursor, statement, *_rest: statements.append(statement))
    for method in ("GET", "POST"):
        with sqlite_app.test_request_context("/", method=method):
            db.session.scalar(select(func.count()).select_from(AuditEvent))
            db.session.rollback()
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE"]


def test_sqlite_savepoint_work_goes_with_its_transaction(sqlite_app):
    with sqlite_app.app_context():
        with db.session.begin_nested():
            db.session.add(AuditEvent(action="in a savepoint", user_id=None))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_sqlite_reads_that_record_an_audit_take_the_write_lock_at_once(sqlite_app):
    """Showing a sensitive note writes its audit row: on SQLite that GET must not begin as a
    reader and then fail to upgrade its lock beside another writer ("database is locked")."""
    statements: list[str] = []
    with sqlite_app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda _conn, _cursor, statement, *_rest: statements.append(statement))
    paths = [f"/contacts/{new_id()}/note", f"/referrals/{new_id()}/steps/1/note",
             f"/contacts/{new_id()}"]
    for path in paths:
        with sqlite_app.test_request_context(path, method="GET"):
            db.session.scalar(select(func.count()).select_from(AuditEvent))
            db.session.rollback()
    assert [s for s in statements if s.startswith("BEGIN")] == [
        "BEGIN IMMEDIATE", "BEGIN IMMEDIATE", "BEGIN"]
