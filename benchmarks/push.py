"""Push of 1,000 new contacts in one batch through POST /api/v1/sync/push, against inserting
the same rows with plain SQLAlchemy Core in the same run.

The endpoint writes, per contact: a ``contact`` row, its ``contact_person`` link, the first
``contact_version``, the ``applied_mutation`` ledger row and a ``change_log`` row (after one
UPDATE of ``change_counter``). The baseline inserts exactly those rows with executemany in
one transaction; the ratio is endpoint / baseline. Repetitions alternate between the two so
that a noisy neighbour hurts both alike.
"""

import cProfile
import io
import json
import pstats
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from . import common

NAME = "push"
CONTACTS = 1000
PEOPLE = 50
GOAL_SECONDS = 1.0
GOAL_RATIO = 3.0
PUSH = "/api/v1/sync/push"


def _new_id() -> str:
    from server.core.ids import new_id

    return new_id()


def _post(client, mutations: list[dict]) -> dict:
    body = json.dumps({"client_id": "benchmark-phone", "mutations": mutations})
    response = client.post(PUSH, data=body, content_type="application/json",
                           headers={"X-CSRFToken": client.csrf})
    common.check(response.status_code == 200,
                 f"push answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    results = response.get_json()["results"]
    bad = [r for r in results if r["status"] != "applied"]
    common.check(len(results) == len(mutations) and not bad,
                 f"push: {len(bad)} of {len(mutations)} not applied, e.g. {bad[:1]}")
    return response.get_json()


class Batches:
    """Fresh mutations for every repetition: new mutation ids, new record ids."""

    def __init__(self, person_ids: list[str]):
        self.person_ids = person_ids
        self.seq = 0
        self.occurred = datetime.now(UTC).astimezone().replace(microsecond=0)

    def contacts(self, n: int) -> list[dict]:
        batch = []
        for i in range(n):
            self.seq += 1
            batch.append({
                "id": _new_id(), "seq": self.seq, "type": "contact.create",
                "record_id": _new_id(),
                "recorded_at": self.occurred.isoformat(),
                "fields": {
                    "occurred_at": (self.occurred - timedelta(minutes=i % 600)).isoformat(),
                    "channel": "home_visit", "domains": ["education", "dutch_language"],
                    "person_ids": [self.person_ids[i % len(self.person_ids)]],
                    "duration_minutes": 20, "note": f"Benchmark contact {self.seq}.",
                    "note_visibility": "team",
                },
            })
        return batch


def _core_insert(app, world: common.World, mutations: list[dict]) -> None:
    """The same rows the endpoint writes, with plain Core executemany in one transaction."""
    from server.contacts.models import Contact, ContactVersion, contact_person
    from server.core.changes import ChangeCounter, ChangeLog
    from server.extensions import db
    from server.sync.models import AppliedMutation

    stamp = datetime.now(UTC)
    contacts, links, versions, ledger = [], [], [], []
    for m in mutations:
        f = m["fields"]
        occurred = datetime.fromisoformat(f["occurred_at"])
        contacts.append({
            "id": m["record_id"], "municipality_id": world.municipality_id,
            "author_id": world.worker_id, "occurred_at": occurred, "neighbourhood_id": None,
            "place": None, "channel": f["channel"], "domains": f["domains"],
            "duration_minutes": f["duration_minutes"], "note": f["note"],
            "note_visibility": f["note_visibility"], "follow_up_on": None,
            "follow_up_done": False, "version": 1, "created_at": stamp,
        })
        links.extend({"contact_id": m["record_id"], "person_id": p} for p in f["person_ids"])
        versions.append({"contact_id": m["record_id"], "version": 1,
                         "author_id": world.worker_id, "recorded_at": stamp,
                         "data": {**f, "occurred_at": occurred.isoformat()}})
        ledger.append({"id": m["id"], "user_id": world.worker_id, "client_id": "core",
                       "seq": m["seq"], "type": m["type"], "record_id": m["record_id"],
                       "status": "applied", "version": 1, "conflict": None,
                       "applied_at": stamp})
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(insert(Contact.__table__), contacts)
        conn.execute(insert(contact_person), links)
        conn.execute(insert(ContactVersion.__table__), versions)
        conn.execute(insert(AppliedMutation.__table__), ledger)
        last = conn.execute(update(ChangeCounter.__table__).where(ChangeCounter.id == 1)
                            .values(value=ChangeCounter.value + len(mutations))
                            .returning(ChangeCounter.value)).scalar_one()
        first = last - len(mutations) + 1
        conn.execute(insert(ChangeLog.__table__), [
            {"record_type": "contact", "record_id": m["record_id"], "seq": first + i,
             "municipality_id": world.municipality_id, "version": 1, "deleted": False,
             "changed_at": stamp} for i, m in enumerate(mutations)])


def _counts(app) -> tuple[int, int]:
    """Contacts, and change-log rows of contacts (stamped at commit, one per contact)."""
    from server.contacts.models import Contact
    from server.core.changes import ChangeLog
    from server.extensions import db

    with app.app_context():
        contacts = db.session.scalar(select(func.count()).select_from(Contact))
        logged = db.session.scalar(select(func.count()).select_from(ChangeLog)
                                   .where(ChangeLog.record_type == "contact"))
        db.session.remove()
    return contacts, logged


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_backend(backend: str, repeat: int, profile: bool) -> None:
    with common.database(backend) as url:
        app = common.make_app(url, SYNC_MAX_MUTATIONS=CONTACTS)
        try:
            _run(app, backend, repeat, profile)
        finally:
            common.dispose(app)


def _run(app, backend: str, repeat: int, profile: bool) -> None:
    world = common.build_world(app)
    client = common.sign_in(app, world.worker_email)
    people = [{"id": _new_id(), "seq": i, "type": "person.create", "record_id": _new_id(),
               "fields": {"display_name": f"Person {i}", "languages": ["nl"]}}
              for i in range(PEOPLE)]
    _post(client, people)
    batches = Batches([p["record_id"] for p in people])

    _post(client, batches.contacts(CONTACTS))  # warm-up: statement caches, imports
    _core_insert(app, world, batches.contacts(CONTACTS))
    expected = 2 * CONTACTS
    pushes, cores = [], []
    for _ in range(repeat):
        batch = batches.contacts(CONTACTS)
        pushes.append(_timed(lambda b=batch: _post(client, b)))
        batch = batches.contacts(CONTACTS)
        cores.append(_timed(lambda b=batch: _core_insert(app, world, b)))
        expected += 2 * CONTACTS
    halves = []
    for _ in range(max(2, repeat // 2)):
        first, second = batches.contacts(CONTACTS // 2), batches.contacts(CONTACTS // 2)
        halves.append(_timed(lambda a=first, b=second: (_post(client, a), _post(client, b))))
        expected += CONTACTS
    contacts, logged = _counts(app)
    common.check(contacts == logged == expected,
                 f"expected {expected} contacts and change-log rows, found {contacts} and {logged}")

    push, core = common.Timing(pushes), common.Timing(cores)
    ratio = push.median / core.median
    print(f"  [{backend}]")
    common.line(f"push {CONTACTS} contacts, one batch", push)
    common.line("plain Core insert of the same rows (baseline)", core)
    common.line(f"push 2 x {CONTACTS // 2} (default 500 limit)", common.Timing(halves))
    common.ratio("push / Core (medians)", ratio, f"min / min {push.min / core.min:.1f} x")
    print(f"  goal: < {GOAL_SECONDS:.0f} s -> {common.verdict(push.median < GOAL_SECONDS)};  "
          f"< {GOAL_RATIO:.0f}x plain insert -> {common.verdict(ratio < GOAL_RATIO)}", flush=True)
    if profile:
        _profile(client, batches)


def _profile(client, batches: Batches) -> None:
    batch = batches.contacts(CONTACTS)
    profiler = cProfile.Profile()
    profiler.enable()
    _post(client, batch)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print("  cProfile of one push (cumulative):")
    print("\n".join("    " + row for row in out.getvalue().splitlines() if row.strip()))


def run(backends: tuple[str, ...], repeat: int = 5, profile: bool = False) -> None:
    common.heading(f"Push: {CONTACTS:,} new contacts in one batch (POST {PUSH})")
    common.each_backend(backends, run_backend, repeat, profile)
