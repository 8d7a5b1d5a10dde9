"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with
TEST_DATABASE_URL), a clean database for every test, signed-in clients per role."""

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from werkzeug.serving import make_server

from server import create_app
from server.auth.models import Membership
from server.core.changes import ensure_counter
from server.extensions import db

from . import factories
from .postgres import create_database

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


@pytest.fixture(autouse=True)
def clean_database(request):
    """Every test starts empty; rows are deleted afterwards (works for live servers too)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    yield
    with app.app_context():
        factories.empty_database()
        db.session.remove()
    from server.extensions import limiter

    limiter.reset()


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
def world(app):
    """Two municipalities with a user of every role; see factories.World."""
    with app.app_context():
        built = factories.build_world()
        db.session.commit()
        for obj in (built.a, built.b, built.team, *built.users.values()):
            db.session.refresh(obj)  # loaded now, so usable after the session is gone
        db.session.expunge_all()
        db.session.remove()
    return built


@pytest.fixture
def login(app):
    """login("worker") -> a test client signed in as that world user, with .csrf set."""

    def _login(email: str):
        client = app.test_client()
        response = sign_in(client, email)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        client.csrf = csrf_token(client, "/")
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


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app)
    yield server
    server.stop()


ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items) -> None:
    """Everything under tests/browser drives Chromium: `-m "not browser"` leaves it out."""
    browser_dir = ROOT / "tests" / "browser"
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)
