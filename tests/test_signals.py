"""Signals: anyone in the field raises one; workers and coordinators move it on; every step
reaches the person who raised it, who sees where it stands."""

import pytest

from .sync_client import mutation, pull_all, results


def signal(**fields) -> dict:
    return mutation("signal.create", {"theme": "housing_environment", "urgency": "high",
                                      "description": "Drie gezinnen in één huis, schimmel.",
                                      **fields})


def triage(record_id: str, status: str, **fields) -> dict:
    return mutation("signal.triage", {"status": status, **fields}, record_id=record_id)


def test_officer_raises_and_follows_a_signal_through_every_status(world, login):
    officer, worker, coordinator = (login(f"{r}@a.test") for r in ("officer", "worker",
                                                                     "coordinator"))
    raised = signal()
    assert results(officer, raised)[0]["status"] == "applied"
    page = officer.get("/").get_data(as_text=True)
    assert "News on your signals" not in page
    steps = [(worker, "acknowledged", {}),
             (coordinator, "forwarded", {"forwarded_to": "Sociaal Verhuurkantoor",
                                         "note": "Doorgestuurd naar het SVK."}),
             (worker, "resolved", {"note": "Het SVK heeft het gezin geholpen."})]
    for who, status, fields in steps:
        assert results(who, triage(raised["record_id"], status, **fields))[0]["status"] == "applied"
        home = officer.get("/").get_data(as_text=True)
        assert "News on your signals" in home
        shown = officer.get(f"/signals/{raised['record_id']}").get_data(as_text=True)
        assert f'<span class="badge status-{status}">' in shown
        assert officer.post("/signals/seen", data={"csrf_token": officer.csrf}).status_code == 303
        assert "News on your signals" not in officer.get("/").get_data(as_text=True)
    shown = officer.get(f"/signals/{raised['record_id']}").get_data(as_text=True)
    assert "Sociaal Verhuurkantoor" in shown
    assert "Het SVK heeft het gezin geholpen." in shown
    cache, _ = pull_all(officer)
    data = cache[("signal", raised["record_id"])]["data"]
    assert [s["status"] for s in data["steps"]] == ["new", "acknowledged", "forwarded",
                                                   "resolved"]


def test_only_workers_and_coordinators_triage(world, login):
    volunteer, officer = login("volunteer@a.test"), login("officer@a.test")
    raised = signal()
    results(volunteer, raised)
    for who in (volunteer, officer):
        [answer] = results(who, triage(raised["record_id"], "acknowledged"))
        assert answer["errors"] == [{"field": "record_id", "reason": "not found or not allowed"}]
    assert results(login("worker@b.test"), triage(raised["record_id"], "acknowledged"))[0][
        "status"] == "rejected"


def test_a_step_is_never_undone_and_forwarding_names_where(world, login):
    worker = login("worker@a.test")
    raised = signal()
    answers = results(worker, raised, triage(raised["record_id"], "forwarded"),
                      triage(raised["record_id"], "resolved"),
                      triage(raised["record_id"], "acknowledged"))
    assert answers[1]["errors"] == [{"field": "forwarded_to", "reason": "required"}]
    assert answers[2]["status"] == "applied"
    assert answers[3]["errors"] == [
        {"field": "status", "reason": "not a next step from the current status"}]


@pytest.mark.parametrize(("role", "sees_others"), [
    ("coordinator", True), ("worker", True), ("volunteer", False), ("officer", False)])
def test_who_sees_which_signals(world, login, role, sees_others):
    others = signal(description="Wachtlijst NT2 te lang.")
    results(login("worker@a.test"), others)
    own = signal(description="Eigen signaal.")
    results(login(f"{role}@a.test"), own)
    cache, _ = pull_all(login(f"{role}@a.test"))
    assert ("signal", own["record_id"]) in cache
    assert (("signal", others["record_id"]) in cache) == (sees_others or role == "worker")


def test_lists_filter_by_theme_neighbourhood_status_and_age(world, login):
    worker = login("worker@a.test")
    results(worker, signal(description="Over wonen."),
            signal(theme="education", description="Over schoolplaatsen."))
    listed = worker.get("/signals/?theme=education").get_data(as_text=True)
    assert "Over schoolplaatsen." in listed
    assert "Over wonen." not in listed.split("All signals")[1]
    old = worker.get("/signals/?age=older").get_data(as_text=True).split("All signals")[1]
    assert "Over schoolplaatsen." not in old
    resolved = worker.get("/signals/?status=resolved").get_data(as_text=True)
    assert "No signals match." in resolved


def test_signal_linked_to_a_gathering_the_reporter_may_not_see_is_refused(world, login):
    gathering = mutation("gathering.create", {"kind": "praatcafe", "place": "Bib",
                                              "starts_at": "2026-12-20T14:00:00+01:00"})
    results(login("worker@a.test"), gathering)
    [answer] = results(login("volunteer@a.test"), signal(gathering_id=gathering["record_id"]))
    assert answer["errors"] == [{"field": "gathering_id", "reason": "not found or not allowed"}]
    [answer] = results(login("officer@a.test"), signal(gathering_id=gathering["record_id"]))
    assert answer["status"] == "applied"


def test_the_form_offers_recent_gatherings_and_rounds_to_link(world, login):
    gathering = mutation("gathering.create", {"kind": "praatcafe", "place": "Bib",
                                              "starts_at": "2026-11-20T14:00:00+01:00"})
    walked = mutation("outreach_round.start", {"place": "Markt",
                                               "started_at": "2026-11-21T10:00:00+01:00"})
    officer = login("officer@a.test")
    results(login("worker@a.test"), gathering, walked)
    form = officer.get(f"/signals/new?gathering={gathering['record_id']}").get_data(as_text=True)
    assert f'<option value="{gathering["record_id"]}" dir="auto" selected>' in form
    assert "Markt" in form
    raised = officer.post("/signals/", data={
        "csrf_token": officer.csrf, "mutation_id": "", "mutation_type": "signal.create",
        "record_id": "", "theme": "dutch_language", "urgency": "normal",
        "description": "Te weinig plaatsen.", "round_id": walked["record_id"]})
    assert raised.status_code == 303
    assert "Open the round" in officer.get(raised.headers["Location"]).get_data(as_text=True)
