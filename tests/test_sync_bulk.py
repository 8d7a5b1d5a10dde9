"""Many new contacts in one batch take the set-based path (contacts.operations.create_contacts):
the same checks, the same rows and the same answers as one by one, and a collision with
another process falls back to the one-by-one path without losing or doubling anything."""

from sqlalchemy import func, select

from server.contacts.models import Contact, ContactVersion
from server.core.changes import ChangeLog
from server.core.mutations import Mutation
from server.extensions import db
from server.org.models import Neighbourhood
from server.sync.apply import apply_many
from server.sync.models import AppliedMutation

from .sync_client import contact_create, results


def _mutation(raw: dict) -> Mutation:
    return Mutation(id=raw["id"], type=raw["type"], record_id=raw["record_id"], fields=raw["fields"])


def _neighbourhoods(app, municipality) -> str:
    with app.app_context():
        return db.session.scalar(select(Neighbourhood.id).where(
            Neighbourhood.municipality_id == municipality.id))


def test_a_run_of_new_contacts_answers_and_stores_as_one_by_one(app, world, login):
    worker = login("worker@a.test")
    person = world.records["person"]
    here, elsewhere = _neighbourhoods(app, world.a), _neighbourhoods(app, world.b)
    batch = [contact_create([person], note="one"), contact_create([], note="two"),
             contact_create([person], channel="pigeon"), contact_create([world.records["person_b"]]),
             contact_create([person], note="five", neighbourhood_id=here),
             contact_create([], neighbourhood_id=elsewhere)]
    alone = contact_create([person], note="one")  # the same as the first, on its own
    answers = results(worker, *batch)
    assert [a["status"] for a in answers] == [
        "applied", "applied", "rejected", "rejected", "applied", "rejected"]
    assert [e["field"] for e in answers[2]["errors"]] == ["channel"]
    assert answers[3]["errors"] == [{"field": "person_ids", "reason": "not found or not allowed"}]
    assert answers[5]["errors"] == [{"field": "neighbourhood_id", "reason": "not found or not allowed"}]
    assert results(worker, alone)[0]["status"] == "applied"
    with app.app_context():
        first = db.session.get(ContactVersion, (batch[0]["record_id"], 1)).data
        single = db.session.get(ContactVersion, (alone["record_id"], 1)).data
        assert {**first, "occurred_at": None} == {**single, "occurred_at": None}
        logged = set(db.session.scalars(
            select(ChangeLog.record_id).where(ChangeLog.record_type == "contact")))
        applied = {batch[i]["record_id"] for i in (0, 1, 4)} | {alone["record_id"]}
        refused = {batch[i]["record_id"] for i in (2, 3, 5)}
        assert applied <= logged
        assert not refused & logged
        assert db.session.get(Contact, batch[4]["record_id"]).neighbourhood_id == here


def test_a_record_id_twice_in_one_run_is_stored_once(app, world, login):
    worker = login("worker@a.test")
    first = contact_create([], note="first")
    second = {**contact_create([], note="second"), "record_id": first["record_id"]}
    answers = results(worker, first, second)
    assert [a["status"] for a in answers] == ["applied", "rejected"]
    with app.app_context():
        assert db.session.get(Contact, first["record_id"]).note == "first"


def test_a_collision_in_a_run_falls_back_to_one_by_one(app, world):
    """Another process applied one of the mutations between the ledger lookup and the run."""
    with app.app_context():
        worker = world.actor("worker")
        raws = [contact_create([], note=f"note {i}") for i in range(3)]
        assert apply_many(worker, [_mutation(raws[1])], "other phone")[0].status == "applied"
        db.session.commit()
        answers = apply_many(worker, [_mutation(r) for r in raws], "phone")
        db.session.commit()
        assert [a.status for a in answers] == ["applied", "duplicate", "applied"]
        for raw in raws:
            assert db.session.scalar(select(func.count()).select_from(Contact).where(
                Contact.id == raw["record_id"])) == 1
        assert db.session.scalar(select(func.count()).select_from(AppliedMutation).where(
            AppliedMutation.id.in_([r["id"] for r in raws]))) == 3
