"""PostgreSQL concurrency, with real connections in threads:

- a pull taken while an earlier-started transaction is still open never loses that
  transaction's change once it commits (server/core/changes.py: changes are stamped at commit
  under the change-counter row lock, so sequence order is commit order);
- two writers editing one record at the same moment neither lose an update nor overwrite
  each other silently (the second waits for the first and merges or conflicts against it).

Runs on a throwaway PostgreSQL database of its own in every run of the suite, the SQLite one
included."""

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select

from server import create_app
from server.contacts.models import Contact, ContactVersion
from server.core.changes import ChangeLog, ensure_counter
from server.core.ids import new_id
from server.core.mutations import Mutation
from server.extensions import db
from server.people.models import Person
from server.referrals.models import Referral
from server.sync.apply import apply_one

from . import factories
from .conftest import csrf_token, sign_in
from .postgres import throwaway_database
from .sync_client import person_create, pull_all, results

pytestmark = pytest.mark.committed  # other processes, threads or databases read what it writes

WAIT = 15  # seconds: bounded waits, never a hang


@pytest.fixture(scope="module")
def pg_app() -> Iterator:
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "late-commit", "ARGON2_TIME_COST": 1,
                          "ARGON2_MEMORY_COST": 1024, "RATELIMIT_STORAGE_URI": "memory://",
                          "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            ensure_counter(db.session)
            app.extensions["test_world"] = factories.build_world()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _login(app, email: str):
    client = app.test_client()
    assert sign_in(client, email).status_code == 303
    client.csrf = csrf_token(client, "/")
    return client


def _create(actor, name: str) -> str:
    record_id = new_id()
    result = apply_one(actor, Mutation(id=new_id(), type="person.create", record_id=record_id,
                                       fields={"display_name": name}))
    assert result.status == "applied", result
    return record_id


def _held_open(pg_app, actor, mutation: Mutation):
    """Apply a mutation in a thread and keep its transaction open (its rows written, not
    committed) until ``release`` is set. Returns (thread, errors, out, applied, release)."""
    applied, release = threading.Event(), threading.Event()
    out: dict = {}

    def hold() -> None:
        with pg_app.app_context():
            try:
                out["result"] = apply_one(actor, mutation)
                db.session.flush()
            finally:
                applied.set()
            release.wait(WAIT)
            db.session.commit()
            db.session.remove()

    thread, errors = _in_thread(hold)
    return thread, errors, out, applied, release


def _in_thread(target) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def test_change_of_a_transaction_that_started_earlier_and_committed_later_is_pulled(pg_app):
    world = pg_app.extensions["test_world"]
    worker = _login(pg_app, "worker@a.test")
    _, cursor = pull_all(worker)
    late_id = new_id()
    thread, errors, _, written, release = _held_open(pg_app, world.actor("worker"), Mutation(
        id=new_id(), type="person.create", record_id=late_id,
        fields={"display_name": "Started first, committed last"}))
    assert written.wait(WAIT)
    [early] = results(worker, person_create("Started last, committed first"))
    between, cursor = pull_all(worker, cursor)
    release.set()
    thread.join(WAIT)

    assert not thread.is_alive()
    assert not errors
    assert ("person", early["record_id"]) in between
    assert ("person", late_id) not in between
    after, _ = pull_all(worker, cursor)
    assert ("person", late_id) in after


def test_commit_stamped_first_is_pulled_even_when_a_pull_runs_before_it_commits(pg_app):
    """The narrowest window: the first transaction holds its sequence number but has not
    committed; a second one wants to commit; a pull runs. The second must wait for the first,
    so no cursor can pass the first one's number before it is visible."""
    world = pg_app.extensions["test_world"]
    worker = _login(pg_app, "worker@a.test")
    _, cursor = pull_all(worker)
    stamped, release, second_done = threading.Event(), threading.Event(), threading.Event()
    ids: dict[str, str] = {}

    def first() -> None:
        with pg_app.app_context():
            ids["first"] = _create(world.actor("worker"), "First stamped")
            session = db.session()

            def hold(_session) -> None:  # runs after the change log's own before_commit
                stamped.set()
                release.wait(WAIT)

            event.listen(session, "before_commit", hold)
            try:
                db.session.commit()
            finally:
                event.remove(session, "before_commit", hold)
                db.session.remove()

    def second() -> None:
        with pg_app.app_context():
            ids["second"] = _create(world.actor("worker"), "Second stamped")
            db.session.commit()
            second_done.set()
            db.session.remove()

    first_thread, first_errors = _in_thread(first)
    assert stamped.wait(WAIT)
    second_thread, second_errors = _in_thread(second)
    assert not second_done.wait(1.0), "the second commit did not wait for the first"
    between, cursor = pull_all(worker, cursor)  # readers are never blocked
    release.set()
    first_thread.join(WAIT)
    second_thread.join(WAIT)

    assert not first_errors
    assert not second_errors
    assert ("person", ids["first"]) not in between
    assert ("person", ids["second"]) not in between
    after, _ = pull_all(worker, cursor)
    assert {("person", ids["first"]), ("person", ids["second"])} <= set(after)
    with pg_app.app_context():
        seqs = dict(db.session.execute(select(ChangeLog.record_id, ChangeLog.seq).where(
            ChangeLog.record_id.in_(ids.values()))).all())
        db.session.remove()
    assert seqs[ids["first"]] < seqs[ids["second"]]


def test_pull_racing_many_writers_misses_nothing(pg_app):
    """Writers in threads commit while a phone pulls over and over: its cache ends complete."""
    world = pg_app.extensions["test_world"]
    worker = _login(pg_app, "worker@a.test")
    cache, cursor = pull_all(worker)
    created: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with pg_app.app_context():
            for i in range(8):
                record_id = _create(world.actor("worker"), f"Writer {n} #{i}")
                db.session.commit()
                with lock:
                    created.append(record_id)
            db.session.remove()

    threads = [_in_thread(lambda n=n: writer(n)) for n in range(3)]
    while any(t.is_alive() for t, _ in threads):
        cache, cursor = pull_all(worker, cursor, cache=cache)
    for thread, errors in threads:
        thread.join(WAIT)
        assert not errors
    cache, cursor = pull_all(worker, cursor, cache=cache)

    assert {("person", record_id) for record_id in created} <= set(cache)
    assert len(created) == 24


def _blocked_writer(pg_app, actor, mutation: Mutation) -> tuple[threading.Thread, list, dict]:
    """Apply a mutation and commit in a thread (it may have to wait for a lock)."""
    out: dict = {}

    def write() -> None:
        with pg_app.app_context():
            out["result"] = apply_one(actor, mutation)
            db.session.commit()
            db.session.remove()

    thread, errors = _in_thread(write)
    return thread, errors, out


def _race(pg_app, first_actor, first: Mutation, second_actor, second: Mutation):
    """The first mutation is applied and holds its transaction open; the second starts then;
    the first commits after a moment. Returns both results."""
    first_thread, first_errors, out, applied, release = _held_open(pg_app, first_actor, first)
    assert applied.wait(WAIT)
    assert not first_errors, first_errors
    second_thread, second_errors, second_out = _blocked_writer(pg_app, second_actor, second)
    second_thread.join(0.5)  # long enough to reach the record and wait for it
    release.set()
    first_thread.join(WAIT)
    second_thread.join(WAIT)
    assert first_errors + second_errors == []
    return out["result"], second_out["result"]


def _update(record_id: str, base: int, **fields) -> Mutation:
    return Mutation(id=new_id(), type="person.update", record_id=record_id, fields=fields,
                    base_version=base)


def _fresh_person(pg_app, world, name: str) -> str:
    with pg_app.app_context():
        person_id = _create(world.actor("worker"), name)
        db.session.commit()
        db.session.remove()
    return person_id


def test_concurrent_edits_of_one_field_conflict_instead_of_overwriting(pg_app):
    world = pg_app.extensions["test_world"]
    person_id = _fresh_person(pg_app, world, "Edited twice at once")

    first, second = _race(pg_app, world.actor("worker"), _update(person_id, 1, phone="first"),
                          world.actor("volunteer"), _update(person_id, 1, phone="second"))

    assert (first.status, second.status) == ("applied", "conflict")
    with pg_app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.phone, person.version) == ("first", 2)
        db.session.remove()


def test_concurrent_edits_of_different_fields_merge_without_losing_a_version(pg_app):
    world = pg_app.extensions["test_world"]
    person_id = _fresh_person(pg_app, world, "Edited apart at once")

    first, second = _race(pg_app, world.actor("worker"), _update(person_id, 1, phone="+32 1"),
                          world.actor("volunteer"),
                          _update(person_id, 1, preferred_language="fr"))

    assert (first.status, first.version, second.status, second.version) == (
        "applied", 2, "merged", 3)
    with pg_app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.phone, person.preferred_language, person.version) == ("+32 1", "fr", 3)
        assert (person.field_versions["phone"], person.field_versions["preferred_language"]) == (
            2, 3)
        stale = apply_one(world.actor("volunteer"), _update(person_id, 1, phone="+32 2"))
        assert stale.status == "conflict"  # the first edit's field version was kept
        db.session.rollback()
        db.session.remove()


def test_concurrent_corrections_of_a_contact_both_become_versions(pg_app):
    world = pg_app.extensions["test_world"]
    with pg_app.app_context():
        contact_id = new_id()
        apply_one(world.actor("worker"), Mutation(
            id=new_id(), type="contact.create", record_id=contact_id,
            fields={"occurred_at": "2026-01-05T10:00:00+01:00", "channel": "phone"}))
        db.session.commit()
        db.session.remove()

    def correct(note: str) -> Mutation:
        return Mutation(id=new_id(), type="contact.correct", record_id=contact_id,
                        fields={"note": note})

    first, second = _race(pg_app, world.actor("worker"), correct("by the author"),
                          world.actor("coordinator"), correct("by the coordinator"))

    assert (first.status, first.version, second.status, second.version) == (
        "applied", 2, "applied", 3)
    with pg_app.app_context():
        assert db.session.get(Contact, contact_id).note == "by the coordinator"
        versions = db.session.scalars(select(ContactVersion.version).where(
            ContactVersion.contact_id == contact_id)).all()
        assert sorted(versions) == [1, 2, 3]
        db.session.remove()


def test_concurrent_steps_of_a_referral_are_taken_once(pg_app):
    world = pg_app.extensions["test_world"]
    referral_id = world.records["referral"]

    def advance() -> Mutation:
        return Mutation(id=new_id(), type="referral.advance", record_id=referral_id,
                        fields={"status": "sent"})

    first, second = _race(pg_app, world.actor("worker"), advance(),
                          world.actor("coordinator"), advance())

    assert (first.status, second.status) == ("applied", "rejected")
    with pg_app.app_context():
        referral = db.session.get(Referral, referral_id)
        assert [s.status for s in referral.steps] == ["proposed", "sent"]
        assert referral.version == 2
        db.session.remove()
