"""Two reminder runners against one PostgreSQL at the same moment (cron on two machines): each
reminder is claimed by one of them in the database and arrives exactly once.

Runs on a throwaway PostgreSQL database of its own in every run of the suite, the SQLite one
included; the runners are threads with their own app contexts, so their own connections."""

import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from server import create_app
from server.core.changes import ensure_counter
from server.core.clock import now
from server.extensions import db
from server.push import send
from server.push.models import PushReminder, PushSubscription
from server.push.reminders import SOURCES, Reminder, reminder_source

from . import factories
from .postgres import throwaway_database
from .push_service import PushServiceStandIn
from .test_push import VAPID_PEM

USERS, PER_USER = 20, 5
WAIT = 60


class SlowStandIn(PushServiceStandIn):
    """A push service that takes a moment per message, so the two runners overlap."""

    def receive(self, path: str, headers: dict, body: bytes) -> int:
        time.sleep(0.005)
        return super().receive(path, headers, body)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[SlowStandIn]:
    service = SlowStandIn().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def pg_push_app(stand_in) -> Iterator:
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "two-runners", "ARGON2_TIME_COST": 1,
                          "ARGON2_MEMORY_COST": 1024, "RATELIMIT_STORAGE_URI": "memory://",
                          "SQLALCHEMY_DATABASE_URI": url, "VAPID_PRIVATE_KEY": VAPID_PEM,
                          "PUSH_LOOPBACK_STAND_IN": True})
        with app.app_context():
            db.create_all()
            ensure_counter(db.session)
            place = factories.make_municipality("Runners")
            users = [factories.make_user(f"user{i}@runners.test", place, "volunteer")
                     for i in range(USERS)]
            for user in users:
                device = stand_in.device().to_json()
                db.session.add(PushSubscription(user_id=user.id, endpoint=device["endpoint"],
                                                p256dh=device["keys"]["p256dh"],
                                                auth=device["keys"]["auth"]))
            app.extensions["test_users"] = [user.id for user in users]
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def due(pg_push_app) -> Iterator[list[Reminder]]:
    reminders = [Reminder(f"test:runners:{user_id}:{n}", user_id, "Reminder", f"number {n}", "/")
                 for user_id in pg_push_app.extensions["test_users"] for n in range(PER_USER)]

    def everyone(now_):
        return list(reminders)

    reminder_source(everyone)
    yield reminders
    SOURCES.remove(everyone)


def test_two_runners_at_once_send_every_reminder_exactly_once(pg_push_app, stand_in, due):
    with pg_push_app.app_context():
        assert db.engine.dialect.name == "postgresql"
    start = threading.Barrier(2)
    outcomes: list[send.Outcome] = []
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            with pg_push_app.app_context():
                start.wait(WAIT)
                outcomes.append(send.run(now()))
                db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=runner, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)

    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    assert stand_in.refused == []
    arrived = Counter((d.path, d.payload["body"]) for d in stand_in.received)
    assert len(arrived) == len(due) == USERS * PER_USER
    assert set(arrived.values()) == {1}
    assert sum(o.sent for o in outcomes) == len(due)
    assert sum(o.skipped for o in outcomes) == len(due)  # each runner met every reminder once
    assert all(o.sent for o in outcomes), "both runners took part"
    with pg_push_app.app_context():
        statuses = Counter(db.session.scalars(db.select(PushReminder.status)))
    assert statuses == {"sent": len(due)}
