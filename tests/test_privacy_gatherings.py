"""Gatherings, outreach rounds and signals under privacy by design: erasing a person takes
them off the gatherings they were named at (the counts stay), their export lists those
gatherings, and retention removes names and free text after 24 months, keeping the counts."""

from datetime import timedelta

from sqlalchemy import select, update

from server.core import clock
from server.core.clock import now
from server.extensions import db
from server.gatherings.models import Gathering, GatheringTopic, gathering_attendee
from server.outreach.models import OutreachRound
from server.people.models import Person
from server.signals.models import Signal

from .sync_client import mutation, pull_all, results


def _retention(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["privacy", "retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _named_gathering(worker, name: str = "Olena Kovalenko") -> tuple[str, str]:
    """A person with a legal basis, named at a gathering that was counted and had a topic."""
    person = mutation("person.create", {"display_name": name, "consent_basis": "consent",
                                        "consent_date": now().date().isoformat()})
    gathering = mutation("gathering.create", {
        "kind": "buurtbabbel", "starts_at": (now() - timedelta(hours=2)).isoformat(),
        "place": "Plein"})
    gathering_id = gathering["record_id"]
    answers = results(worker, person, gathering,
                      mutation("gathering.increment", {"counter": "residents", "delta": 3},
                               record_id=gathering_id),
                      mutation("gathering.topic", {"domain": "housing_environment",
                                                   "text": "Olena: schimmel in de woning"},
                               record_id=gathering_id),
                      mutation("gathering.topic", {"text": "Only words, no domain"},
                               record_id=gathering_id),
                      mutation("gathering.attend", {"person_id": person["record_id"]},
                               record_id=gathering_id))
    assert [a["status"] for a in answers] == ["applied"] * 6, answers
    return person["record_id"], gathering_id


def test_erasing_a_named_attendee_keeps_the_gathering_and_its_counts(app, world, login):
    worker, coordinator = login("worker@a.test"), login("coordinator@a.test")
    person, gathering = _named_gathering(worker)
    export = coordinator.get(f"/people/{person}/export.json").get_json()
    assert [(g["id"], g["kind"], g["place"]) for g in export["gatherings"]] == [
        (gathering, "buurtbabbel", "Plein")]
    page = coordinator.get(f"/people/{person}/export").get_data(as_text=True)
    assert "Plein" in page
    assert "Buurtbabbel" in page
    assert "Gatherings (1)" in page

    cache, cursor = pull_all(worker)
    assert cache[("gathering", gathering)]["data"]["person_ids"] == [person]
    erased = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "confirm": "yes", "reason": "The person asked for it"})
    assert erased.status_code == 303, erased.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.get(Person, person) is None
        assert db.session.execute(select(gathering_attendee)).all() == []
        assert db.session.get(Gathering, gathering).residents == 3
    cache, _ = pull_all(worker, cursor, cache=cache)
    assert ("person", person) not in cache
    data = cache[("gathering", gathering)]["data"]
    assert data["person_ids"] == []
    assert data["other_attendees"] == 0
    assert data["tallies"]["residents"] == 3


def test_retention_takes_names_and_words_of_old_gatherings_and_keeps_the_counts(
        app, world, login, travel):
    worker = login("worker@a.test")
    person, old = _named_gathering(worker)
    recent_person, recent = _named_gathering(worker, "Recently there")
    travel(days=25 * 31)
    with app.app_context():  # the second gathering took place last week
        db.session.execute(update(Gathering).where(Gathering.id == recent).values(
            starts_at=clock.now() - timedelta(days=7)))
        db.session.commit()
    dry = _retention(app, "--dry-run")
    assert "gathering: would anonymise 1 (no activity for 24 months)" in dry
    output = _retention(app)
    assert "gathering: anonymise 1" in output
    with app.app_context():
        gone = db.session.get(Gathering, old)
        assert gone.people == []
        assert gone.residents == 3
        assert [(t.domain, t.text) for t in gone.topics] == [("housing_environment", None)]
        kept = db.session.get(Gathering, recent)
        assert [p.id for p in kept.people] == [recent_person]
        assert len(kept.topics) == 2
        # named at a gathering last week: kept; the other one had nothing recent
        assert db.session.get(Person, recent_person) is not None
        assert db.session.get(Person, person) is None
    travel(days=0)
    cache, _ = pull_all(worker)
    data = cache[("gathering", old)]["data"]
    assert data["person_ids"] == []
    assert [t["text"] for t in data["topics"]] == [None]


def test_retention_takes_the_words_of_old_rounds_and_resolved_signals(
        app, world, login, travel):
    worker = login("worker@a.test")
    walked = mutation("outreach_round.start", {
        "started_at": (now() - timedelta(hours=1)).isoformat(), "place": "Markt"})
    round_id = walked["record_id"]
    resolved = mutation("signal.create", {"theme": "housing_environment", "urgency": "high",
                                          "description": "Family Yilmaz: mould."})
    still_open = mutation("signal.create", {"theme": "housing_environment", "urgency": "low",
                                            "description": "Still being looked at."})
    answers = results(
        worker, walked,
        mutation("outreach_round.increment", {"counter": "reached", "delta": 4},
                 record_id=round_id),
        mutation("outreach_round.topic", {"domain": "work", "text": "Ahmed looks for work"},
                 record_id=round_id),
        resolved, still_open,
        mutation("signal.triage", {"status": "resolved", "note": "Yilmaz helped by the SVK."},
                 record_id=resolved["record_id"], base_version=1))
    assert [a["status"] for a in answers] == ["applied"] * 6, answers
    travel(days=23 * 31)
    dry = _retention(app, "--dry-run")
    assert "outreach_round: would anonymise 0" in dry
    assert "signal: would anonymise 0" in dry
    travel(days=25 * 31)
    output = _retention(app)
    assert "outreach_round: anonymise 1" in output
    assert "signal: anonymise 1" in output
    with app.app_context():
        walked_round = db.session.get(OutreachRound, round_id)
        assert walked_round.reached == 4
        assert [(t.domain, t.text) for t in walked_round.topics] == [("work", None)]
        old = db.session.get(Signal, resolved["record_id"])
        assert (old.theme, old.status, old.description) == ("housing_environment", "resolved", "")
        assert [s.note for s in old.steps] == [None, None]
        assert db.session.get(Signal, still_open["record_id"]).description == \
            "Still being looked at."
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert "Yilmaz" not in repr(tuple(row)), table.name
                assert "Ahmed" not in repr(tuple(row)), table.name
        assert db.session.scalars(select(GatheringTopic)).all() == []
    travel(days=0)
    cache, _ = pull_all(worker)
    assert cache[("signal", resolved["record_id"])]["data"]["description"] == ""
    assert cache[("outreach_round", round_id)]["data"]["topics"][0]["text"] is None
