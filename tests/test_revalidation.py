"""Pages the phone keeps are revalidated, not downloaded again: an ETag over exactly the bytes
served, a 304 only when those bytes would be served again; and the worker's app shell is
every file of pwa/."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import update

from server.extensions import db
from server.people.models import Person

from . import factories

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh

PWA = Path(__file__).resolve().parents[1] / "pwa"
KEPT_PAGES = ["/", "/people/", "/people/new", "/contacts/new", "/contacts/follow-ups",
              "/referrals/", "/referrals/new", "/services/", "/more", "/conflicts", "/attention",
              "/offline", "/i18n/messages.json"]


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_unchanged_page_answers_304_to_the_etag_of_its_exact_bytes(world, login, url):
    worker = login("worker@a.test")
    first = worker.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"{hashlib.sha1(first.get_data()).hexdigest()}"'
    again = worker.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_changed_page_answers_in_full_with_a_new_etag(app, world, login):
    worker = login("worker@a.test")
    person_page = f"/people/{world.records['person']}"
    etag = worker.get(person_page).headers["ETag"]
    with app.app_context():
        db.session.execute(update(Person).where(Person.id == world.records["person"])
                           .values(display_name="Renamed Since"))
        db.session.commit()
    changed = worker.get(person_page, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Renamed Since" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_another_session_never_gets_a_304_for_a_copy_made_for_someone_else(world, login):
    worker, coordinator = login("worker@a.test"), login("coordinator@a.test")
    etag = worker.get("/more").headers["ETag"]
    other = coordinator.get("/more", headers={"If-None-Match": etag})
    assert other.status_code == 200  # its own CSRF token and name: other bytes
    again = login("worker@a.test").get("/more", headers={"If-None-Match": etag})
    assert again.status_code == 200  # a new session of the same user: a new token


def test_a_page_the_phone_must_not_keep_has_no_etag(app, world, login):
    with app.app_context():
        contact = factories.make_contact(world.actor("worker"), [world.records["person"]],
                                         note="CANARY-private", note_visibility="private")
        db.session.commit()
    note = login("worker@a.test").get(f"/contacts/{contact}/note", headers={"If-None-Match": "*"})
    assert note.status_code == 200
    assert note.headers["X-Handvast-Keep"] == "no"
    assert "ETag" not in note.headers


def test_a_form_posted_with_the_token_of_a_kept_page_is_accepted(world, login):
    worker = login("worker@a.test")
    kept = worker.get("/people/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', kept).group(1)
    assert token == worker.csrf  # one token per session, not one per second
    response = worker.post("/people/", data={"csrf_token": token, "display_name": "Kept Form"})
    assert response.status_code == 303  # saved, not refused as a forged request (400)


def test_the_service_worker_keeps_every_file_of_pwa_as_its_shell(client):
    source = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL\s*=\s*(\[.*?\]);", source).group(1))
    files = {f"/static/{p.relative_to(PWA).as_posix()}" for p in PWA.rglob("*")
             if p.is_file() and p.name != "sw.js"}
    assert set(shell) == files | {"/manifest.webmanifest"}
    for url in shell:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_scripts_and_stylesheets_are_served_minified_and_as_written_when_asked(app, client):
    from server import create_app

    source = (PWA / "js" / "forms.js").read_bytes()
    served = client.get("/static/js/forms.js").get_data()
    assert len(served) < 0.8 * len(source)
    assert b"\n  //" not in served  # the comments stay in pwa/
    assert b"export async function" in served or b"export function" in served
    assert len(client.get("/static/css/app.css").get_data()) < len((PWA / "css" / "app.css").read_bytes())
    vendored = sorted((PWA / "vendor").glob("htmx-*.js"))[0]
    assert client.get(f"/static/vendor/{vendored.name}").get_data() == vendored.read_bytes()
    as_written = create_app({"TESTING": True, "MINIFY_ASSETS": False,
                             "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    with as_written.test_client() as debugging:
        assert debugging.get("/static/js/forms.js").get_data() == source
        assert "//" in debugging.get("/sw.js").get_data(as_text=True)
