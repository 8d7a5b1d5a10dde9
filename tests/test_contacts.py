"""Logging contacts: fast, validated, append-only, with follow-ups and note visibility."""

from datetime import datetime, timedelta

import pytest

from server.audit.models import AuditEvent
from server.contacts.models import Contact, ContactVersion
from server.core.clock import LOCAL_TZ, today_local
from server.extensions import db

from . import factories


def _local(dt: datetime) -> str:
    return dt.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _form(client, **overrides):
    data = {"csrf_token": client.csrf, "occurred_at": _local(datetime.now(LOCAL_TZ)),
            "channel": "street", "domains": ["work", "dutch_language"], "duration_minutes": "15",
            "note": "Vroeg naar avondles Nederlands.", "note_visibility": "team"}
    data.update(overrides)
    return data


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Contact))


def test_home_has_the_contact_form_one_tap_away(world, login):
    client = login("volunteer@a.test")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/contacts/new"' in home
    form = client.get("/contacts/new").get_data(as_text=True)
    for channel in ("home_visit", "street", "phone", "drop_in", "school", "office", "other"):
        assert f'value="{channel}"' in form
    assert 'value="welfare_health"' in form
    assert 'name="follow_up_on"' in form


def test_logged_contact_shows_on_the_person_timeline(app, world, login):
    client = login("volunteer@a.test")
    person = world.records["person"]
    response = client.post("/contacts/", data=_form(client, person_ids=[person],
                                                     note="Samen brief van OCMW gelezen."))
    assert response.status_code == 303
    timeline = client.get(f"/people/{person}").get_data(as_text=True)
    assert "Samen brief van OCMW gelezen." in timeline


def test_unnamed_contact_at_the_market_counts(app, world, login):
    client = login("volunteer@a.test")
    before = _count(app)
    assert client.post("/contacts/", data=_form(client)).status_code == 303
    assert _count(app) == before + 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("occurred_at", "2099-01-01T10:00", "in the future"),
    ("occurred_at", "yesterday", "not a date and time with an offset"),
    ("channel", "carrier pigeon", "not one of the allowed values"),
    ("domains", ["astrology"], "not one of the allowed values"),
    ("duration_minutes", "abc", "must be a whole number"),
    ("duration_minutes", "99999", "out of range"),
    ("note", "x" * 10_001, "too long"),
    ("person_ids", ["5b0b2c4a-8c1e-4d2c-9d0e-000000000000"], "not found or not allowed"),
    ("follow_up_on", "2026-13-45", "not a valid date"),
])
def test_bad_input_answers_422_inline_and_keeps_what_was_typed(app, world, login, field, value,
                                                                message):
    client = login("volunteer@a.test")
    before = _count(app)
    response = client.post("/contacts/", data=_form(client, **{"note": "Mijn notitie", field: value}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert f'aria-describedby="{field}-error"' in body or f'id="{field}-error"' in body
    if field != "note":
        assert "Mijn notitie" in body
    assert _count(app) == before  # nothing half-saved


def test_contact_with_a_person_of_another_municipality_is_refused(app, world, login):
    client = login("worker@a.test")
    response = client.post("/contacts/", data=_form(client, person_ids=[world.records["person_b"]]))
    assert response.status_code == 422


def test_correction_is_a_new_version_and_keeps_history(app, world, login):
    client = login("worker@a.test")
    contact_id = world.records["contact"]
    page = client.get(f"/contacts/{contact_id}/correct").get_data(as_text=True)
    assert 'name="original"' in page
    response = client.post(f"/contacts/{contact_id}/correct", data=_form(
        client, note="Gecorrigeerde notitie", person_ids=[world.records["person"]]))
    assert response.status_code == 303
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        versions = db.session.scalars(db.select(ContactVersion).where(
            ContactVersion.contact_id == contact_id).order_by(ContactVersion.version)).all()
        assert contact.version == 2
        assert contact.note == "Gecorrigeerde notitie"
        assert [v.data["note"] for v in versions] == ["Talked about school.",
                                                      "Gecorrigeerde notitie"]


def test_only_author_or_coordinator_corrects(world, login):
    contact_id = world.records["contact"]
    assert login("volunteer@a.test").get(f"/contacts/{contact_id}/correct").status_code == 404
    assert login("coordinator@a.test").get(f"/contacts/{contact_id}/correct").status_code == 200


def test_follow_up_shows_under_my_follow_ups_until_done(app, world, login):
    client = login("volunteer@a.test")
    due = (today_local() - timedelta(days=1)).isoformat()
    client.post("/contacts/", data=_form(client, follow_up_on=due, note="Bellen over school"))
    page = client.get("/contacts/follow-ups").get_data(as_text=True)
    assert "Overdue" in page
    home = client.get("/").get_data(as_text=True)
    assert "Overdue" in home
    with app.app_context():
        contact_id = db.session.scalar(db.select(Contact.id).where(Contact.follow_up_on.is_not(None)))
    client.post(f"/contacts/{contact_id}/follow-up-done", data={"csrf_token": client.csrf})
    assert "No open follow-ups." in client.get("/contacts/follow-ups").get_data(as_text=True)


@pytest.mark.parametrize(("visibility", "volunteer_reads"), [
    ("team", True), ("private", False), ("sensitive", False)])
def test_note_visibility(app, world, login, visibility, volunteer_reads):
    with app.app_context():
        contact_id = factories.make_contact(world.actor("worker"), [world.records["person"]],
                                            note="Geheime notitie", note_visibility=visibility)
        db.session.commit()
    volunteer = login("volunteer@a.test")
    page = volunteer.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert ("Geheime notitie" in page) == volunteer_reads
    assert (volunteer.get(f"/contacts/{contact_id}/note").status_code == 200) == volunteer_reads
    coordinator = login("coordinator@a.test").get(f"/contacts/{contact_id}/note")
    assert "Geheime notitie" in coordinator.get_data(as_text=True)


def test_every_sensitive_read_is_audited(app, world, login):
    with app.app_context():
        contact_id = factories.make_contact(world.actor("worker"), [world.records["person"]],
                                            note="Medisch", note_visibility="sensitive")
        db.session.commit()
    coordinator = login("coordinator@a.test")
    coordinator.get(f"/contacts/{contact_id}/note")
    coordinator.get(f"/contacts/{contact_id}/note")
    with app.app_context():
        reads = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "read_sensitive_note", AuditEvent.object_id == contact_id)).all()
        assert len(reads) == 2
        assert reads[0].user_id == world.users["coordinator"].id


def test_same_form_posted_twice_is_saved_once(app, world, login):
    client = login("volunteer@a.test")
    data = _form(client, mutation_id="0e6e4cf6-56b0-4a8f-9b51-6d3c0b3e1a11",
                 record_id="7c1d5a0e-2f3b-4c8e-9a7d-1b2c3d4e5f60")
    before = _count(app)
    first = client.post("/contacts/", data=data)
    second = client.post("/contacts/", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app) == before + 1
