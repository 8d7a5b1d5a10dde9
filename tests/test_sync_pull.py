"""Pull (GET /api/v1/sync/pull) as shared/SYNC.md promises it: only what the user may see,
paged, gained access as entries, lost access and deletions as deletions, the tombstone
horizon and `flask sync prune`, and the answers to a broken cursor."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from server.contacts.models import Contact, ContactVersion, contact_person
from server.core.changes import Change, ChangeCounter, ChangeLog, record_change
from server.core.clock import now
from server.extensions import db
from server.org.models import Municipality, Team
from server.org.operations import set_member

from . import factories
from .conftest import switch_municipality
from .sync_client import mutation, person_create, person_update, pull, pull_all, results


def _keys(cache: dict) -> set[tuple[str, str]]:
    return set(cache)


@pytest.fixture
def scene(app, world):
    """World plus: another team in A with its own volunteer and person (with a contact and a
    referral by the coordinator), and an officer's own person and contact."""
    with app.app_context():
        coordinator, officer = world.actor("coordinator"), world.actor("officer")
        other_team = factories.make_team(db.session.get(Municipality, world.a.id), "Other team")
        factories.make_user("other@a.test", db.session.get(Municipality, world.a.id),
                            "volunteer", teams=(other_team,))
        records = world.records
        records["other_team"] = other_team.id
        records["elsewhere"] = factories.make_person(coordinator, display_name="Elsewhere")
        factories.apply(coordinator, "person.assign", {"team_id": other_team.id},
                        records["elsewhere"])
        records["elsewhere_contact"] = factories.make_contact(coordinator, [records["elsewhere"]])
        records["elsewhere_referral"] = factories.make_referral(
            coordinator, records["elsewhere"], records["service"])
        records["officer_person"] = factories.make_person(officer, display_name="Met on patrol")
        records["officer_contact"] = factories.make_contact(
            officer, [records["officer_person"]], channel="street")
        db.session.commit()
    return world


VISIBLE = {
    "worker": ["person", "contact", "referral", "service"],
    "volunteer": ["person", "contact", "referral", "service"],
    "other": ["elsewhere", "elsewhere_contact", "elsewhere_referral", "service"],
    "coordinator": ["person", "contact", "referral", "service", "elsewhere", "elsewhere_contact",
                    "elsewhere_referral", "officer_person", "officer_contact"],
    "officer": ["officer_person", "officer_contact", "service"],
    "buddy": ["service"],
    "admin": ["service"],
    "worker_b": ["person_b", "contact_b", "referral_b", "service_b"],
    "coordinator_b": ["person_b", "contact_b", "referral_b", "service_b"],
}
TYPE_OF = {"elsewhere": "person", "officer_person": "person", "elsewhere_contact": "contact",
           "officer_contact": "contact", "elsewhere_referral": "referral"}


def _email(role: str) -> str:
    if role == "other":
        return "other@a.test"
    name, _, town = role.partition("_")
    return f"{name}@{town or 'a'}.test"


@pytest.mark.parametrize("role", list(VISIBLE))
def test_first_sync_returns_exactly_what_the_user_may_see(scene, login, role):
    cache, _cursor = pull_all(login(_email(role)))

    expected = {(TYPE_OF.get(name, name.removesuffix("_b")), scene.records[name])
                for name in VISIBLE[role]}
    assert _keys(cache) == expected
    assert all(not change["deleted"] and change["data"] for change in cache.values())


def test_officer_gets_only_the_basic_profile_of_people_they_logged(app, scene, login):
    officer = login("officer@a.test")
    results(officer, mutation("contact.create", {
        "occurred_at": (now() - timedelta(minutes=30)).isoformat(), "channel": "street",
        "person_ids": [scene.records["officer_person"]]}))
    with app.app_context():
        factories.apply(scene.actor("coordinator"), "person.assign",
                        {"team_id": scene.team.id}, scene.records["officer_person"])
        db.session.commit()

    cache, _ = pull_all(officer)

    data = cache[("person", scene.records["officer_person"])]["data"]
    assert data["full_profile"] is False
    assert "phone" not in data
    assert "team_id" not in data


@pytest.mark.parametrize(("visibility", "kept"), [
    ("team", True), ("private", False), ("sensitive", False)])
def test_only_team_notes_travel_to_phones_even_the_authors(app, world, login, visibility, kept):
    worker = login("worker@a.test")
    logged = mutation("contact.create", {
        "occurred_at": (now() - timedelta(minutes=30)).isoformat(), "channel": "office",
        "note": "Health details.", "note_visibility": visibility})
    results(worker, logged)

    cache, _ = pull_all(worker)

    assert cache[("contact", logged["record_id"])]["data"]["note"] == (
        "Health details." if kept else None)


def test_pages_follow_the_limit_and_end_with_more_false(world, login):
    worker = login("worker@a.test")
    results(worker, *[person_create(f"Person {i}") for i in range(7)])
    everything, _ = pull_all(worker)

    pages, cursor, seen = [], None, []
    while True:
        body = pull(worker, cursor, limit=3).get_json()
        pages.append(body)
        seen += [(c["type"], c["id"]) for c in body["changes"]]
        cursor = body["cursor"]
        if not body["more"]:
            break

    assert all(len(p["changes"]) <= 3 for p in pages)
    assert [p["more"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert len(pages) >= 4
    assert sorted(seen) == sorted(everything)  # every change once, none twice
    again = pull(worker, cursor).get_json()
    assert again == {"changes": [], "cursor": cursor, "more": False}


def test_default_limit_is_500(world, login):
    worker = login("worker@a.test")
    results(worker, *[person_create(f"P{i}") for i in range(500)])

    first = pull(worker).get_json()

    assert first["more"] is True
    assert len(first["changes"]) == 500


def test_only_changes_after_the_cursor_are_returned(world, login):
    worker = login("worker@a.test")
    _, cursor = pull_all(worker)
    results(worker, person_update(world.records["person"], 1, phone="+32 2 000 00 00"))

    body = pull(worker, cursor).get_json()

    assert [(c["type"], c["id"], c["version"]) for c in body["changes"]] == [
        ("person", world.records["person"], 2)]
    assert body["changes"][0]["data"]["phone"] == "+32 2 000 00 00"
    assert body["cursor"] != cursor


def _assign(app, world, person_id: str, team_id: str | None) -> None:
    with app.app_context():
        factories.apply(world.actor("coordinator"), "person.assign", {"team_id": team_id},
                        person_id)
        db.session.commit()


def test_gained_access_arrives_as_normal_entries(app, scene, login):
    volunteer = login("volunteer@a.test")
    with app.app_context():
        coordinator = scene.actor("coordinator")
        newcomer = factories.make_person(coordinator, display_name="Newly assigned")
        contact = factories.make_contact(coordinator, [newcomer])
        db.session.commit()
    cache, cursor = pull_all(volunteer)
    assert ("person", newcomer) not in cache

    _assign(app, scene, newcomer, scene.team.id)
    body = pull(volunteer, cursor).get_json()

    got = {(c["type"], c["id"]): c for c in body["changes"]}
    assert got[("person", newcomer)]["deleted"] is False
    assert got[("person", newcomer)]["data"]["display_name"] == "Newly assigned"
    assert got[("contact", contact)]["deleted"] is False


def test_lost_access_arrives_as_deleted_for_that_user_only(app, scene, login):
    phones = {role: login(_email(role)) for role in ("volunteer", "worker", "coordinator",
                                                     "other", "buddy")}
    cursors = {role: pull_all(client)[1] for role, client in phones.items()}
    person, contact, referral = (scene.records[k] for k in ("person", "contact", "referral"))

    _assign(app, scene, person, scene.records["other_team"])
    got = {role: {(c["type"], c["id"]): c for c in pull(client, cursors[role]).get_json()["changes"]}
           for role, client in phones.items()}

    # the volunteer saw them through the team only: all three go
    assert {k: c["deleted"] for k, c in got["volunteer"].items()} == {
        ("person", person): True, ("contact", contact): True, ("referral", referral): True}
    assert "data" not in got["volunteer"][("person", person)]
    # the worker wrote the contact and the referral: those stay
    assert got["worker"][("person", person)]["deleted"] is True
    assert got["worker"][("contact", contact)]["deleted"] is False
    assert got["worker"][("referral", referral)]["deleted"] is False
    # the coordinator still sees it, the other team gains it, the buddy never had it
    assert got["coordinator"][("person", person)]["deleted"] is False
    assert got["other"][("person", person)]["deleted"] is False
    assert got["other"][("contact", contact)]["deleted"] is False
    assert got["buddy"] == {}


def test_lost_access_reaches_every_phone_of_the_user(app, world, login):
    first_phone, second_phone = login("volunteer@a.test"), login("volunteer@a.test")
    cache_one, cursor_one = pull_all(first_phone)
    cache_two, cursor_two = pull_all(second_phone)
    assert ("person", world.records["person"]) in cache_one

    _assign(app, world, world.records["person"], None)
    pull_all(first_phone, cursor_one, cache=cache_one)
    pull_all(second_phone, cursor_two, cache=cache_two)

    assert ("person", world.records["person"]) not in cache_one
    assert ("person", world.records["person"]) not in cache_two
    assert cache_one == cache_two == pull_all(login("volunteer@a.test"))[0]


def test_access_lost_then_regained_ends_with_the_record(app, scene, login):
    volunteer = login("volunteer@a.test")
    cache, cursor = pull_all(volunteer)
    person = scene.records["person"]

    _assign(app, scene, person, scene.records["other_team"])
    cache, cursor = pull_all(volunteer, cursor, cache=cache)
    assert ("person", person) not in cache
    _assign(app, scene, person, scene.team.id)
    cache, cursor = pull_all(volunteer, cursor, cache=cache)

    assert cache[("person", person)]["version"] == 3
    assert cache == pull_all(volunteer)[0]


def _erase_contact(app, contact_id: str) -> None:
    """What an erasure does to the change log: the record goes, a tombstone stays. (There is no
    erasure operation yet; this is the part the sync protocol relies on.)"""
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        municipality_id, version = contact.municipality_id, contact.version
        db.session.execute(delete(contact_person).where(contact_person.c.contact_id == contact_id))
        db.session.execute(delete(ContactVersion).where(ContactVersion.contact_id == contact_id))
        db.session.execute(delete(Contact).where(Contact.id == contact_id))
        record_change(db.session, Change("contact", contact_id, municipality_id, version + 1,
                                         deleted=True))
        db.session.commit()


def test_deletion_arrives_as_deleted_for_those_who_had_it(app, world, login):
    worker, buddy = login("worker@a.test"), login("buddy@a.test")
    cache, cursor = pull_all(worker)
    _, buddy_cursor = pull_all(buddy)
    contact = world.records["contact"]

    _erase_contact(app, contact)

    assert pull(worker, cursor).get_json()["changes"] == [
        {"type": "contact", "id": contact, "version": 2, "deleted": True}]
    assert pull(buddy, buddy_cursor).get_json()["changes"] == []
    assert ("contact", contact) not in pull_all(worker)[0]


def _age_tombstones(app, days: int) -> None:
    with app.app_context():
        db.session.execute(update(ChangeLog).where(ChangeLog.deleted.is_(True)).values(
            changed_at=now() - timedelta(days=days)))
        db.session.commit()


def _prune(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["sync", "prune", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cursor_older_than_the_tombstone_horizon_answers_410(app, world, login):
    worker = login("worker@a.test")
    _, old_cursor = pull_all(worker)
    _erase_contact(app, world.records["contact"])
    _, fresh_cursor = pull_all(worker, old_cursor)
    results(worker, person_update(world.records["person"], 1, phone="+32 3"))  # after it
    _age_tombstones(app, app.config["SYNC_TOMBSTONE_DAYS"] + 1)

    assert "pruned 1 tombstone" in _prune(app)

    gone = pull(worker, old_cursor)
    assert gone.status_code == 410
    assert gone.is_json
    assert gone.get_json()["error"]
    assert pull(worker, fresh_cursor).status_code == 200  # saw the tombstone: nothing missed
    assert pull(worker).status_code == 200  # from scratch always works
    with app.app_context():
        assert db.session.scalar(select(ChangeLog).where(ChangeLog.deleted.is_(True))) is None
        horizon = db.session.get(ChangeCounter, 1).horizon
        assert horizon > 0
        assert int(old_cursor.rsplit(".", 1)[1]) < horizon <= int(fresh_cursor.rsplit(".", 1)[1])


def test_prune_keeps_tombstones_younger_than_the_horizon(app, world, login):
    worker = login("worker@a.test")
    _, cursor = pull_all(worker)
    _erase_contact(app, world.records["contact"])
    _age_tombstones(app, app.config["SYNC_TOMBSTONE_DAYS"] - 1)

    assert "pruned 0 tombstones" in _prune(app)

    body = pull(worker, cursor).get_json()
    assert body["changes"] == [{"type": "contact", "id": world.records["contact"], "version": 2,
                                "deleted": True}]


def test_prune_days_option_overrides_the_setting(app, world, login):
    worker = login("worker@a.test")
    _, cursor = pull_all(worker)
    _erase_contact(app, world.records["contact"])
    _age_tombstones(app, 3)

    assert "pruned 1 tombstone" in _prune(app, "--days", "2")
    assert pull(worker, cursor).status_code == 410


def test_cursor_from_after_a_restored_backup_answers_410(app, world, login):
    """The database is restored from a backup taken before the phone's last pull: the phone's
    cursor names changes the database no longer has, and the next changes get those numbers
    again. Until then the cursor is beyond the counter; after `flask sync restored` (the
    restore drill's step) every cursor of before is refused. Either way 410: the phone syncs
    from scratch and misses nothing."""
    worker = login("worker@a.test")
    _, backup_cursor = pull_all(worker)
    with app.app_context():
        backup = db.session.get(ChangeCounter, 1).value
    results(worker, person_update(world.records["person"], 1, phone="+32 3"))
    _, phone_cursor = pull_all(worker, backup_cursor)
    with app.app_context():  # the restore: the log and the counter as they were at the backup
        db.session.execute(delete(ChangeLog).where(ChangeLog.seq > backup))
        db.session.execute(update(ChangeCounter).values(value=backup))
        db.session.commit()
    assert pull(worker, phone_cursor).status_code == 410  # beyond anything the database has

    assert "accounts will sync from scratch" in app.test_cli_runner().invoke(
        args=["sync", "restored"]).output
    with app.app_context():
        after_restore = factories.make_person(world.actor("worker"), display_name="After restore")
        factories.make_person(world.actor("worker"), display_name="And another")
        db.session.commit()
    assert pull(worker, phone_cursor).status_code == 410  # its number was given out again
    assert pull(worker, backup_cursor).status_code == 410
    changes, _ = pull_all(worker)
    assert ("person", after_restore) in changes


def test_cursor_of_an_earlier_sync_epoch_answers_410(app, world, login):
    """Joining or leaving a team changes everything one may see: the phone starts again."""
    volunteer = login("volunteer@a.test")
    _, cursor = pull_all(volunteer)
    with app.app_context():
        team = factories.make_team(db.session.get(Municipality, world.a.id), "Second team")
        set_member(world.actor("coordinator"), db.session.get(Team, team.id),
                   world.users["volunteer"].id, True)
        db.session.commit()  # operations flush; the request, here the test, commits

    assert pull(volunteer, cursor).status_code == 410


def test_cursor_of_another_municipality_answers_410(world, worker_in_two):
    worker = worker_in_two
    _, cursor_in_a = pull_all(worker)
    switch_municipality(worker, world.b.id)

    assert pull(worker, cursor_in_a).status_code == 410
    assert ("person", world.records["person_b"]) not in pull_all(worker, cursor_in_a.replace(
        world.a.id, world.b.id))[0]  # a forged cursor for B only sees what B allows


def _garbage(world) -> list[str]:
    a = world.a.id
    return ["garbage", "1", "1.2.3", f"2.{a}.0.0", f"1.{a}.0.-1", f"1.{a}.0.²", f"1.{a}.².0",
            f"1.{a}.0.٣x", f"1.{a}.0.٣", f"1.{a}.0.{'9' * 30}", f"1.{a}.0.0.0", f"1.{a}.0.{'1' * 90}",
            "1..0.0", f"1.{a}.x.0", f"1.{a}.0.1e5"]


def test_garbage_cursor_answers_400(world, login):
    worker = login("worker@a.test")
    for cursor in _garbage(world):
        response = pull(worker, cursor)
        assert response.status_code == 400, cursor
        assert response.is_json
        assert response.get_json()["error"]


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten", "²", "1.5", " 5", "٥"])
def test_bad_limit_answers_400(world, login, limit):
    response = login("worker@a.test").get("/api/v1/sync/pull", query_string={"limit": limit})

    assert response.status_code == 400
    assert response.is_json


def test_pull_after_a_push_in_two_municipalities_never_mixes_them(app, world, login):
    results(login("worker@b.test"), person_create("Only in B"))

    cache, _ = pull_all(login("coordinator@a.test"))

    assert all(c["data"].get("display_name") != "Only in B" for c in cache.values())
