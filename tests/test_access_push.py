"""The push routes × every role × own and other municipality, signed out, and without CSRF.

A device's reminders are the signed-in user's own, whatever their role or municipality: every
role may fetch the key and add or remove its own device; a subscription is never another
user's to remove. Signed out is 401 (never a redirect), no CSRF token is 400, and an account
without any role is 404, as for the rest of /api."""

import pytest

from server.extensions import db

from . import factories
from .test_access_matrix import USERS
from .test_push import ACCEPTED, devices_of

KEY = "/api/v1/push/vapid-public-key"
SUBSCRIPTIONS = "/api/v1/push/subscriptions"
ROUTES = [("GET", KEY, 200), ("POST", SUBSCRIPTIONS, 201), ("DELETE", SUBSCRIPTIONS, 204)]
CASES = [(route, role) for route in ROUTES for role in USERS]
SUBSCRIPTION = {"endpoint": ACCEPTED[0], "expirationTime": None, "keys": {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg"}}


def call(client, method: str, path: str, csrf: bool = True):
    headers = {"X-CSRFToken": client.csrf} if csrf and hasattr(client, "csrf") else {}
    body = None if method == "GET" else SUBSCRIPTION
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r[0]} {r[1]} as {u}" for r, u in CASES])
def test_every_role_manages_its_own_devices_reminders(world, login, route, role):
    method, path, status = route

    assert call(login(USERS[role]), method, path).status_code == status


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_signed_out_is_401(client, route):
    method, path, _ = route
    answer = call(client, method, path)

    assert answer.status_code == 401
    assert answer.get_json()["error"] == "not signed in"


@pytest.mark.parametrize("route", ROUTES[1:], ids=[f"{r[0]} {r[1]}" for r in ROUTES[1:]])
def test_without_the_csrf_token_nothing_changes(app, world, login, route):
    method, path, _ = route

    assert call(login("worker@a.test"), method, path, csrf=False).status_code == 400
    assert devices_of(app, world.users["worker"].id) == []


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_an_account_without_any_role_gets_404(app, world, login, route):
    with app.app_context():
        factories.make_user("nobody@a.test", None)
        db.session.commit()
    method, path, _ = route

    assert call(login("nobody@a.test"), method, path).status_code == 404


@pytest.mark.parametrize("role", ["volunteer", "worker_b", "coordinator_b"])
def test_another_users_device_is_not_removed(app, world, login, role):
    assert call(login("worker@a.test"), "POST", SUBSCRIPTIONS).status_code == 201

    assert call(login(USERS[role]), "DELETE", SUBSCRIPTIONS).status_code == 204
    assert devices_of(app, world.users["worker"].id) == [ACCEPTED[0]]
