"""Push (POST /api/v1/sync/push) as shared/SYNC.md promises it: every status, exactly once,
one bad item never blocks the rest, the limits and the answers to a broken request."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.contacts.models import Contact, ContactVersion
from server.core.clock import now
from server.core.ids import new_id
from server.extensions import db
from server.org.models import Team
from server.people.models import Person
from server.sync.models import AppliedMutation, SyncConflict

from . import factories
from .conftest import switch_municipality
from .records import contact_form
from .sync_client import (
    CLIENT_ID,
    PULL,
    PUSH,
    conflicts,
    contact_create,
    mutation,
    person_create,
    person_update,
    push,
    results,
)

NOT_ALLOWED = [{"field": "record_id", "reason": "not found or not allowed"}]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def worker(world, login):
    return login("worker@a.test")


# --- applied, duplicate ------------------------------------------------------------------


def test_new_person_and_contact_are_applied_with_version_one(app, world, worker):
    person = person_create("Yusuf", phone="+32 470 11 22 33", languages=["ar", "nl"])
    contact = contact_create([person["record_id"]], note="First visit.")

    assert results(worker, person, contact) == [
        {"id": person["id"], "status": "applied", "record_id": person["record_id"], "version": 1},
        {"id": contact["id"], "status": "applied", "record_id": contact["record_id"], "version": 1},
    ]
    with app.app_context():
        stored = db.session.get(Person, person["record_id"])
        assert (stored.display_name, stored.phone, stored.languages) == (
            "Yusuf", "+32 470 11 22 33", ["ar", "nl"])
        logged = db.session.get(Contact, contact["record_id"])
        assert [p.id for p in logged.people] == [person["record_id"]]


def test_same_mutation_twice_in_one_batch_applies_once(app, world, worker):
    contact = contact_create(note="Said twice.")

    first, second = results(worker, contact, contact)

    assert first["status"] == "applied"
    assert second == {**first, "status": "duplicate"}
    with app.app_context():
        assert _count(Contact, Contact.id == contact["record_id"]) == 1
        assert _count(ContactVersion, ContactVersion.contact_id == contact["record_id"]) == 1
        assert _count(AppliedMutation, AppliedMutation.id == contact["id"]) == 1


def test_same_mutation_in_two_batches_applies_once(app, world, worker):
    person = person_create("Olena")
    [first] = results(worker, person)
    [again] = results(worker, person)
    [third] = results(worker, person, client_id="another-installation-of-the-same-user")

    assert first["status"] == "applied"
    assert again == third == {**first, "status": "duplicate"}
    with app.app_context():
        assert _count(Person, Person.display_name == "Olena") == 1


def test_update_delivered_twice_bumps_the_version_once(app, world, worker):
    update = person_update(world.records["person"], 1, phone="+32 2 555 00 00")
    [first] = results(worker, update)
    [again] = results(worker, update)

    assert (first["status"], first["version"]) == ("applied", 2)
    assert again == {**first, "status": "duplicate"}
    with app.app_context():
        assert db.session.get(Person, world.records["person"]).version == 2


def _form_post_contact(client, mutation_id: str, record_id: str, person_id: str):
    """The htmx form of /contacts/new, as the page's script posts it with the ids made on save."""
    return client.post("/contacts/", data=contact_form(
        client, [person_id], mutation_id=mutation_id, record_id=record_id, channel="street",
        domains=["work"], note="Met at the market."), headers={"HX-Request": "true"})


def test_form_post_then_push_of_the_same_mutation_applies_once(app, world, worker):
    contact = contact_create([world.records["person"]], channel="street", note="Met at the market.")

    response = _form_post_contact(worker, contact["id"], contact["record_id"],
                                  world.records["person"])
    assert response.status_code == 303
    [result] = results(worker, contact)

    assert result == {"id": contact["id"], "status": "duplicate",
                      "record_id": contact["record_id"], "version": 1}
    with app.app_context():
        assert _count(Contact, Contact.note == "Met at the market.") == 1


def test_push_then_form_post_of_the_same_mutation_applies_once(app, world, worker):
    contact = contact_create([world.records["person"]], channel="street", note="Met at the market.")

    assert results(worker, contact)[0]["status"] == "applied"
    response = _form_post_contact(worker, contact["id"], contact["record_id"],
                                  world.records["person"])

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contacts/{contact['record_id']}")
    with app.app_context():
        assert _count(Contact, Contact.note == "Met at the market.") == 1


def test_someone_elses_mutation_id_is_rejected_without_echoing_their_result(world, worker, login):
    contact = contact_create(note="Mine.")
    assert results(worker, contact)[0]["status"] == "applied"

    [result] = results(login("volunteer@a.test"), {**contact, "record_id": new_id()})

    assert result["status"] == "rejected"
    assert "version" not in result
    assert result["record_id"] == ""


# --- merged, conflict --------------------------------------------------------------------


def test_stale_base_version_on_disjoint_fields_merges(app, world, worker, login):
    person_id = world.records["person"]
    [first] = results(worker, person_update(person_id, 1, phone="+32 470 99 99 99"))
    [second] = results(login("volunteer@a.test"),
                       person_update(person_id, 1, preferred_language="fr"))

    assert (first["status"], first["version"]) == ("applied", 2)
    assert (second["status"], second["version"]) == ("merged", 3)
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.phone, person.preferred_language, person.version) == (
            "+32 470 99 99 99", "fr", 3)
        assert _count(SyncConflict) == 0


def test_same_field_edit_is_a_conflict_for_the_loser_with_both_values(app, world, worker, login):
    person_id = world.records["person"]
    volunteer = login("volunteer@a.test")
    results(worker, person_update(person_id, 1, phone="+32 470 00 00 01"))

    losing = person_update(person_id, 1, phone="+32 470 00 00 02", preferred_language="fr")
    [result] = results(volunteer, losing)

    assert result["status"] == "conflict"
    assert result["conflict"]["fields"] == ["phone"]
    assert result["version"] == 3  # preferred_language did not overlap and went through
    [listed] = conflicts(volunteer)
    assert listed["conflict_id"] == result["conflict"]["conflict_id"]
    assert (listed["record_type"], listed["record_id"], listed["field"]) == (
        "person", person_id, "phone")
    assert (listed["mine"], listed["current"]) == ("+32 470 00 00 02", "+32 470 00 00 01")
    assert listed["changed_by"] == "Worker"
    assert conflicts(worker) == []
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.phone, person.preferred_language) == ("+32 470 00 00 01", "fr")


def test_resolving_a_conflict_is_an_update_with_a_fresh_base_version(world, worker, login):
    person_id = world.records["person"]
    volunteer = login("volunteer@a.test")
    results(worker, person_update(person_id, 1, phone="+32 470 00 00 01"))
    [lost] = results(volunteer, person_update(person_id, 1, phone="+32 470 00 00 02"))
    assert lost["status"] == "conflict"

    [kept] = results(volunteer, person_update(person_id, lost["version"], phone="+32 470 00 00 02"))

    assert kept["status"] == "applied"
    assert conflicts(volunteer) == []


def test_two_offline_edits_of_one_field_by_one_author_do_not_conflict(app, world, worker):
    """Both edits carry the version the phone saw; the second overrides the author's own first."""
    person_id = world.records["person"]
    first = person_update(person_id, 1, phone="+32 470 10 10 10")
    second = person_update(person_id, 1, phone="+32 470 20 20 20")

    statuses = [r["status"] for r in results(worker, first, second)]

    assert statuses == ["applied", "merged"]
    assert conflicts(worker) == []
    with app.app_context():
        assert db.session.get(Person, person_id).phone == "+32 470 20 20 20"


def test_contacts_are_append_only_and_never_conflict(app, world, worker, login):
    contact_id = world.records["contact"]
    first = mutation("contact.correct", {"note": "Corrected once."}, record_id=contact_id,
                     base_version=1)
    second = mutation("contact.correct", {"note": "Corrected twice."}, record_id=contact_id,
                      base_version=1)

    statuses = [r["status"] for r in results(worker, first, second)]

    assert statuses == ["applied", "applied"]
    with app.app_context():
        assert _count(ContactVersion, ContactVersion.contact_id == contact_id) == 3


# --- rejected ----------------------------------------------------------------------------


@pytest.mark.parametrize(("mutation_type", "fields", "field"), [
    ("person.destroy", {"display_name": "X"}, "type"),
    ("teleport.create", {}, "type"),
    ("person", {"display_name": "X"}, "type"),
    ("person.create", {"display_name": 42}, "display_name"),
    ("person.create", {"display_name": "X", "languages": "ar"}, "languages"),
    ("person.create", {"display_name": "X", "languages": ["not a code!"]}, "languages"),
    ("person.create", {"display_name": "X", "neighbourhood_id": 7}, "neighbourhood_id"),
    ("person.create", {}, "display_name"),
    ("contact.create", {"occurred_at": "yesterday", "channel": "street"}, "occurred_at"),
    ("contact.create", {"occurred_at": "2026-01-01T10:00:00", "channel": "street"},
     "occurred_at"),
    ("contact.create", {"occurred_at": 1700000000, "channel": "street"}, "occurred_at"),
    ("contact.create", {"channel": "carrier pigeon"}, "channel"),
    ("contact.create", {"channel": "street", "domains": "education"}, "domains"),
    ("contact.create", {"channel": "street", "domains": ["astrology"]}, "domains"),
    ("contact.create", {"channel": "street", "duration_minutes": "ten"}, "duration_minutes"),
    ("contact.create", {"channel": "street", "duration_minutes": True}, "duration_minutes"),
    ("contact.create", {"channel": "street", "person_ids": "someone"}, "person_ids"),
    ("contact.create", {"channel": "street", "note_visibility": "public"}, "note_visibility"),
])
def test_invalid_mutation_is_rejected_with_the_field_and_a_reason(app, world, worker,
                                                                  mutation_type, fields, field):
    if mutation_type == "contact.create":
        fields = {"occurred_at": (now() - timedelta(minutes=5)).isoformat(), **fields}
    bad = mutation(mutation_type, fields)

    [result] = results(worker, bad)

    assert result["status"] == "rejected"
    assert "version" not in result
    assert field in {e["field"] for e in result["errors"]}
    assert all(e["reason"] for e in result["errors"])
    with app.app_context():
        assert _count(AppliedMutation, AppliedMutation.id == bad["id"]) == 0


def test_contact_in_the_future_is_rejected(app, world, worker):
    later = contact_create(occurred_at=(now() + timedelta(hours=2)).isoformat())

    [result] = results(worker, later)

    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "occurred_at", "reason": "in the future"}]
    with app.app_context():
        assert _count(Contact, Contact.id == later["record_id"]) == 0


@pytest.mark.parametrize("occurred_at", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:59:00-01:00"])
def test_contact_at_the_edge_of_the_calendar_is_rejected_not_an_error(world, worker, occurred_at):
    [result] = results(worker, contact_create(occurred_at=occurred_at))

    assert result["status"] == "rejected"
    assert result["errors"][0]["field"] == "occurred_at"


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_text_the_database_cannot_store_is_rejected_not_an_error(app, world, worker, text):
    person, contact = results(worker, person_create(text), contact_create(note=text))

    assert (person["status"], contact["status"]) == ("rejected", "rejected")
    assert person["errors"] == [{"field": "display_name", "reason": "must be text"}]
    assert contact["errors"] == [{"field": "note", "reason": "must be text"}]


@pytest.mark.parametrize("seq", [2**63, -(2**63) - 1, 10**30])
def test_seq_beyond_64_bits_is_rejected_not_an_error(world, worker, seq):
    [result] = results(worker, {**person_create(), "seq": seq})

    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "seq", "reason": "must be a whole number"}]


def _same_answer(foreign: dict, random: dict) -> None:
    """Nothing but the ids tells a foreign record from one that does not exist."""
    assert foreign["status"] == random["status"] == "rejected"
    assert foreign["errors"] == random["errors"] == NOT_ALLOWED
    assert set(foreign) == set(random)


@pytest.mark.parametrize(("mutation_type", "record", "fields"), [
    ("person.update", "person_b", {"phone": "+32 1"}),
    ("person.assign", "person_b", {"team_id": None}),
    ("contact.correct", "contact_b", {"note": "x"}),
    ("referral.advance", "referral_b", {"status": "sent"}),
])
def test_record_of_another_municipality_is_rejected_like_a_random_id(world, worker, mutation_type,
                                                                     record, fields):
    foreign = mutation(mutation_type, fields, record_id=world.records[record], base_version=1)
    random = mutation(mutation_type, fields, base_version=1)

    _same_answer(*results(worker, foreign, random))


@pytest.mark.parametrize(("mutation_type", "record"), [
    ("person.create", "person_b"), ("person.create", "person"), ("contact.create", "contact_b"),
])
def test_create_with_an_existing_record_id_is_rejected_and_changes_nothing(app, world, worker,
                                                                           mutation_type, record):
    """No squatting: a create never takes over a record, in this municipality or another."""
    fields = contact_create()["fields"] if mutation_type == "contact.create" else {
        "display_name": "Squatter"}
    squat = mutation(mutation_type, fields, record_id=world.records[record])
    update_of_nothing = mutation("person.update", {"phone": "1"}, base_version=1)

    _same_answer(*results(worker, squat, update_of_nothing))
    with app.app_context():
        assert _count(Person, Person.display_name == "Squatter") == 0
        if mutation_type == "contact.create":
            assert db.session.get(Contact, world.records[record]).author_id == \
                world.users["worker_b"].id


def test_record_the_user_may_not_write_is_rejected_like_a_random_id(app, world, login):
    with app.app_context():
        coordinator = world.actor("coordinator")
        other_team = factories.make_team(db.session.get(type(world.a), world.a.id), "Other team")
        elsewhere = factories.make_person(coordinator, display_name="On another caseload")
        factories.apply(coordinator, "person.assign", {"team_id": other_team.id}, elsewhere)
        db.session.commit()
    volunteer = login("volunteer@a.test")
    cases = [
        # on another team's caseload
        mutation("person.update", {"phone": "1"}, record_id=elsewhere, base_version=2),
        # a contact the volunteer may read (their team's) but did not write
        mutation("contact.correct", {"note": "x"}, record_id=world.records["contact"]),
    ]
    for case in cases:
        random = {**case, "id": new_id(), "record_id": new_id()}
        _same_answer(*results(volunteer, case, random))
    with app.app_context():
        assert db.session.get(Person, elsewhere).phone is None


def test_buddy_may_not_create_people_and_is_told_so_like_any_refusal(world, login):
    [result] = results(login("buddy@a.test"), person_create("Not mine to add"))

    assert result["status"] == "rejected"
    assert result["errors"] == NOT_ALLOWED


def test_one_bad_item_does_not_block_the_rest(app, world, worker):
    good = person_create("First")
    bad = mutation("person.create", {"display_name": ["not", "text"]})
    unknown = mutation("signal.raise", {})
    later = contact_create([good["record_id"]], note="After the bad ones.")

    statuses = [r["status"] for r in results(worker, good, bad, unknown, later)]

    assert statuses == ["applied", "rejected", "rejected", "applied"]
    with app.app_context():
        assert _count(Person, Person.id == good["record_id"]) == 1
        assert _count(Contact, Contact.id == later["record_id"]) == 1


def test_structurally_broken_item_is_rejected_and_the_rest_applied(app, world, worker):
    good = person_create("Still here")
    broken = [
        {"id": "not-a-uuid", "type": "person.create", "record_id": new_id(), "fields": {}},
        {"id": new_id(), "type": 5, "record_id": new_id(), "fields": {}},
        {"id": new_id(), "type": "person.create", "record_id": None, "fields": {}},
        {"id": new_id(), "type": "person.create", "record_id": new_id(), "fields": []},
        {"id": new_id(), "type": "person.update", "record_id": new_id(), "fields": {},
         "base_version": "3"},
        {"id": new_id(), "type": "person.create", "record_id": "NOT-AN-ID", "fields": {}},
        {"id": new_id(), "type": "person.create", "record_id": new_id(), "fields": {},
         "recorded_at": "Tuesday"},
    ]

    answered = results(worker, *broken, good)

    assert [r["status"] for r in answered] == ["rejected"] * len(broken) + ["applied"]
    assert [r["id"] for r in answered] == [m["id"] for m in broken] + [good["id"]]


def test_results_come_in_request_order_and_apply_in_seq_order(app, world, worker):
    created = person_create("Before")
    created["seq"] = 1
    edited = person_update(created["record_id"], 1, display_name="After")
    edited["seq"] = 2
    noted = contact_create([created["record_id"]])
    noted["seq"] = 3

    answered = results(worker, noted, edited, created)

    assert [r["id"] for r in answered] == [noted["id"], edited["id"], created["id"]]
    assert [(r["status"], r["version"]) for r in answered] == [
        ("applied", 1), ("applied", 2), ("applied", 1)]
    with app.app_context():
        assert db.session.get(Person, created["record_id"]).display_name == "After"


# --- server-owned fields -----------------------------------------------------------------


@pytest.mark.parametrize("owned", [
    {"municipality_id": "B"}, {"created_by": "other"}, {"author_id": "other"}, {"version": 99},
    {"created_at": "2020-01-01T00:00:00+00:00"}, {"team_id": None}, {"field_versions": {}},
    {"id": "other"},
])
def test_server_owned_fields_in_fields_are_refused(app, world, worker, owned):
    key, value = next(iter(owned.items()))
    value = {"B": world.b.id, "other": world.users["worker_b"].id}.get(value, value) \
        if isinstance(value, str) else value
    person = person_create("Owned", **{key: value})
    contact = contact_create(**{key: value})

    answered = results(worker, person, contact)

    for result in answered:
        assert result["status"] == "rejected"
        assert {"field": key, "reason": "unknown field"} in result["errors"]


def test_server_owned_keys_beside_the_fields_are_ignored(app, world, worker):
    person = {**person_create("Mine"), "municipality_id": world.b.id, "version": 99,
              "created_by": world.users["worker_b"].id, "author_id": world.users["worker_b"].id}
    contact = {**contact_create([person["record_id"]]), "municipality_id": world.b.id,
               "author_id": world.users["worker_b"].id, "version": 42,
               "created_at": "2020-01-01T00:00:00+00:00"}

    assert [r["version"] for r in results(worker, person, contact)] == [1, 1]
    with app.app_context():
        stored = db.session.get(Person, person["record_id"])
        assert (stored.municipality_id, stored.created_by, stored.version) == (
            world.a.id, world.users["worker"].id, 1)
        logged = db.session.get(Contact, contact["record_id"])
        assert (logged.municipality_id, logged.author_id, logged.version) == (
            world.a.id, world.users["worker"].id, 1)
        assert logged.created_at > now() - timedelta(minutes=5)


def test_created_record_belongs_to_the_users_current_municipality(app, world, worker_in_two):
    """A user with roles in two municipalities creates in the one they work in now."""
    client = worker_in_two
    switch = switch_municipality(client, world.b.id)
    assert switch.status_code in (302, 303)
    person = person_create("Created in Beta")

    results(client, person)

    with app.app_context():
        assert db.session.get(Person, person["record_id"]).municipality_id == world.b.id


# --- the request itself ------------------------------------------------------------------


def test_more_than_500_mutations_answers_413_with_json(app, world, worker):
    person = person_create("One too many")
    batch = [person] + [mutation("no.such", {}) for _ in range(500)]

    response = push(worker, *batch)

    assert response.status_code == 413
    assert response.is_json
    assert response.get_json()["error"]
    with app.app_context():
        assert _count(Person, Person.id == person["record_id"]) == 0


def test_exactly_500_mutations_are_accepted(world, worker):
    assert len(results(worker, *[mutation("no.such", {}) for _ in range(500)])) == 500


def test_body_over_2_mib_answers_413_with_json(app, world, worker):
    person = person_create("Big", reach_note="x" * 400)
    body = json.dumps({"client_id": CLIENT_ID, "mutations": [person],
                       "padding": "x" * (2 * 1024 * 1024)})

    response = worker.post(PUSH, data=body, content_type="application/json",
                           headers={"X-CSRFToken": worker.csrf})

    assert response.status_code == 413
    assert response.is_json
    assert response.get_json()["error"]
    with app.app_context():
        assert _count(Person, Person.id == person["record_id"]) == 0


@pytest.mark.parametrize("body", [
    "{not json", "", "[" * 100_000 + "]" * 100_000, '{"client_id": "x", "mutations": [}',
    b"\xff\xfe{}",
])
def test_malformed_json_answers_400(world, worker, body):
    response = worker.post(PUSH, data=body, content_type="application/json",
                           headers={"X-CSRFToken": worker.csrf})

    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"]


@pytest.mark.parametrize("envelope", [
    {"mutations": []},
    {"client_id": CLIENT_ID},
    {"client_id": CLIENT_ID, "mutations": {}},
    {"client_id": "", "mutations": []},
    {"client_id": 12, "mutations": []},
    {"client_id": "x" * 65, "mutations": []},
    {"client_id": "nul\x00", "mutations": []},
    {"client_id": CLIENT_ID, "mutations": [{"type": "person.create"}]},
    {"client_id": CLIENT_ID, "mutations": ["person.create"]},
    [],
    "mutations",
])
def test_missing_or_broken_envelope_answers_400(world, worker, envelope):
    response = worker.post(PUSH, json=envelope, headers={"X-CSRFToken": worker.csrf})

    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"]


@pytest.mark.parametrize(("method", "path"), [
    ("post", PUSH), ("get", PULL), ("get", "/api/v1/sync/conflicts"), ("get", "/api/v1/session"),
])
def test_not_signed_in_answers_401_not_a_redirect(client, method, path):
    response = getattr(client, method)(path, json={"client_id": CLIENT_ID, "mutations": []})

    assert response.status_code == 401
    assert "Location" not in response.headers
    assert response.is_json


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_push_without_a_valid_csrf_token_is_refused(app, world, worker, token):
    person = person_create("No token")
    headers = {} if token is None else {"X-CSRFToken": token}

    response = worker.post(PUSH, json={"client_id": CLIENT_ID, "mutations": [person]},
                           headers=headers)

    assert response.status_code == 400
    assert response.is_json
    with app.app_context():
        assert _count(Person, Person.id == person["record_id"]) == 0


def test_csrf_token_of_another_session_is_refused(app, world, worker, login):
    other = login("volunteer@a.test")
    person = person_create("Borrowed token")

    response = worker.post(PUSH, json={"client_id": CLIENT_ID, "mutations": [person]},
                           headers={"X-CSRFToken": other.csrf})

    assert response.status_code == 400


def test_user_without_a_role_here_gets_no_push(app, login):
    with app.app_context():
        factories.make_user("nobody@a.test", None)
        db.session.commit()
    client = login("nobody@a.test")

    assert push(client, person_create()).status_code == 404


def test_team_of_another_municipality_cannot_be_assigned(app, world, login):
    coordinator = login("coordinator@a.test")
    with app.app_context():
        team_b = db.session.scalar(select(Team.id).where(Team.municipality_id == world.b.id))
    assign = mutation("person.assign", {"team_id": team_b}, record_id=world.records["person"])
    random_team = mutation("person.assign", {"team_id": new_id()},
                           record_id=world.records["person"])

    foreign, random = results(coordinator, assign, random_team)

    assert foreign["status"] == random["status"] == "rejected"
    assert foreign["errors"] == random["errors"]
