"""Every page of every role on a synthetic region (`flask seed-scale`), through the Flask test
client: per page the p50 and p95 of the time the app takes to answer and the SQL statements
it runs, then the plan of the slowest statement of the slowest pages.

The roles are the demo accounts (server/demo/seed.py) and the region's worker and coordinator
(server/demo/scale.py). A role's pages are the pages its phone keeps (server/working_set.py),
one record of each kind it pulls for the per-record pages, and the coordinator's list of
all open referrals. Timings are printed, never asserted; a page that does not answer 200 to
a role its working set names is a failure."""

import math
import statistics
import time
from dataclasses import dataclass, field

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from . import common

NAME = "pages"
REQUESTS = 20
SLOWEST = 3  # pages whose slowest statement is explained
EXTRA_PAGES = {"coordinator": ["/referrals/?all=1", "/referrals/?all=1&page=2"]}


@dataclass
class Statement:
    seconds: float
    text: str
    parameters: object


@dataclass
class PageCost:
    email: str
    url: str
    status: int = 200
    samples: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    slowest: Statement | None = None
    size: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Recorder:
    """The statements of one request, each timed (before/after_cursor_execute on every
    engine)."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []
        self._started = 0.0

    def __enter__(self) -> "Recorder":
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(Engine, "before_cursor_execute", self._before)
        event.remove(Engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(Statement(time.perf_counter() - self._started, statement,
                                         parameters))


def run(backends: tuple[str, ...], requests: int = REQUESTS, size: str = "small") -> None:
    common.each_backend(backends, _run_backend, requests, size)


def _run_backend(backend: str, requests: int, size: str) -> None:
    common.heading(f"pages [{backend}]: every page of each role, region '{size}', "
                   f"{requests} requests each")
    with common.database(backend) as url:
        app = common.make_app(url)
        try:
            _fill(app, size)
            costs = [_measure(client, email, page, requests)
                     for email, client, pages in _roles(app) for page in pages]
            _report(costs)
            _explain(app, backend, costs)
            failed = [f"{c.email} {c.url} ({c.status})" for c in costs if c.status != 200]
            common.check(not failed, f"pages not answering 200: {', '.join(failed)}")
        finally:
            common.dispose(app)


def _fill(app, size: str) -> None:
    from dataclasses import replace

    from server.demo.scale import SMALL, Size, seed_scale
    from server.demo.seed import seed
    from server.extensions import db

    chosen = SMALL if size == "small" else replace(Size())
    started = time.perf_counter()
    with app.app_context():
        seed()
        db.session.commit()
        seed_scale(chosen, echo=lambda text: print(f"    seed-scale: {text}", flush=True))
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: the visibility map index-only
            # scans need, so that the figures are those of a settled database.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    print(f"  demo and region built in {time.perf_counter() - started:.0f} s", flush=True)


def _emails() -> list[str]:
    from server.demo.scale import COORDINATOR_EMAIL, WORKER_EMAIL
    from server.demo.seed import LOGINS

    return [email for email, _description in LOGINS] + [WORKER_EMAIL, COORDINATOR_EMAIL]


def _roles(app):
    """(email, signed-in client, that role's pages) for each account that exists."""
    for email in _emails():
        with app.app_context():
            actor = _actor(email)
            pages = _pages(app, actor) if actor is not None else []
        if pages:
            yield email, _sign_in(app, email), pages


def _actor(email: str):
    from server.auth.models import Membership, User
    from server.core.access import Actor, Role
    from server.extensions import db
    from server.org.models import Team, TeamMember

    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        return None
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    if not memberships:
        return None
    municipality = memberships[0].municipality_id  # the one a sign-in starts in
    teams = db.session.scalars(select(TeamMember.team_id).join(Team).where(
        TeamMember.user_id == user.id, Team.municipality_id == municipality)).all()
    roles = frozenset(Role(m.role) for m in memberships if m.municipality_id == municipality)
    return Actor(user.id, municipality, roles, frozenset(teams))


def _pages(app, actor) -> list[str]:
    """The pages the actor's phone keeps, each per-record page for one record it pulls."""
    from server.extensions import db
    from server.sync.registry import RECORD_TYPES
    from server.working_set import for_actor

    kept = for_actor(app, actor)
    pages = [p["url"] for p in kept["pages"]]
    for record_type, templates in kept["records"].items():
        kind = RECORD_TYPES[record_type]
        record_id = db.session.scalar(kind.visible(actor).with_only_columns(kind.model.id)
                                      .order_by(kind.model.id).limit(1))
        if record_id is not None:
            pages += [template.format(id=record_id) for template in templates]
    for role, extra in EXTRA_PAGES.items():
        if role in actor.roles:
            pages += extra
    return list(dict.fromkeys(pages))


def _sign_in(app, email: str):
    from server.demo.seed import DEMO_PASSWORD

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = common.csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                           "csrf_token": token})
    common.check(response.status_code == 303, f"sign-in of {email} answered {response.status_code}")
    return client


def _measure(client, email: str, url: str, requests: int) -> PageCost:
    cost = PageCost(email, url)
    first = client.get(url)  # warm-up: templates compiled, caches filled
    cost.status, cost.size = first.status_code, len(first.get_data())
    if cost.status != 200:
        return cost
    for _ in range(requests):
        with Recorder() as recorder:
            started = time.perf_counter()
            client.get(url).close()
            cost.samples.append(time.perf_counter() - started)
        cost.statements.append(len(recorder.statements))
        slowest = max(recorder.statements, key=lambda s: s.seconds, default=None)
        if slowest and (cost.slowest is None or slowest.seconds > cost.slowest.seconds):
            cost.slowest = slowest
    return cost


def _report(costs: list[PageCost]) -> None:
    print(f"  {'account':<30}{'page':<58}{'p50':>10}{'p95':>11}{'queries':>9}{'KB':>7}")
    for c in costs:
        if c.status != 200:
            print(f"  {c.email:<30}{c.url:<58}  answered {c.status}", flush=True)
            continue
        print(f"  {c.email:<30}{c.url:<58}{common.ms(c.p50)} {common.ms(c.p95)}"
              f"{statistics.median(c.statements):>9.0f}{c.size / 1024:>7.1f}", flush=True)


def _explain(app, backend: str, costs: list[PageCost]) -> None:
    from server.extensions import db

    slowest = sorted((c for c in costs if c.slowest), key=lambda c: c.p95, reverse=True)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    for c in slowest[:SLOWEST]:
        common.heading(f"slowest statement of {c.url} for {c.email} "
                       f"(p95 {common.ms(c.p95).strip()}, statement {common.ms(c.slowest.seconds).strip()})")
        print("  " + " ".join(c.slowest.text.split())[:600])
        with app.app_context():
            plan = db.session.connection().exec_driver_sql(prefix + c.slowest.text,
                                                           c.slowest.parameters).all()
            db.session.rollback()
        for row in plan:
            print("    " + " | ".join(str(value) for value in row), flush=True)
