"""Gatherings, outreach rounds and signals: every route × every role × own and other
municipality, written from shared/DESIGN.md: workers, officers and coordinators see the
municipality's gatherings and rounds, volunteers those they host or walk; signals are seen by
who raised them and by those who triage them (workers, coordinators); buddies and admins hold
no field work here. A record outside one's scope answers 404. And the pull: an officer never
receives a note or a signal it may not see."""

from datetime import timedelta

import pytest

from server.core.clock import now

from . import factories
from .sync_client import pull_all
from .test_access_matrix import USERS, assert_scoped

FIELD_A = {"coordinator", "worker", "volunteer", "officer"}
FIELD_B = {"worker_b", "coordinator_b"}
CALENDAR = {"coordinator", "worker", "officer"}
TRIAGE = {"coordinator", "worker"}
B = FIELD_B

ROUTES = [
    ("GET", "/gatherings/", None, FIELD_A | FIELD_B),
    ("GET", "/gatherings/new", None, FIELD_A | FIELD_B),
    ("GET", "/gatherings/count", None, FIELD_A | FIELD_B),  # for one planned on the phone
    ("POST", "/gatherings/", None, FIELD_A | FIELD_B),
    ("POST", "/outreach/", None, FIELD_A | FIELD_B),
    ("POST", "/signals/", None, FIELD_A | FIELD_B),
    ("GET", "/gatherings/{gathering}", "gathering", CALENDAR),
    ("GET", "/gatherings/{gathering}/count", "gathering", CALENDAR),
    ("GET", "/gatherings/{gathering}/invitation", "gathering", CALENDAR),
    ("GET", "/gatherings/{gathering}/edit", "gathering", {"coordinator", "worker", "officer"}),
    ("POST", "/gatherings/{gathering}", "gathering", {"coordinator", "worker", "officer"}),
    ("POST", "/gatherings/{gathering}/count", "gathering", CALENDAR),
    ("POST", "/gatherings/{gathering}/hear", "gathering", CALENDAR),
    ("POST", "/gatherings/{gathering}/topics", "gathering", CALENDAR),
    ("POST", "/gatherings/{gathering}/attend", "gathering", CALENDAR),
    ("GET", "/gatherings/{praatcafe}", "praatcafe", CALENDAR | {"volunteer"}),
    ("GET", "/gatherings/{praatcafe}/count", "praatcafe", CALENDAR | {"volunteer"}),
    ("GET", "/gatherings/{praatcafe}/edit", "praatcafe", {"coordinator", "volunteer"}),
    ("POST", "/gatherings/{praatcafe}/count", "praatcafe", CALENDAR | {"volunteer"}),
    ("GET", "/gatherings/{gathering_b}", "gathering_b", B),
    ("GET", "/gatherings/{gathering_b}/count", "gathering_b", B),
    ("POST", "/gatherings/{gathering_b}/count", "gathering_b", B),
    ("GET", "/outreach/", None, FIELD_A | FIELD_B),
    ("GET", "/outreach/round", None, FIELD_A | FIELD_B),
    ("GET", "/outreach/{round}", "round", CALENDAR | {"volunteer"}),
    ("POST", "/outreach/{round}/count", "round", CALENDAR | {"volunteer"}),
    ("POST", "/outreach/{round}/topics", "round", CALENDAR | {"volunteer"}),
    ("POST", "/outreach/{round}/end", "round", {"coordinator", "volunteer"}),
    ("GET", "/outreach/{round_b}", "round_b", B),
    ("POST", "/outreach/{round_b}/count", "round_b", B),
    ("GET", "/signals/", None, FIELD_A | FIELD_B),
    ("GET", "/signals/new", None, FIELD_A | FIELD_B),
    ("POST", "/signals/seen", None, FIELD_A | FIELD_B),
    ("GET", "/signals/{signal}", "signal", TRIAGE | {"officer"}),
    ("POST", "/signals/{signal}/triage", "signal", TRIAGE),
    ("POST", "/signals/{signal}/seen", "signal", {"officer"}),  # its reporter only
    ("POST", "/signals/{volunteer_signal}/seen", "volunteer_signal", {"volunteer"}),
    ("GET", "/signals/{volunteer_signal}", "volunteer_signal", TRIAGE | {"volunteer"}),
    ("GET", "/signals/{signal_b}", "signal_b", B),
    ("POST", "/signals/{signal_b}/triage", "signal_b", B),
    ("POST", "/signals/{signal_b}/seen", "signal_b", {"worker_b"}),
]
CASES = [(route, role) for route in ROUTES for role in USERS]


def test_every_route_of_gatherings_rounds_and_signals_is_in_the_matrix(app):
    import re

    def shape(path: str) -> str:
        return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)

    served = {(method, shape(rule.rule)) for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in ("gatherings", "outreach", "signals")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served <= {(method, shape(path)) for method, path, _r, _a in ROUTES}


def _field_records(app, world) -> dict:
    """A buurtbabbel the worker planned with the officer as host, a praatcafé the volunteer
    runs, the volunteer's round, the officer's and the volunteer's signals, and B's own."""
    actors = world.actor
    soon = (now() + timedelta(days=2)).isoformat()
    with app.app_context():
        records = {
            "gathering": factories.apply(actors("worker"), "gathering.create", {
                "kind": "buurtbabbel", "starts_at": soon, "place": "Plein",
                "host_ids": [world.users["officer"].id]}),
            "praatcafe": factories.apply(actors("volunteer"), "gathering.create", {
                "kind": "praatcafe", "starts_at": soon, "place": "Bibliotheek"}),
            "gathering_b": factories.apply(actors("worker_b"), "gathering.create", {
                "kind": "info_session", "starts_at": soon, "place": "Zaal B"}),
            "round": factories.apply(actors("volunteer"), "outreach_round.start", {
                "started_at": now().isoformat(), "place": "Markt"}),
            "round_b": factories.apply(actors("worker_b"), "outreach_round.start", {
                "started_at": now().isoformat(), "place": "Markt B"}),
            "signal": factories.apply(actors("officer"), "signal.create", {
                "theme": "safety", "urgency": "high", "description": "Donkere straat."}),
            "volunteer_signal": factories.apply(actors("volunteer"), "signal.create", {
                "theme": "dutch_language", "urgency": "normal",
                "description": "Wachtlijst NT2."}),
            "signal_b": factories.apply(actors("worker_b"), "signal.create", {
                "theme": "work", "urgency": "low", "description": "In B."}),
        }
        factories.db.session.commit()
    return records


pytestmark = pytest.mark.records.with_args(_field_records)


@pytest.fixture
def client_for(world, login):
    return lambda role: login(USERS[role])


def test_matrix_size():
    assert len(CASES) == len(ROUTES) * len(USERS) == 328


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_route_answers_404_outside_scope(world, client_for, route, role):
    method, template, _key, allowed = route
    path = template.format(**world.records)
    assert_scoped(client_for(role), method, path, role, allowed)


@pytest.mark.parametrize("role", list(USERS))
def test_calendar_lists_only_what_the_role_may_see(world, client_for, role):
    response = client_for(role).get("/gatherings/")
    if role not in FIELD_A | FIELD_B:
        assert response.status_code == 404
        return
    listed = response.get_data(as_text=True)
    assert ("Plein" in listed) == (role in CALENDAR)
    assert ("Bibliotheek" in listed) == (role in CALENDAR | {"volunteer"})
    assert ("Zaal B" in listed) == (role in B)


def test_officer_pull_holds_gatherings_rounds_and_only_its_own_signals(app, world,
                                                                         client_for):
    officer = world.actor("officer")
    with app.app_context():
        factories.make_contact(world.actor("worker"), [], note="Sociale nota van de werker.",
                               note_visibility="team")
        factories.db.session.commit()
    cache, _ = pull_all(client_for("officer"))
    records = world.records
    kept = {key for key in cache}
    assert {("gathering", records["gathering"]), ("gathering", records["praatcafe"]),
            ("outreach_round", records["round"]), ("signal", records["signal"])} <= kept
    assert ("signal", records["volunteer_signal"]) not in kept
    assert not {k for k in kept if k[1] in (records["gathering_b"], records["round_b"],
                                             records["signal_b"])}
    assert ("contact", records["contact"]) not in kept
    assert "Sociale nota" not in str(cache)
    assert "Talked about school." not in str(cache)
    assert all(change["data"].get("reporter_id") == officer.user_id
               for (kind, _id), change in cache.items() if kind == "signal")


@pytest.mark.parametrize("role", ["buddy", "admin"])
def test_buddies_and_admins_pull_no_field_work(world, client_for, role):
    cache, _ = pull_all(client_for(role))
    assert not {kind for kind, _id in cache} & {"gathering", "outreach_round", "signal"}
