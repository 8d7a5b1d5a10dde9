"""Pull on a database with 1,000,000 change-log rows spread over ten municipalities.

Figures: GET /api/v1/sync/pull with nothing new (the phone is up to date), a pull that
returns 500 changes (500 people put on the worker's caseload), and as the baseline a
trivial authenticated GET (the conflicts inbox, empty) in the same run. The query plan of
the change-log query a pull runs is printed: it should use ix_change_log_municipality_seq.
The phone's cursor is obtained the way a phone does, by paging from no cursor to the end.
"""

import json
import time
from datetime import UTC, datetime

from sqlalchemy import delete, event, select, text

from . import common

NAME = "pull"
ROWS = 1_000_000
MUNICIPALITIES = 10
CHANGES = 500
GOAL_SECONDS = 0.020
PULL = "/api/v1/sync/pull"
BASELINE = "/api/v1/sync/conflicts"
COLUMNS = ("record_type", "record_id", "seq", "municipality_id", "version", "deleted",
           "changed_at")
TYPES = ("person", "contact", "referral")


def _fake_id(n: int) -> str:
    """A record id in UUID form, unique per row (the records themselves are not loaded)."""
    return f"00000000-0000-4000-8000-{n:012d}"


def load_change_log(app, municipality_ids: list[str], rows: int) -> float:
    """Append `rows` change-log rows after the counter, round-robin over the municipalities:
    COPY on PostgreSQL, Core executemany on SQLite. Then ANALYZE, as autovacuum would."""
    from server.core.changes import ChangeCounter, ChangeLog
    from server.extensions import db

    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    count = len(municipality_ids)
    start = time.perf_counter()
    with app.app_context(), db.engine.begin() as conn:
        dialect = conn.dialect
        counter = ChangeCounter.__table__
        first = conn.execute(select(counter.c.value).where(counter.c.id == 1)).scalar_one() + 1
        end = first + rows
        if dialect.name == "postgresql":
            raw = conn.connection.dbapi_connection
            when = stamp.isoformat()
            with raw.cursor() as cur, \
                    cur.copy(f"COPY change_log ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for chunk in range(first, end, 50_000):
                    copy.write("".join(
                        f"{TYPES[n % 3]}\t{_fake_id(n)}\t{n}\t{municipality_ids[n % count]}\t1\tf\t{when}\n"
                        for n in range(chunk, min(end, chunk + 50_000))))
        else:
            column = ChangeLog.__table__.c.changed_at
            when = column.type.dialect_impl(dialect).bind_processor(dialect)(stamp)
            statement = (f"INSERT INTO change_log ({', '.join(COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(COLUMNS))})")
            for chunk in range(first, end, 100_000):
                conn.exec_driver_sql(statement, [
                    (TYPES[n % 3], _fake_id(n), n, municipality_ids[n % count], 1, 0, when)
                    for n in range(chunk, min(end, chunk + 100_000))])
        conn.execute(counter.update().where(counter.c.id == 1).values(value=end - 1))
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("ANALYZE change_log" if dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - start


def _pull(client, cursor: str | None, limit: int) -> dict:
    query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
    response = client.get(PULL + query)
    common.check(response.status_code == 200,
                 f"pull answered {response.status_code}: {response.get_data(as_text=True)[:200]}")
    return response.get_json()


def _get(client, path: str) -> None:
    response = client.get(path)
    common.check(response.status_code == 200, f"GET {path} answered {response.status_code}")


class Statements:
    """The SQL a request runs, to explain the change-log query afterwards."""

    def __init__(self, engine):
        self.engine = engine
        self.seen: list[tuple[str, object]] = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if not executemany:
            self.seen.append((statement, parameters))


def _explain(app, client, cursor: str) -> None:
    from server.extensions import db

    with app.app_context():
        engine = db.engine
    with Statements(engine) as statements:
        _pull(client, cursor, CHANGES)
    queries = [(s, p) for s, p in statements.seen
               if "FROM change_log" in s and "seq >" in s.replace("\n", " ")]
    if not queries:
        print("  query plan: no change-log query with 'seq >' seen in a pull", flush=True)
        return
    statement, parameters = queries[0]
    with engine.connect() as conn:
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    plan = [str(r[-1]) for r in rows]
    used = any("ix_change_log_municipality_seq" in p for p in plan)
    print(f"  query plan of the change-log query (uses ix_change_log_municipality_seq: "
          f"{'yes' if used else 'NO'}):", flush=True)
    for step in plan:
        print(f"    {step}", flush=True)


def run_backend(backend: str, repeat: int, rows: int) -> None:
    with common.database(backend) as url:
        app = common.make_app(url)
        try:
            _run(app, backend, repeat, rows)
        finally:
            common.dispose(app)


def _run(app, backend: str, repeat: int, rows: int) -> None:
    from server.extensions import db
    from server.sync.models import SyncDelivery

    world = common.build_world(app, extra_municipalities=MUNICIPALITIES - 1)
    municipalities = [world.municipality_id, *world.other_municipality_ids]
    late = rows // 10
    loaded = load_change_log(app, municipalities, rows - late)
    client = common.sign_in(app, world.worker_email)

    # The phone's first sync: page from no cursor to the end.
    start, cursor, pages = time.perf_counter(), None, 0
    while True:
        body = _pull(client, cursor, 1000)
        cursor, pages = body["cursor"], pages + 1
        if not body["more"]:
            break
    first_sync = time.perf_counter() - start
    common.check(pages >= (rows - late) // MUNICIPALITIES // 1000, f"first sync: only {pages} pages")

    # 500 people on the worker's caseload: 500 changes the worker may see.
    people = [{"id": _new_id(), "seq": i, "type": "person.create", "record_id": _new_id(),
               "fields": {"display_name": f"Person {i}", "languages": ["nl", "fr"],
                          "phone": "+32 470 00 00 00"}} for i in range(CHANGES)]
    response = client.post("/api/v1/sync/push", content_type="application/json",
                           data=json.dumps({"client_id": "bench", "mutations": people}),
                           headers={"X-CSRFToken": client.csrf})
    common.check(response.status_code == 200, f"push answered {response.status_code}")
    statuses = {r["status"] for r in response.get_json()["results"]}
    common.check(statuses == {"applied"}, f"push of people: {statuses}")
    before = cursor
    # Then the neighbours stay busy: the newest tenth of the log is theirs, so "nothing new"
    # for this worker sits behind all those rows of other municipalities.
    loaded += load_change_log(app, municipalities[1:], late)
    print(f"  [{backend}] loaded {rows:,} change-log rows ({MUNICIPALITIES} municipalities, the "
          f"newest {late:,} of others) in {loaded:.1f} s", flush=True)

    def forget_deliveries() -> None:  # every repetition delivers the 500 people afresh
        with app.app_context():
            db.session.execute(delete(SyncDelivery).where(SyncDelivery.user_id == world.worker_id))
            db.session.commit()
            db.session.remove()

    latest: dict = {}

    def pull_500() -> None:
        latest["body"] = _pull(client, before, CHANGES)

    many = common.measure(pull_500, repeat, setup=forget_deliveries)
    body = latest["body"]
    ids = {c["id"] for c in body["changes"] if c["type"] == "person" and not c["deleted"]}
    common.check(len(body["changes"]) == CHANGES and ids == {p["record_id"] for p in people},
                 f"pull of {CHANGES} changes returned {len(body['changes'])}")
    up_to_date = body["cursor"]

    def nothing_new() -> None:
        answer = _pull(client, up_to_date, CHANGES)
        common.check(not answer["changes"] and not answer["more"], "pull after the end had changes")

    quick = repeat * 10
    empty, base = [], []
    for _ in range(quick + 3):  # alternate, so noise hits both alike; 3 warm-ups
        empty.append(common.measure(nothing_new, 1, warmup=0).samples[0])
        base.append(common.measure(lambda: _get(client, BASELINE), 1, warmup=0).samples[0])
    empty_t, base_t = common.Timing(empty[3:]), common.Timing(base[3:])

    print(f"  first sync from no cursor: {pages} pages of 1000 in {first_sync:.1f} s", flush=True)
    common.line("pull, nothing new", empty_t)
    common.line(f"baseline: GET {BASELINE}", base_t)
    common.ratio("pull nothing new / baseline (medians)", empty_t.median / base_t.median,
                 f"min / min {empty_t.min / base_t.min:.2f} x")
    common.line(f"pull of {CHANGES} changes (first delivery)", many)
    print(f"  goal: nothing new < {GOAL_SECONDS * 1000:.0f} ms -> "
          f"{common.verdict(empty_t.median < GOAL_SECONDS)}", flush=True)
    _explain(app, client, up_to_date)


def _new_id() -> str:
    from server.core.ids import new_id

    return new_id()


def run(backends: tuple[str, ...], repeat: int = 5, rows: int = ROWS) -> None:
    common.heading(f"Pull: {rows:,} change-log rows (GET {PULL})")
    common.each_backend(backends, run_backend, repeat, rows)
