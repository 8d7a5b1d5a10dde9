"""Accounts under attack: invitations to existing accounts, who may change whose roles,
where invitation links point, and which passwords are refused."""

import re

import pytest
from sqlalchemy import select

from server import create_app
from server.audit.models import AuditEvent
from server.auth.models import Invitation, Membership, RoleGrant, User
from server.extensions import db
from server.org.models import TeamMember

from . import factories
from .conftest import EnglishClient, csrf_token, sign_in

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh

LINK = re.compile(r'id="invite-link"[^>]*value="([^"]+)"')


def _invite(client, email: str, role: str = "coordinator"):
    return client.post("/manage/users/invite", data={"csrf_token": client.csrf, "email": email,
                                                     "role": role})


def _set_roles(client, user_id: str, roles: list[str]):
    return client.post(f"/manage/users/{user_id}/roles",
                       data={"csrf_token": client.csrf, "roles": roles})


def _roles(app, user_id: str) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted((m.municipality_id, m.role) for m in db.session.scalars(
            select(Membership).where(Membership.user_id == user_id)))


def _audited(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return events


# Defect 1: an invitation never signs anyone in to an account that exists.

def test_inviting_an_existing_account_shows_no_link(app, world, login):
    coordinator = login("coordinator@a.test")
    response = _invite(coordinator, "Admin@A.test")  # the admin's own account
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert not LINK.search(page)
    assert "/invite/" not in page
    assert "they see it when they sign in" in page
    assert _roles(app, world.users["admin"].id) == [(world.a.id, "admin")]


def test_a_link_for_an_address_that_got_an_account_signs_no_one_in(app, world, login):
    coordinator = login("coordinator@a.test")
    link = LINK.search(_invite(coordinator, "later@example.org").get_data(as_text=True))
    path = link.group(1).replace("http://localhost", "")
    with app.app_context():
        user = factories.make_user("later@example.org", world.b, "worker")
        user_id = user.id
        db.session.commit()
    holder = app.test_client()
    page = holder.get(path)
    assert page.status_code == 200
    assert "Sign in with it to accept" in page.get_data(as_text=True)
    holder.post(path, data={"csrf_token": csrf_token(holder, path)})
    assert holder.get("/").status_code == 302  # still signed out
    assert _roles(app, user_id) == [(world.b.id, "worker")]


def test_the_owner_accepts_an_invitation_after_signing_in(app, world, login):
    coordinator = login("coordinator@a.test")
    _invite(coordinator, "worker@b.test", "volunteer")
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    stranger = login("worker@a.test")
    refused = stranger.post(f"/invitations/{invitation_id}/accept",
                            data={"csrf_token": stranger.csrf})
    assert refused.status_code == 404
    owner = app.test_client()
    signed_in = sign_in(owner, "worker@b.test")
    assert signed_in.headers["Location"] == "/invitations"
    page = owner.get("/invitations").get_data(as_text=True)
    assert "Alpha invites you as" in page
    accepted = owner.post(f"/invitations/{invitation_id}/accept",
                          data={"csrf_token": csrf_token(owner, "/invitations")})
    assert accepted.status_code == 303
    worker_b = world.users["worker_b"].id
    assert _roles(app, worker_b) == sorted([(world.a.id, "volunteer"), (world.b.id, "worker")])
    assert len(_audited(app, "accept_invitation")) == 1


# Defect 7: a coordinator manages roles in their municipality, never above their own.

def test_coordinator_cannot_strip_or_deactivate_an_admin(app, world, login):
    coordinator = login("coordinator@a.test")
    admin_id = world.users["admin"].id
    page = coordinator.get("/manage/users").get_data(as_text=True)
    assert page.count("Only an admin changes this account.") == 1
    stripped = _set_roles(coordinator, admin_id, ["volunteer"])
    assert stripped.status_code == 422
    deactivated = coordinator.post(f"/manage/users/{admin_id}/active", data={
        "csrf_token": coordinator.csrf, "active": "0"})
    assert deactivated.status_code == 422
    assert _roles(app, admin_id) == [(world.a.id, "admin")]
    assert sign_in(app.test_client(), "admin@a.test").status_code == 303


def test_coordinator_cannot_grant_admin(app, world, login):
    coordinator = login("coordinator@a.test")
    volunteer = world.users["volunteer"].id
    response = _set_roles(coordinator, volunteer, ["volunteer", "admin"])
    assert response.status_code == 422
    assert _roles(app, volunteer) == [(world.a.id, "volunteer")]


def test_coordinator_deactivation_removes_only_their_municipality(app, world, login,
                                                                  worker_in_two):
    coordinator = login("coordinator@a.test")
    worker = world.users["worker"].id
    response = coordinator.post(f"/manage/users/{worker}/active", data={
        "csrf_token": coordinator.csrf, "active": "0"})
    assert response.status_code == 303
    assert _roles(app, worker) == [(world.b.id, "volunteer")]
    with app.app_context():
        assert db.session.get(User, worker).active
        assert db.session.scalar(select(TeamMember).where(TeamMember.user_id == worker)) is None
    assert sign_in(app.test_client(), "worker@a.test").status_code == 303
    assert len(_audited(app, "remove_from_municipality")) == 1


def test_admin_deactivates_everywhere(app, world, login, worker_in_two):
    admin = login("admin@a.test")
    worker = world.users["worker"].id
    admin.post(f"/manage/users/{worker}/active", data={"csrf_token": admin.csrf, "active": "0"})
    assert sign_in(app.test_client(), "worker@a.test").status_code == 401


def test_an_admins_own_case_role_waits_for_a_second_admin(app, world, login):
    with app.app_context():
        factories.make_user("admin2@a.test", db.session.get(type(world.a), world.a.id), "admin")
        db.session.commit()
    admin = login("admin@a.test")
    admin_id = world.users["admin"].id
    response = _set_roles(admin, admin_id, ["admin", "coordinator"])
    assert response.status_code == 303
    assert _roles(app, admin_id) == [(world.a.id, "admin")]  # no case access yet
    with app.app_context():
        grant_id = db.session.scalar(select(RoleGrant.id))
    own = admin.post(f"/manage/grants/{grant_id}/approve", data={"csrf_token": admin.csrf})
    assert own.status_code == 422
    assert _roles(app, admin_id) == [(world.a.id, "admin")]
    coordinator = login("coordinator@a.test")
    not_admin = coordinator.post(f"/manage/grants/{grant_id}/approve",
                                 data={"csrf_token": coordinator.csrf})
    assert not_admin.status_code == 404
    with app.app_context():  # read in the code: an admin of another municipality approved it
        factories.make_user("admin@b.test", db.session.get(type(world.b), world.b.id), "admin")
        db.session.commit()
    elsewhere = login("admin@b.test")
    assert "asks for the role" not in elsewhere.get("/manage/users").get_data(as_text=True)
    assert elsewhere.post(f"/manage/grants/{grant_id}/approve",
                          data={"csrf_token": elsewhere.csrf}).status_code == 404
    assert _roles(app, admin_id) == [(world.a.id, "admin")]
    second = login("admin2@a.test")
    assert "asks for the role" in second.get("/manage/users").get_data(as_text=True)
    approved = second.post(f"/manage/grants/{grant_id}/approve",
                           data={"csrf_token": second.csrf})
    assert approved.status_code == 303
    assert _roles(app, admin_id) == sorted([(world.a.id, "admin"), (world.a.id, "coordinator")])
    [requested] = _audited(app, "request_role_grant")
    [approval] = _audited(app, "approve_role_grant")
    assert requested.user_id == requested.object_id == admin_id
    assert approval.object_id == admin_id
    assert approval.user_id != admin_id


def test_an_admin_alone_reaches_no_case_data_through_an_invitation(app, world, login):
    """As found: the admin invited an outside address as coordinator, joined from the link on
    its own page and pulled 23 people with their phone numbers."""
    admin = login("admin@a.test")
    page = _invite(admin, "someone@example.net").get_data(as_text=True)
    path = LINK.search(page).group(1).replace("http://localhost", "")
    joined = app.test_client()
    answer = joined.post(path, data={"csrf_token": csrf_token(joined, path),
                                     "display_name": "Someone", "password": "a long password",
                                     "password_again": "a long password"})
    assert answer.status_code == 303
    with app.app_context():
        newcomer = db.session.scalar(select(User.id).where(User.email == "someone@example.net"))
        grant_id = db.session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == newcomer))
    assert _roles(app, newcomer) == []  # no case role yet
    assert joined.get("/api/v1/sync/pull").status_code in (401, 403, 404)
    assert "Amina" not in joined.get("/people/").get_data(as_text=True)
    own = admin.post(f"/manage/grants/{grant_id}/approve", data={"csrf_token": admin.csrf})
    assert own.status_code == 422  # the admin who invited is not the second admin
    assert _roles(app, newcomer) == []
    with app.app_context():
        factories.make_user("admin2@a.test", db.session.get(type(world.a), world.a.id), "admin")
        db.session.commit()
    second = login("admin2@a.test")
    assert second.post(f"/manage/grants/{grant_id}/approve",
                       data={"csrf_token": second.csrf}).status_code == 303
    assert _roles(app, newcomer) == [(world.a.id, "coordinator")]


def test_a_case_role_an_admin_gives_another_account_waits_for_a_second_admin(app, world, login):
    admin = login("admin@a.test")
    buddy = world.users["buddy"].id
    response = _set_roles(admin, buddy, ["buddy", "coordinator"])
    assert response.status_code == 303
    assert _roles(app, buddy) == [(world.a.id, "buddy")]
    coordinator = login("coordinator@a.test")  # a coordinator's grant needs nobody
    _set_roles(coordinator, buddy, ["buddy", "worker"])
    assert _roles(app, buddy) == sorted([(world.a.id, "buddy"), (world.a.id, "worker")])


def test_an_admin_cannot_invite_itself(world, login):
    admin = login("admin@a.test")
    assert _invite(admin, "admin@a.test", "worker").status_code == 422


# Defect 14: invitation links come from the configured public address.

@pytest.fixture
def proxied_app(database_url, tmp_path):
    def make(**config):
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                          "SQLALCHEMY_DATABASE_URI": database_url, "ARGON2_TIME_COST": 1,
                          "ARGON2_MEMORY_COST": 1024, "RATELIMIT_STORAGE_URI": "memory://",
                          "PROXY_FIX": True, "SECOND_FACTOR_ROLES": (), **config})
        app.instance_path = str(tmp_path)
        app.test_client_class = EnglishClient
        made.append(app)
        return app

    made: list = []
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_invitation_link_ignores_a_forged_forwarded_host(world, proxied_app):
    app = proxied_app(PUBLIC_URL="https://handvast.example.be/")
    client = app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_HOST": "evil.example",
                                "HTTP_X_FORWARDED_FOR": "198.51.100.9"})
    assert sign_in(client, "coordinator@a.test").status_code == 303
    response = client.post("/manage/users/invite", data={
        "csrf_token": csrf_token(client, "/"), "email": "new@example.org", "role": "worker"})
    link = LINK.search(response.get_data(as_text=True)).group(1)
    assert link.startswith("https://handvast.example.be/invite/")
    assert "evil.example" not in response.get_data(as_text=True)


def test_behind_a_proxy_the_public_url_is_required(proxied_app):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        proxied_app()


# Defect 15: passwords.

def _join(app, world, password: str):
    with app.app_context():
        from server.auth.invitations import invite

        token = invite(factories.actor_for(db.session.get(User, world.users["coordinator"].id),
                                           db.session.get(type(world.a), world.a.id)),
                       {"email": "new@example.org", "role": "volunteer"})
        db.session.commit()  # operations flush; the request, here the test, commits
    client = app.test_client()
    path = f"/invite/{token}"
    return client.post(path, data={"csrf_token": csrf_token(client, path),
                                   "display_name": "Nieuwe", "password": password,
                                   "password_again": password})


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "qwertyuiop123",
                                      "Welkom123456", "handvast2026", "new@example.org1",
                                      "elf tekens!"])
def test_short_common_or_guessable_passwords_are_refused(app, world, password):
    response = _join(app, world, password)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_a_long_passphrase_is_welcome(app, world):
    passphrase = "de kat van de buren slaapt op het warme dak, " * 6  # 270 characters
    assert _join(app, world, passphrase).status_code == 303
    assert sign_in(app.test_client(), "new@example.org", passphrase).status_code == 303


def test_sign_in_rehashes_when_the_argon2_parameters_changed(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)
    assert sign_in(app.test_client(), "worker@a.test").status_code == 303
    with app.app_context():
        stored = db.session.get(User, world.users["worker"].id).password_hash
    assert "t=2," in stored
    assert sign_in(app.test_client(), "worker@a.test").status_code == 303
