"""Counting on PostgreSQL with real connections in threads: increments of one counter that
arrive at the same moment, through several sessions, all add up; none is lost to a read and
write back. Runs on a throwaway PostgreSQL database of its own, the SQLite run included."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from server import create_app
from server.core.changes import ensure_counter
from server.core.clock import now
from server.core.ids import new_id
from server.core.mutations import Mutation
from server.extensions import db
from server.gatherings.models import Gathering
from server.outreach.models import OutreachRound
from server.sync.apply import apply_one

from . import factories
from .conftest import csrf_token, sign_in
from .postgres import throwaway_database
from .sync_client import mutation, results

WAIT = 15


@pytest.fixture(scope="module")
def pg_app() -> Iterator:
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "counting", "ARGON2_TIME_COST": 1,
                          "ARGON2_MEMORY_COST": 1024, "RATELIMIT_STORAGE_URI": "memory://",
                          "SQLALCHEMY_DATABASE_URI": url, "SECOND_FACTOR_ROLES": ()})
        with app.app_context():
            db.create_all()
            ensure_counter(db.session)
            world = factories.build_world()
            world.records["gathering"] = factories.apply(world.actor("worker"), "gathering.create", {
                "kind": "buurtbabbel", "place": "Plein",
                "starts_at": (now() + timedelta(days=1)).isoformat(),
                "host_ids": [world.users["officer"].id]})
            app.extensions["test_world"] = world
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _tap(record_id: str, delta: int = 1) -> Mutation:
    return Mutation(id=new_id(), type="gathering.increment", record_id=record_id,
                    fields={"counter": "residents", "delta": delta})


def test_an_increment_waiting_on_an_open_one_adds_to_it(pg_app):
    world = pg_app.extensions["test_world"]
    gathering = world.records["gathering"]
    applied, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with pg_app.app_context():
                assert apply_one(world.actor("officer"), _tap(gathering, 3)).status == "applied"
                db.session.flush()
                applied.set()
                release.wait(WAIT)
                db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
            applied.set()

    first = threading.Thread(target=hold, daemon=True)
    first.start()
    assert applied.wait(WAIT)
    second_done = threading.Event()

    def second() -> None:
        try:
            with pg_app.app_context():
                assert apply_one(world.actor("worker"), _tap(gathering, 4)).status == "applied"
                db.session.commit()
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)
        finally:
            second_done.set()

    waiting = threading.Thread(target=second, daemon=True)
    waiting.start()
    assert not second_done.wait(0.5)  # it waits for the open increment's row lock
    release.set()
    first.join(WAIT)
    waiting.join(WAIT)
    assert errors == []
    with pg_app.app_context():
        counted = db.session.get(Gathering, gathering)
        assert counted.residents == 7
        db.session.remove()


def test_many_phones_pushing_taps_at_once_add_up(pg_app):
    start = mutation("outreach_round.start", {"place": "Markt",
                                              "started_at": now().isoformat()})
    clients = []
    for email in ("worker@a.test", "officer@a.test", "coordinator@a.test"):
        client = pg_app.test_client()
        assert sign_in(client, email).status_code == 303
        client.csrf = csrf_token(client, "/")
        clients.append(client)
    results(clients[0], start)
    barrier = threading.Barrier(len(clients))
    errors: list[BaseException] = []

    def push(client) -> None:
        try:
            barrier.wait(WAIT)
            for _ in range(5):
                taps = [mutation("outreach_round.increment", {"counter": "reached", "delta": 1},
                                 record_id=start["record_id"]) for _ in range(4)]
                answers = results(client, *taps)
                assert {a["status"] for a in answers} == {"applied"}, answers
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert errors == []
    with pg_app.app_context():
        walked = db.session.get(OutreachRound, start["record_id"])
        assert walked.reached == 3 * 5 * 4
        assert walked.version == 1 + 60
        db.session.remove()
