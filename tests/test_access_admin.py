"""Every administration route × every role × own and other municipality: managers
(coordinators and admins) reach their own municipality's administration only; municipalities
are the admins' alone, and only those they administer. Anything else answers 404."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.org.models import Neighbourhood, Team

from .test_access_matrix import MANAGERS, USERS, assert_scoped

B_MANAGER = {"coordinator_b"}
OWN = MANAGERS | B_MANAGER  # pages without a record: each manager sees their own municipality

# (method, path template, who may reach it)
ROUTES = [
    ("GET", "/manage/", OWN),
    ("GET", "/manage/users", OWN),
    ("POST", "/manage/users/search", OWN),
    ("GET", "/manage/invite", OWN),
    ("POST", "/manage/users/invite", OWN),
    ("GET", "/manage/users/{user}", MANAGERS),
    ("GET", "/manage/users/{user}/deactivate", MANAGERS),
    ("POST", "/manage/users/{user}/roles", MANAGERS),
    ("POST", "/manage/users/{user}/active", MANAGERS),
    ("GET", "/manage/users/{user_b}", B_MANAGER),
    ("GET", "/manage/users/{user_b}/deactivate", B_MANAGER),
    ("POST", "/manage/users/{user_b}/roles", B_MANAGER),
    ("POST", "/manage/users/{user_b}/active", B_MANAGER),
    ("GET", "/manage/teams", OWN),
    ("POST", "/manage/teams", OWN),
    ("GET", "/manage/teams/{team}", MANAGERS),
    ("POST", "/manage/teams/{team}", MANAGERS),
    ("POST", "/manage/teams/{team}/members", MANAGERS),
    ("GET", "/manage/teams/{team_b}", B_MANAGER),
    ("POST", "/manage/teams/{team_b}", B_MANAGER),
    ("POST", "/manage/teams/{team_b}/members", B_MANAGER),
    ("GET", "/manage/neighbourhoods", OWN),
    ("POST", "/manage/neighbourhoods", OWN),
    ("POST", "/manage/neighbourhoods/{hood}", MANAGERS),
    ("POST", "/manage/neighbourhoods/{hood}/active", MANAGERS),
    ("POST", "/manage/neighbourhoods/{hood_b}", B_MANAGER),
    ("POST", "/manage/neighbourhoods/{hood_b}/active", B_MANAGER),
    ("GET", "/manage/services/", OWN),
    ("GET", "/manage/services/new", OWN),
    ("POST", "/manage/services/new", OWN),
    ("GET", "/manage/services/{service}", MANAGERS),
    ("POST", "/manage/services/{service}", MANAGERS),
    ("POST", "/manage/services/{service}/active", MANAGERS),
    ("GET", "/manage/services/{service_b}", B_MANAGER),
    ("POST", "/manage/services/{service_b}", B_MANAGER),
    ("POST", "/manage/services/{service_b}/active", B_MANAGER),
    ("GET", "/manage/municipalities", {"admin"}),
    ("POST", "/manage/municipalities", {"admin"}),
    ("POST", "/manage/municipalities/{municipality}", {"admin"}),
    ("POST", "/manage/municipalities/{municipality}/active", {"admin"}),
    # the admin of A administers A only: B is nobody's here
    ("POST", "/manage/municipalities/{municipality_b}", set()),
    ("POST", "/manage/municipalities/{municipality_b}/active", set()),
]
CASES = [(route, role) for route in ROUTES for role in USERS]


@pytest.fixture
def admin_records(app, world):
    with app.app_context():
        def hood(municipality):
            return db.session.scalar(select(Neighbourhood.id).where(
                Neighbourhood.municipality_id == municipality.id))
        team_b = db.session.scalar(select(Team.id).where(Team.municipality_id == world.b.id))
        records = {"user": world.users["volunteer"].id, "user_b": world.users["worker_b"].id,
                   "team": world.team.id, "team_b": team_b, "hood": hood(world.a),
                   "hood_b": hood(world.b), "municipality": world.a.id,
                   "municipality_b": world.b.id}
    return {**world.records, **records}


def test_matrix_size():
    assert len(CASES) == len(ROUTES) * len(USERS) == 336


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_admin_route_answers_404_outside_scope(admin_records, login, route, role):
    method, template, allowed = route
    path = template.format(**admin_records)
    assert_scoped(login(USERS[role]), method, path, role, allowed)


@pytest.mark.parametrize("role", list(USERS))
def test_only_managers_are_offered_the_administration(admin_records, login, role):
    more = login(USERS[role]).get("/more").get_data(as_text=True)
    assert ('href="/manage/"' in more) == (role in OWN)
