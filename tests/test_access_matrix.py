"""Every record route × every role × own and other municipality: the design's table, enforced.

The expectations below are written from shared/DESIGN.md's "what they may see" column,
not read back from the implementation. A record outside one's scope answers 404.
"""

import pytest

from . import factories

USERS = {
    "admin": "admin@a.test", "coordinator": "coordinator@a.test", "worker": "worker@a.test",
    "volunteer": "volunteer@a.test", "buddy": "buddy@a.test", "officer": "officer@a.test",
    "worker_b": "worker@b.test", "coordinator_b": "coordinator@b.test",
}
CASELOAD = {"coordinator", "worker", "volunteer"}
AUTHOR = {"coordinator", "worker"}  # the worker wrote the contact; coordinators may correct
MANAGERS = {"admin", "coordinator"}
MUNICIPALITY_A = {"admin", "coordinator", "worker", "volunteer", "buddy", "officer"}
FIELD_A = {"coordinator", "worker", "volunteer", "officer"}

# (method, path template, record key, who may reach it)
ROUTES = [
    ("GET", "/people/{person}", "person", CASELOAD),
    ("GET", "/people/{person}/edit", "person", CASELOAD),
    ("POST", "/people/{person}", "person", CASELOAD),
    ("POST", "/people/{person}/team", "person", {"coordinator", "worker"}),
    ("GET", "/people/{logged}", "logged", CASELOAD | {"officer"}),
    ("GET", "/people/{logged}/edit", "logged", CASELOAD),
    ("GET", "/contacts/{contact}", "contact", CASELOAD),
    ("GET", "/contacts/{contact}/correct", "contact", AUTHOR),
    ("POST", "/contacts/{contact}/correct", "contact", AUTHOR),
    ("POST", "/contacts/{contact}/follow-up-done", "contact", AUTHOR),
    # the officer's contact is about a person now on the team's caseload: the team sees it
    ("GET", "/contacts/{officer_contact}", "officer_contact", CASELOAD | {"officer"}),
    ("GET", "/contacts/{officer_contact}/correct", "officer_contact", {"coordinator", "officer"}),
    ("GET", "/referrals/{referral}", "referral", CASELOAD),
    ("POST", "/referrals/{referral}/advance", "referral", CASELOAD),
    ("GET", "/services/{service}", "service", MUNICIPALITY_A),
    ("GET", "/people/{person_b}", "person_b", {"worker_b", "coordinator_b"}),
    ("GET", "/contacts/{contact_b}", "contact_b", {"worker_b", "coordinator_b"}),
    ("GET", "/referrals/{referral_b}", "referral_b", {"worker_b", "coordinator_b"}),
    ("GET", "/services/{service_b}", "service_b", {"worker_b", "coordinator_b"}),
    ("GET", "/people/", None, set(USERS)),
    ("GET", "/contacts/new", None, FIELD_A | {"worker_b", "coordinator_b"}),
    ("GET", "/people/new", None, FIELD_A | {"worker_b", "coordinator_b"}),
    ("GET", "/referrals/new", None, FIELD_A | {"worker_b", "coordinator_b"}),
    ("GET", "/referrals/", None, set(USERS)),
    ("GET", "/manage/users", None, MANAGERS | {"coordinator_b"}),
    ("GET", "/manage/teams", None, MANAGERS | {"coordinator_b"}),
    ("GET", "/dashboard", None, {"coordinator", "coordinator_b"}),
    ("GET", "/api/v1/indicators", None, {"coordinator", "coordinator_b"}),
]
CASES = [(route, role) for route in ROUTES for role in USERS]


def _officer_records(app, world) -> dict:
    """A person the officer logged (now on the team) and the officer's contact."""
    with app.app_context():
        officer = world.actor("officer")
        logged = factories.make_person(officer, display_name="Logged by officer")
        officer_contact = factories.make_contact(officer, [logged], channel="street")
        factories.apply(world.actor("coordinator"), "person.assign", {"team_id": world.team.id},
                        record_id=logged)
        factories.db.session.commit()
    return {"logged": logged, "officer_contact": officer_contact}


pytestmark = pytest.mark.records.with_args(_officer_records)


@pytest.fixture
def clients(app, world, login):
    return {role: login(email) for role, email in USERS.items()}


@pytest.fixture
def client_for(world, login):
    return lambda role: login(USERS[role])


def assert_scoped(client, method: str, path: str, role: str, allowed: set[str],
                  inside: tuple[int, ...] = (200, 303, 422)) -> None:
    """The route answers as the role table says: normally inside the role's scope, 404
    outside it (never a hint that the record exists)."""
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": client.csrf})
    expected = inside if role in allowed else (404,)
    assert response.status_code in expected, (path, role, response.status_code)


def test_matrix_size():
    assert len(CASES) == len(ROUTES) * len(USERS) == 224


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_route_answers_404_outside_scope(world, client_for, route, role):
    method, template, _key, allowed = route
    path = template.format(**world.records)
    assert_scoped(client_for(role), method, path, role, allowed)


@pytest.mark.parametrize("role", list(USERS))
def test_lists_show_only_what_the_role_may_see(world, client_for, role):
    people_page = client_for(role).get("/people/").get_data(as_text=True)
    assert ("Amina El Idrissi" in people_page) == (role in CASELOAD)
    assert ("Person in B" in people_page) == (role in {"worker_b", "coordinator_b"})
    assert ("Logged by officer" in people_page) == (role in CASELOAD | {"officer"})


def test_officer_sees_only_the_basic_profile(app, world, clients):
    from server.people.models import Person

    person_id = world.records["logged"]
    with app.app_context():
        person = factories.db.session.get(Person, person_id)
        factories.apply(world.actor("worker"), "person.update",
                        {"phone": "+32 470 99 88 77"}, record_id=person.id,
                        base_version=person.version)
        factories.db.session.commit()
    officer_page = clients["officer"].get(f"/people/{person_id}").get_data(as_text=True)
    worker_page = clients["worker"].get(f"/people/{person_id}").get_data(as_text=True)
    assert "Logged by officer" in officer_page
    assert "+32 470 99 88 77" not in officer_page
    assert "+32 470 99 88 77" in worker_page
