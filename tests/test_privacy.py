"""Privacy by design: consent limits what is noted, retention and erasure reach phones as
deletions, opening a person outside one's scope needs a reason and ends, and the audit trail
records sign-ins, sensitive reads, exports and erasures (never a prefetch), append-only."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from server.audit.models import AppendOnly, AuditEvent
from server.contacts.models import Contact
from server.core import clock
from server.core.clock import today_local
from server.core.consent import add_months
from server.extensions import db
from server.people.models import Person
from server.referrals.models import Referral

from . import factories
from .conftest import csrf_token, sign_in
from .records import contact_form
from .sync_client import contact_create, mutation, pull_all, results


def _audit(app, action: str, object_id: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action)
        if object_id is not None:
            query = query.where(AuditEvent.object_id == object_id)
        return list(db.session.scalars(query))


def _update_person(app, world, person_id: str, **fields) -> None:
    with app.app_context():
        person = db.session.get(Person, person_id)
        factories.apply(world.actor("worker"), "person.update", fields, record_id=person_id,
                        base_version=person.version)
        db.session.commit()


def _withdraw(app, world, person_id: str) -> None:
    given = today_local() - timedelta(days=30)
    _update_person(app, world, person_id, consent_basis="consent", consent_purpose="Begeleiding",
                   consent_date=given.isoformat(), consent_method="spoken",
                   consent_withdrawn_on=(given + timedelta(days=10)).isoformat())


def _contact_form(client, person_id: str, note: str) -> object:
    return client.post("/contacts/", data=contact_form(client, [person_id], note=note))


# --- consent -----------------------------------------------------------------------------

def test_withdrawn_consent_refuses_notes_and_referrals_by_form_and_push_until_renewed(
        app, world, login):
    person = world.records["person"]
    _withdraw(app, world, person)
    worker = login("worker@a.test")
    page = worker.get(f"/people/{person}").get_data(as_text=True)
    assert "Consent withdrawn" in page
    assert "log no contact with a note" in page
    assert 'consent-flag">Consent withdrawn' in worker.get("/people/").get_data(as_text=True)

    form = _contact_form(worker, person, "Talked about the rent.")
    assert form.status_code == 422
    assert "consent withdrawn or expired" in form.get_data(as_text=True)
    referral_form = worker.post("/referrals/", data={
        "csrf_token": worker.csrf, "person_id": person, "service_id": world.records["service"]})
    assert referral_form.status_code == 422
    assert "consent withdrawn or expired" in referral_form.get_data(as_text=True)

    contact, referral, without_note = results(
        worker, contact_create([person], note="Talked about the rent."),
        mutation("referral.create", {"person_id": person, "service_id": world.records["service"]}),
        contact_create([person], note=None))
    assert contact["status"] == "rejected"
    assert contact["errors"] == [{"field": "person_ids", "reason": (
        "consent withdrawn or expired: renew it on the person's page before noting anything new")}]
    assert referral["status"] == "rejected"
    assert referral["errors"][0]["field"] == "person_id"
    assert referral["errors"][0]["reason"].startswith("consent withdrawn or expired")
    assert without_note["status"] == "applied"  # that they met is not a note about them
    [added_later] = results(worker, mutation("contact.correct", {"note": "About the rent."},
                                             record_id=without_note["record_id"],
                                             base_version=1))
    assert added_later["status"] == "rejected"
    assert added_later["errors"][0]["reason"].startswith("consent withdrawn or expired")

    _update_person(app, world, person, consent_date=today_local().isoformat())  # renewed
    assert "Consent withdrawn" not in worker.get(f"/people/{person}").get_data(as_text=True)
    assert _contact_form(worker, person, "Talked about the rent.").status_code == 303
    contact, referral = results(
        worker, contact_create([person], note="Again."),
        mutation("referral.create", {"person_id": person, "service_id": world.records["service"]}))
    assert (contact["status"], referral["status"]) == ("applied", "applied")


def _signed_in(app, email: str):
    """A new sign-in at the (moved) clock's time: older sessions have ended by then."""
    client = app.test_client()
    assert sign_in(client, email).status_code == 303
    client.csrf = csrf_token(client, "/")
    return client


def test_consent_expires_after_its_validity(app, world, travel):
    person = world.records["person"]
    months = app.config["CONSENT_VALID_MONTHS"]
    given = add_months(today_local(), -months) + timedelta(days=2)
    _update_person(app, world, person, consent_basis="consent", consent_date=given.isoformat())
    worker = _signed_in(app, "worker@a.test")
    assert results(worker, contact_create([person], note="Fine."))[0]["status"] == "applied"
    travel(days=3)
    worker = _signed_in(app, "worker@a.test")
    assert "Consent expired" in worker.get(f"/people/{person}").get_data(as_text=True)
    refused = results(worker, contact_create([person], note="Too late."))[0]
    assert refused["status"] == "rejected"
    assert "consent withdrawn or expired" in refused["errors"][0]["reason"]


def test_public_task_never_expires(app, world, travel):
    person = world.records["person"]
    _update_person(app, world, person, consent_basis="public_task",
                   consent_date=today_local().isoformat())
    travel(days=app.config["CONSENT_VALID_MONTHS"] * 31)
    worker = _signed_in(app, "worker@a.test")
    assert results(worker, contact_create([person], note="Fine."))[0]["status"] == "applied"


# --- retention ---------------------------------------------------------------------------

def _retention(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["privacy", "retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_retention_dry_run_counts_and_changes_nothing(app, world, travel):
    travel(days=25 * 31)
    output = _retention(app, "--dry-run")
    assert "person: would erase 2 (no activity for 24 months)" in output
    assert "contact: would anonymise 2" in output
    assert "referral: would erase 2" in output
    with app.app_context():
        assert db.session.get(Person, world.records["person"]) is not None


def test_retention_erases_the_inactive_and_phones_forget_them(app, world, login, travel):
    worker = login("worker@a.test")
    cache, cursor = pull_all(worker)
    person, contact = world.records["person"], world.records["contact"]
    assert ("person", person) in cache
    assert ("contact", contact) in cache
    with app.app_context():  # another person, still seen last month: kept
        active = factories.make_person(world.actor("worker"), display_name="Still active")
        db.session.commit()
    travel(days=25 * 31)
    with app.app_context():
        db.session.execute(update(Person).where(Person.id == active).values(
            updated_at=clock.now() - timedelta(days=20)))
        db.session.commit()
    output = _retention(app)
    assert "person: erase 2" in output
    travel(days=0)  # the worker's phone syncs in real time again
    with app.app_context():
        assert db.session.get(Person, person) is None
        assert db.session.get(Contact, contact) is None
        assert db.session.get(Referral, world.records["referral"]) is None
        assert db.session.get(Person, active) is not None
    cache, _ = pull_all(worker, cursor, cache=cache)
    assert ("person", person) not in cache
    assert ("contact", contact) not in cache
    assert ("referral", world.records["referral"]) not in cache
    assert _audit(app, "retention")


def test_retention_keeps_a_person_with_recent_contacts_and_anonymises_old_contacts(
        app, world, travel):
    person, contact = world.records["person"], world.records["contact"]
    travel(days=25 * 31)
    with app.app_context():
        recent = factories.make_contact(world.actor("worker"), [person], note="Recent.")
        db.session.execute(update(Contact).where(Contact.id == recent).values(
            occurred_at=clock.now() - timedelta(days=3)))
        db.session.commit()
    output = _retention(app)
    # the person stays; the other municipality's person goes with their contact
    assert "person: erase 1" in output
    assert "contact: anonymise 1" in output  # the old one, not the recent one
    with app.app_context():
        assert db.session.get(Person, person) is not None
        old = db.session.get(Contact, contact)
        assert old.note is None
        assert old.people == []
        assert old.channel == "home_visit"
        assert db.session.get(Contact, recent).note == "Recent."


def test_retention_periods_are_configurable(app, world, travel):
    travel(days=25 * 31)
    app.config["RETENTION_MONTHS"] = {"person": 36, "contact": 36, "referral": 36}
    try:
        output = _retention(app, "--dry-run")
    finally:
        app.config["RETENTION_MONTHS"] = {}
    assert "person: would erase 0 (no activity for 36 months)" in output


# --- erasure and export ------------------------------------------------------------------

def test_erasure_reaches_the_phone_and_leaves_only_an_audit_record(app, world, login):
    worker, coordinator = login("worker@a.test"), login("coordinator@a.test")
    person = world.records["person"]
    cache, cursor = pull_all(worker)
    assert ("person", person) in cache
    form = coordinator.get(f"/people/{person}/erase")
    assert form.status_code == 200
    assert "Erase" in form.get_data(as_text=True)
    refused = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "reason": "The person asked for it"})
    assert refused.status_code == 422  # not confirmed
    no_reason = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "confirm": "yes", "reason": ""})
    assert no_reason.status_code == 422
    erased = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "confirm": "yes", "reason": "The person asked for it"})
    assert erased.status_code == 303
    assert coordinator.get(f"/people/{person}").status_code == 404
    cache, _ = pull_all(worker, cursor, cache=cache)
    assert ("person", person) not in cache
    assert ("contact", world.records["contact"]) not in cache
    assert ("referral", world.records["referral"]) not in cache
    [event] = _audit(app, "erase_person", person)
    assert event.reason == "The person asked for it"
    assert event.user_id == world.users["coordinator"].id
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert "Amina El Idrissi" not in repr(tuple(row)), table.name


def test_export_holds_everything_for_the_coordinator_and_is_audited(app, world, login):
    person = world.records["person"]
    with app.app_context():
        factories.make_contact(world.actor("worker"), [person], note="Health: asthma.",
                               note_visibility="sensitive")
        db.session.commit()
    coordinator = login("coordinator@a.test")
    response = coordinator.get(f"/people/{person}/export.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["person"]["display_name"] == "Amina El Idrissi"
    assert data["person"]["phone"] == "+32 470 00"
    notes = sorted(c["note"] for c in data["contacts"])
    assert notes == ["Health: asthma.", "Talked about school."]
    assert [r["service"] for r in data["referrals"]] == ["Huis van het Nederlands (en)"]
    assert _audit(app, "export_person", person)[0].reason == "json"
    page = coordinator.get(f"/people/{person}/export")
    assert page.status_code == 200
    assert "Health: asthma." in page.get_data(as_text=True)
    assert len(_audit(app, "export_person", person)) == 2
    # the trail records the export, never what was in it
    with app.app_context():
        for event in db.session.scalars(select(AuditEvent)):
            assert "asthma" not in (event.reason or "")


def test_export_page_speaks_the_persons_language(app, world, login, compiled_catalogs):
    person = world.records["person"]
    _update_person(app, world, person, preferred_language="fr")
    page = login("coordinator@a.test").get(f"/people/{person}/export").get_data(as_text=True)
    assert 'lang="fr"' in page or "Téléphone" in page


# --- audit -------------------------------------------------------------------------------

def test_sensitive_read_is_audited_and_a_prefetch_is_not(app, world, login):
    person = world.records["person"]
    with app.app_context():
        contact = factories.make_contact(world.actor("coordinator"), [person],
                                         note="Health: asthma.", note_visibility="sensitive")
        db.session.commit()
    coordinator = login("coordinator@a.test")
    pull_all(coordinator)
    for path in (f"/people/{person}", f"/contacts/{contact}", "/"):
        assert coordinator.get(path).status_code == 200
    assert _audit(app, "read_sensitive_note") == []
    note = coordinator.get(f"/contacts/{contact}/note")
    assert note.status_code == 200
    assert "asthma" in note.get_data(as_text=True)
    [event] = _audit(app, "read_sensitive_note", contact)
    assert event.user_id == world.users["coordinator"].id


def test_sign_ins_and_failures_are_audited(app, world):
    client = app.test_client()
    assert sign_in(client, "worker@a.test", "wrong password!").status_code == 401
    assert sign_in(client, "nobody@a.test", "wrong password!").status_code == 401
    assert sign_in(client, "worker@a.test").status_code == 303
    failed = _audit(app, "sign_in_failed")
    assert {e.user_id for e in failed} == {world.users["worker"].id, None}
    assert [e.user_id for e in _audit(app, "sign_in")] == [world.users["worker"].id]


def test_the_audit_trail_cannot_be_changed_or_deleted(app, world):
    with app.app_context():
        db.session.add(AuditEvent(action="sign_in", user_id=world.users["worker"].id))
        db.session.commit()
        event = db.session.scalars(select(AuditEvent)).first()
        event.action = "nothing"
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEvent)).first())
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AppendOnly):
            db.session.execute(delete(AuditEvent))
        with pytest.raises(AppendOnly):
            db.session.execute(update(AuditEvent).values(action="nothing"))
        db.session.rollback()


def test_coordinator_log_filters_by_who_and_what(app, world, login):
    coordinator = login("coordinator@a.test")
    coordinator.get(f"/people/{world.records['person']}/export.json")
    sign_in(app.test_client(), "worker@a.test", "wrong password!")
    page = coordinator.get("/audit")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "<strong>Exported a person's data</strong>" in text
    assert "<strong>Failed sign-in</strong>" in text
    only_exports = coordinator.get("/audit?action=export_person").get_data(as_text=True)
    assert "Failed sign-in</strong>" not in only_exports
    assert "Exported a person's data</strong>" in only_exports
    worker_only = coordinator.get(
        f"/audit?user={world.users['worker'].id}").get_data(as_text=True)
    assert "Exported a person's data</strong>" not in worker_only
    # another municipality's coordinator sees none of it
    other = login("coordinator@b.test").get("/audit").get_data(as_text=True)
    assert "Exported a person's data</strong>" not in other


# --- break the glass ---------------------------------------------------------------------

@pytest.fixture
def outside(app, world):
    """A person the coordinator entered, on no team: outside the worker's scope."""
    with app.app_context():
        person = factories.make_person(world.actor("coordinator"), display_name="Outside Scope",
                                       phone="+32 470 11")
        db.session.commit()
    return person


def test_break_the_glass_needs_a_reason_and_ends(app, world, login, outside, travel):
    worker = login("worker@a.test")
    asked = worker.get(f"/people/{outside}")
    assert asked.status_code == 403
    assert "Outside Scope" not in asked.get_data(as_text=True)
    assert "Why do you need this?" in asked.get_data(as_text=True)
    assert asked.headers["Cache-Control"] == "no-store"
    no_reason = worker.post(f"/people/{outside}/access", data={"csrf_token": worker.csrf,
                                                               "reason": ""})
    assert no_reason.status_code == 422
    assert worker.get(f"/people/{outside}").status_code == 403
    granted = worker.post(f"/people/{outside}/access", data={
        "csrf_token": worker.csrf, "reason": "Colleague ill, the person called me"})
    assert granted.status_code == 303
    page = worker.get(f"/people/{outside}")
    assert page.status_code == 200
    assert "+32 470 11" in page.get_data(as_text=True)
    assert page.headers["X-Handvast-Keep"] == "no"  # never kept on the phone
    cache, _ = pull_all(worker)
    assert ("person", outside) not in cache  # nor pulled
    coordinator = login("coordinator@a.test")
    log = coordinator.get(f"/people/{outside}/log").get_data(as_text=True)
    assert "Colleague ill, the person called me" in log
    assert "Colleague ill" in coordinator.get("/audit?action=break_glass").get_data(as_text=True)
    travel(hours=app.config["BREAK_GLASS_HOURS"], minutes=1)
    assert worker.get(f"/people/{outside}").status_code == 403


@pytest.mark.parametrize("email", ["officer@a.test", "buddy@a.test", "worker@b.test",
                                   "admin@a.test"])
def test_break_the_glass_is_not_for_everyone(app, world, login, outside, email):
    client = login(email)
    assert client.get(f"/people/{outside}").status_code == 404
    assert client.post(f"/people/{outside}/access", data={
        "csrf_token": client.csrf, "reason": "I would like to see this"}).status_code == 404


# --- headers and the public page ---------------------------------------------------------

def test_privacy_pages_are_never_stored(app, world, login):
    coordinator = login("coordinator@a.test")
    person = world.records["person"]
    for path in (f"/people/{person}/export", f"/people/{person}/export.json",
                 f"/people/{person}/erase", f"/people/{person}/log", "/audit"):
        response = coordinator.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["X-Handvast-Keep"] == "no", path
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar", "tr", "uk"])
def test_public_privacy_page_needs_no_sign_in(app, language):
    response = app.test_client().get("/privacy", headers={"Accept-Language": language})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'lang="{language}"' in text
    assert "csrf-token" in text
    assert "data-logout" not in text
