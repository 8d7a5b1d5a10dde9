"""Signing in and out, invitations, roles, rate limits, redirects."""

import re

import pytest

from server.auth.models import User
from server.extensions import db

from . import factories
from .conftest import csrf_token, sign_in, switch_municipality

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh


def test_sign_in_and_out(world, client):
    response = sign_in(client, "worker@a.test")
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    logout = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert logout.status_code == 303
    assert logout.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/").status_code == 302  # back to the login page


def test_unknown_account_and_wrong_password_get_the_same_answer(world, client):
    wrong = sign_in(client, "worker@a.test", "not the password")
    unknown = sign_in(client, "nobody@a.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "Wrong e-mail address or password."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(app, world, client):
    with app.app_context():
        db.session.get(User, world.users["volunteer"].id).active = False
        db.session.commit()
    assert sign_in(client, "volunteer@a.test").status_code == 401


def test_login_without_csrf_token_is_refused(world, client):
    response = client.post("/login", data={"email": "worker@a.test",
                                           "password": factories.PASSWORD})
    assert response.status_code == 400


def test_failed_sign_ins_lock_the_attackers_address_not_the_worker(app, world):
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    for _ in range(10):
        assert sign_in(attacker, "worker@a.test", "guess").status_code == 401
    assert sign_in(attacker, "worker@a.test").status_code == 429
    worker = app.test_client()
    worker.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert sign_in(worker, "worker@a.test").status_code == 303


def test_failed_sign_ins_count_per_account_at_one_address(app, world):
    for i in range(10):
        client = app.test_client()  # a new cookie jar each time changes nothing
        client.environ_base["REMOTE_ADDR"] = "2001:db8::1" if i % 2 else f"2001:db8::{i}:1"
        assert sign_in(client, "worker@a.test", "guess").status_code == 401
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "2001:db8::ffff"  # the same /64
    assert sign_in(client, "worker@a.test").status_code == 429


def test_login_is_rate_limited_per_address(world, client):
    for i in range(10):
        assert sign_in(client, f"guess{i}@a.test", "guess").status_code == 401
    assert sign_in(client, "worker@a.test").status_code == 429


def test_successful_logins_do_not_count_against_the_limit(app, world):
    for _ in range(12):
        client = app.test_client()
        assert sign_in(client, "worker@a.test").status_code == 303


@pytest.mark.parametrize(("target", "lands_on"), [
    ("/people/", "/people/"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_goes_to_local_paths(world, client, target, lands_on):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "worker@a.test",
                                           "password": factories.PASSWORD,
                                           "csrf_token": token, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == lands_on


def test_api_without_session_answers_401_not_a_redirect(client):
    for path in ("/api/v1/sync/pull", "/api/v1/sync/conflicts"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.is_json
    assert client.post("/api/v1/sync/push", json={}).status_code == 401


def test_page_without_session_redirects_to_login(client):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/people/")


def _invite(client, email: str, role: str) -> str:
    response = client.post("/manage/users/invite", data={"csrf_token": client.csrf,
                                                        "email": email, "role": role})
    assert response.status_code == 200
    link = re.search(r'id="invite-link"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert link, "the one-time link is shown to copy"
    return link.group(1).replace("http://localhost", "")


def test_coordinator_invites_a_volunteer_who_joins_once(app, world, login):
    coordinator = login("coordinator@a.test")
    path = _invite(coordinator, "New.Person@Example.org", "volunteer")
    newcomer = app.test_client()
    token = csrf_token(newcomer, path)
    short = newcomer.post(path, data={"csrf_token": token, "display_name": "Nieuwe",
                                      "password": "short", "password_again": "short"})
    assert short.status_code == 422
    assert "Nieuwe" in short.get_data(as_text=True)  # what was typed stays
    joined = newcomer.post(path, data={"csrf_token": token, "display_name": "Nieuwe",
                                       "password": "a long password", "password_again":
                                       "a long password"})
    assert joined.status_code == 303
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "new.person@example.org"))
        roles = [(m.municipality_id, m.role) for m in user.memberships]
        assert roles == [(world.a.id, "volunteer")]
    assert app.test_client().get(path).status_code == 404  # one-time


def test_invitation_to_admin_is_only_for_admins(world, login):
    coordinator = login("coordinator@a.test")
    response = coordinator.post("/manage/users/invite", data={
        "csrf_token": coordinator.csrf, "email": "x@a.test", "role": "admin"})
    assert response.status_code == 422


def test_coordinator_changes_roles_and_deactivates(app, world, login):
    coordinator = login("coordinator@a.test")
    volunteer_id = world.users["volunteer"].id
    response = coordinator.post(f"/manage/users/{volunteer_id}/roles", data={
        "csrf_token": coordinator.csrf, "roles": ["volunteer", "buddy"]})
    assert response.status_code == 303
    response = coordinator.post(f"/manage/users/{volunteer_id}/active", data={
        "csrf_token": coordinator.csrf, "active": "0"})
    assert response.status_code == 303
    with app.app_context():
        user = db.session.get(User, volunteer_id)
        assert sorted(m.role for m in user.memberships) == ["buddy", "volunteer"]
        assert not user.active
    assert sign_in(app.test_client(), "volunteer@a.test").status_code == 401


def test_coordinator_cannot_touch_users_of_another_municipality(world, login):
    coordinator = login("coordinator@a.test")
    other = world.users["worker_b"].id
    response = coordinator.post(f"/manage/users/{other}/active", data={
        "csrf_token": coordinator.csrf, "active": "0"})
    assert response.status_code == 404


def test_teams_are_formed_and_members_added(app, world, login):
    coordinator = login("coordinator@a.test")
    response = coordinator.post("/manage/teams", data={"csrf_token": coordinator.csrf,
                                                       "name": "Buurtwerk"})
    assert response.status_code == 303
    duplicate = coordinator.post("/manage/teams", data={"csrf_token": coordinator.csrf,
                                                        "name": "Buurtwerk"})
    assert duplicate.status_code == 422
    from server.org.models import Team, TeamMember

    with app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.name == "Buurtwerk"))
        team_id = team.id
    officer = world.users["officer"].id
    coordinator.post(f"/manage/teams/{team_id}/members", data={
        "csrf_token": coordinator.csrf, "user_id": officer, "member": "1"})
    outsider = coordinator.post(f"/manage/teams/{team_id}/members", data={
        "csrf_token": coordinator.csrf, "user_id": world.users["worker_b"].id, "member": "1"})
    assert outsider.status_code == 422
    with app.app_context():
        members = db.session.scalars(db.select(TeamMember.user_id).where(
            TeamMember.team_id == team_id)).all()
        assert members == [officer]


def test_password_is_hashed_with_argon2id(app, world):
    with app.app_context():
        user = db.session.get(User, world.users["worker"].id)
        assert user.password_hash.startswith("$argon2id$")


def test_user_in_two_municipalities_switches(world, worker_in_two):
    client = worker_in_two
    assert "Amina El Idrissi" in client.get("/people/").get_data(as_text=True)
    switch_municipality(client, world.b.id)
    page = client.get("/people/").get_data(as_text=True)
    assert "Amina El Idrissi" not in page
