"""Every buddy programme and calendar route × every role × own and other municipality.

Written from the issue and shared/DESIGN.md: a buddy sees only their own profile, pairs and
sessions; a worker the pairs of people on their caseload; a coordinator the municipality;
anyone else, and any other municipality, a 404."""

import pytest

from . import buddy_helpers as bh
from .test_access_matrix import USERS

BUDDY, MATCHERS = {"buddy"}, {"worker", "coordinator"}
PAIR_SIDE = BUDDY | MATCHERS
B_MATCHERS = {"worker_b", "coordinator_b"}

# (method, path template, who may reach it, form data beyond the CSRF token)
ROUTES = [
    ("GET", "/buddies/", PAIR_SIDE | B_MATCHERS, {}),
    ("GET", "/buddies/profile", BUDDY, {}),
    ("POST", "/buddies/profile", BUDDY, {"capacity": "1"}),
    ("GET", "/buddies/wishes/new", MATCHERS | B_MATCHERS, {}),
    ("POST", "/buddies/wishes/", MATCHERS | B_MATCHERS, {}),
    ("GET", "/buddies/wishes/{buddy_wish}", MATCHERS, {}),
    ("POST", "/buddies/wishes/{buddy_wish}/propose", MATCHERS, {}),
    ("GET", "/buddies/pairs/{buddy_pair}", PAIR_SIDE, {}),
    ("POST", "/buddies/pairs/{buddy_pair}/answer", BUDDY, {}),
    ("POST", "/buddies/pairs/{buddy_pair}/move", PAIR_SIDE, {}),
    ("POST", "/buddies/pairs/{buddy_pair}/goals", PAIR_SIDE, {}),
    ("GET", "/buddies/pairs/{buddy_pair}/plan", PAIR_SIDE, {}),
    ("POST", "/buddies/sessions/", PAIR_SIDE, {"pair_id": "{buddy_pair}"}),
    ("GET", "/buddies/sessions/{buddy_past}", PAIR_SIDE, {}),
    ("GET", "/buddies/sessions/{buddy_past}.ics", PAIR_SIDE, {}),
    ("POST", "/buddies/sessions/{buddy_future}/confirm", PAIR_SIDE, {}),
    ("POST", "/buddies/sessions/{buddy_past}/log", PAIR_SIDE, {}),
    ("GET", "/buddies/hours.csv", BUDDY | {"coordinator", "coordinator_b"}, {}),
    ("GET", "/calendar/", set(USERS), {}),
    ("POST", "/calendar/renew", set(USERS), {}),
]
CASES = [(route, role) for route in ROUTES for role in USERS]


def _pair_records(app, world) -> dict:
    with app.app_context():
        return bh.world_pair(world)


pytestmark = pytest.mark.records.with_args(_pair_records)


@pytest.fixture
def records(world):
    return world.records


def test_matrix_size():
    assert len(CASES) == len(ROUTES) * len(USERS) == 160


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_buddy_route_answers_404_outside_scope(records, login, route, role):
    method, template, allowed, data = route
    path = template.format(**records)
    client = login(USERS[role])
    if method == "GET":
        response = client.get(path)
    else:
        form = {name: value.format(**records) for name, value in data.items()}
        response = client.post(path, data={"csrf_token": client.csrf, **form})
    if role in allowed:
        assert response.status_code in (200, 303, 422), (path, role, response.status_code)
    else:
        assert response.status_code == 404, (path, role, response.status_code)


@pytest.mark.parametrize("role", list(USERS))
def test_only_the_pair_side_sees_the_pair_and_the_buddy_only_a_first_name(records, login,
                                                                          role):
    page = login(USERS[role]).get("/buddies/").get_data(as_text=True)
    home = login(USERS[role]).get("/").get_data(as_text=True)
    link = f"/buddies/pairs/{records['buddy_pair']}"
    assert (link in home) == (role in BUDDY), role  # the buddy's home lists their pair
    assert (link in page) == (role in PAIR_SIDE), role  # and the programme page the pair side's
    if role == "buddy":
        assert "Amina" in home
        assert "El Idrissi" not in home + page
        assert "Talked about school." not in home + page  # never a case note


def test_a_second_buddy_never_sees_the_first_ones_pair(app, world, records, login):
    from server.extensions import db

    from . import factories

    with app.app_context():
        factories.make_user("buddy2@a.test", world.a, "buddy")
        db.session.commit()
    other = login("buddy2@a.test")
    assert other.get(f"/buddies/pairs/{records['buddy_pair']}").status_code == 404
    assert other.get(f"/buddies/sessions/{records['buddy_past']}").status_code == 404
    assert other.get(f"/buddies/sessions/{records['buddy_past']}.ics").status_code == 404
    kinds = {c["type"] for c in other.get("/api/v1/sync/pull").json["changes"]}
    assert not kinds & {"buddy_pair", "buddy_session", "buddy_wish", "buddy_profile"}
