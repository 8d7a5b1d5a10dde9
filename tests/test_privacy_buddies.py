"""The buddy programme under privacy by design: erasing a person takes their wishes, pairs,
sessions and session logs (the buddy's phone hears of it), their export shows what the
programme holds, and retention erases pairs that ended long ago while keeping running ones."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from server.auth.models import Membership
from server.buddies.models import BuddyPair, BuddyProfile, BuddySession, BuddySessionLog, BuddyWish
from server.core import clock
from server.core.clock import today_local
from server.extensions import db
from server.people.models import Person

from . import buddy_helpers as bh
from . import factories
from .sync_client import pull, pull_all

BUDDY_TABLES = ("buddy_wish", "buddy_pair", "buddy_session", "buddy_session_log")


def _retention(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["privacy", "retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _paired(app, world) -> dict:
    """The world's person with a wish, an active pair with the world's buddy, a session logged
    with a note (twice: two logs) and one still to come."""
    with app.app_context():
        ids = bh.active_pair(world)
        buddy = world.actor("buddy")
        for note in ("Practised Dutch at the library.", "Practised Dutch, then coffee."):
            factories.apply(buddy, "buddy_session.log", {"outcome": "done", "note": note,
                                                         "minutes_spent": 75},
                            record_id=ids["past"])
        db.session.commit()
    return ids


def _rows_naming(values: set[str]) -> list[tuple[str, tuple]]:
    """Rows of the buddy tables holding any of these values."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in BUDDY_TABLES:
            for row in db.session.execute(select(table)):
                if values & {str(v) for v in row}:
                    found.append((table.name, tuple(row)))
    return found


def test_erasing_a_person_in_a_pair_removes_it_all_and_the_buddys_phone_forgets(
        app, world, login):
    ids = _paired(app, world)
    person = world.records["person"]
    buddy = login("buddy@a.test")
    cache, cursor = pull_all(buddy)
    assert ("buddy_pair", ids["pair"]) in cache
    assert ("buddy_session", ids["past"]) in cache
    assert ("buddy_session", ids["future"]) in cache
    renewed = buddy.post("/calendar/renew", data={"csrf_token": buddy.csrf})
    feed = re.search(r'/calendar/[A-Za-z0-9_-]+\.ics', renewed.get_data(as_text=True)).group(0)
    assert f"buddy_session-{ids['future']}" in app.test_client().get(feed).get_data(as_text=True)

    coordinator = login("coordinator@a.test")
    erased = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "confirm": "yes", "reason": "The person asked for it"})
    assert erased.status_code == 303, erased.get_data(as_text=True)[:500]

    with app.app_context():
        assert db.session.get(Person, person) is None
        for model in (BuddyWish, BuddyPair, BuddySession, BuddySessionLog):
            assert db.session.scalars(select(model)).all() == [], model.__tablename__
        assert _rows_naming({person, ids["wish"], ids["pair"], ids["past"], ids["future"]}) == []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert "Practised Dutch" not in repr(tuple(row)), table.name
        # the buddy's own profile is theirs, not the person's: it stays
        assert db.session.get(BuddyProfile, ids["profile"]) is not None

    changes = pull(buddy, cursor).get_json()["changes"]
    gone = {(c["type"], c["id"]) for c in changes if c["deleted"]}
    assert {("buddy_pair", ids["pair"]), ("buddy_session", ids["past"]),
            ("buddy_session", ids["future"])} <= gone
    cache, _ = pull_all(buddy, cursor, cache=cache)
    assert not [key for key in cache if key[0] in ("buddy_pair", "buddy_session")]
    assert login("buddy@a.test").get(f"/buddies/pairs/{ids['pair']}").status_code == 404
    calendar = app.test_client().get(feed)  # the buddy's phone calendar drops the sessions
    assert calendar.status_code == 200
    assert "buddy_session-" not in calendar.get_data(as_text=True)


def test_the_export_shows_what_the_buddy_programme_holds(app, world, login):
    ids = _paired(app, world)
    person = world.records["person"]
    coordinator = login("coordinator@a.test")
    data = coordinator.get(f"/people/{person}/export.json").get_json()
    buddies = data["buddies"]
    [wish] = buddies["wishes"]
    assert wish["id"] == ids["wish"]
    assert wish["goals"] == ["language_practice", "administration"]
    assert wish["status"] == "matched"
    [pair] = buddies["pairs"]
    assert pair["id"] == ids["pair"]
    assert pair["status"] == "active"
    assert pair["started_on"] == today_local().isoformat()
    assert pair["buddy"] == world.users["buddy"].display_name.split(" ")[0]
    assert "buddy_id" not in pair
    sessions = {s["id"]: s for s in pair["sessions"]}
    assert set(sessions) == {ids["past"], ids["future"]}
    logged = sessions[ids["past"]]
    assert (logged["status"], logged["minutes_spent"]) == ("done", 75)
    assert [log["note"] for log in logged["logs"]] == ["Practised Dutch at the library.",
                                                       "Practised Dutch, then coffee."]
    assert sessions[ids["future"]]["status"] == "planned"

    page = coordinator.get(f"/people/{person}/export").get_data(as_text=True)
    assert "Buddies" in page
    assert "Practised Dutch, then coffee." in page
    assert "Language practice" in page
    assert "75 minutes" in page
    assert "Active" in page


def _end(app, world, ids: dict) -> None:
    with app.app_context():
        factories.apply(world.actor("buddy"), "buddy_pair.move",
                        {"status": "ended", "end_reason": "goals_reached"},
                        record_id=ids["pair"], base_version=2)
        db.session.commit()


def test_retention_erases_a_pair_ended_long_ago_and_keeps_a_running_one(
        app, world, login, travel):
    ended = _paired(app, world)
    _end(app, world, ended)
    with app.app_context():  # a second person with a pair that still runs
        worker = world.actor("worker")
        other = factories.make_person(worker, display_name="Still paired")
        wish = bh.make_wish(worker, other)
        running = bh.propose(worker, wish, world.users["buddy"].id)
        factories.apply(world.actor("buddy"), "buddy_pair.answer", {"answer": "accept"},
                        record_id=running)
        db.session.commit()
    buddy = login("buddy@a.test")
    cache, cursor = pull_all(buddy)
    assert ("buddy_pair", ended["pair"]) in cache

    travel(days=23 * 31)  # not yet: the pair ended less than 24 months ago
    assert "buddy_pair: would erase 0 (no activity for 24 months)" in _retention(app, "--dry-run")
    travel(days=25 * 31)
    with app.app_context():  # both people were changed last month: they stay
        db.session.execute(update(Person).values(updated_at=clock.now() - timedelta(days=20)))
        db.session.commit()
    dry = _retention(app, "--dry-run")
    assert "buddy_pair: would erase 1 (no activity for 24 months)" in dry
    assert "buddy_profile: would erase 0" in dry
    output = _retention(app)
    assert "buddy_pair: erase 1" in output
    travel(days=0)
    with app.app_context():
        assert db.session.get(BuddyPair, ended["pair"]) is None
        assert db.session.get(BuddySession, ended["past"]) is None
        assert db.session.get(BuddyWish, ended["wish"]) is None  # answered, nothing left
        assert db.session.scalars(select(BuddySessionLog)).all() == []
        assert db.session.get(BuddyPair, running).status == "active"
        assert db.session.get(BuddyWish, wish) is not None
        assert db.session.get(Person, world.records["person"]) is not None
    cache, _ = pull_all(buddy, cursor, cache=cache)
    assert ("buddy_pair", ended["pair"]) not in cache
    assert ("buddy_session", ended["past"]) not in cache
    assert ("buddy_pair", running) in cache


def test_a_running_pair_keeps_the_person_and_an_old_ended_one_does_not(
        app, world, travel):
    ids = _paired(app, world)
    person = world.records["person"]
    travel(days=25 * 31)  # the pair still runs: the person is kept
    assert "person: would erase 1 " in _retention(app, "--dry-run")  # the other municipality's
    travel(days=0)
    _end(app, world, ids)
    travel(days=25 * 31)  # ended 25 months ago, nothing since: the person goes with it
    output = _retention(app)
    assert "person: erase 2" in output
    with app.app_context():
        assert db.session.get(Person, person) is None
        assert db.session.get(BuddyPair, ids["pair"]) is None
        assert db.session.scalars(select(BuddySessionLog)).all() == []


def test_profiles_of_former_buddies_go_after_the_period(app, world, travel):
    with app.app_context():
        former = factories.make_user("former@a.test", world.a, "buddy")
        profile = bh.make_profile(factories.actor_for(former, world.a))
        kept = bh.make_profile(world.actor("buddy"))
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == former.id))
        db.session.commit()
    travel(days=25 * 31)
    output = _retention(app)
    assert "buddy_profile: erase 1" in output
    with app.app_context():
        assert db.session.get(BuddyProfile, profile) is None
        assert db.session.get(BuddyProfile, kept) is not None
