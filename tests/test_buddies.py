"""The buddy programme: matching with its reasons, the pair's lifecycle, sessions planned,
confirmed and logged (logs append, never conflict), lapsing proposals, hours as CSV."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.auth.models import User
from server.buddies import matching
from server.buddies.models import BuddyPair, BuddySession, BuddySessionLog, BuddyWish
from server.buddies.operations import expire_proposals
from server.core.clock import now, today_local
from server.core.ids import new_id
from server.core.mutations import Mutation
from server.extensions import db
from server.sync.apply import apply_one

from . import buddy_helpers as bh
from . import factories


def _buddy(world, email: str, **profile):
    user = factories.make_user(email, world.a, "buddy")
    actor = factories.actor_for(user, world.a)
    bh.make_profile(actor, **profile)
    return actor


def test_suggestions_are_ranked_with_the_reasons_that_scored(app, world):
    with app.app_context():
        centrum = bh.neighbourhood(world.a, "Centrum")
        west = bh.neighbourhood(world.a, "West")
        worker = world.actor("worker")
        person = factories.make_person(worker, display_name="Fatima Z", neighbourhood_id=centrum)
        # The best: Arabic, same neighbourhood, Saturday morning, cooking, language practice.
        _buddy(world, "best@a.test", languages=["ar"], neighbourhood_id=centrum,
                      availability=["sat_morning"], interests=["cooking"],
                      goals=["language_practice"], capacity=1)
        # Close: French, next door, two shared slots; but already has a pair.
        near = _buddy(world, "near@a.test", languages=["fr"], neighbourhood_id=west,
                      nearby_ids=[centrum], availability=["sat_morning", "wed_evening"],
                      interests=[], goals=[], capacity=3)
        other_wish = bh.make_wish(worker, world.records["person"])
        bh.propose(worker, other_wish, near.user_id)
        _buddy(world, "nothing@a.test", languages=["uk"], availability=[], interests=[],
               goals=[], capacity=1)
        _buddy(world, "full@a.test", languages=["ar"], capacity=0)
        wish = db.session.get(BuddyWish, bh.make_wish(worker, person))
        ranked = matching.suggestions(worker, wish)
        names = [s.profile.user.email for s in ranked]
        assert names == ["best@a.test", "near@a.test", "nothing@a.test"]  # the full one is out
        reasons = {s.profile.user.email: {r.kind: (r.points, r.codes) for r in s.reasons}
                   for s in ranked}
        assert reasons["best@a.test"] == {
            "languages": (4, ["ar"]), "same_neighbourhood": (3, []),
            "availability": (2, ["sat_morning"]), "interests": (1, ["cooking"]),
            "goals": (2, ["language_practice"])}
        assert reasons["near@a.test"] == {
            "languages": (4, ["fr"]), "nearby_neighbourhood": (1, []),
            "availability": (4, ["sat_morning", "wed_evening"]), "load": (-2, [])}
        assert reasons["nothing@a.test"] == {}
        assert [s.score for s in ranked] == [12, 7, 0]


def test_matching_page_shows_reasons_and_proposing_moves_to_the_next(app, world, login):
    with app.app_context():
        buddy = world.actor("buddy")
        bh.make_profile(buddy)
        wish = bh.make_wish(world.actor("worker"), world.records["person"])
        db.session.commit()
    client = login("worker@a.test")
    body = client.get(f"/buddies/wishes/{wish}").get_data(as_text=True)
    assert "Shared languages" in body
    assert "Arabic" in body
    assert "Sat morning" in body
    response = client.post(f"/buddies/wishes/{wish}/propose",
                           data={"csrf_token": client.csrf, "buddy_id": buddy.user_id})
    assert response.status_code == 303
    again = client.post(f"/buddies/wishes/{wish}/propose",
                        data={"csrf_token": client.csrf, "buddy_id": buddy.user_id})
    assert again.status_code == 422  # one proposal at a time


def test_pair_lifecycle_with_dates_reason_evaluation_and_goals(app, world):
    with app.app_context():
        ids = bh.active_pair(world)
        buddy, worker = world.actor("buddy"), world.actor("worker")
        pair = db.session.get(BuddyPair, ids["pair"])
        assert (pair.status, pair.started_on) == ("active", today_local())
        factories.apply(buddy, "buddy_pair.goals", {"goals_reached": ["language_practice"]},
                        record_id=pair.id)
        factories.apply(worker, "buddy_pair.move", {"status": "paused"}, record_id=pair.id)
        factories.apply(worker, "buddy_pair.move", {"status": "active"}, record_id=pair.id)
        refused = apply_one(worker, Mutation(new_id(), "buddy_pair.move", pair.id,
                                             {"status": "ended"}))
        assert refused.status == "rejected"
        assert [e.field for e in refused.errors] == ["end_reason"]
        factories.apply(worker, "buddy_pair.move", {"status": "ended", "end_reason":
                        "goals_reached", "evaluation": "Goed verlopen."}, record_id=pair.id)
        db.session.refresh(pair)
        assert (pair.status, pair.ended_on, pair.end_reason, pair.goals_reached) == (
            "ended", today_local(), "goals_reached", ["language_practice"])


def test_declined_and_lapsed_proposals_reopen_the_wish_for_the_next_suggestion(app, world):
    with app.app_context():
        worker, buddy = world.actor("worker"), world.actor("buddy")
        bh.make_profile(buddy)
        second = _buddy(world, "second@a.test")
        wish_id = bh.make_wish(worker, world.records["person"])
        first_pair = bh.propose(worker, wish_id, buddy.user_id)
        factories.apply(buddy, "buddy_pair.answer", {"answer": "decline"}, record_id=first_pair)
        wish = db.session.get(BuddyWish, wish_id)
        assert wish.status == "open"
        assert [s.profile.user_id for s in matching.suggestions(worker, wish)] == [second.user_id]
        pair_id = bh.propose(worker, wish_id, second.user_id)
        answer_by = db.session.get(BuddyPair, pair_id).answer_by
        assert expire_proposals(answer_by) == 0  # still the last day to answer
        assert expire_proposals(answer_by + timedelta(days=1)) == 1
        assert expire_proposals(answer_by + timedelta(days=1)) == 0  # idempotent
        assert db.session.get(BuddyPair, pair_id).status == "lapsed"
        assert db.session.get(BuddyWish, wish_id).status == "open"
        late = apply_one(second, Mutation(new_id(), "buddy_pair.answer", pair_id,
                                          {"answer": "accept"}))
        assert late.status == "rejected"


def test_an_unanswered_proposal_falls_back_to_the_next_suggestion(app, world):
    """The buddy does not answer in time: the proposal lapses and goes, in the proposer's name,
    to the best buddy not tried yet, if any reason speaks for one; else the wish is open."""
    with app.app_context():
        worker, buddy = world.actor("worker"), world.actor("buddy")
        bh.make_profile(buddy)
        second = _buddy(world, "second@a.test", languages=["ar"])
        _buddy(world, "nothing@a.test", languages=["uk"], availability=[], interests=[],
               goals=[])  # nothing in common with the wish: never proposed by the machine
        wish_id = bh.make_wish(worker, world.records["person"])
        first = bh.propose(worker, wish_id, buddy.user_id)
        lapse_day = db.session.get(BuddyPair, first).answer_by + timedelta(days=1)
        assert expire_proposals(lapse_day) == 1
        pairs = {p.buddy_id: p for p in db.session.scalars(select(BuddyPair).where(
            BuddyPair.wish_id == wish_id))}
        assert pairs[buddy.user_id].status == "lapsed"
        fallback = pairs[second.user_id]
        assert (fallback.status, fallback.proposed_by, fallback.proposed_on, fallback.answer_by) \
            == ("proposed", worker.user_id, lapse_day, lapse_day + timedelta(days=7))
        assert db.session.get(BuddyWish, wish_id).status == "matched"
        factories.apply(second, "buddy_pair.answer", {"answer": "accept"}, record_id=fallback.id)
        assert db.session.get(BuddyPair, fallback.id).status == "active"
        # Nobody left who shares anything with the wish: it opens again for the workers.
        other = bh.make_wish(worker, world.records["person"], languages=["fr"], goals=["work"],
                             availability=["wed_evening"], interests=[])
        lapsing = bh.propose(worker, other, buddy.user_id)
        assert expire_proposals(db.session.get(BuddyPair, lapsing).answer_by
                                + timedelta(days=1)) == 1
        assert db.session.get(BuddyWish, other).status == "open"
        assert db.session.scalar(select(func.count()).select_from(BuddyPair).where(
            BuddyPair.wish_id == other)) == 1


def test_the_reminder_round_lapses_proposals_so_no_other_daily_job_is_needed(app, world,
                                                                         monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from server.push import send

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", pem)
    with app.app_context():
        worker, buddy = world.actor("worker"), world.actor("buddy")
        bh.make_profile(buddy)
        second = _buddy(world, "second@a.test", languages=["ar"])
        wish_id = bh.make_wish(worker, world.records["person"])
        first = bh.propose(worker, wish_id, buddy.user_id)
        db.session.get(BuddyPair, first).answer_by = today_local() - timedelta(days=1)
        db.session.commit()
        outcome = send.run(now())
        assert outcome.errors == []
        assert db.session.get(BuddyPair, first).status == "lapsed"
        assert db.session.scalar(select(BuddyPair.status).where(
            BuddyPair.wish_id == wish_id, BuddyPair.buddy_id == second.user_id)) == "proposed"


def test_session_logs_append_and_never_conflict(app, world):
    with app.app_context():
        ids = bh.active_pair(world)
        buddy, worker = world.actor("buddy"), world.actor("worker")
        factories.apply(worker, "buddy_session.confirm", {}, record_id=ids["past"])
        factories.apply(buddy, "buddy_session.confirm", {}, record_id=ids["past"])  # no change
        first = apply_one(buddy, Mutation(new_id(), "buddy_session.log", ids["past"],
                                          {"outcome": "no_show"}, base_version=1))
        second = apply_one(worker, Mutation(new_id(), "buddy_session.log", ids["past"],
                                            {"outcome": "done", "note": "Formulieren.",
                                             "minutes_spent": 75}, base_version=1))
        assert (first.status, second.status) == ("applied", "applied")
        session = db.session.get(BuddySession, ids["past"])
        assert [log.outcome for log in session.logs] == ["no_show", "done"]
        assert (session.status, session.minutes_spent) == ("done", 75)
        early = apply_one(buddy, Mutation(new_id(), "buddy_session.log", ids["future"],
                                          {"outcome": "done"}))
        assert early.status == "rejected"
        assert [e.field for e in early.errors] == ["outcome"]


def test_a_logged_session_pushed_twice_is_logged_once(app, world, login):
    with app.app_context():
        ids = bh.active_pair(world)
        db.session.commit()
    client = login("buddy@a.test")
    mutation = {"id": new_id(), "seq": 1, "type": "buddy_session.log", "record_id": ids["past"],
                "fields": {"outcome": "done", "note": "Markt bezocht", "minutes_spent": 60}}
    for _ in range(2):
        answer = client.post("/api/v1/sync/push", json={"client_id": new_id(),
                             "mutations": [mutation]}, headers={"X-CSRFToken": client.csrf})
        assert answer.status_code == 200
    assert [r["status"] for r in answer.json["results"]] == ["duplicate"]
    with app.app_context():
        assert len(db.session.scalars(select(BuddySessionLog).where(
            BuddySessionLog.session_id == ids["past"])).all()) == 1


def test_openapi_documents_the_buddy_verbs(client):
    document = client.get("/api/v1/openapi.json").json
    text = str(document)
    for verb in ("buddy_session.plan", "buddy_session.confirm", "buddy_session.log",
                 "buddy_profile.save", "buddy_wish.create", "buddy_pair.propose",
                 "buddy_pair.answer", "buddy_pair.move", "buddy_pair.goals"):
        assert verb in text
    for field in ("start_time", "minutes_spent", "outcome", "availability"):
        assert field in text


def test_buddy_pulls_only_own_pair_with_the_first_name(app, world, login):
    with app.app_context():
        ids = bh.active_pair(world)
        db.session.commit()
    changes = login("buddy@a.test").get("/api/v1/sync/pull").json["changes"]
    pairs = [c for c in changes if c["type"] == "buddy_pair"]
    assert [p["id"] for p in pairs] == [ids["pair"]]
    assert pairs[0]["data"]["first_name"] == "Amina"
    assert "El Idrissi" not in str(changes)
    assert {c["type"] for c in changes} <= {"buddy_pair", "buddy_session", "buddy_profile",
                                           "service"}
    worker_types = {c["type"] for c in login("worker@b.test").get("/api/v1/sync/pull")
                    .json["changes"]}
    assert not worker_types & {"buddy_pair", "buddy_session", "buddy_wish"}


@pytest.mark.parametrize(("name", "shown"), [("=HYPERLINK(\"http://x\")", "'=HYPERLINK"),
                                             ("+32 470", "'+32 470"), ("@SUM(A1)", "'@SUM")])
def test_hours_csv_per_buddy_per_month_without_formulas(app, world, login, name, shown):
    with app.app_context():
        ids = bh.active_pair(world)
        db.session.get(User, world.users["buddy"].id).display_name = name
        factories.apply(world.actor("buddy"), "buddy_session.log",
                        {"outcome": "done", "minutes_spent": 90}, record_id=ids["past"])
        db.session.commit()
    month = db_month(app, ids["past"])
    for email in ("coordinator@a.test", "buddy@a.test"):
        response = login(email).get(f"/buddies/hours.csv?month={month}")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[1][0].startswith(shown)
        assert rows[1][1:] == [month, "1", "1.50", "0.00", "1.50"]  # the buddy logged alone
    assert login("worker@a.test").get("/buddies/hours.csv").status_code == 404


@pytest.mark.parametrize("month", ["9999-12", "99999999999999999999-1", "2026-13", "2026-1",
                                   "٢٠٢٦-١١", "2026-11-01", "x"])
def test_hours_of_a_month_that_is_no_month_are_a_clear_400(world, login, month):
    """As found: 9999-12 and a 20-digit year answered 500 to the buddy and the coordinator."""
    for email in ("coordinator@a.test", "buddy@a.test"):
        response = login(email).get("/buddies/hours.csv", query_string={"month": month})
        assert response.status_code == 400, (email, month)
        assert "year-month" in response.get_data(as_text=True)


def db_month(app, session_id: str) -> str:
    from server.core.clock import LOCAL_TZ

    with app.app_context():
        return db.session.get(BuddySession, session_id).starts_at.astimezone(LOCAL_TZ) \
            .strftime("%Y-%m")


def test_buddy_home_shows_the_next_session_and_logs_it_in_two_taps(app, world, login):
    with app.app_context():
        ids = bh.active_pair(world)
        db.session.commit()
    client = login("buddy@a.test")
    home = client.get("/").get_data(as_text=True)
    assert "Next buddy session" in home
    assert "It took place" in home
    assert "Amina" in home
    assert "El Idrissi" not in home
    assert "Log contact" not in home  # nothing the role cannot use
    response = client.post(f"/buddies/sessions/{ids['past']}/log", data={
        "csrf_token": client.csrf, "outcome": "done", "back": "home"})
    assert response.status_code == 303
    assert response.location.endswith("/")
    with app.app_context():
        assert db.session.get(BuddySession, ids["past"]).status == "done"


def test_coordinator_sees_stalled_and_waiting_pairs_and_figures(app, world, login):
    with app.app_context():
        ids = bh.active_pair(world)
        pair = db.session.get(BuddyPair, ids["pair"])
        pair.started_on = today_local() - timedelta(days=40)
        waiting = bh.propose(world.actor("worker"), bh.make_wish(
            world.actor("worker"), factories.make_person(world.actor("worker"))),
            world.actor("buddy").user_id)
        db.session.get(BuddyPair, waiting).answer_by = today_local()
        db.session.commit()
    body = login("coordinator@a.test").get("/buddies/").get_data(as_text=True)
    stalled = body.split("Stalled")[1].split("Proposals waiting")[0]
    assert f"/buddies/pairs/{ids['pair']}" in stalled
    assert f"/buddies/pairs/{waiting}" in body.split("Proposals waiting")[1]
    assert "1 active pair" in body
    assert now()  # the overview reads the clock of the server


def test_the_demo_buddy_has_an_active_pair_sessions_and_a_proposal(app):
    from server.demo.seed import seed

    with app.app_context():
        seed()
        buddy = db.session.scalar(select(User).where(User.email == "buddy@example.org"))
        pairs = db.session.scalars(select(BuddyPair).where(BuddyPair.buddy_id == buddy.id)).all()
        assert sorted(p.status for p in pairs) == ["active", "proposed"]
        active = next(p for p in pairs if p.status == "active")
        sessions = db.session.scalars(select(BuddySession).where(
            BuddySession.pair_id == active.id)).all()
        moment = now()
        assert sum(s.status == "done" for s in sessions) == 3
        assert any(s.starts_at < moment and s.status == "planned" for s in sessions)  # to log
        assert sum(s.starts_at > moment for s in sessions) == 2
        assert db.session.scalar(select(BuddyWish).where(BuddyWish.status == "open"))


def test_expire_proposals_command_lapses_once(app, world):
    with app.app_context():
        worker, buddy = world.actor("worker"), world.actor("buddy")
        bh.make_profile(buddy)
        pair_id = bh.propose(worker, bh.make_wish(worker, world.records["person"]), buddy.user_id)
        db.session.get(BuddyPair, pair_id).answer_by = today_local() - timedelta(days=1)
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["buddies", "expire-proposals"]).output == "1 proposal(s) lapsed\n"
    assert runner.invoke(args=["buddies", "expire-proposals"]).output == "0 proposal(s) lapsed\n"
    with app.app_context():
        assert db.session.get(BuddyPair, pair_id).status == "lapsed"


def test_forms_save_a_profile_a_wish_and_a_session(app, world, login):
    with app.app_context():
        centrum = bh.neighbourhood(world.a, "Centrum")
        db.session.commit()
    buddy = login("buddy@a.test")
    assert "Languages I speak" in buddy.get("/buddies/profile").get_data(as_text=True)
    saved = buddy.post("/buddies/profile", data={
        "csrf_token": buddy.csrf, "languages": ["ar", "nl"], "neighbourhood_id": centrum,
        "availability": ["mon_evening", "sat_morning"], "interests": ["music"],
        "goals": ["school"], "capacity": "2", "preferences": "Liefst in het weekend."})
    assert saved.status_code == 303
    again = buddy.post("/buddies/profile", data={"csrf_token": buddy.csrf, "capacity": "9"})
    assert again.status_code == 422  # out of range, shown inline
    assert "out of range" in again.get_data(as_text=True)
    worker = login("worker@a.test")
    wish = worker.post("/buddies/wishes/", data={
        "csrf_token": worker.csrf, "person_id": world.records["person"], "goals": ["school"],
        "languages": ["ar"], "availability": ["sat_morning"], "urgency": "high"})
    assert wish.status_code == 303
    matching_page = worker.get(wish.location).get_data(as_text=True)
    assert "Propose" in matching_page
    assert "Same neighbourhood" not in matching_page  # the person has no neighbourhood
    assert "Shared languages" in matching_page
    assert "Sat morning" in matching_page
    proposed = worker.post(wish.location + "/propose", data={
        "csrf_token": worker.csrf, "buddy_id": world.actor("buddy").user_id})
    pair_url = proposed.location
    assert buddy.post(pair_url + "/answer", data={"csrf_token": buddy.csrf,
                                                   "answer": "accept"}).status_code == 303
    planned = buddy.post("/buddies/sessions/", data={
        "csrf_token": buddy.csrf, "pair_id": pair_url.rsplit("/", 1)[1], "day": "2031-03-30",
        "start_time": "10:00", "duration_minutes": "90", "place": "Bib"})
    assert planned.status_code == 303
    with app.app_context():
        session = db.session.get(BuddySession, planned.location.rsplit("/", 1)[1])
        assert (session.day.isoformat(), session.start_time, session.duration_minutes) == (
            "2031-03-30", "10:00", 90)
        assert session.starts_at.isoformat() == "2031-03-30T08:00:00+00:00"  # summer time
    bad = buddy.post("/buddies/sessions/", data={
        "csrf_token": buddy.csrf, "pair_id": pair_url.rsplit("/", 1)[1], "day": "2031-03-30",
        "start_time": "25:00", "duration_minutes": "90"})
    assert bad.status_code == 422
    assert "not a time (HH:MM)" in bad.get_data(as_text=True)
