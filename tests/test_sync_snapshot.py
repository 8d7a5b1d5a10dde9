"""The first sync as a snapshot (GET /api/v1/sync/snapshot, docs/sync.md): what a phone ends
with after a snapshot and pulls equals what pulling everything gives, an interrupted snapshot
resumes where it stopped, the working-set rules hold as for a pull, a slow one answers 202;
and the kept pages' bundle (POST /api/v1/sync/pages) gives each page as its own view does."""

import gzip
import json

import brotli
import pytest
from sqlalchemy import update

from server.auth.models import User
from server.extensions import db

from .sync_client import (
    PAGES,
    apply_changes,
    mutation,
    page_bundle,
    person_create,
    person_update,
    pull,
    pull_all,
    results,
    snapshot,
    snapshot_all,
)
from .test_notes_on_phones import PRIVATE, SENSITIVE, TEAM, notes  # noqa: F401
from .test_sync_pull import TYPE_OF, VISIBLE, _assign, _email, scene  # noqa: F401


@pytest.mark.parametrize("role", list(VISIBLE))
def test_snapshot_holds_exactly_what_the_user_may_see(scene, login, role):  # noqa: F811
    cache, cursor, _ = snapshot_all(login(_email(role)), limit=2)

    expected = {(TYPE_OF.get(name, name.removesuffix("_b")), scene.records[name])
                for name in VISIBLE[role]}
    assert set(cache) == expected
    assert all(not change["deleted"] and change["data"] for change in cache.values())
    assert cursor


@pytest.mark.parametrize("email", ["worker@a.test", "volunteer@a.test", "coordinator@a.test"])
def test_a_snapshot_then_pulls_ends_as_pulling_everything(app, scene, login, email):  # noqa: F811
    phone, writer = login(email), login("worker@a.test")
    first = snapshot(phone, limit=2).get_json()
    # Committed after the snapshot took its cursor, some before its records are read.
    made = person_create("Arrived during the snapshot")
    results(writer, made, mutation("contact.create", {
        "occurred_at": "2026-01-05T10:00:00+01:00", "channel": "office",
        "person_ids": [scene.records["person"]]}))
    results(writer, person_update(scene.records["person"], 1, phone="+32 470 12 34 56"))
    cache: dict = {}
    apply_changes(cache, first["changes"])
    cache, cursor, _ = snapshot_all(phone, limit=2, cache=cache, token=first["next"])
    cache, _ = pull_all(phone, cursor, cache=cache)

    everything, _ = pull_all(login(email))
    assert {k: (c["version"], c["data"]) for k, c in cache.items()} == {
        k: (c["version"], c["data"]) for k, c in everything.items()}
    assert ("person", scene.records["person"]) in cache


def test_an_interrupted_snapshot_resumes_without_fetching_again_what_it_has(scene, login):  # noqa: F811
    coordinator = login("coordinator@a.test")
    first = snapshot(coordinator, limit=3).get_json()
    assert len(first["changes"]) == 3
    assert first["next"]
    assert first["cursor"] is None
    # The phone went offline here; later it goes on with the token it kept.
    rest, cursor, requests = snapshot_all(coordinator, limit=3, token=first["next"])

    had = {(c["type"], c["id"]) for c in first["changes"]}
    assert not had & set(rest), "nothing it had came again"
    assert had | set(rest) == set(snapshot_all(coordinator)[0])
    assert requests == 3  # nine records, three a page
    assert pull(coordinator, cursor).get_json()["changes"] == []


@pytest.mark.parametrize(("visibility", "kept"), [
    ("team", True), ("private", False), ("sensitive", False)])
def test_only_team_notes_travel_in_a_snapshot_even_the_authors(world, login, visibility, kept):
    worker = login("worker@a.test")
    logged = mutation("contact.create", {
        "occurred_at": "2026-01-05T10:00:00+01:00", "channel": "office",
        "note": "Health details.", "note_visibility": visibility})
    results(worker, logged)

    cache, _, _ = snapshot_all(worker)

    assert cache[("contact", logged["record_id"])]["data"]["note"] == (
        "Health details." if kept else None)


def test_access_lost_after_a_snapshot_arrives_as_deleted(app, scene, login):  # noqa: F811
    volunteer = login("volunteer@a.test")
    cache, cursor, _ = snapshot_all(volunteer)
    person, contact, referral = (scene.records[k] for k in ("person", "contact", "referral"))

    _assign(app, scene, person, scene.records["other_team"])
    cache, _ = pull_all(volunteer, cursor, cache=cache)

    for key in (("person", person), ("contact", contact), ("referral", referral)):
        assert key not in cache
    assert cache == pull_all(login("volunteer@a.test"))[0]


def test_a_slow_snapshot_answers_202_with_retry_after_and_goes_on(app, scene, login, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SYNC_SNAPSHOT_SECONDS", 0)
    coordinator = login("coordinator@a.test")
    response = snapshot(coordinator)
    assert response.status_code == 202
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["next"]
    cache, _, _ = snapshot_all(coordinator)
    monkeypatch.setitem(app.config, "SYNC_SNAPSHOT_SECONDS", 5)
    assert cache == snapshot_all(coordinator)[0]


def test_a_snapshot_of_an_earlier_epoch_or_another_server_is_refused(app, world, login):
    worker = login("worker@a.test")
    token = snapshot(worker, limit=1).get_json()["next"]
    assert snapshot(worker, "s1.nonsense").status_code == 400
    assert snapshot(worker, token.replace("s1.", "s2.")).status_code == 400
    assert snapshot(worker, limit=0).status_code == 400
    assert snapshot(worker, limit=5001).status_code == 400
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.users["worker"].id)
                           .values(sync_epoch=User.sync_epoch + 1))
        db.session.commit()
    assert snapshot(worker, token).status_code == 410


def test_an_unsigned_client_gets_401_from_snapshot_and_bundle(client, world):
    assert snapshot(client).status_code == 401
    assert client.post(PAGES, json={"pages": []}).status_code in (400, 401)


def test_bundled_pages_are_the_pages_their_views_serve(world, login, notes):  # noqa: F811
    worker = login("worker@a.test")
    person = f"/people/{world.records['person']}"
    urls = ["/", "/people/", person, *(f"/contacts/{i}" for i in notes.values())]
    bundled = page_bundle(worker, *urls)

    for url in urls:
        alone = worker.get(url)
        assert bundled[url]["status"] == 200, url
        assert bundled[url]["body"] == alone.get_data(as_text=True), url
        assert bundled[url]["headers"]["ETag"] == alone.headers["ETag"], url
        assert PRIVATE not in bundled[url]["body"]
        assert SENSITIVE not in bundled[url]["body"]
    assert TEAM in bundled[f"/contacts/{notes['team']}"]["body"]
    again = page_bundle(worker, (person, bundled[person]["headers"]["ETag"]))
    assert again[person] == {"url": person, "status": 304}


def test_a_bundle_renders_only_the_users_working_set_and_what_they_may_see(app, scene, login):  # noqa: F811
    volunteer = login("volunteer@a.test")
    elsewhere = f"/people/{scene.records['elsewhere']}"
    bundled = page_bundle(volunteer, elsewhere, "/admin/users", "/people/new",
                          f"/people/{scene.records['person']}")

    assert bundled[elsewhere]["status"] in (403, 404)
    assert "body" not in bundled[elsewhere]
    assert bundled["/admin/users"] == {"url": "/admin/users", "status": 404}  # not a kept page
    assert bundled["/people/new"]["status"] == 200
    assert "Elsewhere" not in str(bundled)
    buddy = login("buddy@a.test")
    assert page_bundle(buddy, "/people/new")["/people/new"]["status"] == 404


def test_a_bundle_without_the_csrf_token_or_with_a_bad_body_is_refused(world, login):
    worker = login("worker@a.test")
    assert worker.post(PAGES, json={"pages": [{"url": "/"}]}).status_code == 400
    for body in ({}, {"pages": "x"}, {"pages": [{"url": "http://evil.test/"}]},
                 {"pages": [{"url": "/?a=1"}]}, {"pages": [{"url": "/"}] * 501}):
        response = worker.post(PAGES, json=body, headers={"X-CSRFToken": worker.csrf})
        assert response.status_code == 400, body


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_bundle_is_compressed_as_one_stream(world, login, encoding):
    worker = login("worker@a.test")
    body = {"pages": [{"url": "/"}, {"url": "/people/"}, {"url": "/contacts/new"}]}
    packed = worker.post(PAGES, json=body, headers={"X-CSRFToken": worker.csrf,
                                                    "Accept-Encoding": f"{encoding}, deflate"})
    plain = worker.post(PAGES, json=body, headers={"X-CSRFToken": worker.csrf})

    assert packed.headers["Content-Encoding"] == encoding
    unpack = brotli.decompress if encoding == "br" else gzip.decompress
    assert unpack(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 4


def test_a_bundle_out_of_time_says_so_and_the_rest_comes_when_asked_again(app, world, login,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_SNAPSHOT_SECONDS", 0)
    worker = login("worker@a.test")
    response = worker.post(PAGES, json={"pages": [{"url": "/"}, {"url": "/people/"}]},
                           headers={"X-CSRFToken": worker.csrf})
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]

    assert [line.get("url") for line in lines] == ["/", None]
    assert lines[-1] == {"end": True, "more": True}
    assert page_bundle(worker, "/people/")["/people/"]["status"] == 200
