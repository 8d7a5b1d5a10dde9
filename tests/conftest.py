"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with
TEST_DATABASE_URL), a clean database for every test, signed-in clients per role.

Most tests run inside one transaction per module that is never committed: the `world` is
built once in it, each test runs in a savepoint rolled back afterwards, and every session
the app opens joins that transaction ("joining a session into an external transaction").
Tests that need data committed for another connection, thread or process (live servers,
browsers, second apps, other processes) run on the committed path instead: the rows they
wrote are deleted afterwards."""

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import select
from werkzeug.serving import make_server

from server import create_app
from server.auth.models import Membership
from server.core import clock
from server.core.changes import ensure_counter
from server.extensions import db

from . import factories
from .postgres import create_database
from .snapshot import built_once

# Full runs in `make test` and CI; `make test-fast` (HYPOTHESIS_PROFILE=dev) for quick rounds.
settings.register_profile("ci", max_examples=40)
settings.register_profile("dev", max_examples=8)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class EnglishClient(FlaskClient):
    """Tests read the English source strings; a test that needs another language asks for it
    (an Accept-Language header, POST /language), as tests/test_i18n_pages.py does."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url, drop = create_database(base)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        # The suite signs coordinators and admins in with a password alone; the second factor
        # those roles need by default is proven in tests/test_second_factor.py.
        "SECOND_FACTOR_ROLES": (),
    })
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.test_client_class = EnglishClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_counter(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def compiled_catalogs(app):
    """The .mo files built from the .po files as they are now, once per session; translations
    the app loaded before are forgotten."""
    from server.extensions import babel
    from server.i18n.catalogs import compile_all

    compile_all()
    with app.app_context():
        babel.domain_instance.cache.clear()


class SharedTransaction:
    """One outer transaction for a module's tests, the engine of the app swapped for its
    connection so that every session joins it (SAVEPOINTs: the app's commits release them)."""

    def __init__(self, app) -> None:
        self.app, self.module, self.connection, self.world = app, None, None, None
        self.engine = None
        self.signed_in: dict[str, tuple[str, str]] = {}  # email -> session cookie, CSRF token
        self.added: set = set()  # the module's record builders already run (marker `records`)

    def enter(self, module: str) -> None:
        if self.module != module:
            self.leave()
        if self.connection is None:
            with self.app.app_context():
                self.engine = db.engine
                self.connection = self.engine.connect()
                self.connection.begin()
                db.engines[None] = self.connection
            self.module = module

    def build_world(self) -> factories.World:
        if self.world is None:
            self.world = _committed_world(self.app)
        return self.world

    def add_records(self, build) -> None:
        """The module's own records (marker `records`), made once under the world."""
        if build not in self.added:
            self.world.records.update(build(self.app, self.world))
            self.added.add(build)

    def leave(self) -> None:
        if self.connection is not None:
            with self.app.app_context():
                db.session.remove()
                db.engines[None] = self.engine
            self.connection.rollback()
            self.connection.close()
        self.module, self.connection, self.world = None, None, None
        self.signed_in, self.added = {}, set()


SHARED: list[SharedTransaction] = []  # the session's one, once made
# Fixtures whose tests need committed data: a server in a thread, a second app, the demo
# restored from its snapshot (tests/snapshot.py). A test or module marked `committed` or
# `browser` takes that path as well.
COMMITTED_FIXTURES = {"live_server", "proxied_app", "pg_app", "demo"}


def _committed_path(request) -> bool:
    node = request.node
    return (node.get_closest_marker("committed") is not None
            or node.get_closest_marker("browser") is not None
            or bool(COMMITTED_FIXTURES & set(request.fixturenames)))


@pytest.fixture(scope="session")
def shared_transaction(app) -> Iterator[SharedTransaction]:
    with app.app_context():
        db.session.configure(join_transaction_mode="create_savepoint")
    shared = SharedTransaction(app)
    SHARED.append(shared)
    yield shared
    shared.leave()
    SHARED.clear()


@pytest.fixture(autouse=True)
def clean_database(request):
    """Every test starts with an empty database (or the module's world) and leaves nothing."""
    committed = _committed_path(request)
    if committed and SHARED:
        SHARED[0].leave()
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    if committed:
        yield
        ANSWERING.quiet()
        with app.app_context():
            factories.empty_database()
            db.session.remove()
    else:
        yield from _rolled_back(request)
    from server.extensions import limiter

    limiter.reset()


def _rolled_back(request) -> Iterator[None]:
    shared = request.getfixturevalue("shared_transaction")
    shared.enter(request.node.path)
    if "world" in request.fixturenames:
        shared.build_world()  # before the test's savepoint: it stays for the whole module
        for marker in request.node.iter_markers("records"):
            shared.add_records(marker.args[0])
    savepoint = shared.connection.begin_nested()
    yield
    with shared.app.app_context():
        db.session.remove()
    savepoint.rollback()


# HANDVAST_TEST_NOW=2027-03-28T03:30+02:00 runs the whole suite on that day and hour (the
# clock runs on from it), to find tests and code that hold only on some days of the year.
SESSION_DAY = os.environ.get("HANDVAST_TEST_NOW")
SESSION_OFFSET = (datetime.fromisoformat(SESSION_DAY) - datetime.now(UTC) if SESSION_DAY
                  else timedelta(0))


def _session_time() -> None:
    clock.travel_to(datetime.now(UTC) + SESSION_OFFSET if SESSION_DAY else None)


_session_time()


@pytest.fixture
def travel() -> Iterator:
    """travel(moment) or travel(days=…, hours=…): the server's clock reads that moment (or
    that far from the session's now) and runs on from it; travel() and the test's end bring
    back the session's time. Browser contexts opened afterwards run their pages' clock from
    the server's."""

    def _travel(moment: datetime | None = None, **delta) -> None:
        if moment is None:
            _session_time()
            moment = clock.now() + timedelta(**delta) if delta else None
        if moment is not None:
            clock.travel_to(moment)

    yield _travel
    _session_time()


@pytest.fixture
def demo(app) -> dict:
    """The demo municipalities of `make run` (server/demo/seed.py), built once per test session
    and restored from its snapshot for each test: the demo password and Amina's person id."""
    from server.demo.seed import DEMO_PASSWORD, seed
    from server.people.models import Person

    with app.app_context():
        built_once("demo", seed)
        amina = db.session.scalar(select(Person.id).where(Person.display_name == "Amina El Idrissi"))
        db.session.remove()
    return {"password": DEMO_PASSWORD, "amina": amina}


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/login") -> str:
    match = CSRF_META.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, email: str, password: str = factories.PASSWORD):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


@pytest.fixture
def world(app, request):
    """Two municipalities with a user of every role; see factories.World. Built once per
    module on the rolled-back path (each test gets its own records dict to add to), with the
    records of the module's marker `records(build)`: build(app, world) -> {name: id}, run once
    per module as well."""
    if _committed_path(request):
        built = _committed_world(app)
        for marker in request.node.iter_markers("records"):
            built.records.update(marker.args[0](app, built))
        return built
    shared = request.getfixturevalue("shared_transaction").build_world()
    return replace(shared, records=dict(shared.records))


def _committed_world(app) -> factories.World:
    with app.app_context():
        built = factories.build_world()
        db.session.commit()
        for obj in (built.a, built.b, built.team, *built.users.values()):
            db.session.refresh(obj)  # loaded now, so usable after the session is gone
        db.session.expunge_all()
        db.session.remove()
    return built


@pytest.fixture
def login(app, request):
    """login("worker@a.test") -> a new test client signed in as that world user, with .csrf
    set. On the rolled-back path the module signs each user in once and later clients start
    from a copy of that session cookie (the account rolls back to the same state after every
    test, so the cookie stays valid); tests marked `fresh_sign_in` sign in every time."""
    reuse = (not _committed_path(request)
             and request.node.get_closest_marker("fresh_sign_in") is None)
    signed_in = request.getfixturevalue("shared_transaction").signed_in if reuse else {}
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    def world_emails() -> set[str]:
        shared = request.getfixturevalue("shared_transaction").world
        return {user.email for user in shared.users.values()} if shared else set()

    def _login(email: str):
        client = app.test_client()
        if email in signed_in:  # only users of the module's world, who outlive every test
            client.set_cookie(cookie_name, signed_in[email][0])
            client.csrf = signed_in[email][1]
            return client
        response = sign_in(client, email)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        client.csrf = csrf_token(client, "/")
        if reuse and email in world_emails():
            signed_in[email] = (client.get_cookie(cookie_name).value, client.csrf)
        return client

    return _login


@pytest.fixture
def worker_in_two(app, world, login):
    """The worker of municipality A, also a volunteer in B, signed in (working in A)."""
    with app.app_context():
        db.session.add(Membership(user_id=world.users["worker"].id, municipality_id=world.b.id,
                                  role="volunteer"))
        db.session.commit()
    return login("worker@a.test")


def switch_municipality(client, municipality_id: str):
    return client.post("/municipality", data={"csrf_token": client.csrf,
                                              "municipality_id": municipality_id})


# How often a test server looks whether it should stop: shutdown() waits up to this long.
POLL_S = 0.02


class Answering:
    """WSGI middleware over the test servers' app: the requests they are answering. A phone's
    last request can still be running on the server when its test ends (the browser is gone,
    the server thread commits all the same): the database is emptied or restored only once
    they are all done (quiet()). A request is done when the server closes its response, or
    when its thread has ended (Werkzeug skips close() when the client reset the connection)."""

    def __init__(self) -> None:
        self.running: dict[int, tuple[threading.Thread, str]] = {}
        self.changed = threading.Condition()

    def wrap(self, app):
        def answering(environ, start_response):
            key = id(environ)
            with self.changed:
                self.running[key] = (threading.current_thread(),
                                     f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
            try:
                body = app(environ, start_response)
            except BaseException:
                self._done(key)
                raise
            return _Answered(body, lambda: self._done(key))
        return answering

    def _done(self, key: int) -> None:
        with self.changed:
            self.running.pop(key, None)
            self.changed.notify_all()

    def _idle(self) -> bool:
        for key, (thread, _what) in list(self.running.items()):
            if not thread.is_alive():
                del self.running[key]
        return not self.running

    def quiet(self, timeout: float = 30) -> None:
        with self.changed:
            deadline = time.monotonic() + timeout
            while not self._idle():
                if time.monotonic() > deadline:
                    still = sorted(what for _thread, what in self.running.values())
                    raise RuntimeError(f"still answering after {timeout} s: {still}")
                self.changed.wait(0.05)


class _Answered:
    """A response body that reports when the server is done with it (WSGI: close())."""

    def __init__(self, body, done) -> None:
        self.body, self.done = body, done

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.done()


ANSWERING = Answering()


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, ANSWERING.wrap(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_S,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app)
    yield server
    server.stop()


ROOT = Path(__file__).resolve().parent.parent


DATABASE_FIXTURES = {"app", "database_url"}


def pytest_collection_modifyitems(items) -> None:
    """Everything under tests/browser drives Chromium: `-m "not browser"` leaves it out. A
    test that uses the suite's database (the app on it, or its URL) is marked `database`: it
    runs on SQLite and on PostgreSQL; every other test (units, tests that make their own
    PostgreSQL databases, processes and Redis) runs once (see the Makefile's lanes)."""
    browser_dir = ROOT / "tests" / "browser"
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)


def pytest_collection_finish(session) -> None:
    """HANDVAST_LIST_TESTS=FILE writes the tests this run selected, one per line, with a tab
    and `database` after the ones that use the suite's database (`postgres` after those that
    check PostgreSQL itself): the lane check (.ci/lanes) reads them."""
    target = os.environ.get("HANDVAST_LIST_TESTS")
    if target:
        Path(target).write_text("".join(
            item.nodeid + _lane_tag(item) + "\n" for item in session.items), encoding="utf-8")


def _lane_tag(item) -> str:
    if item.get_closest_marker("postgres"):
        return "\tpostgres"
    return "\tdatabase" if item.get_closest_marker("database") else ""
