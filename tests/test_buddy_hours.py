"""Volunteer hours count only as they happened: sessions within the pair's active days, at
most 12 hours each, and hours a buddy logged alone shown apart until a worker or coordinator
confirms them (issue 22 item 8)."""

import csv
import io
from datetime import timedelta

from server.buddies.models import BuddyPair, BuddySession
from server.core.clock import now, today_local
from server.core.ids import new_id
from server.extensions import db

from . import buddy_helpers as bh
from . import factories
from .test_buddies import db_month

HEADER = ["Buddy", "Month", "Sessions held", "Hours", "Confirmed hours",
          "Unconfirmed hours (logged by the buddy alone)"]


def _pair(app, world, started_days_ago: int = 0) -> dict:
    with app.app_context():
        ids = bh.active_pair(world)
        pair = db.session.get(BuddyPair, ids["pair"])
        pair.started_on = today_local() - timedelta(days=started_days_ago)
        ids["started_on"] = pair.started_on
        db.session.commit()
    return ids


def _push(client, mutation_type: str, record_id: str, fields: dict) -> dict:
    answer = client.post("/api/v1/sync/push", json={"client_id": new_id(), "mutations": [
        {"id": new_id(), "seq": 1, "type": mutation_type, "record_id": record_id,
         "fields": fields}]}, headers={"X-CSRFToken": client.csrf})
    assert answer.status_code == 200
    return answer.json["results"][0]


def _hours(client, month: str) -> list[list[str]]:
    response = client.get(f"/buddies/hours.csv?month={month}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_buddy_cannot_plan_before_the_pair_started_or_log_a_whole_day(app, world, login):
    """As found: the buddy planned a session dated before the pair started, logged it done
    with 1,440 minutes, and the 24 hours went into the coordinator's export."""
    ids = _pair(app, world)
    buddy = login("buddy@a.test")
    before = (ids["started_on"] - timedelta(days=3)).isoformat()
    planned = buddy.post("/buddies/sessions/", data={
        "csrf_token": buddy.csrf, "pair_id": ids["pair"], "day": before, "start_time": "10:00",
        "duration_minutes": "60"})
    assert planned.status_code == 422
    body = planned.get_data(as_text=True)
    assert 'id="day-error">before the pair started<' in body
    assert f'value="{before}"' in body  # the form as the buddy left it
    logged = buddy.post(f"/buddies/sessions/{ids['past']}/log", data={
        "csrf_token": buddy.csrf, "outcome": "done", "minutes_spent": "1440"})
    assert logged.status_code == 422
    assert 'id="minutes_spent-error">out of range<' in logged.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(BuddySession, ids["past"]).status == "planned"
    assert _hours(login("coordinator@a.test"), db_month(app, ids["past"]))[1:] == [
        ["Total", db_month(app, ids["past"]), "0", "0.00", "0.00", "0.00"]]


def test_sync_refuses_a_session_before_the_pair_and_a_whole_day_with_the_field(app, world,
                                                                              login):
    ids = _pair(app, world)
    buddy = login("buddy@a.test")
    before = (ids["started_on"] - timedelta(days=3)).isoformat()
    planned = _push(buddy, "buddy_session.plan", new_id(), {
        "pair_id": ids["pair"], "day": before, "start_time": "10:00", "duration_minutes": 60})
    assert (planned["status"], planned["errors"]) == (
        "rejected", [{"field": "day", "reason": "before the pair started"}])
    logged = _push(buddy, "buddy_session.log", ids["past"],
                   {"outcome": "done", "minutes_spent": 1440})
    assert (logged["status"], logged["errors"]) == (
        "rejected", [{"field": "minutes_spent", "reason": "out of range"}])
    twelve = _push(buddy, "buddy_session.log", ids["past"],
                   {"outcome": "done", "minutes_spent": 720})
    assert twelve["status"] == "applied"  # twelve hours is the most, and allowed


def test_a_session_dated_after_the_pair_ended_or_still_to_come_is_not_held(app, world, login):
    ids = _pair(app, world, started_days_ago=30)
    buddy = login("buddy@a.test")
    early = buddy.post(f"/buddies/sessions/{ids['future']}/log", data={
        "csrf_token": buddy.csrf, "outcome": "done", "minutes_spent": "60"})
    assert early.status_code == 422
    assert "the session has not started yet" in early.get_data(as_text=True)
    with app.app_context():
        db.session.get(BuddyPair, ids["pair"]).ended_on = today_local() - timedelta(days=1)
        db.session.get(BuddyPair, ids["pair"]).status = "ended"
        db.session.commit()
    late = _push(buddy, "buddy_session.log", ids["past"], {"outcome": "done"})
    assert late["errors"] == [{"field": "outcome",
                               "reason": "the session is dated after the pair ended"}]
    late_form = buddy.post(f"/buddies/sessions/{ids['past']}/log", data={
        "csrf_token": buddy.csrf, "outcome": "done"})
    assert late_form.status_code == 422
    assert "the session is dated after the pair ended" in late_form.get_data(as_text=True)
    cancelled = _push(buddy, "buddy_session.log", ids["past"], {"outcome": "cancelled"})
    assert cancelled["status"] == "applied"  # calling it off still counts no hours


def test_the_limit_is_declared_once_for_openapi_and_the_form(app, world, client, login):
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    spent = [s["properties"]["minutes_spent"] for s in schema.values()
             if "minutes_spent" in s.get("properties", {})]
    assert spent
    assert all(s["maximum"] == 720 for s in spent)
    ids = _pair(app, world)
    page = login("buddy@a.test").get(f"/buddies/sessions/{ids['past']}").get_data(as_text=True)
    assert 'name="minutes_spent"' in page
    assert 'max="720"' in page


def test_hours_logged_alone_stay_unconfirmed_until_the_matching_side_confirms(app, world,
                                                                               login):
    ids = _pair(app, world)
    with app.app_context():
        buddy = world.actor("buddy")
        factories.apply(buddy, "buddy_session.log", {"outcome": "done", "minutes_spent": 90},
                        record_id=ids["past"])
        ids["other"] = bh.plan(buddy, ids["pair"], max(now() - timedelta(minutes=30),
                                                       db.session.get(BuddySession, ids["past"])
                                                       .starts_at))
        factories.apply(buddy, "buddy_session.log", {"outcome": "done", "minutes_spent": 60},
                        record_id=ids["other"])
        db.session.commit()
    month = db_month(app, ids["past"])
    coordinator = login("coordinator@a.test")
    rows = _hours(coordinator, month)
    assert rows[0] == HEADER
    assert rows[1][1:] == [month, "2", "2.50", "0.00", "2.50"]
    assert rows[2] == ["Total", month, "2", "2.50", "0.00", "2.50"]
    overview = coordinator.get("/buddies/").get_data(as_text=True)
    waiting = overview.split("Hours not confirmed")[1].split("Ending soon")[0]
    assert f"/buddies/sessions/{ids['past']}" in waiting
    assert "90 minutes unconfirmed" in waiting

    own = login("buddy@a.test")
    assert "Unconfirmed" in own.get(f"/buddies/sessions/{ids['past']}").get_data(as_text=True)
    refused = own.post(f"/buddies/sessions/{ids['past']}/confirm", data={"csrf_token": own.csrf})
    assert refused.status_code == 422  # a buddy does not vouch for their own hours
    assert "a worker or coordinator confirms the hours" in refused.get_data(as_text=True)

    page = coordinator.get(f"/buddies/sessions/{ids['past']}").get_data(as_text=True)
    assert "Confirm the hours" in page
    with app.app_context():
        version = db.session.get(BuddySession, ids["past"]).version
    stale = coordinator.post(f"/buddies/sessions/{ids['past']}/confirm", data={
        "csrf_token": coordinator.csrf, "base_version": str(version - 1)})
    assert stale.status_code == 422  # not the time the coordinator saw
    confirmed = coordinator.post(f"/buddies/sessions/{ids['past']}/confirm", data={
        "csrf_token": coordinator.csrf, "base_version": str(version)})
    assert confirmed.status_code == 303
    rows = _hours(coordinator, month)
    assert rows[1][1:] == [month, "2", "2.50", "1.50", "1.00"]
    assert rows[2] == ["Total", month, "2", "2.50", "1.50", "1.00"]
    waiting = coordinator.get("/buddies/").get_data(as_text=True).split(
        "Hours not confirmed")[1].split("Ending soon")[0]
    assert f"/buddies/sessions/{ids['past']}" not in waiting
    assert f"/buddies/sessions/{ids['other']}" in waiting
    assert _hours(own, month)[1][1:] == [month, "2", "2.50", "1.50", "1.00"]  # the buddy's own

    pulled = [c for c in own.get("/api/v1/sync/pull").json["changes"]
              if c["type"] == "buddy_session"]
    assert {c["id"]: c["data"]["hours_confirmed"] for c in pulled
            if c["id"] in (ids["past"], ids["other"])} == {ids["past"]: True, ids["other"]: False}
    relogged = _push(own, "buddy_session.log", ids["past"],
                     {"outcome": "done", "minutes_spent": 600})
    assert relogged["status"] == "applied"
    assert _hours(coordinator, month)[1][1:] == [month, "2", "11.00", "0.00", "11.00"]


def test_a_worker_who_logs_the_session_confirms_its_hours_by_that(app, world, login):
    ids = _pair(app, world)
    worker = login("worker@a.test")
    logged = _push(worker, "buddy_session.log", ids["past"],
                   {"outcome": "done", "minutes_spent": 45})
    assert logged["status"] == "applied"
    assert _hours(login("coordinator@a.test"), db_month(app, ids["past"]))[1][3:] == [
        "0.75", "0.75", "0.00"]


def test_the_migration_counts_sessions_a_worker_logged_as_confirmed(app, world):
    import importlib.util
    from pathlib import Path

    from sqlalchemy import text, update

    path = next(Path(__file__).parents[1].glob("migrations/versions/*_buddy_hours_confirmed.py"))
    spec = importlib.util.spec_from_file_location("buddy_hours_confirmed", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        ids = bh.active_pair(world)
        buddy, worker = world.actor("buddy"), world.actor("worker")
        alone = bh.plan(buddy, ids["pair"], db.session.get(BuddySession, ids["past"]).starts_at)
        factories.apply(buddy, "buddy_session.log", {"outcome": "done"}, record_id=alone)
        factories.apply(worker, "buddy_session.log", {"outcome": "done"}, record_id=ids["past"])
        db.session.execute(update(BuddySession).values(hours_confirmed_by=None))
        db.session.execute(text(migration.BACKFILL))
        db.session.expire_all()
        assert db.session.get(BuddySession, ids["past"]).hours_confirmed_by == worker.user_id
        assert db.session.get(BuddySession, alone).hours_confirmed_by is None
        assert db.session.get(BuddySession, ids["future"]).hours_confirmed_by is None
