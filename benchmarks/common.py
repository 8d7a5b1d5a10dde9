"""What every benchmark shares: throwaway databases, an app on them, a signed-in client,
timing and printing.

Figures are printed, never asserted: the machines are shared and noisy. A benchmark fails
(non-zero exit) only when something does not work, e.g. a push answers other than 200.
"""

import os
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import create_app
from server.config import normalise_database_url

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PASSWORD = "benchmark password"
BACKENDS = ("sqlite", "postgresql")


class BenchmarkError(RuntimeError):
    """Something did not work (as opposed to being slow): the run exits non-zero."""


class Skipped(Exception):  # noqa: N818 - reads as an outcome, not an error
    """A backend is not available on this machine."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchmarkError(message)


# --- databases -------------------------------------------------------------------------------


def pg_base_url() -> str:
    return normalise_database_url(os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="handvast-bench-") as directory:
        yield f"sqlite:///{directory}/bench.db"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    url = make_url(pg_base_url())
    name = f"handvast_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection problem means "not here"
        admin.dispose()
        raise Skipped(f"PostgreSQL not reachable at {url.render_as_string()} ({type(exc).__name__}); "
                      "set BENCH_PG_URL") from exc
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def each_backend(backends: tuple[str, ...], run_backend: Callable[..., None], *args) -> None:
    """Run one benchmark on each backend; one that is not reachable here says so."""
    for backend in backends:
        try:
            run_backend(backend, *args)
        except Skipped as exc:
            print(f"  [{backend}] SKIPPED: {exc}", flush=True)


@contextmanager
def database(backend: str) -> Iterator[str]:
    manager = sqlite_database() if backend == "sqlite" else postgres_database()
    with manager as url:
        yield url


# --- the app -----------------------------------------------------------------------------------


def make_app(database_url: str, **config) -> Flask:
    """The real app on a fresh schema (the models' create_all, as the tests do)."""
    from server.core.changes import ensure_counter
    from server.extensions import db

    app = create_app({
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        # The benchmarks time the work, not the sign-in: coordinators sign in with a password.
        "SECOND_FACTOR_ROLES": (),
        **config,
    })
    with app.app_context():
        db.create_all()
        ensure_counter(db.session)
        db.session.commit()
    return app


@contextmanager
def demo_phone(app: Flask, email: str, sync_timeout_ms: int) -> Iterator[tuple]:
    """A phone-sized Chromium (Debian's, through Playwright) on the demo data: ``email`` signed
    in and synced. Yields (server, context, page); the server can be taken down (it is a
    tests.browser SwitchableServer), and everything is closed and disposed afterwards."""
    from playwright.sync_api import sync_playwright

    from server.demo.seed import DEMO_PASSWORD, seed
    from server.extensions import db
    from tests.browser.conftest import ARGS, CHROMIUM, SwitchableServer, sign_in_page

    with app.app_context():
        seed()
        db.session.commit()
    server = SwitchableServer(app)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 740},
                                          service_workers="allow", locale="en-BE")
            page = context.new_page()
            sign_in_page(page, email, DEMO_PASSWORD)
            page.wait_for_function("() => document.documentElement.dataset.syncState === 'synced'",
                                   timeout=sync_timeout_ms)
            yield server, context, page
            browser.close()
    finally:
        server.down()
        dispose(app)


def dispose(app: Flask) -> None:
    """Close every connection so the throwaway PostgreSQL database can be dropped."""
    from server.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@dataclass
class World:
    municipality_id: str
    team_id: str
    worker_id: str
    worker_email: str
    other_municipality_ids: list[str]


def build_world(app: Flask, extra_municipalities: int = 0) -> World:
    """One municipality with a team and a worker on it (plus empty neighbours), as the tests'
    factories build it."""
    from server.auth.models import Membership, User
    from server.auth.passwords import hash_password
    from server.extensions import db
    from server.org.models import Municipality, Neighbourhood, Team, TeamMember

    with app.app_context():
        municipalities = []
        for i in range(1 + extra_municipalities):
            municipality = Municipality(slug=f"bench-{i}-{secrets.token_hex(3)}",
                                        name=f"Benchgem {i}")
            db.session.add(municipality)
            db.session.flush()
            db.session.add(Neighbourhood(municipality_id=municipality.id, name="Centrum"))
            municipalities.append(municipality.id)
        team = Team(municipality_id=municipalities[0], name="Onthaal")
        db.session.add(team)
        db.session.flush()
        email = "worker@bench.test"
        user = User(email=email, display_name="Worker", password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, municipality_id=municipalities[0],
                                  role="worker"))
        db.session.add(TeamMember(team_id=team.id, user_id=user.id))
        db.session.commit()
        world = World(municipalities[0], team.id, user.id, email, municipalities[1:])
        db.session.remove()
    return world


def csrf_token(client: FlaskClient, path: str) -> str:
    match = CSRF_META.search(client.get(path).get_data(as_text=True))
    check(match is not None, f"no <meta name=csrf-token> on {path}")
    return match.group(1)


def sign_in(app: Flask, email: str) -> FlaskClient:
    """A test client signed in through the login form, with .csrf from the home page."""
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    check(response.status_code == 303, f"sign-in answered {response.status_code}")
    client.csrf = csrf_token(client, "/")  # type: ignore[attr-defined]
    return client


# --- timing and printing -----------------------------------------------------------------------


@dataclass
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)


def measure(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None,
            warmup: int = 1) -> Timing:
    """Run fn `repeat` times (after `warmup` untimed runs); setup runs untimed before each."""
    samples = []
    for i in range(warmup + repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            samples.append(elapsed)
    return Timing(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms" if seconds >= 0.1 else f"{seconds * 1000:9.2f} ms"


def heading(title: str) -> None:
    print(f"\n== {title}", flush=True)


def line(label: str, timing: Timing, extra: str = "") -> None:
    print(f"  {label:<46}median {ms(timing.median)}   min {ms(timing.min)}"
          f"   (n={len(timing.samples)}){extra}", flush=True)


def ratio(label: str, value: float, extra: str = "") -> None:
    print(f"  {label:<46}{value:9.2f} x   {extra}", flush=True)


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES goal"
