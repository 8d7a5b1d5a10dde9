"""One transaction per request: operations flush, the request commits once, pages only read.

- Operations (``server/<feature>/operations.py``) add and flush, never commit; an operation
  that refuses (``ValidationFailed``) has changed nothing yet.
- A request whose view answers below 400 is committed once, after the view returned and
  before the answer leaves (``Handvast.dispatch_request``); a failed commit is then an error
  answer like any other. An answer of 400 or more, or an exception, rolls everything back.
  Form posts of mutations and sync pushes are that same request: ``sync.apply.commit_one``
  commits its one mutation where it can still answer a colliding id as a duplicate.
- A template never writes: an audit of a read is recorded by the view before it renders.
  Whatever the view changed is flushed before rendering; a change made while a template
  renders raises ``WriteWhileRendering``.
- SQLite gets real transactions (SQLAlchemy's pysqlite recipe): BEGIN at the first statement
  of every transaction, so reads are repeatable and savepoints nest; a request that may write
  (any method but GET, HEAD, OPTIONS, and a GET view marked ``records_reads``) takes the
  write lock at once (BEGIN IMMEDIATE) rather than failing to upgrade a read lock later.
"""

from typing import Any

from flask import Flask, Request, Response, current_app, g, has_request_context, jsonify, request
from flask.signals import before_render_template, template_rendered
from jinja2_fragments.flask import before_render_template_block, template_block_rendered
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .extensions import db

READING_METHODS = {"GET", "HEAD", "OPTIONS"}


def records_reads(view: Any) -> Any:
    """Marks a GET view that writes (it records a person's read of a sensitive note), so that
    on SQLite it takes the write lock at once instead of failing to upgrade a read lock."""
    view.writes = True
    return view


class WriteWhileRendering(RuntimeError):
    """A template (or a helper it calls) changed the database: record it in the view."""


class LimitedRequest(Request):
    """A request whose body may be as large as MAX_CONTENT_LENGTH, or as the upload limit
    for a view marked large_upload (web.large_upload): Werkzeug refuses a larger one with 413
    from its Content-Length, before reading it."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        view = current_app.view_functions.get(self.endpoint or "")
        if getattr(view, "large_upload", False):
            return current_app.config["WELCOME_MAX_UPLOAD_BYTES"] + 64 * 1024
        return current_app.config["MAX_CONTENT_LENGTH"]


class Handvast(Flask):
    """The app: each request's view runs in one transaction, committed or rolled back here."""

    request_class = LimitedRequest

    def dispatch_request(self) -> Response:  # type: ignore[override]
        response = self.make_response(super().dispatch_request())
        session = db.session()
        if session.in_transaction():
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                _sqlite_transactions(engine)
    for started in (before_render_template, before_render_template_block):
        started.connect(_rendering_starts, app)
    for ended in (template_rendered, template_block_rendered):
        ended.connect(_rendering_ends, app)
    if not event.contains(Session, "before_flush", _no_flush_while_rendering):
        event.listen(Session, "before_flush", _no_flush_while_rendering)
    app.register_error_handler(OperationalError, _database_unavailable)


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = has_request_context() and (
            request.method not in READING_METHODS
            or getattr(current_app.view_functions.get(request.endpoint or ""), "writes", False))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _changed(session: Session) -> bool:
    return bool(session.new or session.deleted
                or any(session.is_modified(obj) for obj in session.dirty))


def _rendering_starts(_app: Flask, **_extra: Any) -> None:
    g.rendering = False  # an error page after a template that failed half-way
    db.session.flush()  # what the view changed is written; from here on, nothing is
    g.rendering = True


def _rendering_ends(_app: Flask, **_extra: Any) -> None:
    g.rendering = False
    if _changed(db.session):
        raise WriteWhileRendering("a template changed the database")


def _no_flush_while_rendering(session: Session, _context: Any, _instances: Any) -> None:
    if has_request_context() and g.get("rendering") and _changed(session):
        raise WriteWhileRendering("a template changed the database")


def _database_unavailable(exc: OperationalError) -> tuple[Response, int, dict[str, str]]:
    """The sync API answers 503 with Retry-After: the phone keeps its outbox and tries again."""
    if not request.path.startswith("/api/"):
        raise exc
    db.session.rollback()
    current_app.logger.exception("database unavailable")
    return jsonify(error="database unavailable, retry later"), 503, {"Retry-After": "5"}
