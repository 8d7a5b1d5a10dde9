"""Two real app processes on one PostgreSQL database: the same batch through both at the same
moment takes effect once; a process killed (SIGKILL) in the middle of a batch, restarted, and
the client's retry of the whole batch: nothing lost, nothing doubled.

Runs in every run of the suite on a throwaway PostgreSQL database of its own, migrated with
`flask db upgrade`; servers are `flask run` on free loopback ports and always killed."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from server import ROOT, create_app
from server.core.clock import now
from server.extensions import db

from . import factories
from .postgres import throwaway_database
from .sync_client import CLIENT_ID, PUSH, contact_create, person_create

pytestmark = pytest.mark.committed  # other processes, threads or databases read what it writes

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi:app"]
SECRET = "two-processes-share-this-key"
WAIT = 30  # seconds for a server to come up or a request to finish
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One `flask run` process on a free loopback port."""

    def __init__(self, database_url: str, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
               "HANDVAST_RATELIMIT_STORAGE_URI": "memory://", "FLASK_DEBUG": "0"}
        env.pop("REDIS_URL", None)
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [*FLASK, "run", "--host", "127.0.0.1", "--port", str(self.port), "--no-reload",
             "--no-debugger", "--with-threads"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited while starting"
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"{self.url} did not come up in {WAIT} s")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        self.log.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[str]:
    """A migrated PostgreSQL database with the usual world in it."""
    with throwaway_database() as url:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
        subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=120)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                          "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
        with app.app_context():
            factories.build_world()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        yield url


@pytest.fixture
def start_server(database, tmp_path) -> Iterator:
    """start_server() -> a running Server; every one started is killed at the end."""
    started: list[Server] = []

    def start() -> Server:
        started.append(Server(database, tmp_path / "servers.log"))
        return started[-1]

    yield start
    for server in started:
        server.kill()


def _sign_in(server: Server, email: str = "worker@a.test") -> requests.Session:
    session = requests.Session()
    page = session.get(f"{server.url}/login", timeout=WAIT).text
    token = CSRF_META.search(page).group(1)
    answer = session.post(f"{server.url}/login", allow_redirects=False, timeout=WAIT, data={
        "email": email, "password": factories.PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.text[:300]
    session.headers["X-CSRFToken"] = session.get(
        f"{server.url}/api/v1/session", timeout=WAIT).json()["csrf_token"]
    return session


def _clone(session: requests.Session) -> requests.Session:
    """The same sign-in for another thread (requests sessions are not shared across threads)."""
    other = requests.Session()
    other.cookies.update(session.cookies)
    other.headers.update(session.headers)
    return other


def _batch(label: str, people: int) -> list[dict]:
    """People and a contact with each, as a phone that was offline a while sends them."""
    out = []
    for i in range(people):
        person = person_create(f"{label} {i}")
        out += [person, contact_create([person["record_id"]], note=f"{label} contact {i}",
                                       occurred_at=(now() - timedelta(hours=1)).isoformat())]
    return out


def _push(session: requests.Session, server: Server, batch: list[dict]) -> requests.Response:
    return session.post(f"{server.url}{PUSH}", json={"client_id": CLIENT_ID, "mutations": batch},
                        timeout=WAIT * 4)


def _counts(url: str, label: str, batch: list[dict]) -> dict[str, int]:
    ids = [m["id"] for m in batch]
    records = [m["record_id"] for m in batch]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            one = lambda sql, **kw: conn.execute(text(sql), kw).scalar_one()  # noqa: E731
            return {
                "people": one("SELECT count(*) FROM person WHERE display_name LIKE :p",
                              p=f"{label} %"),
                "contacts": one("SELECT count(*) FROM contact WHERE note LIKE :p",
                                p=f"{label} contact %"),
                "versions": one("SELECT count(*) FROM contact_version WHERE contact_id = ANY(:r)",
                                r=records),
                "links": one("SELECT count(*) FROM contact_person WHERE contact_id = ANY(:r)",
                             r=records),
                "ledger": one("SELECT count(*) FROM applied_mutation WHERE id = ANY(:i)", i=ids),
                "changes": one("SELECT count(*) FROM change_log WHERE record_id = ANY(:r)",
                               r=records),
            }
    finally:
        engine.dispose()


def _once(people: int) -> dict[str, int]:
    return {"people": people, "contacts": people, "versions": people, "links": people,
            "ledger": 2 * people, "changes": 2 * people}


def test_same_batch_through_two_processes_at_once_applies_once(database, start_server):
    first, second = start_server(), start_server()
    session = _sign_in(first)
    batch = _batch("Twice delivered", 40)
    barrier = threading.Barrier(2, timeout=WAIT)
    answers: dict[str, requests.Response] = {}

    def deliver(name: str, server: Server, client: requests.Session) -> None:
        barrier.wait()
        answers[name] = _push(client, server, batch)

    threads = [threading.Thread(target=deliver, args=(name, server, _clone(session)))
               for name, server in (("first", first), ("second", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 4)

    assert {name: a.status_code for name, a in answers.items()} == {"first": 200, "second": 200}
    one, two = (answers[n].json()["results"] for n in ("first", "second"))
    for mutation, a, b in zip(batch, one, two, strict=True):
        assert a["id"] == b["id"] == mutation["id"]
        assert sorted([a["status"], b["status"]]) == ["applied", "duplicate"], (a, b)
        assert (a["record_id"], a["version"]) == (b["record_id"], b["version"])
    assert _counts(database, "Twice delivered", batch) == _once(40)


WRITING = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
               "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")


def _wait_until_writing(url: str, thread: threading.Thread) -> None:
    """Until another connection holds an open transaction that has written something."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + WAIT
    try:
        with engine.connect() as conn:
            while conn.execute(WRITING).scalar_one() == 0:
                assert time.monotonic() < deadline, "the batch never started writing"
                assert thread.is_alive(), "the batch finished before it could be interrupted"
    finally:
        engine.dispose()


def test_process_killed_mid_batch_then_retried_loses_nothing_and_doubles_nothing(
        database, start_server):
    server = start_server()
    session = _sign_in(server)
    batch = _batch("Killed mid-batch", 250)  # 500 mutations: the largest batch allowed
    outcome: dict[str, object] = {}

    def deliver() -> None:
        try:
            outcome["response"] = _push(_clone(session), server, batch)
        except requests.ConnectionError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=deliver)
    thread.start()
    _wait_until_writing(database, thread)
    server.kill()
    thread.join(WAIT)

    assert "error" in outcome, "the client heard an answer: the kill came too late"
    assert _counts(database, "Killed mid-batch", batch) == dict.fromkeys(_once(0), 0)

    restarted = start_server()
    retry = _push(session, restarted, batch)
    again = _push(session, restarted, batch)

    assert retry.status_code == again.status_code == 200
    assert {r["status"] for r in retry.json()["results"]} == {"applied"}
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}
    assert _counts(database, "Killed mid-batch", batch) == _once(250)
