"""The privacy routes × every role × own and other municipality, and what each role finds in a
person's export. Outside one's scope a route answers 404; opening a person outside one's
caseload answers the page that asks for a reason (403) only to the caseload roles."""

import pytest

from server.extensions import db

from . import factories
from .test_access_matrix import USERS, assert_scoped

COORDINATOR_A = {"coordinator"}
COORDINATORS = {"coordinator", "coordinator_b"}
BREAK_GLASS_A = {"worker", "volunteer"}  # caseload roles of municipality A

# (method, path template, who reaches it) — any other role gets 404
ROUTES = [
    ("GET", "/people/{person}/export", COORDINATOR_A),
    ("GET", "/people/{person}/export.json", COORDINATOR_A),
    ("GET", "/people/{person}/erase", COORDINATOR_A),
    ("POST", "/people/{person}/erase", COORDINATOR_A),  # unconfirmed: 422
    ("GET", "/people/{person}/log", COORDINATOR_A),
    ("GET", "/people/{person_b}/export", {"coordinator_b"}),
    ("GET", "/people/{person_b}/export.json", {"coordinator_b"}),
    ("GET", "/people/{person_b}/erase", {"coordinator_b"}),
    ("POST", "/people/{person_b}/erase", {"coordinator_b"}),
    ("GET", "/people/{person_b}/log", {"coordinator_b"}),
    ("GET", "/audit", COORDINATORS),
    ("GET", "/privacy", set(USERS)),
    # break the glass: a person outside every field user's scope in A
    ("GET", "/people/{outside}", BREAK_GLASS_A | COORDINATOR_A),
    ("POST", "/people/{outside}/access", BREAK_GLASS_A),  # no reason: 422
    ("POST", "/people/{person_b}/access", {"worker_b"}),  # on their caseload: asking is allowed
]
CASES = [(route, role) for route in ROUTES for role in USERS]


def _outside_records(app, world) -> dict:
    """A person on no team: outside the worker's caseload."""
    with app.app_context():
        outside = factories.make_person(world.actor("coordinator"), display_name="Outside")
        db.session.commit()
    return {"outside": outside}


pytestmark = pytest.mark.records.with_args(_outside_records)


def test_matrix_size():
    assert len(CASES) == len(ROUTES) * len(USERS) == 120


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_privacy_route_answers_404_outside_scope(world, login, route, role):
    method, template, allowed = route
    path = template.format(**world.records)
    assert_scoped(login(USERS[role]), method, path, role, allowed, inside=(200, 303, 403, 422))


def test_only_the_caseload_roles_are_asked_for_a_reason(world, login):
    path = f"/people/{world.records['outside']}"
    answers = {role: login(email).get(path).status_code for role, email in USERS.items()}
    assert answers == {"admin": 404, "coordinator": 200, "worker": 403, "volunteer": 403,
                       "buddy": 404, "officer": 404, "worker_b": 404, "coordinator_b": 404}


def test_the_public_notice_needs_no_account(app):
    assert app.test_client().get("/privacy").status_code == 200


# --- the export, field by field ------------------------------------------------------------

@pytest.fixture
def exported(app, world, login):
    """The coordinator's export of the world's person, with a team, a private and a sensitive
    note by the worker."""
    person = world.records["person"]
    with app.app_context():
        worker = world.actor("worker")
        factories.make_contact(worker, [person], note="Private: debts.", note_visibility="private")
        factories.make_contact(worker, [person], note="Sensitive: asthma.",
                               note_visibility="sensitive")
        db.session.commit()
    return login("coordinator@a.test").get(f"/people/{person}/export.json").get_json()


def test_the_coordinators_export_has_every_field(exported):
    person = exported["person"]
    assert person["display_name"] == "Amina El Idrissi"
    assert person["phone"] == "+32 470 00"
    for name in ("email", "reach_note", "languages", "consent_basis", "consent_purpose",
                 "consent_date", "consent_method", "consent_withdrawn_on", "team_id",
                 "consent_state"):
        assert name in person, name
    assert sorted(c["note"] for c in exported["contacts"]) == [
        "Private: debts.", "Sensitive: asthma.", "Talked about school."]
    assert {"occurred_at", "channel", "domains", "note_visibility", "author_id"} <= set(
        exported["contacts"][0])
    [referral] = exported["referrals"]
    assert [step["status"] for step in referral["steps"]] == ["proposed"]
    assert isinstance(exported["access_log"], list)


def test_the_export_names_no_other_person(app, world, login):
    person = world.records["person"]
    with app.app_context():
        other = factories.make_person(world.actor("worker"), display_name="Somebody Else")
        factories.make_contact(world.actor("worker"), [person, other], note="Both of them.")
        db.session.commit()
    data = login("coordinator@a.test").get(f"/people/{person}/export.json").get_json()
    text = str(data)
    assert "Somebody Else" not in text
    assert other not in text
    assert any(c["other_people"] == 1 for c in data["contacts"])


@pytest.mark.parametrize("role", sorted(set(USERS) - {"coordinator"}))
def test_no_other_role_exports(world, login, role):
    client = login(USERS[role])
    for suffix in ("export", "export.json"):
        assert client.get(f"/people/{world.records['person']}/{suffix}").status_code == 404
