"""A storm of sign-ins: password hashing is bounded per process, a sign-in that finds every
slot taken is told to come back (503 + Retry-After), and everyone else is served meanwhile."""

import time

import pytest

from server.auth.passwords import _SLOTS_KEY, HashingBusy, hashing_slots

from .conftest import sign_in

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh


@pytest.fixture
def one_slot(app, monkeypatch):
    """The app with a pool of one hashing slot and a short wait for it."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_SLOTS", 1)
    monkeypatch.setitem(app.config, "PASSWORD_HASH_WAIT_SECONDS", 0.2)
    monkeypatch.delitem(app.extensions, _SLOTS_KEY, raising=False)
    return hashing_slots(app)


@pytest.fixture
def hash_in_progress(one_slot):
    """Another sign-in of this process is hashing its password: the one slot is taken."""
    assert one_slot.acquire(timeout=1)
    yield
    one_slot.release()


def test_sign_in_while_every_slot_hashes_answers_503_at_once(app, world, client, login,
                                                             one_slot):
    worker = login("worker@a.test")
    assert one_slot.acquire(timeout=1)
    try:
        started = time.perf_counter()
        busy = sign_in(client, "volunteer@a.test")
        elapsed = time.perf_counter() - started
        assert busy.status_code == 503
        # Flask-Limiter rewrites the header as seconds from now, rounded down
        assert 0 < int(busy.headers["Retry-After"]) <= HashingBusy.retry_after
        assert "Many people are signing in right now" in busy.get_data(as_text=True)
        assert elapsed < 1.5  # the 0.2 s wait, not a queue behind the hash
        assert worker.get("/").status_code == 200  # a page needs no hashing slot
        assert client.get("/").status_code == 302  # and the busy sign-in started no session
    finally:
        one_slot.release()
    assert sign_in(client, "volunteer@a.test").status_code == 303
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("hash_in_progress")
def test_busy_answers_do_not_count_as_failed_sign_ins(app, world, client, one_slot):
    for _ in range(12):  # more than LOGIN_LIMITS allows failures
        assert sign_in(client, "worker@a.test").status_code == 503
    one_slot.release()
    try:
        assert sign_in(client, "worker@a.test").status_code == 303
    finally:
        assert one_slot.acquire(timeout=1)  # the fixture releases it again


def test_sign_in_takes_a_free_slot_and_gives_it_back(app, world, client, one_slot):
    assert sign_in(client, "worker@a.test").status_code == 303
    assert sign_in(app.test_client(), "volunteer@a.test").status_code == 303
    assert one_slot.acquire(timeout=0)  # free again after both
    one_slot.release()
