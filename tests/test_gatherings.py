"""Gatherings and outreach rounds through the push API: counters are increments that commute,
each its own idempotent mutation; pulled data carries the tallies; the plan merges per field."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

from server.core.clock import now, parse_iso_datetime
from server.core.ids import new_id

from .sync_client import mutation, pull_all, results


def plan(**fields) -> dict:
    return mutation("gathering.create", {
        "kind": "buurtbabbel", "starts_at": (now() + timedelta(days=3)).isoformat(),
        "place": "Plein", **fields})


def tap(record_id: str, counter: str = "residents", delta=1, **extra) -> dict:
    return mutation("gathering.increment", {"counter": counter, "delta": delta},
                    record_id=record_id, **extra)


def tallies(client, record_type: str, record_id: str) -> dict:
    cache, _cursor = pull_all(client)
    return cache[(record_type, record_id)]["data"]["tallies"]


def test_gathering_is_planned_and_pulled_with_zero_tallies(world, login):
    worker = login("worker@a.test")
    created = plan(host_ids=[world.users["officer"].id], invitation_languages=["nl", "ar"])
    [result] = results(worker, created)
    assert result["status"] == "applied"
    cache, _ = pull_all(worker)
    data = cache[("gathering", created["record_id"])]["data"]
    assert data["tallies"] == {"residents": 0, "newcomers": 0, "children": 0}
    assert data["host_ids"] == [world.users["officer"].id]
    assert data["kind"] == "buurtbabbel"


def test_increments_add_up_and_a_duplicate_counts_once(world, login):
    worker = login("worker@a.test")
    created = plan()
    taps = [tap(created["record_id"]) for _ in range(7)]
    again = dict(taps[0])
    answers = results(worker, created, *taps, tap(created["record_id"], "children", 3), again)
    assert [a["status"] for a in answers] == ["applied"] * 9 + ["duplicate"]
    assert results(worker, *taps[:3])
    assert all(
        a["status"] == "duplicate" for a in results(worker, *taps[:3]))
    assert tallies(worker, "gathering", created["record_id"]) == {
        "residents": 7, "newcomers": 0, "children": 3}


def test_taps_from_two_users_in_either_order_add_up(world, login):
    worker, officer = login("worker@a.test"), login("officer@a.test")
    created = plan(host_ids=[world.users["officer"].id])
    results(worker, created)
    assert {a["status"] for a in results(officer, *[tap(created["record_id"]) for _ in range(5)])
            } == {"applied"}
    assert {a["status"] for a in results(worker, *[tap(created["record_id"]) for _ in range(7)])
            } == {"applied"}
    assert results(worker, tap(created["record_id"], delta=-1))[0]["status"] == "applied"
    assert tallies(officer, "gathering", created["record_id"])["residents"] == 11


@pytest.mark.parametrize(("delta", "reason"), [
    (0, "must not be zero"), (1.5, "must be a whole number"), ("1", "must be a whole number"),
    (True, "must be a whole number"), (None, "required"), (1001, "out of range")])
def test_increment_with_a_bad_delta_is_rejected_with_its_reason(world, login, delta, reason):
    worker = login("worker@a.test")
    created = plan()
    answers = results(worker, created, tap(created["record_id"], delta=delta))
    assert answers[1]["status"] == "rejected"
    assert answers[1]["errors"] == [{"field": "delta", "reason": reason}]
    assert tallies(worker, "gathering", created["record_id"])["residents"] == 0


def test_a_count_never_goes_below_zero_and_taps_from_two_phones_still_add_up(world, login):
    """As found: a delta of -1000 was applied and every role saw "Children: -1,000"."""
    worker, officer = login("worker@a.test"), login("officer@a.test")
    created = plan(host_ids=[world.users["officer"].id])
    record = created["record_id"]
    answers = results(worker, created, tap(record, "children", -1000))
    assert answers[1]["status"] == "rejected"
    assert answers[1]["errors"] == [{"field": "delta", "reason": "would take the count below zero"}]
    results(officer, *[tap(record, "children") for _ in range(3)])
    assert results(worker, tap(record, "children", -2))[0]["status"] == "applied"
    assert results(worker, tap(record, "children", -2))[0]["status"] == "rejected"
    assert results(officer, tap(record, "children", 4))[0]["status"] == "applied"
    assert tallies(worker, "gathering", record)["children"] == 5


def test_a_round_count_never_goes_below_zero(world, login):
    volunteer = login("volunteer@a.test")
    start = mutation("outreach_round.start", {"started_at": now().isoformat(), "place": "Markt"})
    record = start["record_id"]
    down = mutation("outreach_round.increment", {"counter": "flyers", "delta": -1000},
                    record_id=record)
    answers = results(volunteer, start, down)
    assert answers[1]["errors"] == [{"field": "delta", "reason": "would take the count below zero"}]
    cache, _ = pull_all(volunteer)
    assert cache[("outreach_round", record)]["data"]["tallies"]["flyers"] == 0


def test_increment_of_an_unknown_counter_or_record_is_rejected(world, login):
    worker = login("worker@a.test")
    created = plan()
    answers = results(worker, created, tap(created["record_id"], counter="dogs"),
                      tap(new_id()))
    assert answers[1]["errors"] == [{"field": "counter", "reason": "not one of the allowed values"}]
    assert answers[2] == {"id": answers[2]["id"], "status": "rejected",
                          "record_id": answers[2]["record_id"],
                          "errors": [{"field": "record_id", "reason": "not found or not allowed"}]}


def test_increment_in_another_municipality_is_rejected(world, login):
    created = plan()
    results(login("worker@b.test"), created)
    [answer] = results(login("coordinator@a.test"), tap(created["record_id"]))
    assert answer["status"] == "rejected"


def test_plan_edits_merge_with_counting_and_conflict_on_the_same_field(world, login):
    worker, coordinator = login("worker@a.test"), login("coordinator@a.test")
    created = plan()
    results(worker, created, tap(created["record_id"]))  # version 2 now
    moved = mutation("gathering.update", {"place": "Zaal"}, record_id=created["record_id"],
                     base_version=1)
    assert results(worker, moved)[0]["status"] == "merged"
    theirs = mutation("gathering.update", {"place": "Kerk"}, record_id=created["record_id"],
                      base_version=2)
    [answer] = results(coordinator, theirs)
    assert answer["status"] == "conflict"
    assert answer["conflict"]["fields"] == ["place"]
    cache, _ = pull_all(worker)
    assert cache[("gathering", created["record_id"])]["data"]["place"] == "Zaal"


def test_topics_languages_and_named_attendees(world, login):
    worker = login("worker@a.test")
    created = plan()
    gathering = created["record_id"]
    answers = results(worker, created,
                      mutation("gathering.topic", {"domain": "housing_environment",
                                                   "text": "Schimmel in de sociale woningen"},
                               record_id=gathering),
                      mutation("gathering.topic", {}, record_id=gathering),
                      mutation("gathering.hear", {"language": "ar"}, record_id=gathering),
                      mutation("gathering.hear", {"language": "tr"}, record_id=gathering),
                      mutation("gathering.hear", {"language": "tr", "heard": False},
                               record_id=gathering),
                      mutation("gathering.attend", {"person_id": world.records["person"]},
                               record_id=gathering))
    assert [a["status"] for a in answers] == [
        "applied", "applied", "rejected", "applied", "applied", "applied", "rejected"]
    # Amina has no legal basis recorded: she cannot be named.
    assert answers[6]["errors"] == [{"field": "person_id", "reason": "not found or not allowed"}]
    cache, _ = pull_all(worker)
    data = cache[("gathering", gathering)]["data"]
    assert data["languages_heard"] == ["ar"]
    assert [(t["domain"], t["text"]) for t in data["topics"]] == [
        ("housing_environment", "Schimmel in de sociale woningen")]


def test_named_attendee_needs_a_legal_basis_and_is_hidden_from_the_officer(world, login):
    worker, officer = login("worker@a.test"), login("officer@a.test")
    person = mutation("person.create", {"display_name": "Olena", "consent_basis": "consent",
                                        "consent_date": "2026-11-01"})
    created = plan(host_ids=[world.users["officer"].id])
    answers = results(worker, person, created, mutation(
        "gathering.attend", {"person_id": person["record_id"]}, record_id=created["record_id"]))
    assert [a["status"] for a in answers] == ["applied"] * 3
    worker_view, _ = pull_all(worker)
    officer_view, _ = pull_all(officer)
    key = ("gathering", created["record_id"])
    assert worker_view[key]["data"]["person_ids"] == [person["record_id"]]
    assert officer_view[key]["data"]["person_ids"] == []
    assert officer_view[key]["data"]["other_attendees"] == 1
    assert ("person", person["record_id"]) not in officer_view


def test_round_recorded_and_ended(world, login):
    volunteer = login("volunteer@a.test")
    start = mutation("outreach_round.start", {
        "started_at": (now() - timedelta(hours=1)).isoformat(), "place": "Markt",
        "kind": "market_stand"})
    record = start["record_id"]
    taps = [mutation("outreach_round.increment", {"counter": c, "delta": 1}, record_id=record)
            for c in ("reached", "reached", "conversations", "flyers", "flyers", "flyers")]
    end = mutation("outreach_round.end", {"ended_at": now().isoformat()}, record_id=record)
    answers = results(volunteer, start, *taps, end)
    assert {a["status"] for a in answers} == {"applied"}
    assert {a["status"] for a in results(volunteer, start, *taps, end)} == {"duplicate"}
    cache, _ = pull_all(volunteer)
    data = cache[("outreach_round", record)]["data"]
    assert data["tallies"] == {"reached": 2, "conversations": 1, "flyers": 3, "referrals": 0}
    assert data["ended_at"] is not None
    # the volunteer's own round; another volunteer's is not theirs to see
    assert ("outreach_round", record) not in pull_all(login("buddy@a.test"))[0]


def test_a_round_ended_without_a_time_ends_when_the_phone_recorded_the_end(world, login):
    """The contract names outreach_round.end without fields: it ends at recorded_at."""
    volunteer = login("volunteer@a.test")
    started = now() - timedelta(hours=2)
    start = mutation("outreach_round.start", {"started_at": started.isoformat(), "place": "Markt"})
    end = mutation("outreach_round.end", {}, record_id=start["record_id"])
    end["recorded_at"] = (started + timedelta(minutes=50)).isoformat()
    assert [a["status"] for a in results(volunteer, start, end)] == ["applied", "applied"]
    cache, _ = pull_all(volunteer)
    ended = datetime.fromisoformat(cache[("outreach_round", start["record_id"])]["data"]["ended_at"])
    assert ended == started + timedelta(minutes=50)


def test_round_end_before_its_start_is_rejected(world, login):
    worker = login("worker@a.test")
    start = mutation("outreach_round.start", {"started_at": now().isoformat(), "place": "Plein"})
    end = mutation("outreach_round.end", {
        "ended_at": (now() - timedelta(hours=2)).isoformat()}, record_id=start["record_id"])
    answers = results(worker, start, end)
    assert answers[1]["errors"] == [{"field": "ended_at", "reason": "before the start"}]


def test_openapi_documents_the_new_types(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    increment = schemas["Mutation_gathering_increment"]["properties"]["fields"]
    assert increment["required"] == ["counter", "delta"]
    assert increment["properties"]["counter"]["enum"] == ["residents", "newcomers", "children"]
    assert schemas["Mutation_outreach_round_increment"]["properties"]["fields"]["properties"][
        "counter"]["enum"] == ["reached", "conversations", "flyers", "referrals"]
    assert set(schemas["Mutation_gathering_create"]["properties"]["fields"]["required"]) == {
        "kind", "starts_at", "place"}
    assert set(schemas["Mutation_outreach_round_start"]["properties"]["fields"]["required"]) >= {
        "started_at", "place"}
    assert set(schemas["Mutation_signal_create"]["properties"]["fields"]["required"]) == {
        "theme", "urgency", "description"}
    assert "tallies" in schemas["Data_gathering"]["properties"]
    assert "tallies" in schemas["Data_outreach_round"]["properties"]
    assert "Mutation_gathering_update" in schemas
    assert "Mutation_outreach_round_end" in schemas


def test_invitation_is_rendered_in_each_language_by_its_own_conventions(world, login):
    worker = login("worker@a.test")
    created = plan(kind="certificate_party", invitation_languages=["nl", "ar"])
    results(worker, created)
    page = worker.get(f"/gatherings/{created['record_id']}/invitation").get_data(as_text=True)
    cache, _ = pull_all(worker)
    starts = parse_iso_datetime(cache[("gathering", created["record_id"])]["data"]["starts_at"])
    for language in ("nl", "fr", "ar", "tr", "uk"):
        when = format_datetime(starts, "EEEE d MMMM y", tzinfo=ZoneInfo("Europe/Brussels"),
                               locale=language)
        section = page.split(f'lang="{language}"', 1)[1].split("</section>", 1)[0]
        assert when in section, (language, when)
    assert 'lang="ar" dir="rtl"' in page
    assert 'lang="nl" dir="ltr"' in page
    assert 'value="nl" data-invitation-language checked' in page
    assert 'value="fr" data-invitation-language >' in page


def test_plan_form_keeps_what_was_typed_and_says_what_is_missing(world, login):
    worker = login("worker@a.test")
    form = {"csrf_token": worker.csrf, "mutation_id": "", "mutation_type": "gathering.create",
            "record_id": "", "kind": "praatcafe", "starts_at": "2026-12-24T19:00",
            "host_ids": [world.users["volunteer"].id], "invitation_languages": ["nl", "uk"]}
    refused = worker.post("/gatherings/", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="place-error"' in page
    assert 'value="2026-12-24T19:00"' in page
    saved = worker.post("/gatherings/", data={**form, "place": "Bibliotheek"})
    assert saved.status_code == 303
    shown = worker.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Bibliotheek" in shown
    assert "Volunteer" in shown
    volunteer_calendar = login("volunteer@a.test").get("/gatherings/").get_data(as_text=True)
    assert "Bibliotheek" in volunteer_calendar  # a host sees it


def test_counting_without_a_script_posts_one_tap(world, login):
    worker = login("worker@a.test")
    created = plan()
    results(worker, created)
    for delta in ("1", "1", "-1", "1"):
        answer = worker.post(f"/gatherings/{created['record_id']}/count",
                             data={"csrf_token": worker.csrf, "counter": "newcomers",
                                   "delta": delta})
        assert answer.status_code == 303
    assert tallies(worker, "gathering", created["record_id"])["newcomers"] == 2
    page = worker.get(f"/gatherings/{created['record_id']}/count").get_data(as_text=True)
    assert 'data-counter="newcomers" data-server-total="2"' in page


def test_a_lost_plan_edit_waits_in_its_authors_conflict_inbox(world, login):
    worker, coordinator = login("worker@a.test"), login("coordinator@a.test")
    created = plan()
    results(worker, created, mutation("gathering.update", {"place": "Zaal"},
                                      record_id=created["record_id"], base_version=1))
    results(coordinator, mutation("gathering.update", {"place": "Kerk"},
                                  record_id=created["record_id"], base_version=1))
    inbox = coordinator.get("/conflicts")
    assert inbox.status_code == 200
    page = inbox.get_data(as_text=True)
    assert "Kerk" in page
    assert "Zaal" in page
    assert f"/gatherings/{created['record_id']}/edit" in page
