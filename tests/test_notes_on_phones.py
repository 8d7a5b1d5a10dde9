"""What a phone may keep of notes and sessions: pages and pulls carry only team notes; private
and sensitive ones come live, never kept, and only a person's explicit read is audited."""

import re

import pytest
from sqlalchemy import func, select, update

from server.audit.models import AuditEvent
from server.auth.models import User
from server.extensions import db

from . import factories
from .conftest import csrf_token

TEAM, PRIVATE, SENSITIVE = "CANARY-team-note", "CANARY-private-note", "CANARY-sensitive-note"


@pytest.fixture
def notes(app, world):
    """Three contacts with the world's person, by the worker, one per note visibility."""
    with app.app_context():
        worker, person = world.actor("worker"), world.records["person"]
        made = {visibility: factories.make_contact(worker, [person], note=text,
                                                   note_visibility=visibility)
                for visibility, text in (("team", TEAM), ("private", PRIVATE),
                                         ("sensitive", SENSITIVE))}
        db.session.commit()
    return made


def _sensitive_reads(app, contact_id: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "read_sensitive_note", AuditEvent.object_id == contact_id))


@pytest.mark.parametrize("email", ["worker@a.test", "coordinator@a.test"])
def test_pages_a_phone_keeps_carry_no_private_or_sensitive_note_text(world, login, notes, email):
    reader = login(email)  # the author, and the coordinator who may read every note
    pages = [f"/people/{world.records['person']}", *(f"/contacts/{i}" for i in notes.values())]
    for url in pages:
        response = reader.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert PRIVATE not in body, url
        assert SENSITIVE not in body, url
        assert "X-Handvast-Keep" not in response.headers  # the worker keeps these pages
    assert TEAM in reader.get(f"/contacts/{notes['team']}").get_data(as_text=True)
    private_page = reader.get(f"/contacts/{notes['private']}").get_data(as_text=True)
    assert f'hx-get="/contacts/{notes["private"]}/note" hx-trigger="load"' in private_page
    assert "Show note" in reader.get(f"/contacts/{notes['sensitive']}").get_data(as_text=True)


@pytest.mark.parametrize("visibility", ["private", "sensitive"])
def test_note_is_read_live_never_kept_and_only_by_whom_it_is_for(login, notes, visibility):
    author, volunteer = login("worker@a.test"), login("volunteer@a.test")
    response = author.get(f"/contacts/{notes[visibility]}/note", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Back to the contact" not in response.get_data(as_text=True)  # just the note
    assert (PRIVATE if visibility == "private" else SENSITIVE) in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Handvast-Keep"] == "no"
    assert volunteer.get(f"/contacts/{notes[visibility]}/note").status_code == 404
    without_script = author.get(f"/contacts/{notes[visibility]}/note")  # a plain link
    assert "Back to the contact" in without_script.get_data(as_text=True)
    assert without_script.headers["X-Handvast-Keep"] == "no"
    correct_form = author.get(f"/contacts/{notes[visibility]}/correct")
    assert correct_form.headers["X-Handvast-Keep"] == "no"  # the note is in the textarea


def test_background_prefetch_writes_no_audit_row_an_explicit_read_does(
        app, world, login, notes):
    coordinator = login("coordinator@a.test")
    contact = notes["sensitive"]
    # What the service worker fetches to keep the working set (pwa/js/pages.js keepPages).
    for url in (f"/contacts/{contact}", f"/people/{world.records['person']}"):
        assert coordinator.get(url).status_code == 200
    assert _sensitive_reads(app, contact) == 0
    # The person presses "Show note".
    coordinator.get(f"/contacts/{contact}/note", headers={"HX-Request": "true"})
    assert _sensitive_reads(app, contact) == 1


def test_a_note_made_private_later_leaves_the_page(app, world, login, notes):
    author = login("worker@a.test")
    person_page = f"/people/{world.records['person']}"
    assert TEAM in author.get(person_page).get_data(as_text=True)
    with app.app_context():
        factories.apply(world.actor("worker"), "contact.correct",
                        {"note_visibility": "private"}, record_id=notes["team"])
        db.session.commit()
    assert TEAM not in author.get(person_page).get_data(as_text=True)
    assert TEAM not in author.get(f"/contacts/{notes['team']}").get_data(as_text=True)


def test_a_closed_account_is_told_so_on_sync_a_missing_session_is_not(app, world, login, client):
    worker = login("worker@a.test")
    assert worker.get("/api/v1/session").status_code == 200
    assert client.get("/api/v1/session").get_json() == {"error": "not signed in", "reason": None}
    with app.app_context():
        db.session.execute(update(User).where(User.email == "worker@a.test").values(active=False))
        db.session.commit()
    response = worker.get("/api/v1/session")
    assert response.status_code == 401
    assert response.get_json()["reason"] == "account closed"  # the phone wipes its case pages


def test_sign_out_keeps_the_storage_of_another_users_unsent_work(world, login):
    worker = login("worker@a.test")
    token = csrf_token(worker, "/")
    response = worker.post("/logout", data={"csrf_token": token, "keep": "outbox"})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache"'


def test_a_referral_page_carries_no_sensitive_step_note_and_only_the_explicit_read_is_audited(
        app, world, login):
    referral = world.records["referral"]
    with app.app_context():
        factories.apply(world.actor("worker"), "referral.advance",
                        {"status": "sent", "note": SENSITIVE, "note_visibility": "sensitive"},
                        record_id=referral)
        db.session.commit()

    def reads() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "read_sensitive_note", AuditEvent.object_id == referral))

    author = login("worker@a.test")
    page = author.get(f"/referrals/{referral}").get_data(as_text=True)
    assert SENSITIVE not in page
    assert "Show note" in page
    assert reads() == 0  # a page view (or a phone's prefetch of it) is no read of the note
    step_note = re.search(r'href="(/referrals/[^"]+/note)"', page).group(1)
    live = author.get(step_note, headers={"HX-Request": "true"})
    assert SENSITIVE in live.get_data(as_text=True)
    assert live.headers["Cache-Control"] == "no-store"
    assert reads() == 1
