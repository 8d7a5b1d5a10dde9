"""Sessions end when they should: sign-out, deactivation, a password or role change end every
copy of a user's cookie; idleness and age end a session; a remember cookie never signs in."""

from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from server.auth.models import User
from server.extensions import db

from . import factories
from .conftest import csrf_token, sign_in

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh

NEW_PASSWORD = "a new and longer passphrase"


def copy_of(app, client):
    """A second browser holding the same session cookie (a copied or stolen cookie)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def assert_signed_in(client) -> None:
    assert client.get("/api/v1/sync/pull").status_code == 200
    assert client.get("/people/").status_code == 200


def assert_signed_out(client) -> None:
    api = client.get("/api/v1/sync/pull")
    assert api.status_code == 401
    assert api.is_json  # the phone's outbox waits for a sign-in; never a login page here
    page = client.get("/people/")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


def test_sign_out_ends_every_copy_of_the_session(app, world, login):
    worker = login("worker@a.test")
    copy, laptop = copy_of(app, worker), login("worker@a.test")
    assert_signed_in(copy)
    assert worker.post("/logout", data={"csrf_token": worker.csrf}).status_code == 303
    assert_signed_out(copy)
    assert_signed_out(laptop)  # sign-out ends the user's sessions on every device
    assert_signed_out(worker)


def test_deactivation_ends_sessions_also_after_reactivation(app, world, login):
    coordinator, volunteer = login("coordinator@a.test"), login("volunteer@a.test")
    copy = copy_of(app, volunteer)
    path = f"/manage/users/{world.users['volunteer'].id}/active"
    coordinator.post(path, data={"csrf_token": coordinator.csrf, "active": "0"})
    assert_signed_out(copy)
    coordinator.post(path, data={"csrf_token": coordinator.csrf, "active": "1"})
    assert_signed_out(copy)  # an old cookie does not come back with the account
    assert_signed_out(volunteer)
    assert sign_in(app.test_client(), "volunteer@a.test").status_code == 303


def test_role_change_ends_the_users_sessions(app, world, login):
    coordinator, volunteer = login("coordinator@a.test"), login("volunteer@a.test")
    copy = copy_of(app, volunteer)
    path = f"/manage/users/{world.users['volunteer'].id}/roles"
    coordinator.post(path, data={"csrf_token": coordinator.csrf, "roles": ["volunteer"]})
    assert_signed_in(copy)  # saving the same roles changes nothing
    response = coordinator.post(path, data={"csrf_token": coordinator.csrf,
                                            "roles": ["volunteer", "buddy"]})
    assert response.status_code == 303
    assert_signed_out(copy)
    assert_signed_out(volunteer)
    assert_signed_in(coordinator)


def test_coordinator_changing_own_roles_stays_signed_in_here_only(app, world, login):
    coordinator = login("coordinator@a.test")
    other_device = login("coordinator@a.test")
    response = coordinator.post(f"/manage/users/{world.users['coordinator'].id}/roles", data={
        "csrf_token": coordinator.csrf, "roles": ["coordinator", "worker"]})
    assert response.status_code == 303
    assert_signed_in(coordinator)
    assert_signed_out(other_device)


def _change_password(client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": current,
        "password": new, "password_again": new if again is None else again})


def test_password_change_ends_other_sessions_and_keeps_this_one(app, world, login):
    worker = login("worker@a.test")
    copy, phone = copy_of(app, worker), login("worker@a.test")
    response = _change_password(worker, factories.PASSWORD)
    assert response.status_code == 303
    assert "You were signed out everywhere else." in worker.get("/").get_data(as_text=True)
    assert_signed_out(copy)
    assert_signed_out(phone)
    assert_signed_in(worker)
    assert sign_in(app.test_client(), "worker@a.test").status_code == 401
    assert sign_in(app.test_client(), "worker@a.test", NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(("current", "new", "again", "field"), [
    ("not my password", NEW_PASSWORD, None, "current_password"),
    (factories.PASSWORD, "short", None, "password"),
    (factories.PASSWORD, NEW_PASSWORD, "something else entirely", "password_again"),
])
def test_refused_password_change_changes_nothing(app, world, login, current, new, again, field):
    worker = login("worker@a.test")
    copy = copy_of(app, worker)
    response = _change_password(worker, current, new, again)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert_signed_in(copy)
    assert sign_in(app.test_client(), "worker@a.test").status_code == 303


def test_guessing_the_current_password_is_rate_limited(app, world, login):
    """A stolen cookie is no way to find the password by trying: the sign-in limits apply."""
    worker = login("worker@a.test")
    tries = int(app.config["LOGIN_LIMITS"].split()[0])
    for _ in range(tries):
        assert _change_password(worker, "a guess at it").status_code == 422
    assert _change_password(worker, factories.PASSWORD).status_code == 429


def test_password_page_needs_a_session(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_idle_session_ends(app, world, login, travel):
    idle = app.config["SESSION_IDLE_HOURS"]
    worker = login("worker@a.test")
    travel(hours=idle - 1)
    assert_signed_in(worker)  # a request restarts the idle time
    travel(hours=2 * idle - 2)
    assert_signed_in(worker)
    travel(hours=3 * idle - 1)
    assert_signed_out(worker)
    travel(hours=3 * idle)
    assert sign_in(worker, "worker@a.test").status_code == 303
    assert_signed_in(worker)


def test_busy_session_ends_at_its_lifetime(app, world, login, travel):
    lifetime = timedelta(days=app.config["SESSION_LIFETIME_DAYS"])
    step = timedelta(hours=app.config["SESSION_IDLE_HOURS"] - 1)
    worker = login("worker@a.test")
    moved = step
    while moved < lifetime:
        travel(seconds=moved.total_seconds())
        assert_signed_in(worker)
        moved += step
    travel(seconds=lifetime.total_seconds())
    assert_signed_out(worker)


def test_remember_cookie_never_signs_in(app, world):
    with app.test_request_context():
        user = db.session.get(User, world.users["worker"].id)
        cookies = [encode_cookie(user.id), encode_cookie(user.get_id()),
                   encode_cookie(f"{user.id}:{user.session_generation - 1}")]
        db.session.remove()
    for cookie in cookies:  # correctly signed with the app's key, yet no session
        client = app.test_client()
        client.set_cookie("remember_token", cookie)
        assert_signed_out(client)

