"""The buddy programme's reminder sources, called with a frozen "now": which reminders are
due, with which key, for whom, opening which page, and never a name or a place in the text."""

from datetime import datetime, time, timedelta

import pytest

from server.buddies import reminders
from server.buddies.models import BuddyPair, BuddySession
from server.core.clock import LOCAL_TZ, today_local
from server.extensions import db
from server.push.reminders import SOURCES

from . import buddy_helpers as bh
from . import factories

PERSONAL = ("Amina", "Idrissi", "Bibliotheek", "Buddy")  # the person, the place, the buddy


@pytest.fixture
def pair(app, world):
    with app.app_context():
        ids = bh.active_pair(world)
        session = db.session.get(BuddySession, ids["future"])
        ids["start"] = session.starts_at
        ids["worker"] = world.actor("worker").user_id
        ids["buddy"] = world.actor("buddy").user_id
        db.session.commit()
    return ids


def _due(app, source, moment):
    with app.test_request_context():  # the texts render as the runner renders them
        found = list(source(moment))
        for reminder in found:
            text = f"{reminder.title} {reminder.body} {reminder.url}"
            assert not any(word.lower() in text.lower() for word in PERSONAL[:3]), text
            assert reminder.url.startswith("/buddies/")
        return {(r.key, r.user_id, r.url) for r in found}


def _of(found, record_id):
    return {item for item in found if record_id in item[0]}


def test_the_sources_are_registered():
    for source in (reminders.session_reminders, reminders.proposal_reminders,
                   reminders.stalled_pairs):
        assert source in SOURCES


@pytest.mark.parametrize(("before", "kind"), [
    (timedelta(hours=30), None), (timedelta(hours=24), "24h"), (timedelta(hours=2), "24h"),
    (timedelta(minutes=59), "1h"), (timedelta(minutes=1), "1h")])
def test_session_reminders_a_day_and_an_hour_before(app, pair, before, kind):
    found = _of(_due(app, reminders.session_reminders, pair["start"] - before), pair["future"])
    url = f"/buddies/sessions/{pair['future']}"
    assert found == ({(f"buddy_session:{pair['future']}:{kind}", pair["buddy"], url)}
                     if kind else set())


def test_a_nudge_to_log_after_the_session_until_it_is_logged(app, world, pair):
    session_id = pair["past"]  # an hour long, it began two hours ago
    with app.app_context():
        start = db.session.get(BuddySession, session_id).starts_at
    url = f"/buddies/sessions/{session_id}"
    assert _of(_due(app, reminders.session_reminders, start + timedelta(minutes=30)),
               session_id) == set()
    after = start + timedelta(minutes=61)
    assert _of(_due(app, reminders.session_reminders, after), session_id) == {
        (f"buddy_session:{session_id}:log", pair["buddy"], url)}
    assert _of(_due(app, reminders.session_reminders, start + timedelta(days=8)),
               session_id) == set()
    with app.app_context():
        factories.apply(world.actor("buddy"), "buddy_session.log", {"outcome": "done"},
                        record_id=session_id)
        db.session.commit()
    assert _of(_due(app, reminders.session_reminders, after), session_id) == set()


def test_a_nudge_to_answer_a_proposal_on_its_last_day(app, world):
    with app.app_context():
        worker = world.actor("worker")
        bh.make_profile(world.actor("buddy"))
        pair_id = bh.propose(worker, bh.make_wish(worker, world.records["person"]),
                             world.actor("buddy").user_id)
        answer_by = db.session.get(BuddyPair, pair_id).answer_by
        db.session.commit()

    def at(day, hour=9):
        return datetime.combine(day, time(hour), LOCAL_TZ)

    expected = {(f"buddy_pair:{pair_id}:answer", world.actor("buddy").user_id,
                 f"/buddies/pairs/{pair_id}")}
    assert _of(_due(app, reminders.proposal_reminders, at(answer_by - timedelta(days=3))),
               pair_id) == set()
    assert _of(_due(app, reminders.proposal_reminders, at(answer_by - timedelta(days=1))),
               pair_id) == expected
    assert _of(_due(app, reminders.proposal_reminders, at(answer_by)), pair_id) == expected
    assert _of(_due(app, reminders.proposal_reminders, at(answer_by + timedelta(days=1))),
               pair_id) == set()


def test_the_worker_hears_of_a_stalled_pair_after_the_configured_days(app, world, pair):
    with app.app_context():
        started = today_local() - timedelta(days=30)
        db.session.get(BuddyPair, pair["pair"]).started_on = started
        db.session.commit()

    def on(day):
        return datetime.combine(day, time(9), LOCAL_TZ)

    url = f"/buddies/pairs/{pair['pair']}"
    expected = {(f"buddy_pair:{pair['pair']}:stalled:{started.isoformat()}", pair["worker"], url)}
    stalled = reminders.stalled_pairs
    assert _of(_due(app, stalled, on(started + timedelta(days=20))), pair["pair"]) == set()
    assert _of(_due(app, stalled, on(started + timedelta(days=21))), pair["pair"]) == expected
    app.config["BUDDY_STALLED_DAYS"] = 30
    try:
        assert _of(_due(app, stalled, on(started + timedelta(days=21))), pair["pair"]) == set()
    finally:
        app.config["BUDDY_STALLED_DAYS"] = 21
    with app.app_context():  # a session held: the quiet spell starts again from it
        factories.apply(world.actor("buddy"), "buddy_session.log", {"outcome": "done"},
                        record_id=pair["past"])
        held = db.session.get(BuddySession, pair["past"]).starts_at.astimezone(LOCAL_TZ).date()
        db.session.commit()
    assert _of(_due(app, stalled, on(started + timedelta(days=21))), pair["pair"]) == set()
    assert _of(_due(app, stalled, on(held + timedelta(days=21))), pair["pair"]) == {
        (f"buddy_pair:{pair['pair']}:stalled:{held.isoformat()}", pair["worker"], url)}
