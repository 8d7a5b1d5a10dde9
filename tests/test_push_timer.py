"""`make run`'s reminders: the server process sends them on its own timer, started by the
first request it serves (never in the reloader's parent, never twice); off in tests and, unless
configured, in production."""

import threading
import time

import pytest

from server import create_app
from server.core.changes import ensure_counter
from server.extensions import db
from server.push.reminders import SOURCES, reminder_source
from server.push.timer import Timer

from .test_push import VAPID_PEM


def _server_app(tmp_path, **config):
    app = create_app({"SECRET_KEY": "timer", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.db'}",
                      "VAPID_PRIVATE_KEY": VAPID_PEM, **config}, instance_path=str(tmp_path))
    with app.app_context():
        db.create_all()
        ensure_counter(db.session)
        db.session.commit()
    return app


@pytest.fixture
def rounds():
    """Every time the runner asks the sources for due reminders."""
    asked = []

    def counting(now_):
        asked.append(now_)
        return []

    reminder_source(counting)
    yield asked
    SOURCES.remove(counting)


def _timers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "handvast-reminders" and t.is_alive()]


def test_the_server_sends_reminders_on_its_timer_from_its_first_request(tmp_path, monkeypatch,
                                                                        rounds):
    monkeypatch.setattr(Timer, "first_delay_seconds", 0.05)
    app = _server_app(tmp_path, PUSH_TIMER_MINUTES=1 / 600)  # every 0.1 s
    timer = app.extensions["push_timer"]
    before = len(_timers())
    try:
        assert timer.thread is None
        assert rounds == []
        client = app.test_client()
        client.get("/health")
        client.get("/health")
        deadline = time.monotonic() + 10
        while len(rounds) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(rounds) >= 2
        assert len(_timers()) == before + 1
    finally:
        timer.stop()
        timer.thread.join(5)


@pytest.mark.parametrize("config", [{"TESTING": True, "PUSH_TIMER_MINUTES": 5}, {}],
                         ids=["tests", "production default"])
def test_no_timer_in_tests_or_by_default(tmp_path, config):
    app = _server_app(tmp_path, **config)
    app.test_client().get("/health")

    assert "push_timer" not in app.extensions
